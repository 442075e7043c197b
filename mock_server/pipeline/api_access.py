"""The steps that admit a call to the MsgFlash API (/api/v1/): who calls, and whether they may now.

mock_server/pipeline/steps.py calls them in the order of decision D16: the key (401), the team
context (401, 403), a fault rule (mock-only), the rate limit and the monthly API quota (429),
then (after the work the clock made due) an error forced with the mock-only X-Mock-Error header.
"""

from __future__ import annotations

import time

from flask import Request

from mock_server.control.faults import Decision
from mock_server.pipeline.responder import Dropped
from mock_server.state.errors import ERROR_STATUS, ApiError
from mock_server.state.store import Account, Store
from mock_server.web.operations import ViewDeclaration

# Mock-only: a request carrying this header gets the named documented error (docs/control-api.md).
MOCK_ERROR_HEADER = "X-Mock-Error"
TEAM_HEADER = "X-Team-Id"


def authenticate(store: Store, request: Request) -> Account:
    """The account whose key the request carries (401 UNAUTHORIZED without one)."""
    found = store.account_for_key(request.headers.get("x-api-key"))
    if found is None:
        raise ApiError("UNAUTHORIZED")
    return found


def check_rate_limit(store: Store, found: Account) -> None:
    """The sliding one-second window of the account's keys (429 API_RATE_LIMIT_EXCEEDED); the
    monthly counters first follow the mock's clock into a new month, if it has moved there."""
    now = store.clock.time()
    found.usage.roll_over(now)
    if not store.allow_request(found, now):
        raise ApiError("API_RATE_LIMIT_EXCEEDED", headers={"Retry-After": "1"})


def count_api_request(found: Account) -> None:
    """The monthly API request quota (429 MONTHLY_API_REQUEST_QUOTA_EXCEEDED), then this request counts."""
    quota = found.limits.get("monthlyApiRequestQuota")
    if quota is not None and found.usage.api_requests >= quota:
        raise ApiError("MONTHLY_API_REQUEST_QUOTA_EXCEEDED")
    found.usage.api_requests += 1


def force_error(request: Request) -> None:
    """Mock-only: the documented error the X-Mock-Error header names, if any."""
    forced = request.headers.get(MOCK_ERROR_HEADER)
    if forced:
        raise _forced_error(forced.strip())


def check_team_context(request: Request, found: Account, operation: ViewDeclaration) -> None:
    """Team keys and X-Team-Id (team-context page), right after the key itself is known."""
    team_header = request.headers.get(TEAM_HEADER)
    if found.team is not None:
        # A team key without its team's id fails like an invalid key: 401, same message.
        if (team_header or "").strip().lower() != found.team["id"]:
            raise ApiError("UNAUTHORIZED")
        if operation.personal_key:
            raise ApiError("TEAM_KEY_NOT_ALLOWED", f"{request.path} needs a personal API key (msgf_live_…)")
    elif team_header is not None and operation.personal_key is None:
        raise ApiError("TEAM_KEY_REQUIRED", "A personal API key must not send X-Team-Id: use a team key "
                                            "(msgf_team_…) for the team's workspace")


def apply_fault(request: Request, fault: Decision | None) -> None:
    """A matching /_mock/faults rule: wait, then answer its error or drop the connection."""
    if fault is None:
        return
    if fault.delay_seconds:
        time.sleep(fault.delay_seconds)  # wall time, whatever the mock's clock says
    if fault.drop:
        raise Dropped()
    if fault.error:
        raise ApiError(fault.error, fault.message or f"Simulated by the mock server (fault rule on {request.path})",
                       headers=_retry_after(fault.error))


def _forced_error(code: str) -> ApiError:
    if code in ERROR_STATUS:
        return ApiError(code, f"Simulated by the mock server ({MOCK_ERROR_HEADER}: {code})", headers=_retry_after(code))
    return ApiError("BAD_REQUEST", f"{MOCK_ERROR_HEADER}: {code!r} is not a documented error code; valid codes: "
                    + ", ".join(sorted(ERROR_STATUS)))


def _retry_after(code: str) -> dict | None:
    return {"Retry-After": "1"} if code == "API_RATE_LIMIT_EXCEEDED" else None
