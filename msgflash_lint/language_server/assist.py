"""Completion and hover, from the linter's own tables: the namespaces and fields MsgFlash fills
(rules/placeholders.py), the payload JSON Schemas (schemas/), the rules (registry.py).

Everything works on text and offsets in code points; the server converts positions.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from msgflash_lint.rules.placeholders import FIELD_MEANINGS, NAMESPACE_MEANINGS, NAMESPACES

# `{{` then what is typed so far of a placeholder path, up to the cursor.
_OPEN_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]*)$")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\s+')
_OPEN_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*\Z')


class Suggestion(NamedTuple):
    label: str
    detail: str
    documentation: str
    kind: str  # "namespace", "field", "key" (a JSON property), "value" (an enum value)
    replaces: int  # code points before the cursor the suggestion replaces (the part already typed)
    insert: str = ""  # what goes in instead of `label` (a JSON key with its quotes), "" for the label


# Placeholders.

def placeholder_suggestions(line_before: str, custom_keys: list[str]) -> list[Suggestion] | None:
    """What can follow `{{` … at the cursor: the namespaces, then a namespace's fields (for `custom.`
    the keys the workspace's payloads give this template); None outside a placeholder."""
    opened = _OPEN_PLACEHOLDER.search(line_before)
    if opened is None:
        return None
    typed = opened.group(1)
    if "." not in typed:
        return [Suggestion(name, f"{name}.…", NAMESPACE_MEANINGS[name], "namespace", len(typed))
                for name in NAMESPACES]
    namespace, _, rest = typed.partition(".")
    if "." in rest:  # contact.meta.<key> and deeper: the team's own keys, nothing to offer
        return []
    if namespace == "custom":
        return [Suggestion(key, f"custom.{key}", f"`variables.{key}` of the request", "field", len(rest))
                for key in custom_keys]
    fields = FIELD_MEANINGS.get(namespace, {})
    return [Suggestion(field, f"{namespace}.{field}", meaning, "field", len(rest)) for field, meaning in fields.items()]


def placeholder_hover(line: str, column: int) -> str | None:
    """What MsgFlash fills the placeholder under `column` (0-based, code points) with, in Markdown."""
    for found in _PLACEHOLDER.finditer(line):
        if found.start() <= column < found.end():
            return _meaning(found.group(1))
    return None


def _meaning(dotted: str) -> str:
    namespace, _, field = dotted.partition(".")
    shown = f"`{{{{{dotted}}}}}`"
    if namespace == "custom" and field:
        return f"{shown}: `variables.{field}` of the request ({NAMESPACE_MEANINGS['custom']})."
    fields = FIELD_MEANINGS.get(namespace)
    if fields is None:
        return f"{shown}: `{namespace}` is not a MsgFlash namespace (use one of {', '.join(NAMESPACES)})."
    head, _, _ = field.partition(".")
    if head in fields:
        return f"{shown}: {fields[head]}; from {NAMESPACE_MEANINGS[namespace]}."
    return f"{shown}: `{namespace}` has the fields {', '.join(fields)} ({NAMESPACE_MEANINGS[namespace]})."


# Payload JSON.

class JsonSpot(NamedTuple):
    """Where the cursor is in a (possibly half-typed) JSON document."""

    path: tuple  # keys and indexes of the container the cursor is in
    role: str  # "key": a property name goes here; "value": a value of `path + (key,)`
    key: str | None  # the property whose value is being typed (role "value")
    typed: str  # what is typed of the string so far, without its opening quote
    quoted: bool  # the cursor is inside an open string


def json_spot(text: str, offset: int) -> JsonSpot | None:
    """Scan the text up to the cursor, tolerating everything after it; None outside any object."""
    before = text[:offset]
    open_string = _OPEN_STRING.search(before)
    scanned = before[:open_string.start()] if open_string else before
    frames: list[list] = []  # [kind, key or index, expecting] per open container
    for token in _JSON_TOKEN.findall(scanned):
        if token.isspace():
            continue
        top = frames[-1] if frames else None
        if token in "{[":
            frames.append(["{", None, "key"] if token == "{" else ["[", 0, "value"])
        elif token in "}]":
            if frames:
                frames.pop()
        elif token == ":" and top is not None and top[0] == "{":
            top[2] = "value"
        elif token == "," and top is not None:
            if top[0] == "{":
                top[1], top[2] = None, "key"
            else:
                top[1] += 1
        elif top is not None and top[0] == "{" and top[2] == "key" and token.startswith('"'):
            top[1] = _unquoted(token)
    if not frames or frames[-1][0] != "{":
        return None
    path = tuple(frame[1] for frame in frames[:-1])
    top = frames[-1]
    typed = open_string.group()[1:] if open_string else ""
    return JsonSpot(path, top[2], top[1] if top[2] == "value" else None, typed, open_string is not None)


def _unquoted(token: str) -> str:
    import json

    try:
        return json.loads(token)
    except ValueError:
        return token.strip('"')


def json_suggestions(kind: str, spot: JsonSpot) -> list[Suggestion]:
    """Property names of the schema at the cursor, or the enum values of the property being typed."""
    from msgflash_lint.contract import schemas_at

    if spot.role == "key":
        names: dict[str, str] = {}
        for schema, _ in schemas_at(kind, spot.path):
            for name, subschema in schema.get("properties", {}).items():
                names.setdefault(name, subschema.get("description", "") if isinstance(subschema, dict) else "")
        return [Suggestion(name, "property", description, "key", len(spot.typed) + spot.quoted,
                           f'"{name}"') for name, description in names.items()]
    values: dict[str, None] = {}
    for schema, _ in schemas_at(kind, (*spot.path, spot.key)):
        for value in (*schema.get("enum", ()), *(("const" in schema) * [schema.get("const")])):
            if isinstance(value, str):
                values.setdefault(value)
    return [Suggestion(value, f"{spot.key}", "", "value", len(spot.typed) + spot.quoted, f'"{value}"')
            for value in values]


# Findings.

def rule_hover(code: str) -> str | None:
    """A rule's summary and how to fix it, in Markdown."""
    from msgflash_lint.registry import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code)
    if rule is None:
        return None
    fixable = "\n\nA quick fix rewrites it (the one right answer)." if rule.fixable else ""
    answers = f"\n\nMsgFlash answers `{rule.api_error}`." if rule.api_error else ""
    return f"**{rule.code} `{rule.name}`** ({rule.severity.value}): {rule.summary}\n\n**Fix:** {rule.fix}{answers}{fixable}"
