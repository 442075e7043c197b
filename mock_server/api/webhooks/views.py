"""Webhook endpoints: list, create (the secret is shown once), delete."""

from __future__ import annotations

from flask import Blueprint, current_app, request

import mock_server.api.webhooks.models as endpoints
from mock_server.state.errors import ApiError
from mock_server.web.context import account, store
from mock_server.web.loopback import host_of_header, is_loopback_host, is_loopback_url
from mock_server.web.operations import operation

# `serve --allow-host NAME`: Host names besides loopback ones that may register loopback endpoints.
ALLOWED_HOSTS = "MSGFLASH_MOCK_ALLOWED_HOSTS"

bp = Blueprint("webhooks", __name__)


@bp.get("/webhooks")
def list_webhooks():
    with store().lock:
        return [webhook.to_json() for webhook in account().webhooks.values()]


@bp.post("/webhooks")
@operation(body="webhook", status=201)
def create_webhook(body: dict):
    if isinstance(body.get("url"), str) and is_loopback_url(body["url"]):
        _refuse_rebound_callers()
    with store().lock:
        return endpoints.created_json(endpoints.create(store(), account(), body))


@bp.delete("/webhooks/<webhook_id>")
def delete_webhook(webhook_id: str):
    with store().lock:
        del account().webhooks[account().find("webhooks", webhook_id).id]
        return {"deleted": True}


def _refuse_rebound_callers() -> None:
    """A loopback endpoint makes the mock POST to this machine: only a caller that addressed the mock
    by a loopback name (or a name `serve --allow-host` lists) may register one. A web page that
    rebinds its own host name to 127.0.0.1 sends that name in Host, and is refused (mock-only)."""
    host = host_of_header(request.host)
    if is_loopback_host(host) or (host or "").lower() in current_app.config.get(ALLOWED_HOSTS, ()):
        return
    raise ApiError("FORBIDDEN", f"A webhook to this machine can only be registered by a request addressed to "
                                f"localhost or a loopback address, not {host!r} (mock-only rule; "
                                "`msgflash-mock serve --allow-host NAME` allows a name)")
