"""Mock-only control API under /_mock/ — not part of MsgFlash, no API key needed.

POST /_mock/reset                      back to the fixture state (messages, campaigns, webhooks,
                                       deliveries and counters cleared)
POST /_mock/messages/{id}/advance      queued → sent → delivered → read, or {"status": "failed"}
GET  /_mock/webhook-deliveries         every webhook delivery, in order, newest 1000
POST /_mock/campaigns/{id}/start       start a scheduled campaign now instead of at its `schedule`
GET  /_mock/requests                   the request journal: ?method=&path=&status=&limit=
GET, POST, DELETE /_mock/faults        fault rules: list, add one, clear them all
POST /_mock/accounts                   {"apiKey"?, ...fixture fields}: change one account until reset
GET, POST /_mock/lifecycle             automatic message lifecycle: {"sent": s, "delivered": s, "read": s}
GET  /_mock/clock                      the mock's time: {"now", "frozen"}
POST /_mock/clock                      {"freeze": true, "at": "<ISO 8601>"?} stops time (at `at`);
                                       {"freeze": false} lets it run again from where it stands
POST /_mock/clock/advance              {"seconds": n}: moves time forward and runs what fell due
                                       (scheduled messages, campaign starts, bulk jobs, lookups)

Every control route refuses (403 FORBIDDEN) a request whose Origin or Host is not loopback,
and (400 BAD_REQUEST) a POST whose Content-Type is set and is not application/json.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from mock_server.control.state import controls
from mock_server.state.errors import ApiError
from mock_server.state.store import FAILED, MESSAGE_FLOW, parse_timestamp, public
from mock_server.web.bodies import invalid
from mock_server.web.context import dispatcher, store
from mock_server.web.operations import operation

bp = Blueprint("mock_control", __name__)


@bp.post("/reset")
def reset():
    store().reset()
    controls().clear()
    dispatcher().clear()
    return {"reset": True}


@bp.post("/messages/<message_id>/advance")
@operation(body_optional=True)
def advance(message_id: str, body: dict):
    target = body.get("status")
    if target is not None and target not in (*MESSAGE_FLOW, FAILED):
        raise ApiError("VALIDATION_ERROR", f"`status` must be one of {', '.join((*MESSAGE_FLOW[1:], FAILED))}",
                       [{"field": "status", "message": "unknown status"}])
    with store().lock:
        found = store().find_message(message_id)
        if found is None:
            raise ApiError("NOT_FOUND", "Message not found")
        account, message = found
        store().advance(account, message, target)
        return public(message)


@bp.get("/webhook-deliveries")
def webhook_deliveries():
    return dispatcher().deliveries()


@bp.post("/campaigns/<campaign_id>/start")
def start_campaign(campaign_id: str):
    import mock_server.api.campaigns.models as campaigns

    with store().lock:
        for account in store().accounts:
            campaign = account.campaigns.get(campaign_id.lower())
            if campaign is not None:
                if campaign["status"] != "scheduled":
                    raise ApiError("CONFLICT", f"Only a scheduled campaign can be started; this one is "
                                               f"`{campaign['status']}`")
                campaigns.process_due(store(), account, force=campaign["id"])
                return campaigns.stats_json(account, campaign)
    raise ApiError("NOT_FOUND", "Campaign not found")


@bp.get("/clock")
def clock_state():
    return store().clock.state()


@bp.post("/clock")
@operation(body_optional=True)
def set_clock(body: dict):
    freeze, at = body.get("freeze", True), body.get("at")
    if not isinstance(freeze, bool):
        raise ApiError("VALIDATION_ERROR", "`freeze` must be true or false", [{"field": "freeze", "message": "not a boolean"}])
    moment = None
    if at is not None:
        moment = parse_timestamp(at) if isinstance(at, str) else None
        if moment is None or not freeze:
            raise ApiError("VALIDATION_ERROR", "`at` must be an ISO 8601 timestamp, given with `freeze: true`",
                           [{"field": "at", "message": "not a timestamp"}])
    with store().lock:
        if freeze:
            store().clock.freeze(moment)
        else:
            store().clock.resume()
        _run_due()
        return store().clock.state()


@bp.post("/clock/advance")
@operation(body_optional=True)
def advance_clock(body: dict):
    seconds = body.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 10 * 366 * 86400:
        raise ApiError("VALIDATION_ERROR", "`seconds` must be a number from 0 to ten years",
                       [{"field": "seconds", "message": "not a number of seconds"}])
    with store().lock:
        store().clock.advance(seconds)
        _run_due()
        return store().clock.state()


def _run_due() -> None:
    from mock_server.api.due_work import run_due_work

    for account in store().accounts:
        run_due_work(store(), account)


@bp.get("/requests")
def journal():
    """The API requests the mock answered, oldest first (newest 1000), keys and secrets redacted."""
    limit = request.args.get("limit")
    status = request.args.get("status")
    for name, raw in (("limit", limit), ("status", status)):
        if raw is not None and not (raw.isascii() and raw.isdigit() and len(raw) < 7):
            raise ApiError("VALIDATION_ERROR", f"`{name}` must be a whole number", [{"field": name, "message": "not a number"}])
    return controls().journal.entries(
        method=request.args.get("method"), path=request.args.get("path"),
        status=int(status) if status else None, limit=int(limit) if limit else None)


@bp.get("/faults")
def list_faults():
    return [fault.json() for fault in controls().faults.rules()]


@bp.post("/faults")
@operation(body_optional=True, status=201)
def add_fault(body: dict):
    from mock_server.state.errors import ERROR_STATUS

    route = body.get("route")
    if not isinstance(route, str) or " " not in route.strip():
        raise invalid("route", "`route` must be \"METHOD /api/v1/path\" (`*` for any method, `{id}` segments allowed)")
    method, path = route.strip().split(None, 1)
    spec: dict = {"method": method.upper(), "route": path}
    error = body.get("error")
    if error is not None and error not in ERROR_STATUS:
        raise invalid("error", f"`error` must be a documented error code, not {error!r}")
    spec["error"] = error
    if isinstance(body.get("message"), str):
        spec["message"] = body["message"]
    for name, key in (("latencyMs", "latency_ms"), ("jitterMs", "jitter_ms")):
        value = body.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 60000:
            raise invalid(name, f"`{name}` must be a number of milliseconds from 0 to 60000")
        spec[key] = float(value)
    times, share, seed = body.get("times"), body.get("share", 1.0), body.get("seed", 0)
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise invalid("times", "`times` must be a whole number, at least 1 (leave it out for no end)")
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise invalid("share", "`share` must be a number above 0, at most 1")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise invalid("seed", "`seed` must be a whole number")
    drop = body.get("drop", False)
    if not isinstance(drop, bool):
        raise invalid("drop", "`drop` must be true or false")
    if drop and not current_app.config.get("MSGFLASH_MOCK_CAN_DROP", True):
        raise invalid("drop", "`drop` needs the default server: granian answers a broken request with a 500, "
                              "it cannot close a connection unanswered (serve --server waitress)")
    if not (error or drop or spec["latency_ms"] or spec["jitter_ms"]):
        raise invalid("error", "a fault needs `error`, `drop` or `latencyMs`")
    api_key = body.get("apiKey")
    account = store().account_for_key(api_key) if isinstance(api_key, str) else None
    if api_key is not None and account is None:
        raise invalid("apiKey", "`apiKey` is not a key of the fixtures")
    fault = controls().faults.add(**spec, account=account, api_key=api_key, times=times, share=float(share),
                               seed=seed, drop=drop)
    return fault.json()


@bp.delete("/faults")
def clear_faults():
    controls().faults.clear()
    return {"cleared": True}


@bp.post("/accounts")
@operation(body_optional=True)
def configure_account(body: dict):
    """Change one account (by `apiKey`, else the first) for this test; the next reset undoes it."""
    from mock_server.control.accounts import configure

    body = dict(body)
    key = body.pop("apiKey", None)
    with store().lock:
        account = store().account_for_key(key) if key is not None else store().accounts[0]
        if account is None:
            raise invalid("apiKey", "`apiKey` is not a key of the fixtures")
        configure(store(), account, body)
        return {"apiKeys": list(account.api_keys), "plan": account.config["plan"],
                                 "features": account.features, "limits": account.limits,
                                 "rateLimitPerSecond": account.rate_limit}


@bp.get("/lifecycle")
def lifecycle_state():
    return store().lifecycle


@bp.post("/lifecycle")
@operation(body_optional=True)
def set_lifecycle(body: dict):
    """Messages move on by themselves: seconds after they go out, to each named status (null: off)."""
    delays = {}
    for status in MESSAGE_FLOW[1:]:
        value = body.get(status)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise invalid(status, f"`{status}` must be a number of seconds, at least 0")
        delays[status] = float(value)
    if list(delays.values()) != sorted(delays.values()):
        raise invalid("delivered", "the delays must not decrease along sent → delivered → read")
    with store().lock:
        store().lifecycle = delays or None
        return store().lifecycle
