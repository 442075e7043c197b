"""The steps every API request goes through, in the order of decision D16.

auth (401, then team keys' 403s) → rate limit and API quota (429) → JSON (400 BAD_REQUEST) → schema
(400 VALIDATION_ERROR); the views then apply plan checks (403), lookups (404),
template context and rendering (400) and the outbound quota (429).
"""

from __future__ import annotations

import time

from flask import g, request

from mock_server import campaigns, jobs, lookups, messaging
from mock_server.context import store
from mock_server.errors import ERROR_STATUS, ApiError
from mock_server.operations import declared_operation
from mock_server.store import Account, Store

# Mock-only: a request carrying this header gets the named documented error (see control.py).
MOCK_ERROR_HEADER = "X-Mock-Error"
TEAM_HEADER = "X-Team-Id"


def authenticate() -> None:
    """before_request of the API blueprint: the key, the limits, then work that is due."""
    current, mock = request._get_current_object(), store()  # proxies resolved once per request
    key = current.headers.get("x-api-key")
    found = mock.account_for_key(key)
    if found is None:
        raise ApiError("UNAUTHORIZED")
    check_team_context(found)
    fault = mock.faults.decide(current.method, current.path, found)
    if fault is not None:
        apply_fault(fault)
    with mock.lock:
        now = mock.clock.time()
        found.usage.roll_over(now)  # monthly quotas follow the mock's clock
        if not mock.allow_request(found, now):
            raise ApiError("API_RATE_LIMIT_EXCEEDED", headers={"Retry-After": "1"})
        quota = found.limits.get("monthlyApiRequestQuota")
        if quota is not None and found.usage.api_requests >= quota:
            raise ApiError("MONTHLY_API_REQUEST_QUOTA_EXCEEDED")
        found.usage.api_requests += 1
        run_due_work(mock, found)
    g.account = found
    forced = current.headers.get(MOCK_ERROR_HEADER)
    if forced:
        _forced_error(forced.strip())


def run_due_work(current: Store, found: Account) -> None:
    """Time-driven work, for every route: whatever the mock's clock has made due (scheduled
    messages, a campaign whose `schedule` has come, bulk jobs and lookups that progress) is
    done before any answer of this account, whichever route is called."""
    messaging.send_due(current, found)
    messaging.progress_due(current, found)
    campaigns.process_due(current, found)
    jobs.work_due(current, found)
    lookups.work_due(current, found)


def apply_fault(fault) -> None:
    """A matching /_mock/faults rule: wait, then answer its error or drop the connection."""
    if fault.delay_seconds:
        time.sleep(fault.delay_seconds)  # wall time, whatever the mock's clock says
    if fault.drop:
        from mock_server.faults import DROP_FLAG

        request.environ[DROP_FLAG] = True  # mock_server.faults.drop_connections sends nothing
        raise ApiError("INTERNAL_ERROR", "connection dropped (mock-only fault)")
    if fault.error:
        raise ApiError(fault.error, fault.message or f"Simulated by the mock server (fault rule on {request.path})",
                       headers={"Retry-After": "1"} if fault.error == "API_RATE_LIMIT_EXCEEDED" else None)


def check_team_context(found: Account) -> None:
    """Team keys and X-Team-Id (team-context page), right after the key itself is known."""
    team_header = request.headers.get(TEAM_HEADER)
    personal_key = declared_operation().personal_key
    if found.team is not None:
        # A team key without its team's id fails like an invalid key: 401, same message.
        if (team_header or "").strip().lower() != found.team["id"]:
            raise ApiError("UNAUTHORIZED")
        if personal_key:
            raise ApiError("TEAM_KEY_NOT_ALLOWED", f"{request.path} needs a personal API key (msgf_live_…)")
    elif team_header is not None and personal_key is None:
        raise ApiError("TEAM_KEY_REQUIRED", "A personal API key must not send X-Team-Id: use a team key "
                                            "(msgf_team_…) for the team's workspace")


def _forced_error(code: str) -> None:
    if code in ERROR_STATUS:
        raise ApiError(code, f"Simulated by the mock server ({MOCK_ERROR_HEADER}: {code})",
                       headers={"Retry-After": "1"} if code == "API_RATE_LIMIT_EXCEEDED" else None)
    raise ApiError("BAD_REQUEST", f"{MOCK_ERROR_HEADER}: {code!r} is not a documented error code; valid codes: "
                   + ", ".join(sorted(ERROR_STATUS)))
