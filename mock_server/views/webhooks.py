"""Webhook endpoints: list, create (the secret is shown once), delete."""

from __future__ import annotations

from flask import Blueprint, jsonify

from mock_server.bodies import invalid, json_body
from mock_server.context import account, store
from mock_server.errors import ApiError
from mock_server.operations import answer, operation
from mock_server.webhooks import url_problem

bp = Blueprint("webhooks", __name__)


def webhook_json(webhook: dict) -> dict:
    return {key: webhook[key] for key in ("id", "url", "events", "active", "createdAt", "updatedAt")}


@bp.get("/webhooks")
def list_webhooks():
    with store().lock:
        return jsonify({"data": [webhook_json(w) for w in account().webhooks.values()]})


@bp.post("/webhooks")
@operation(body="webhook", status=201)
def create_webhook():
    payload = json_body()
    problem = url_problem(payload["url"])
    if problem is not None:
        raise invalid("url", problem)
    with store().lock:
        if not account().features.get("webhooks"):
            raise ApiError("WEBHOOKS_NOT_AVAILABLE_ON_PLAN")
        cap = account().limits.get("maxWebhookEndpoints")
        if cap is not None and len(account().webhooks) >= cap:
            raise ApiError("MAX_WEBHOOK_ENDPOINTS_REACHED")
        now = store().now_iso()
        webhook = {"id": store().new_id(), "url": payload["url"], "events": payload["events"], "active": True,
                   "secret": f"{store().random_bits(256):064x}", "createdAt": now, "updatedAt": now}
        account().webhooks[webhook["id"]] = webhook
        # Decision D13: both `active` and `createdAt`; the secret only in this answer.
        return answer({"data": {**webhook_json(webhook), "secret": webhook["secret"]}})


@bp.delete("/webhooks/<webhook_id>")
def delete_webhook(webhook_id: str):
    with store().lock:
        webhook = account().find("webhooks", webhook_id)
        del account().webhooks[webhook["id"]]
        return jsonify({"data": {"deleted": True}})
