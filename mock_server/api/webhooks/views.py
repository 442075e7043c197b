"""Webhook endpoints: list, create (the secret is shown once), delete."""

from __future__ import annotations

from flask import Blueprint

import mock_server.api.webhooks.models as endpoints
from mock_server.web.context import account, store
from mock_server.web.operations import operation

bp = Blueprint("webhooks", __name__)


@bp.get("/webhooks")
def list_webhooks():
    with store().lock:
        return [webhook.to_json() for webhook in account().webhooks.values()]


@bp.post("/webhooks")
@operation(body="webhook", status=201)
def create_webhook(body: dict):
    with store().lock:
        return endpoints.created_json(endpoints.create(store(), account(), body))


@bp.delete("/webhooks/<webhook_id>")
def delete_webhook(webhook_id: str):
    with store().lock:
        del account().webhooks[account().find("webhooks", webhook_id).id]
        return {"deleted": True}
