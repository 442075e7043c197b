"""Webhook endpoints: list, create (the secret is shown once), delete."""

from __future__ import annotations

from flask import Blueprint, jsonify

from mock_server import endpoints
from mock_server.bodies import json_body
from mock_server.context import account, store
from mock_server.operations import answer, operation

bp = Blueprint("webhooks", __name__)


@bp.get("/webhooks")
def list_webhooks():
    with store().lock:
        return jsonify({"data": [endpoints.webhook_json(w) for w in account().webhooks.values()]})


@bp.post("/webhooks")
@operation(body="webhook", status=201)
def create_webhook():
    payload = json_body()
    with store().lock:
        return answer({"data": endpoints.created_json(endpoints.create(store(), account(), payload))})


@bp.delete("/webhooks/<webhook_id>")
def delete_webhook(webhook_id: str):
    with store().lock:
        del account().webhooks[account().find("webhooks", webhook_id)["id"]]
        return jsonify({"data": {"deleted": True}})
