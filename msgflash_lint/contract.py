"""The contract: schemas/ loaded once into a registry, one compiled validator per kind.

The linter and the mock server both call `validator_for` / `schema_errors`, so the wheel
carries the schema files and no field rule is restated in Python.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from msgflash_lint.kinds import PAYLOAD_KINDS  # noqa: F401 - part of this module's interface

SCHEMA_FILES = (
    "common", "send", "schedule", "campaign", "template", "template-update",
    "template-preview", "contact", "contact-update", "group", "group-update", "group-members",
    "contact-bulk-delete", "number-lookup", "number-lookup-import", "status", "webhook", "responses",
)


@cache
def schema_dir() -> Path:
    """Where the schema files are: inside an installed wheel, or the checkout's schemas/.

    The wheel puts them in the package folder itself (a plain directory, never a zip), so a
    path test replaces importlib.resources, whose import alone costs the hook 6 ms.
    """
    packaged = Path(__file__).resolve().parent / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


@cache
def load_schema(name: str) -> dict:
    return json.loads((schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def schema_registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    # The files carry no `$id`: a reference such as `common.schema.json#/$defs/phone` resolves
    # beside the file that holds it, for any tool or editor, offline. Here, by file name.
    return Registry().with_resources(
        (f"{name}.schema.json", Resource.from_contents(load_schema(name), default_specification=DRAFT202012))
        for name in SCHEMA_FILES)


@cache
def validator_for(kind: str):
    """A compiled Draft 2020-12 validator for one schema file, built once per process.

    A root `unevaluatedProperties: false` is left out of the compiled copy and checked by
    `unknown_properties` instead: jsonschema re-evaluates every branch to find evaluated
    keys, which was half the time of a run, while every property our schemas accept is
    declared in a `properties` reachable from the root, so the answer is the same.
    """
    from jsonschema import Draft202012Validator

    schema = dict(load_schema(kind))
    schema.pop("unevaluatedProperties", None)
    return Draft202012Validator(schema, registry=schema_registry())


@cache
def fast_validator_for(kind: str):
    """A compiled jsonschema-rs validator of the same schema as `validator_for`, or None without it.

    It only decides validity, some hundred times faster than jsonschema; jsonschema still
    explains the documents it refuses (positions, plain words). A property test keeps the two
    verdicts equal on generated valid and broken payloads of every kind.
    """
    try:
        import jsonschema_rs
    except ImportError:  # a platform with no wheel: jsonschema alone gives the same answers, slower
        return None
    schema = dict(load_schema(kind))
    schema.pop("unevaluatedProperties", None)
    registry = jsonschema_rs.Registry([(f"{name}.schema.json", load_schema(name)) for name in referenced_files(kind)])
    return jsonschema_rs.validator_for(schema, registry=registry)


def referenced_files(kind: str) -> list[str]:
    """The schema files `kind` reaches through `$ref`, itself included: a send payload's
    validator needs common and send, not the 100 KB of response schemas."""
    found, pending = [], [kind]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.append(name)
        pending.extend(_file_refs(load_schema(name)))
    return found


def _file_refs(node) -> set[str]:
    """Names of the other schema files a schema's `$ref`s point into (`common.schema.json#/…`)."""
    names: set[str] = set()
    pending = [node]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            target = node.get("$ref")
            if isinstance(target, str) and target.partition("#")[0]:
                names.add(target.partition("#")[0].rsplit("/", 1)[-1].removesuffix(".schema.json"))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return names


def is_valid(kind: str, data) -> bool | None:
    """The fast verdict (True/False), or None when only jsonschema can tell."""
    fast = fast_validator_for(kind)
    return None if fast is None else compiled_verdict(fast, data)


def compiled_verdict(validator, data) -> bool | None:
    """A jsonschema-rs validator's verdict on `data`, or None when it cannot tell."""
    try:
        return validator.is_valid(data)
    except (ValueError, OverflowError, TypeError):  # numbers beyond 64 bits, and the like
        return None


def schema_errors(kind: str, data) -> list:
    """The raw jsonschema errors of `data` against `kind`; rules/payloads.py makes them readable.

    Valid documents, most of any run, are told apart by the compiled validator first.
    """
    if is_valid(kind, data) is True:
        return []
    return list(validator_for(kind).iter_errors(data))


def unknown_properties(kind: str, data) -> list[str]:
    """Top-level keys of `data` that the schema, closed at its root, does not declare."""
    if not isinstance(data, dict) or load_schema(kind).get("unevaluatedProperties") is not False:
        return []
    declared = declared_properties(kind)
    return [name for name in data if name not in declared]


@cache
def declared_properties(kind: str) -> dict[str, dict]:
    """Every property a kind's top-level object declares, through `$ref`, `allOf` and `if/then`."""
    found: dict[str, dict] = {}
    root = load_schema(kind)
    for schema, _ in _branches([(root, root)]):
        for name, subschema in schema.get("properties", {}).items():
            found.setdefault(name, subschema)
    return found


def schemas_at(kind: str, path: tuple) -> list[tuple[dict, dict]]:
    """Every (subschema, its file) that can describe the value at `path` (keys and indexes) of a
    kind's document, through `$ref`, `allOf`, `anyOf`, `oneOf` and `then`/`else` (editor completion)."""
    root = load_schema(kind)
    current = _branches([(root, root)])
    for segment in path:
        following = []
        for schema, document in current:
            if isinstance(segment, int):
                items = schema.get("items")
                if isinstance(items, dict):
                    following.append((items, document))
            elif segment in schema.get("properties", {}):
                following.append((schema["properties"][segment], document))
        current = _branches(following)
    return current


def _branches(start: list[tuple[dict, dict]]) -> list[tuple[dict, dict]]:
    found, pending, seen = [], list(start), set()
    while pending:
        schema, document = pending.pop()
        if not isinstance(schema, dict) or id(schema) in seen:
            continue
        seen.add(id(schema))
        found.append((schema, document))
        if "$ref" in schema:
            pending.append(resolve(schema["$ref"], document))
        for key in ("allOf", "anyOf", "oneOf"):
            pending.extend((sub, document) for sub in schema.get(key, ()))
        for key in ("then", "else"):
            if key in schema:
                pending.append((schema[key], document))
    return found


def resolve(ref: str, document: dict) -> tuple[dict, dict]:
    """(subschema, its schema file) for our own `$ref`s: `other.schema.json#/ptr` or `#/ptr`.

    By hand rather than through `referencing`: the hook's cold start pays no import for it.
    """
    target, _, fragment = ref.partition("#")
    if target:
        document = load_schema(target.rsplit("/", 1)[-1].removesuffix(".schema.json"))
    node = document
    for part in (p for p in fragment.split("/") if p):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node, document


@cache
def detection_rules() -> tuple[tuple[str, dict, dict], ...]:
    """(kind, `when` rule, its schema file) for every kind whose schema says how to recognise
    its documents (`x-msgflash-detect`), highest priority first."""
    rules = []
    for kind in PAYLOAD_KINDS:
        document = load_schema(kind)
        detect = document.get("x-msgflash-detect")
        if detect is not None:
            rules.append((detect["priority"], kind, detect["when"], document))
    return tuple((kind, when, document) for _, kind, when, document in sorted(rules, key=lambda r: r[0]))


def type_choices(kind: str) -> tuple[str, ...]:
    """The values the schema allows for a kind's `type` (message, campaign or template types)."""
    return tuple(declared_properties(kind)["type"]["enum"])
