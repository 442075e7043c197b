"""The steps every API request goes through, in the order of decision D16.

auth (401) → rate limit and API quota (429) → JSON (400 BAD_REQUEST) → schema
(400 VALIDATION_ERROR); the views then apply plan checks (403), lookups (404),
template context and rendering (400) and the outbound quota (429).
"""

from __future__ import annotations

import base64
import binascii

from flask import current_app, g, request

from mock_server.errors import ERROR_STATUS, ApiError
from mock_server.store import Account, Store
from msgflash_lint import api

# Mock-only: a request carrying this header gets the named documented error (see control.py).
MOCK_ERROR_HEADER = "X-Mock-Error"


def store() -> Store:
    return current_app.extensions["msgflash_mock"]


def dispatcher():
    return current_app.extensions["msgflash_mock_webhooks"]


def account() -> Account:
    return g.account


def authenticate() -> None:
    """before_request of the API blueprint: the key, the limits, then work that is due."""
    found = store().account_for_key(request.headers.get("x-api-key"))
    if found is None:
        raise ApiError("UNAUTHORIZED")
    with store().lock:
        if not store().allow_request(found):
            raise ApiError("API_RATE_LIMIT_EXCEEDED", headers={"Retry-After": "1"})
        quota = found.limits.get("monthlyApiRequestQuota")
        if quota is not None and found.api_requests_used >= quota:
            raise ApiError("MONTHLY_API_REQUEST_QUOTA_EXCEEDED")
        found.api_requests_used += 1
        # Time-driven work happens here, for every route: a campaign whose `schedule` has come
        # has its messages before any answer of this account, whichever route is called.
        from mock_server import campaigns

        campaigns.process_due(store(), found)
    g.account = found
    forced = request.headers.get(MOCK_ERROR_HEADER)
    if forced:
        _forced_error(forced.strip())


def _forced_error(code: str) -> None:
    if code in ERROR_STATUS:
        raise ApiError(code, f"Simulated by the mock server ({MOCK_ERROR_HEADER}: {code})",
                       headers={"Retry-After": "1"} if code == "API_RATE_LIMIT_EXCEEDED" else None)
    raise ApiError("BAD_REQUEST", f"{MOCK_ERROR_HEADER}: {code!r} is not a documented error code; valid codes: "
                   + ", ".join(sorted(ERROR_STATUS)))


def json_body() -> dict:
    """The request's JSON object, checked against the schema the view declares (mock_server.operations)."""
    from mock_server.operations import declared_operation

    declared = declared_operation()
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


def encode_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode()


def decode_cursor(raw: str) -> list[str]:
    try:
        return base64.urlsafe_b64decode(raw.encode()).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid("cursor", "`cursor` is not a cursor this list returned") from None


def page_after(items: list[dict], cursor_tag: str, limit: int) -> dict:
    """Cursor paging over an already sorted list: the page, and nextCursor / hasMore."""
    start = 0
    raw = request.args.get("cursor")
    if raw:
        parts = decode_cursor(raw)
        if len(parts) != 2 or parts[0] != cursor_tag:
            raise invalid("cursor", "`cursor` is not a cursor of this list and sort order")
        ids = [item["id"] for item in items]
        if parts[1] not in ids:
            raise invalid("cursor", "`cursor` points at an item that no longer exists")
        start = ids.index(parts[1]) + 1
    page = items[start:start + limit]
    has_more = start + limit < len(items)
    return {"page": page, "nextCursor": encode_cursor(cursor_tag, page[-1]["id"]) if has_more and page else None,
            "hasMore": has_more}


def public(record: dict) -> dict:
    """A stored record without its internal `_` keys."""
    return {key: value for key, value in record.items() if not key.startswith("_")}
