"""The steps every API request goes through, in the order of decision D16.

auth (401) → rate limit and API quota (429) → JSON (400 BAD_REQUEST) → schema
(400 VALIDATION_ERROR); the views then apply plan checks (403), lookups (404),
template context and rendering (400) and the outbound quota (429).
"""

from __future__ import annotations

from flask import g, request

from mock_server.context import store
from mock_server.errors import ERROR_STATUS, ApiError

# Mock-only: a request carrying this header gets the named documented error (see control.py).
MOCK_ERROR_HEADER = "X-Mock-Error"


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
