"""The contract: schemas/ loaded once into a registry, one compiled validator per kind.

The linter and the mock server both call `validator_for` / `schema_errors`, so the wheel
carries the schema files and no field rule is restated in Python.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

# Kinds of JSON payload, each checked against `schemas/<kind>.schema.json`.
PAYLOAD_KINDS = ("send", "schedule", "campaign", "template")
SCHEMA_FILES = ("common", "send", "schedule", "campaign", "template", "template-update")


def schema_dir() -> Path:
    """Where the schema files are: inside an installed wheel, or the checkout's schemas/."""
    packaged = resources.files("msgflash_lint") / "schemas"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "schemas"


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads((schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def schema_registry():
    from referencing import Registry, Resource

    resources_ = [Resource.from_contents(load_schema(name)) for name in SCHEMA_FILES]
    return Registry().with_resources((resource.id(), resource) for resource in resources_)


@lru_cache(maxsize=None)
def validator_for(kind: str):
    """A compiled Draft 2020-12 validator for one schema file, built once per process."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(kind), registry=schema_registry())


def schema_errors(kind: str, data) -> list:
    """The raw jsonschema errors of `data` against `kind`; rules/payloads.py makes them readable."""
    return list(validator_for(kind).iter_errors(data))


def resolve(ref_base: str, ref: str) -> dict:
    """The subschema a `$ref` names, relative to the schema whose `$id` is `ref_base`."""
    resolver = schema_registry().resolver(base_uri=ref_base)
    return resolver.lookup(ref).contents
