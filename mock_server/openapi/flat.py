"""The OpenAPI document made flat for client generators, from what schemas/ says.

schemas/ is written for validation: shared definitions under `$defs`, one file pointing into
another's properties, a `$ref` beside other keywords (legal in JSON Schema 2020-12 and OpenAPI
3.1). Most client generators (openapi-python-client, openapi-typescript, …) follow only
`$ref`s to whole components and ignore a `$ref`'s siblings, so the document they read is this
one, computed from the other, never restated:
- every `$defs` entry becomes a component of its own (a shared one from common.schema.json by its
  own name, `Uuid`; another file's as `<File><Name>`, `CampaignRecipients`);
- a `$ref` into a component's inside (`…/Template/properties/type`) becomes a copy of its target;
- a `$ref` to a shared definition that is not an object (an id, a phone number, a URL), or to
  any such schema with keywords beside it, becomes a copy of it, so a field reads
  `{"type": "string", "format": "uuid", "description": …}`;
- a `$ref` to an object with other keywords beside it becomes `allOf` (the object, then the
  keywords), its annotations (description, examples) staying beside the `allOf`;
- a combinator that only refines an object's own members (a fault is an error, a drop or a
  latency: `anyOf` of `required` sets) becomes `if: {anyOf: …}, else: {not: {}}`, which says the same
  to a validator and nothing to a generator (which would read it as a union of three types);
- in what clients send (request bodies), a member's `default` moves into its description:
  openapi-typescript reads a default as "always present" and would make a client spell out every
  member the server fills in itself (`latencyMs: 0` in every fault);
- `title`s are left out (generators name classes after them; the component's name is the name),
  and so are the linter's own detection rules (`x-msgflash-detect`).
Validation does not change: the same instances pass and fail (tests/mock/test_openapi.py).
"""

from __future__ import annotations

import copy
import json

PREFIX = "#/components/schemas/"
SHARED = "Common"  # the component of schemas/common.schema.json: its definitions keep their own names
_ANNOTATIONS = {"description", "title", "examples", "example", "default", "deprecated", "readOnly", "writeOnly",
                "$comment"}
_LEFT_OUT = ("x-msgflash-detect",)


def flat_document(document: dict) -> dict:
    """`document` with its schemas flat (see the module's docstring); `document` is not changed."""
    document = copy.deepcopy(document)
    schemas = document["components"]["schemas"]
    original = copy.deepcopy(schemas)
    hoisted: dict[tuple[str, str], str] = {}
    for component in list(schemas):
        for name, definition in (schemas[component].pop("$defs", None) or {}).items():
            new = _hoisted_name(component, name)
            if new in schemas or new in original:
                raise ValueError(f"hoisting {component}/$defs/{name} would replace the component {new}")
            hoisted[(component, name)] = new
            schemas[new] = definition
    resolved = _Refs(original, hoisted)
    document = resolved.rewrite(document)
    schemas = document["components"]["schemas"]
    inlined = _Inliner(schemas, set(hoisted.values()))
    document = inlined.rewrite(document)
    schemas = document["components"]["schemas"]
    for name in schemas:
        schemas[name] = _each_schema(schemas[name], _plain)
    for name in _sent(document):
        schemas[name] = _each_schema(schemas[name], _default_described)
    used = _referenced(document)
    for name in [new for new in hoisted.values() if new not in used]:
        del schemas[name]  # a shared scalar (Uuid, E164): every use of it is now a copy
    for name in [name for name, schema in schemas.items() if name not in used and _only_annotations(schema)]:
        del schemas[name]  # a file of definitions only (common.schema.json), all of them hoisted
    return document


def _only_annotations(schema: dict) -> bool:
    return all(key in _ANNOTATIONS or key.startswith("x-") for key in schema)


def _hoisted_name(component: str, name: str) -> str:
    pascal = name[0].upper() + name[1:]
    return pascal if component == SHARED else component + pascal


def _is_object(schema: dict) -> bool:
    return schema.get("type") == "object" or "properties" in schema or any(
        key in schema for key in ("allOf", "oneOf", "anyOf"))


