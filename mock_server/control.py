"""Mock-only control API under /_mock/ — not part of MsgFlash, no API key needed.

POST /_mock/reset                      back to the fixture state (messages, campaigns, webhooks,
                                       deliveries and counters cleared)
POST /_mock/messages/{id}/advance      queued → sent → delivered → read, or {"status": "failed"}
GET  /_mock/webhook-deliveries         every webhook delivery, in order, newest 1000
POST /_mock/campaigns/{id}/start       start a scheduled campaign now instead of at its `schedule`

Every control route refuses (403 FORBIDDEN) a request whose Origin or Host is not loopback,
and (400 BAD_REQUEST) a POST whose Content-Type is set and is not application/json.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from mock_server.bodies import json_body
from mock_server.context import dispatcher, store
from mock_server.errors import ApiError
from mock_server.loopback import host_of_header, is_loopback_host, is_loopback_url
from mock_server.operations import operation
from mock_server.store import FAILED, MESSAGE_FLOW, public

bp = Blueprint("mock_control", __name__)


@bp.before_request
def refuse_foreign_callers() -> None:
    """A web page open in the developer's browser must not reset or drive a running mock.

    Cross-site requests carry their page's Origin; DNS rebinding carries the attacker's host
    name in Host; a cross-site form cannot send `application/json` without a preflight.
    """
    origin = request.headers.get("Origin")
    if origin is not None and not is_loopback_url(origin):
        raise ApiError("FORBIDDEN", f"The mock's control API answers only pages served from loopback, not {origin!r}")
    if not is_loopback_host(host_of_header(request.host)):
        raise ApiError("FORBIDDEN", "The mock's control API answers only requests addressed to localhost "
                                    "or a loopback address")
    if request.method == "POST" and request.mimetype and request.mimetype != "application/json":
        raise ApiError("BAD_REQUEST", "Content-Type must be application/json")


@bp.post("/reset")
def reset():
    store().reset()
    dispatcher().clear()
    return jsonify({"data": {"reset": True}})


@bp.post("/messages/<message_id>/advance")
@operation(body_optional=True)
def advance(message_id: str):
    body = json_body()
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
        return jsonify({"data": public(message)})


@bp.get("/webhook-deliveries")
def webhook_deliveries():
    return jsonify({"data": dispatcher().deliveries()})


@bp.post("/campaigns/<campaign_id>/start")
def start_campaign(campaign_id: str):
    from mock_server import campaigns

    with store().lock:
        for account in store().accounts:
            campaign = account.campaigns.get(campaign_id.lower())
            if campaign is not None:
                if campaign["status"] != "scheduled":
                    raise ApiError("CONFLICT", f"Only a scheduled campaign can be started; this one is "
                                               f"`{campaign['status']}`")
                campaigns.process_due(store(), account, force=campaign["id"])
                return jsonify({"data": campaigns.stats_json(account, campaign)})
    raise ApiError("NOT_FOUND", "Campaign not found")
