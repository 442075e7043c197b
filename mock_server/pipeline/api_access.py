"""Step 2 for the MsgFlash API (/api/v1/): who calls, whether they may now, and what is due first.

In the order of decision D16: the key (401), the team context (401, 403), a fault rule
(mock-only), the rate limit and the monthly API quota (429), the work the mock's clock made
due, and an error forced with the mock-only X-Mock-Error header.
"""

from __future__ import annotations

import time

from flask import Request

from mock_server.api.due_work import run_due_work
from mock_server.control.faults import Decision
from mock_server.pipeline.responder import Dropped
from mock_server.state.errors import ERROR_STATUS, ApiError
from mock_server.state.store import Account, Store
from mock_server.web.operations import Operation

# Mock-only: a request carrying this header gets the named documented error (docs/control-api.md).
MOCK_ERROR_HEADER = "X-Mock-Error"
TEAM_HEADER = "X-Team-Id"


def admit(store: Store, faults, request: Request, operation: Operation) -> Account:
    """The caller's account, once every check of step 2 let the request through."""
    found = store.account_for_key(request.headers.get("x-api-key"))
    if found is None:
        raise ApiError("UNAUTHORIZED")
    check_team_context(request, found, operation)
    fault = faults.decide(request.method, request.path, found)
    if fault is not None:
        apply_fault(request, fault)
    with store.lock:
        now = store.clock.time()
        found.usage.roll_over(now)  # monthly quotas follow the mock's clock
        if not store.allow_request(found, now):
            raise ApiError("API_RATE_LIMIT_EXCEEDED", headers={"Retry-After": "1"})
        quota = found.limits.get("monthlyApiRequestQuota")
        if quota is not None and found.usage.api_requests >= quota:
            raise ApiError("MONTHLY_API_REQUEST_QUOTA_EXCEEDED")
        found.usage.api_requests += 1
        run_due_work(store, found)
    forced = request.headers.get(MOCK_ERROR_HEADER)
    if forced:
        raise _forced_error(forced.strip())
    return found


def check_team_context(request: Request, found: Account, operation: Operation) -> None:
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


def apply_fault(request: Request, fault: Decision) -> None:
    """A matching /_mock/faults rule: wait, then answer its error or drop the connection."""
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
