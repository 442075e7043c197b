"""Request bodies: JSON as MsgFlash reads it, values that can be stored, the declared schema.

Step 3 of the pipeline, in the order of decision D16: JSON (400 BAD_REQUEST), what cannot be stored
(400 VALIDATION_ERROR, MFL009), then the schema the view declares (400 VALIDATION_ERROR).
"""

from __future__ import annotations

from flask import Request

from mock_server.state.errors import ApiError
from mock_server.web.operations import Operation
from msgflash_lint import api

MAX_BODY_BYTES = 2 * 1024 * 1024  # the linter reads files of the same size at most


def request_body(request: Request, declared: Operation) -> dict:
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
    return data


def check_contract(kind: str, data) -> None:
    """VALIDATION_ERROR unless `data` meets schemas/<kind>.schema.json (warnings do not count)."""
    errors = [finding for finding in api.check_payload(kind, data) if finding.is_error]
    if errors:
        raise ApiError("VALIDATION_ERROR", errors[0].message, api.error_details(errors))


def invalid(field: str, message: str) -> ApiError:
    return ApiError("VALIDATION_ERROR", message, [{"field": field, "message": message}])
