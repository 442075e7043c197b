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

import difflib

from flask import Blueprint, current_app

from mock_server.control.journal import JOURNAL_SIZE
from mock_server.control.state import controls
from mock_server.state.clock import OutOfRange
from mock_server.state.errors import ApiError
from mock_server.state.store import MESSAGE_FLOW, parse_timestamp
from mock_server.web.bodies import invalid
from mock_server.web.context import dispatcher, store
from mock_server.web.operations import operation
from mock_server.web.queries import Query, takes

bp = Blueprint("mock_control", __name__)


@bp.post("/reset")
@operation(mock_answer="reset")
def reset():
    store().reset()
    controls().clear()
    dispatcher().clear()
    return {"reset": True}


@bp.post("/messages/<message_id>/advance")
@operation(body_optional=True, mock_body="message-advance", answer="message")
def advance(message_id: str, body: dict):
    target = body.get("status")
    with store().lock:
        found = store().find_message(message_id)
        if found is None:
            raise ApiError("NOT_FOUND", "Message not found")
        account, message = found
        store().advance(account, message, target)
        return message.to_json()


@bp.get("/webhook-deliveries")
@operation(mock_answer="deliveries")
def webhook_deliveries():
    return dispatcher().deliveries()


@bp.post("/campaigns/<campaign_id>/start")
@operation(answer="campaignStats")
def start_campaign(campaign_id: str):
    import mock_server.api.campaigns.models as campaigns

    with store().lock:
        for account in store().accounts:
            campaign = account.campaigns.get(campaign_id.lower())
            if campaign is not None:
                if campaign.status != "scheduled":
                    raise ApiError("CONFLICT", f"Only a scheduled campaign can be started; this one is "
                                               f"`{campaign.status}`")
                campaigns.process_due(store(), account, force=campaign.id)
                return campaigns.stats_json(account, campaign)
    raise ApiError("NOT_FOUND", "Campaign not found")


@bp.get("/clock")
@operation(mock_answer="clock")
def clock_state():
    return store().clock.state()


@bp.post("/clock")
@operation(body_optional=True, mock_body="clock", mock_answer="clock")
def set_clock(body: dict):
    freeze, at = body.get("freeze", True), body.get("at")
    moment = None
    if at is not None:  # the schema knows a string; whether it names an instant, only parsing tells
        moment = parse_timestamp(at)
        if moment is None or not freeze:
            raise ApiError("VALIDATION_ERROR", "`at` must be an ISO 8601 timestamp, given with `freeze: true`",
                           [{"field": "at", "message": "not a timestamp"}])
    with store().lock:
        if freeze:
            try:
                store().clock.freeze(moment)
            except OutOfRange as error:
                raise invalid("at", f"`at` is out of range: {error}") from None
        else:
            store().clock.resume()
        _run_due()
        return store().clock.state()


@bp.post("/clock/advance")
@operation(body_optional=True, mock_body="clock-advance", mock_answer="clock")
def advance_clock(body: dict):
    with store().lock:
        try:
            store().clock.advance(body["seconds"])
        except OutOfRange as error:
            raise invalid("seconds", f"`seconds` would move the clock out of its range: {error}") from None
        _run_due()
        return store().clock.state()


def _run_due() -> None:
    from mock_server.api.due_work import run_due_work

    for account in store().accounts:
        run_due_work(store(), account)


_JOURNAL_METHOD = Query("method", {"type": "string", "minLength": 1, "maxLength": 10,
                                    "description": "Only requests with this method (any case)."})
_JOURNAL_PATH = Query("path", {"type": "string", "minLength": 1, "maxLength": 2048,
                               "description": "Only requests to this path, or to this route (`/api/v1/messages/{id}`)."})
_JOURNAL_STATUS = Query("status", {"type": "integer", "minimum": 0, "maximum": 599,
                                   "description": "Only requests answered with this status (0: a dropped connection)."})
_JOURNAL_LIMIT = Query("limit", {"type": "integer", "minimum": 1, "maximum": JOURNAL_SIZE,
                                 "description": "Only the newest this many (after the other filters)."})


