"""Source → Document: what kind of file it is, and its parsed JSON when it is a payload."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from msgflash_lint.diagnostics import Span
from msgflash_lint.kinds import KINDS, PAYLOAD_KINDS, TEMPLATE_BODY  # noqa: F401 - KINDS re-exported
from msgflash_lint.paths import path_matches
from msgflash_lint.registry import INVALID_JSON, UNKNOWN_KIND, UNSTORABLE_VALUE
from msgflash_lint.sources import Source, SourceProblem
from msgflash_lint.values import value_problem

# File-name patterns tried before the content, first match wins. Configuration adds its own first.
DEFAULT_KIND_PATTERNS: tuple[tuple[str, str], ...] = (
    ("*.send.json", "send"),
    ("*.schedule.json", "schedule"),
    ("*.campaign.json", "campaign"),
    ("*.template.json", "template"),
    ("*.txt", TEMPLATE_BODY),
    ("*.tmpl", TEMPLATE_BODY),
)


class Document(NamedTuple):
    source: Source
    kind: str
    data: Any = None  # the parsed JSON of a payload; None for template text


def load_document(
    source: Source,
    kind: str = "auto",
    patterns: tuple[tuple[str, str], ...] = DEFAULT_KIND_PATTERNS,
    root: Path | None = None,
) -> Document | SourceProblem | NotAPayload:
    if kind == "auto":
        kind = next((k for pattern, k in patterns if path_matches(source.path, (pattern,), root)), "auto")
    if kind == TEMPLATE_BODY:
        return Document(source, TEMPLATE_BODY)
    if kind == "auto" and not source.path.endswith(".json") and source.text.lstrip()[:1] not in ("{", "["):
        return Document(source, TEMPLATE_BODY)
    data = _parse_json(source)
    if isinstance(data, SourceProblem):
        return data
    problem = value_problem(data, source.text)
    if problem is not None:
        return SourceProblem(source.path, UNSTORABLE_VALUE, problem.message,
                             _span_of(source.text, problem.path, problem.in_key))
    if kind == "auto":
        kind = kind_from_content(data)
        if kind is None and source.walked and not holds_payload_fields(data):
            return NotAPayload(source.path)
        if kind is None:
            what = "an object" if isinstance(data, dict) else f"a JSON {type(data).__name__}"
            return SourceProblem(
                source.path, UNKNOWN_KIND,
                f"cannot tell which payload this is ({what} without the fields that tell); "
                "pass --kind send, schedule, campaign or template",
            )
    return Document(source, kind, data)


class NotAPayload(NamedTuple):
    """A JSON file met in a directory walk that holds no MsgFlash field: package.json, fixtures."""

    path: str


# Fields every kind of JSON has; holding only these says nothing about being a payload.
_GENERIC_FIELDS = frozenset({"id", "name", "type", "description", "version", "title"})


def holds_payload_fields(data: Any) -> bool:
    """True when a top-level key is a field that some payload kind declares (the schemas say which)."""
    if not isinstance(data, dict):
        return False
    from msgflash_lint.contract import declared_properties

    fields = set().union(*(declared_properties(kind) for kind in PAYLOAD_KINDS)) - _GENERIC_FIELDS
    return any(key in fields for key in data)


def kind_from_content(data: Any) -> str | None:
    """The payload kind its fields give away, or None: the first kind, by the schemas'
    `x-msgflash-detect` priority, whose `when` the document meets."""
    if not isinstance(data, dict):
        return None
    from msgflash_lint.contract import detection_rules

    for kind, when, document in detection_rules():
        if _meets(when, data, document):
            return kind
    return None


def _meets(when: dict, data: dict, document: dict) -> bool:
    """`data` meets a detection rule: the JSON Schema keywords `required`, `anyOf` and
    `properties` (each an `enum` or a `$ref` to one) — the only ones the rules use, evaluated
    here so that telling kinds apart costs the hook no validator (tests/test_contract.py
    checks that jsonschema gives the same answers)."""
    if any(key not in data for key in when.get("required", ())):
        return False
    if "anyOf" in when and not any(_meets(option, data, document) for option in when["anyOf"]):
        return False
    for name, rule in when.get("properties", {}).items():
        if name in data:
            from msgflash_lint.contract import resolve

            allowed = resolve(rule["$ref"], document)[0]["enum"] if "$ref" in rule else rule["enum"]
            if not isinstance(data[name], str) or data[name] not in allowed:
                return False
    return True


def parse_json(text: str) -> Any:
    """`json.loads` as MsgFlash reads a body: NaN/Infinity refused, integers of any length read.

    Raises JSONDecodeError, carrying a position, for every kind of unreadable text.
    """
    try:
        try:
            return _loads(text)
        except RecursionError:
            # json's parser recurses once per nesting level against the interpreter's limit, so
            # how deep it reads would depend on how deep its caller already is (a linter run, a
            # mock request inside middleware). A fresh thread gives every caller the same budget.
            return _loads_on_a_fresh_stack(text)
    except _NotJson as error:
        offset = _token_offset(text, error.token)
        raise json.JSONDecodeError(error.reason, text, offset) from None
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply to read", text, 0) from None


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)


def _loads_on_a_fresh_stack(text: str) -> Any:
    import threading

    outcome: dict = {}

    def parse() -> None:
        try:
            outcome["value"] = _loads(text)
        except BaseException as error:  # handed back to the caller's thread below
            outcome["error"] = error

    worker = threading.Thread(target=parse, name="msgflash-json")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _parse_json(source: Source) -> Any:
    try:
        return parse_json(source.text)
    except json.JSONDecodeError as error:
        return SourceProblem(source.path, INVALID_JSON, f"invalid JSON: {error.msg}",
                             Span(error.lineno, error.colno, error.lineno, error.colno + 1))


class _NotJson(ValueError):
    def __init__(self, token: str, reason: str) -> None:
        super().__init__(reason)
        self.token = token
        self.reason = reason


def _reject_constant(name: str):
    raise _NotJson(name, f"`{name}` is not a JSON value")


def _parse_int(digits: str) -> int | float:
    try:
        return int(digits)
    except ValueError:  # beyond Python's int-string limit; no JSON reader keeps such a number exactly
        raise _NotJson(digits, f"a number of {len(digits.lstrip('-'))} digits is too long to read") from None


def _token_offset(text: str, token: str) -> int:
    """Where a scalar token first stands outside strings (the one the parser refused)."""
    from msgflash_lint.positions import scalar_token_offsets

    return next((start for start, value in scalar_token_offsets(text) if value == token), 0)


def _span_of(text: str, path: tuple, in_key: bool) -> Span:
    """Where a value problem sits: the key, or the value (its opening bracket, for a container)."""
    from msgflash_lint.positions import LineIndex, Target, json_source_map, node_offsets, pointer_of

    node = json_source_map(text).get(pointer_of(path))
    if node is None:
        return Span(1, 1, 1, 1)
    target = Target.KEY if in_key else Target.OBJECT if text[node.start] in "{[" else Target.VALUE
    return LineIndex(text).span(*node_offsets(node, target))
