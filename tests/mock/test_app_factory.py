"""create_app: each app its own state, no thread until it needs one."""

from __future__ import annotations

import threading

from mock_server import create_app
from tests.mock.conftest import ALPHA, INSTANCE


def test_each_app_has_its_own_state() -> None:
    first, second = create_app().test_client(), create_app().test_client()
    body = {"instanceId": INSTANCE, "to": "+33612345678", "type": "text", "text": "x"}
    assert first.post("/api/v1/messages/send", json=body, headers={"x-api-key": ALPHA}).status_code == 201
    assert first.get("/api/v1/messages", headers={"x-api-key": ALPHA}).json["data"]["messages"]
    assert second.get("/api/v1/messages", headers={"x-api-key": ALPHA}).json["data"]["messages"] == []


def test_apps_start_no_thread_until_they_deliver() -> None:
    before = threading.active_count()
    apps = [create_app() for _ in range(20)]
    assert threading.active_count() == before
    for app in apps:
        app.extensions["msgflash_mock_webhooks"].close()