def _each_ref(node, change):
    """`node` with `change` made to every object in it that holds a `$ref` to a component,
    innermost first; the linter's own keys (_LEFT_OUT) dropped on the way."""
    if isinstance(node, list):
        return [_each_ref(item, change) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _each_ref(value, change) for key, value in node.items() if key not in _LEFT_OUT}
    ref = node.get("$ref")
    return change(node) if isinstance(ref, str) and ref.startswith(PREFIX) else node


class _Refs:
    """Every `$ref` names a whole component: `$defs` pointers renamed, deeper ones copied in."""

    def __init__(self, original: dict, hoisted: dict[tuple[str, str], str]) -> None:
        self.original = original
        self.hoisted = hoisted

    def rewrite(self, node):
        return _each_ref(node, self._changed)

    def _changed(self, node: dict) -> dict:
        parts = node["$ref"][len(PREFIX):].split("/")
        if len(parts) == 1:
            return node
        if len(parts) == 3 and parts[1] == "$defs":
            return {**node, "$ref": PREFIX + self.hoisted[(parts[0], parts[2])]}
        target = self.original
        for part in parts:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        return {**self.rewrite(copy.deepcopy(target)), **siblings}


class _Inliner:
    """A `$ref` to a scalar schema becomes its copy; one to an object with siblings, an `allOf`."""

    def __init__(self, schemas: dict, hoisted: set[str]) -> None:
        self.schemas = schemas
        self.hoisted = hoisted

    def rewrite(self, node):
        return _each_ref(node, self._changed)

    def _changed(self, node: dict) -> dict:
        ref = node["$ref"]
        name = ref[len(PREFIX):]
        target = self.schemas[name]
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        if not _is_object(target) and (siblings or name in self.hoisted):
            return {**self.rewrite(copy.deepcopy(target)), **siblings}
        if not siblings:
            return node
        annotations = {k: v for k, v in siblings.items() if k in _ANNOTATIONS or k.startswith("x-")}
        constraints = {k: v for k, v in siblings.items() if k not in annotations}
        parts = [{"$ref": ref}] + ([{"type": "object", **constraints}] if constraints else [])
        return {"allOf": parts, **annotations}


# Keywords whose value is a schema, a list of schemas or a map of them: where `_plain` looks.
_SCHEMA_IN = ("items", "additionalProperties", "unevaluatedProperties", "not", "if", "then", "else", "contains",
              "propertyNames")
_SCHEMAS_IN = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas")
_REFINING = ("anyOf", "oneOf")


def _each_schema(schema, change):
    """`schema` with `change` made to every schema in it, innermost first (never to data: examples, enums)."""
    if not isinstance(schema, dict):
        return schema
    result = {}
    for key, value in schema.items():
        if key in _SCHEMA_IN:
            value = _each_schema(value, change)
        elif key in _SCHEMAS_IN and isinstance(value, list):
            value = [_each_schema(item, change) for item in value]
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            value = {name: _each_schema(item, change) for name, item in value.items()}
        result[key] = value
    return change(result)


def _plain(schema: dict) -> dict:
    """Without its title; a combinator refining the object's own members as `if`/`else`."""
    if isinstance(schema.get("title"), str):
        del schema["title"]
    for key in _REFINING:
        branches = schema.get(key)
        if schema.get("type") == "object" and isinstance(branches, list) and all(
                isinstance(b, dict) and not {"type", "$ref", "const", "enum"} & set(b) for b in branches):
            del schema[key]
            schema["allOf"] = [*schema.get("allOf", []), {"if": {key: branches}, "else": {"not": {}}}]
    return schema


def _default_described(schema: dict) -> dict:
    if "default" in schema:
        default = json.dumps(schema.pop("default"))
        schema["description"] = f"{schema.get('description', '').rstrip()} Default: `{default}`.".lstrip()
    return schema


def _sent(document: dict) -> set[str]:
    """The components clients send: request bodies and what they refer to, transitively."""
    schemas = document["components"]["schemas"]
    bodies = [operation["requestBody"] for item in document["paths"].values() for operation in item.values()
              if "requestBody" in operation]
    found, todo = set(), _referenced(bodies)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo |= _referenced(schemas[name])
    return found


def _referenced(node, found: set[str] | None = None) -> set[str]:
    found = set() if found is None else found
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(PREFIX):
            found.add(ref[len(PREFIX):])
        for value in node.values():
            _referenced(value, found)
    elif isinstance(node, list):
        for item in node:
            _referenced(item, found)
    return found
