"""Webhook endpoints an account registers: their creation rules and their JSON (no HTTP here;
delivering to them is mock_server/api/webhooks/delivery.py's job)."""

from __future__ import annotations

from mock_server.api.webhooks.delivery import url_problem
from mock_server.state.errors import ApiError
from mock_server.state.records import Webhook
from mock_server.state.store import Account, Store


def create(store: Store, account: Account, payload: dict) -> dict:
    """A new endpoint, or VALIDATION_ERROR (a URL that cannot be called), the plan's 403s."""
    problem = url_problem(payload["url"])
    if problem is not None:
        raise ApiError("VALIDATION_ERROR", problem, [{"field": "url", "message": problem}])
    if not account.features.get("webhooks"):
        raise ApiError("WEBHOOKS_NOT_AVAILABLE_ON_PLAN")
    cap = account.limits.get("maxWebhookEndpoints")
    if cap is not None and len(account.webhooks) >= cap:
        raise ApiError("MAX_WEBHOOK_ENDPOINTS_REACHED")
    now = store.now_iso()
    webhook = Webhook(id=store.new_id(), url=payload["url"], events=payload["events"], active=True, createdAt=now,
                      updatedAt=now, secret=f"{store.random_bits(256):064x}")
    account.webhooks[webhook.id] = webhook
    return webhook


def created_json(webhook: dict) -> dict:
    """Decision D13: both `active` and `createdAt`; the secret only in this answer."""
    return {**webhook.to_json(), "secret": webhook.secret}
