"""What MsgFlash answers: each operation's response schema, its errors, and a check for bodies received.

`schemas/responses.schema.json` holds it all: `$defs` for each `data` shape and the error
envelope, `x-msgflash-operations` mapping "METHOD /api/v1/path" to its summary, success
statuses and documented errors, and `x-msgflash-error-codes` (code → status, message). The
mock serves from it and its tests check every answer against it; `check_response` lets a
team check what the mock *or the live API* answered, to see drift between the documentation,
the mock and MsgFlash:

    from msgflash_lint.api import check_response

    reply = requests.get(f"{base}/api/v1/instances", headers={"x-api-key": key})
    assert check_response("GET", reply.url, reply.status_code, reply.json()) == []
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

API_PREFIX = "/api/v1"
RESPONSES = "responses"  # schemas/responses.schema.json
_PLACEHOLDER = re.compile(r"^\{[^{}]+\}$")


@dataclass(frozen=True, slots=True)
class ResponseFinding:
    """One way a response differs from its documented shape."""

    pointer: str  # JSON pointer into the response body ("" for the body or the status itself)
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # "/api/v1/contacts/groups/{id}"
    summary: str
    responses: dict[str, str]  # success status → $defs name of its `data`
    errors: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def _document() -> dict:
    from msgflash_lint.contract import load_schema

    return load_schema(RESPONSES)


@cache
def operations() -> dict[str, Operation]:
    """Every documented operation, by "METHOD /api/v1/path"."""
    found = {}
    for key, spec in _document()["x-msgflash-operations"].items():
        method, path = key.split(" ", 1)
        found[key] = Operation(method, path, spec["summary"], dict(spec["responses"]), tuple(spec["errors"]))
    return found


@cache
def error_codes() -> dict[str, tuple[int, str]]:
    """Every documented error code: (HTTP status, default message)."""
    return {code: (spec["status"], spec["message"]) for code, spec in _document()["x-msgflash-error-codes"].items()}


def common_errors() -> tuple[str, ...]:
    """Codes any route may answer (authentication, limits, server faults)."""
    return tuple(_document()["x-msgflash-common-errors"])


def route_key(path: str) -> str:
    """`/api/v1/contacts/groups/{id}` for a concrete or Flask-style route (`<group_id>`, `{groupId}`)."""
    return "/".join("{id}" if _PLACEHOLDER.match(part) or part.startswith("<") else part
                    for part in path.split("/"))


def operation_for(method: str, path: str) -> Operation | None:
    """The documented operation a request (method, URL or path) went to; static segments win
    over `{id}` ones, as in every router (`/contacts/groups` is not a contact id)."""
    path = urlsplit(path).path.rstrip("/") or "/"
    if not path.startswith(API_PREFIX):
        path = API_PREFIX + path
    parts = path.split("/")
    best, best_static = None, -1
    for operation in operations().values():
        if operation.method != method.upper():
            continue
        template = operation.path.split("/")
        if len(template) != len(parts):
            continue
        if all(t == "{id}" or t == p for t, p in zip(template, parts, strict=True)):
            static = sum(t != "{id}" for t in template)
            if static > best_static:
                best, best_static = operation, static
    return best


@cache
def _validator(definition: str):
    from jsonschema import Draft202012Validator

    from msgflash_lint.contract import schema_registry

    schema = {"$ref": f"{RESPONSES}.schema.json#/$defs/{definition}"} if definition == "error" else {
        "type": "object", "required": ["data"],
        "properties": {"data": {"$ref": f"{RESPONSES}.schema.json#/$defs/{definition}"}}}
    return Draft202012Validator({"$id": "response-check", **schema},
                                registry=schema_registry())


def check_response(method: str, path: str, status: int, body) -> list[ResponseFinding]:
    """How a response body differs from the documented one for its route and status ([] if not at all).

    `path` may be a full URL; unknown routes and undocumented statuses are findings too.
    """
    operation = operation_for(method, path)
    if operation is None and status < 400:
        return [ResponseFinding("", f"{method.upper()} {urlsplit(path).path} is not a documented operation")]
    findings: list[ResponseFinding] = []
    if status >= 400:
        definition = "error"
        code = body.get("error", {}).get("code") if isinstance(body, dict) and isinstance(body.get("error"), dict) else None
        if isinstance(code, str):
            documented = error_codes().get(code)
            if documented is None:
                findings.append(ResponseFinding("/error/code", f"{code} is not a documented error code"))
            elif documented[0] != status:
                findings.append(ResponseFinding("", f"{code} is documented with status {documented[0]}, "
                                                    f"not {status}"))
    else:
        definition = operation.responses.get(str(status))
        if definition is None:
            documented = ", ".join(operation.responses)
            return [ResponseFinding("", f"status {status} is not documented for {operation.key} "
                                        f"(documented: {documented})")]
    for error in sorted(_validator(definition).iter_errors(body), key=lambda e: list(e.absolute_path)):
        pointer = "".join(f"/{str(part).replace('~', '~0').replace('/', '~1')}" for part in error.absolute_path)
        findings.append(ResponseFinding(pointer, error.message))
    return findings
