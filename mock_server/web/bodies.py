"""Request bodies: JSON as MsgFlash reads it, values that can be stored, the declared schema.

Step 3 of the pipeline, in the order of decision D16: JSON (400 BAD_REQUEST), what cannot be stored
(400 VALIDATION_ERROR, MFL009), then the schema the view declares (400 VALIDATION_ERROR).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from flask import Request

from mock_server.state.errors import ERROR_STATUS, ApiError
from mock_server.web.operations import ViewDeclaration
from msgflash_lint import api

MAX_BODY_BYTES = 2 * 1024 * 1024  # the linter reads files of the same size at most


def request_body(request: Request, declared: ViewDeclaration) -> dict:
    """The request's JSON object, checked against the schema the view declares."""
    raw = request.get_data(cache=True)
    if declared.body_optional and not raw.strip():
        data: object = {}
    else:
        if request.mimetype != "application/json":
            raise ApiError("BAD_REQUEST", "Content-Type must be application/json")
        try:
            text = raw.decode("utf-8")
            data = api.parse_body(text)
        except UnicodeDecodeError:
            raise ApiError("BAD_REQUEST", "Malformed JSON body: not UTF-8") from None
        except api.BodyError as error:
            raise ApiError("BAD_REQUEST", f"Malformed JSON body: {error}") from None
        # What cannot be stored and served back is refused before anything keeps it (MFL009).
        problem = api.storage_problem(data, text)
        if problem is not None:
            raise ApiError("VALIDATION_ERROR", problem.message, api.error_details([problem]))
    if declared.body is not None:
        check_contract(declared.body, data)
    if not isinstance(data, dict):
        raise ApiError("VALIDATION_ERROR", "The body must be a JSON object",
                       [{"field": "", "message": "The body must be a JSON object"}])
    if declared.mock_body is not None and not declared.checked_by_view:
        check_mock_body(declared.mock_body, data)
    return data


def check_contract(kind: str, data) -> None:
    """VALIDATION_ERROR unless `data` meets schemas/<kind>.schema.json (warnings do not count)."""
    errors = [finding for finding in api.check_payload(kind, data) if finding.is_error]
    if errors:
        raise ApiError("VALIDATION_ERROR", errors[0].message, api.error_details(errors))


@cache
def mock_body_schema(name: str) -> dict:
    """A control route's body schema (mock_server/control/schemas/<name>.schema.json), its list of
    error codes filled from the contract's: the one list of documented codes."""
    schema = json.loads(resources.files("mock_server.control").joinpath("schemas", f"{name}.schema.json")
                        .read_text(encoding="utf-8"))
    if "errorCode" in schema.get("$defs", {}):
        schema["$defs"]["errorCode"]["enum"] = sorted(ERROR_STATUS)
        statuses = "; ".join(f"{code} {status}" for code, status in sorted(ERROR_STATUS.items()))
        schema["$defs"]["errorCode"]["description"] = (
            "A documented error code, answered with its documented status (the same for a fault rule and for "
            f"the mock-only X-Mock-Error header): {statuses}.")
    return schema


@cache
def _mock_validator(name: str):
    from jsonschema import Draft202012Validator

    return Draft202012Validator(mock_body_schema(name))


def check_mock_body(name: str, data: dict) -> None:
    """VALIDATION_ERROR unless `data` meets the control route's schema, worded by the schema's own
    `x-msgflash-message` for the first member that fails (in the order the schema lists them)."""
    validator = _mock_validator(name)
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    members = list(validator.schema.get("properties", {}))
    fields = [_member(error, data) for error in errors]
    field = min(fields, key=lambda f: members.index(f) if f in members else len(members))
    described = validator.schema["properties"][field] if field in members else validator.schema
    message = described.get("x-msgflash-message", "the body does not meet its schema")
    message = message.replace("{value!r}", repr(data.get(field)) if field else "")
    field = field or described.get("x-msgflash-field", "")
    raise ApiError("VALIDATION_ERROR", message,
                   [{"field": field, "message": described.get("x-msgflash-detail", message)}])


def _member(error, data: dict) -> str | None:
    """The top-level member an error is about (a missing required one too); None for the whole body."""
    if error.absolute_path:
        return str(error.absolute_path[0])
    if error.validator == "required":
        return next((name for name in error.validator_value if name not in data), None)
    return None


def invalid(field: str, message: str) -> ApiError:
    return ApiError("VALIDATION_ERROR", message, [{"field": field, "message": message}])