@bp.get("/requests")
@operation(mock_answer="requests")
@takes(_JOURNAL_METHOD, _JOURNAL_PATH, _JOURNAL_STATUS, _JOURNAL_LIMIT)
def journal():
    """The API requests the mock answered, oldest first (newest 1000), keys and secrets redacted."""
    return controls().journal.entries(method=_JOURNAL_METHOD.read(), path=_JOURNAL_PATH.read(),
                                      status=_JOURNAL_STATUS.read(), limit=_JOURNAL_LIMIT.read())


@bp.get("/faults")
@operation(mock_answer="faults")
def list_faults():
    return [fault.json() for fault in controls().faults.rules()]


@bp.post("/faults")
@operation(body_optional=True, status=201, mock_body="fault", mock_answer="fault")
def add_fault(body: dict):
    from mock_server.control.faults import DropConnection, effect_of

    method, path = body["route"].strip().split(None, 1)
    method = method.upper()
    problem = _route_problem(method, path)
    if problem is not None:
        raise invalid("route", problem)
    effect = effect_of(body)
    if isinstance(effect, DropConnection) and not current_app.config.get("MSGFLASH_MOCK_CAN_DROP", True):
        raise invalid("drop", "`drop` needs the default server: granian answers a broken request with a 500, "
                              "it cannot close a connection unanswered (serve --server waitress)")
    api_key = body.get("apiKey")
    account = store().account_for_key(api_key) if api_key is not None else None
    if api_key is not None and account is None:
        raise invalid("apiKey", "`apiKey` is not a key of the fixtures")
    fault = controls().faults.add(method=method, route=path, effect=effect,
                                  latency_ms=float(body.get("latencyMs", 0)), jitter_ms=float(body.get("jitterMs", 0)),
                                  account=account, api_key=api_key, times=body.get("times"),
                                  share=float(body.get("share", 1.0)), seed=body.get("seed", 0))
    return fault.json()


def _route_problem(method: str, path: str) -> str | None:
    """Why a fault's route can never match (a typo would make a test pass without its fault), or
    None: it names an API route of the mock (`{id}` segments allowed) or a path one matches."""
    from werkzeug.exceptions import HTTPException

    from msgflash_lint import api

    routes = sorted({(m, api.route_key(rule.rule)) for rule in current_app.url_map.iter_rules()
                     if rule.rule.startswith("/api/") for m in rule.methods - {"HEAD", "OPTIONS"}})
    key = api.route_key(path)
    if any(key == route and method in ("*", m) for m, route in routes):
        return None
    adapter = current_app.url_map.bind("localhost")
    for candidate in sorted({m for m, _ in routes}) if method == "*" else [method]:
        try:
            if adapter.match(path, method=candidate)[0].startswith("api."):
                return None
        except HTTPException:
            continue
    shown = [f"{m} {route}" for m, route in routes]
    close = difflib.get_close_matches(f"{method} {key}", shown, n=1, cutoff=0.6)
    return (f"`route` {method} {path} is no route of the mock, so the fault would never apply"
            + (f"; did you mean `{close[0]}`?" if close else "; GET /openapi.json lists the routes"))


@bp.delete("/faults")
@operation(mock_answer="cleared")
def clear_faults():
    controls().faults.clear()
    return {"cleared": True}


@bp.post("/accounts")
@operation(body_optional=True, mock_body="accounts", checked_by_view=True, mock_answer="account")
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
@operation(mock_answer="lifecycle")
def lifecycle_state():
    return store().lifecycle


@bp.post("/lifecycle")
@operation(body_optional=True, mock_body="lifecycle", mock_answer="lifecycle")
def set_lifecycle(body: dict):
    """Messages move on by themselves: seconds after they go out, to each named status (null: off)."""
    delays = {status: float(body[status]) for status in MESSAGE_FLOW[1:] if body.get(status) is not None}
    if list(delays.values()) != sorted(delays.values()):
        raise invalid("delivered", "the delays must not decrease along sent → delivered → read")
    with store().lock:
        store().lifecycle = delays or None
        return store().lifecycle
