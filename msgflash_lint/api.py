"""The linter as a library: the one module other tools (the mock server among them) import.

Everything here takes data and returns data. A finding carries its `Rule` (code, name,
severity, and the error code the live API would answer) and the JSON pointer of the value,
so a caller never looks rules up by name or re-derives severities.

    from msgflash_lint import api

    findings = api.check_payload("send", {"to": "0612"})
    [f.code for f in findings if f.is_error]        # ['MFL201', 'MFL204', ...]
    api.error_details(findings)                      # [{"field", "message", "code", "pointer"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from msgflash_lint import __version__
from msgflash_lint.diagnostics import Severity, plural, printable
from msgflash_lint.registry import UNSTORABLE_VALUE, Rule

__all__ = [
    "BodyError", "Finding", "check_payload", "check_response", "common_errors", "error_codes", "fast_verdict",
    "operations",
    "route_key", "route_of", "namespace_fields", "check_template_body", "error_details", "parse_body",
    "placeholders", "printable", "schema", "schema_names", "send_time_findings", "storage_problem",
    "template_variables", "field_label", "plural", "__version__",
]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    message: str
    pointer: str = ""  # JSON pointer of the value in the payload ("" for the payload itself)
    field: str = ""  # the same place as MsgFlash's `details[].field` spells it: "buttons[0].url"

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def is_error(self) -> bool:
        return self.rule.severity is Severity.ERROR

    @property
    def api_error(self) -> str:
        return self.rule.api_error


def namespace_fields() -> dict[str, tuple[str, ...]]:
    """The fields MsgFlash resolves in the `contact`, `user` and `instance` namespaces (`custom`
    takes any key): the linter checks placeholders against them, the mock renders them."""
    from msgflash_lint.rules.placeholders import CLOSED_NAMESPACES

    return dict(CLOSED_NAMESPACES)


class BodyError(ValueError):
    """The text is not JSON a MsgFlash body can be (MFL005); the message says why."""


def parse_body(text: str) -> Any:
    """A request body as MsgFlash reads it: NaN and Infinity refused, any integer length read."""
    import json

    from msgflash_lint.documents import parse_json

    try:
        return parse_json(text)
    except json.JSONDecodeError as error:
        raise BodyError(error.msg) from None


def storage_problem(data: Any, text: str | None = None) -> Finding | None:
    """MFL009 when a value cannot be stored and served back (lone surrogate, nesting too deep)."""
    from msgflash_lint.positions import pointer_of
    from msgflash_lint.rules.payloads import field_label as label
    from msgflash_lint.values import value_problem

    problem = value_problem(data, text)
    if problem is None:
        return None
    # The path itself may hold the surrogate: escaped, so that the finding can be sent as JSON.
    return Finding(UNSTORABLE_VALUE, problem.message, printable(pointer_of(problem.path)),
                   printable(label(problem.path)) if problem.path else "")


def check_payload(kind: str, data: Any) -> list[Finding]:
    """The contract findings of one payload against `schemas/<kind>.schema.json`, errors and warnings."""
    from msgflash_lint.positions import pointer_of
    from msgflash_lint.rules.payloads import contract_violations
    from msgflash_lint.rules.payloads import field_label as label

    return [Finding(v.rule, v.message, pointer_of(v.path), label(v.path) if v.path else "")
            for v in contract_violations(kind, data)]


def check_template_body(body: str, field: str = "body") -> list[Finding]:
    """The placeholder findings of one template body; `field` names where the body sits."""
    return list(_template_findings(body, field))


@lru_cache(maxsize=32)  # bodies may be 2 MiB: a bounded cache
def _template_findings(body: str, field: str) -> tuple[Finding, ...]:
    # Cached, as is the parse below: a send renders one stored template, a campaign the same
    # one for every recipient, and neither should parse it more than once.
    from msgflash_lint.rules.template_text import check_template

    return tuple(Finding(f.rule, f.message, f"/{field}", field) for f in check_template(body))


def send_time_findings(kind: str, payload: dict, template_id: str, name: str, body: str) -> list[Finding]:
    """What MsgFlash rejects when this payload meets this template: MFL301 (custom variables
    missing from `variables`) and MFL302 (`contact.*` without a `contactId`), as the linter's
    cross-file checks report them."""
    from msgflash_lint.positions import pointer_of
    from msgflash_lint.rules.crossfile import TemplateFacts, crossfile_violations
    from msgflash_lint.rules.payloads import field_label as label

    facts = TemplateFacts(template_id, name, tuple(template_variables(body)))  # the cached parse
    return [Finding(v.rule, v.message, pointer_of(v.path), label(v.path))
            for v in crossfile_violations(kind, {**payload, "templateId": template_id}, {template_id.lower(): facts})]


def error_details(findings: list[Finding]) -> list[dict]:
    """MsgFlash `details` elements (field and message, decision D4) plus the rule code and pointer."""
    return [{"field": f.field, "message": f.message, "code": f.code, "pointer": f.pointer} for f in findings]


def template_variables(body: str) -> list[str]:
    """A template's `variables` as MsgFlash computes them: unique paths, first appearance first."""
    return list(dict.fromkeys(placeholder.dotted for placeholder in placeholders(body)))


@lru_cache(maxsize=32)  # bodies may be 2 MiB: a bounded cache
def placeholders(body: str) -> tuple:
    """The well-formed placeholders of a body (start, end, path, dotted), for rendering it."""
    from msgflash_lint.templates import parse_template

    return parse_template(body).placeholders


def field_label(path) -> str:
    """`buttons[0].url` for ("buttons", 0, "url")."""
    from msgflash_lint.rules.payloads import field_label as label

    return label(tuple(path))


def check_response(method: str, path: str, status: int, body) -> list:
    """How a response differs from its documented shape (msgflash_lint.responses.check_response)."""
    from msgflash_lint.responses import check_response as check

    return check(method, path, status, body)


def operations() -> dict:
    """Every documented operation: summary, success statuses and their `data` schema, errors."""
    from msgflash_lint.responses import operations as documented

    return documented()


def error_codes() -> dict[str, tuple[int, str]]:
    """Every documented error code: (HTTP status, default message)."""
    from msgflash_lint.responses import error_codes as documented

    return documented()


def common_errors() -> tuple[str, ...]:
    from msgflash_lint.responses import common_errors as documented

    return documented()


def route_key(path: str) -> str:
    """`/api/v1/contacts/groups/{id}` for a Flask or OpenAPI route (`<group_id>`, `{groupId}`)."""
    from msgflash_lint.responses import route_key as key

    return key(path)


def route_of(method: str, path: str) -> str | None:
    """The documented route a concrete request went to (`/api/v1/messages/{id}`), or None."""
    from msgflash_lint.responses import operation_for

    found = operation_for(method, path)
    return found.path if found else None


def schema_names() -> tuple[str, ...]:
    from msgflash_lint.contract import SCHEMA_FILES

    return SCHEMA_FILES


def schema(name: str) -> dict:
    """One schema file of `schemas/`, parsed (shared: do not modify it)."""
    from msgflash_lint.contract import load_schema

    return load_schema(name)


def fast_verdict(any_schema: dict, data: Any) -> bool | None:
    """Whether `data` fits a self-contained schema (formats as annotations, as jsonschema's
    validators treat them), decided by jsonschema-rs; None without it, or when it cannot tell
    (numbers beyond 64 bits): then only jsonschema can answer."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    from msgflash_lint.contract import compiled_verdict

    return compiled_verdict(jsonschema_rs.validator_for(any_schema, validate_formats=False), data)
