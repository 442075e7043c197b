"""Campaigns, signed webhooks with retries, and limits under concurrency, over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.mock.conftest import BETA, BURST, INACTIVE, INSTANCE, TIGHT, send_body

PAST, FUTURE = "2020-01-01T09:00:00.000Z", "2099-01-01T09:00:00.000Z"
VILLE = "aa000000-0000-4000-8000-000000000004"


def campaign_body(**fields) -> dict:
    return {"instanceId": INSTANCE, "name": "Avril", "schedule": FUTURE, "recipients": {"type": "all"},
            "type": "text", "body": "Découvrez nos offres", **fields}


class Receiver:
    """A webhook endpoint on 127.0.0.1 that fails its first `failures` requests."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.requests: list = []  # (headers, raw body)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))
                failing = len(receiver.requests) <= receiver.failures
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(failures: int = 0) -> Receiver:
        made.append(Receiver(failures))
        return made[-1]

    yield make
    for item in made:
        item.close()


def wait_for(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_campaign_create_answers_stats_and_safety(api) -> None:
    reply = api.post("/api/v1/campaigns", campaign_body())
    assert reply.status == 201
    data = reply.data
    assert data["status"] == "scheduled" and data["repeat"] == "none"
    assert data["stats"] == {k: 0 for k in ("planned", "queued", "sent", "delivered", "read", "failed", "cancelled")}
    safety = data["safety"]
    assert safety["decision"] in ("allow", "warn")
    assert set(safety) == {"decision", "riskLevel", "score", "state", "reasons", "recommendations",
                           "appliedLimits", "audience"}
    assert safety["audience"]["totalRecipients"] == 3
    assert api.post("/api/v1/campaigns", campaign_body()).data["safety"] == safety  # deterministic


def test_due_campaign_sends_one_message_per_recipient_and_completes(api) -> None:
    campaign = api.post("/api/v1/campaigns", campaign_body(schedule=PAST, recipients={"type": "tags", "value": ["vip"]})).data
    stats = api.get(f"/api/v1/campaigns/{campaign['id']}/stats").data
    assert stats["status"] == "running" and stats["stats"]["planned"] == 2 and stats["stats"]["queued"] == 2
    assert stats["progressPercent"] == 0 and stats["timeline"]["processingStartedAt"]
    messages = [m for m in api.get("/api/v1/messages").data["messages"] if m["campaignId"] == campaign["id"]]
    assert sorted(m["to"] for m in messages) == ["+33612345678", "+5511999999999"]
    for message in messages:
        api.post(f"/_mock/messages/{message['id']}/advance", {"status": "delivered"}, key=None)
    done = api.get(f"/api/v1/campaigns/{campaign['id']}").data
    assert done["status"] == "completed" and done["stats"]["delivered"] == 2 and done["stats"]["sent"] == 2
    assert done["stats"]["completedAt"] and "safety" not in done and done["templateVariables"] is None


def test_template_campaign_fails_only_the_recipients_it_cannot_render(api) -> None:
    body = {k: v for k, v in campaign_body(schedule=PAST, templateId=VILLE).items() if k not in ("type", "body")}
    campaign = api.post("/api/v1/campaigns", body).data
    stats = api.get(f"/api/v1/campaigns/{campaign['id']}/stats").data["stats"]
    assert (stats["planned"], stats["queued"], stats["failed"]) == (3, 2, 1)
    failed = [m for m in api.get("/api/v1/messages?status=failed").data["messages"]]
    assert failed[0]["to"] == "+5511999999999"
    assert failed[0]["error"] == "Missing template variables: contact.meta.city"
    bodies = sorted(m["body"] for m in api.get("/api/v1/messages?status=queued").data["messages"])
    assert bodies == ["Bonjour Awa de Cotonou", "Bonjour Jean de Lyon"]


def test_pause_resume_and_their_preconditions(api) -> None:
    campaign = api.post("/api/v1/campaigns", campaign_body()).data
    paused = api.post(f"/api/v1/campaigns/{campaign['id']}/pause")
    assert paused.data["status"] == "paused" and len(paused.data["stats"]) == 7
    again = api.post(f"/api/v1/campaigns/{campaign['id']}/pause")
    assert (again.status, again.error_code) == (400, "BAD_REQUEST")
    resumed = api.post(f"/api/v1/campaigns/{campaign['id']}/resume")
    assert resumed.data["status"] == "scheduled" and "stats" not in resumed.data  # the start is still ahead
    assert set(resumed.data["safety"]) == {"decision", "riskLevel", "state", "score", "reasons", "recommendations"}
    assert api.post(f"/api/v1/campaigns/{campaign['id']}/resume").error_code == "BAD_REQUEST"
    started = api.post(f"/_mock/campaigns/{campaign['id']}/start", key=None)
    assert started.data["status"] == "running" and started.data["stats"]["planned"] == 3


def test_campaign_errors(api) -> None:
    assert api.post("/api/v1/campaigns", campaign_body(body="")).error_code == "VALIDATION_ERROR"
    unknown_group = api.post("/api/v1/campaigns", campaign_body(
        recipients={"type": "group", "groupId": "11111111-2222-4333-8444-555555555555"}))
    assert (unknown_group.status, unknown_group.error_code) == (400, "VALIDATION_ERROR")
    beta = api.post("/api/v1/campaigns", campaign_body(instanceId="e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b"), key=BETA)
    assert (beta.status, beta.error_code) == (403, "CAMPAIGNS_NOT_AVAILABLE_ON_PLAN")
    buttons = campaign_body(type="buttons", title="t", description="d",
                            buttons=[{"type": "reply", "displayText": "Oui", "id": "y"}])
    buttons.pop("body")
    no_business = api.post("/api/v1/campaigns", buttons, key=TIGHT)
    assert (no_business.status, no_business.error_code) == (403, "UNSUPPORTED_FEATURE")
    assert api.post("/api/v1/campaigns", campaign_body(), key=INACTIVE).error_code == "SUBSCRIPTION_INACTIVE"
    missing_template = {k: v for k, v in campaign_body(templateId="11111111-2222-4333-8444-555555555555").items()
                        if k not in ("type", "body")}
    assert api.post("/api/v1/campaigns", missing_template).error_code == "NOT_FOUND"
    assert api.get("/api/v1/campaigns/11111111-2222-4333-8444-555555555555").error_code == "NOT_FOUND"


def test_campaign_outbound_quota(api) -> None:
    tight = send_body(instanceId="b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e", type="text", text="x")
    assert api.post("/api/v1/messages/send", tight, key=TIGHT).status == 201
    over = api.post("/api/v1/campaigns", campaign_body(instanceId="b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e"), key=TIGHT)
    assert (over.status, over.error_code) == (429, "MONTHLY_OUTBOUND_QUOTA_EXCEEDED")


def test_webhook_create_list_delete_and_errors(api) -> None:
    created = api.post("/api/v1/webhooks", {"url": "https://example.com/hook", "events": ["message.delivered"]})
    assert created.status == 201 and len(created.data["secret"]) == 64
    assert {"id", "url", "events", "active", "createdAt"} <= set(created.data)
    listed = api.get("/api/v1/webhooks").data
    assert [w["id"] for w in listed] == [created.data["id"]] and "secret" not in listed[0]
    assert api.post("/api/v1/webhooks", {"url": "http://example.com/hook", "events": ["message.read"]}).error_code == "VALIDATION_ERROR"
    assert api.post("/api/v1/webhooks", {"url": "https://x.example", "events": ["message.bounced"]}).error_code == "VALIDATION_ERROR"
    beta = api.post("/api/v1/webhooks", {"url": "https://example.com/h", "events": ["message.read"]}, key=BETA)
    assert (beta.status, beta.error_code) == (403, "WEBHOOKS_NOT_AVAILABLE_ON_PLAN")
    assert api.post("/api/v1/webhooks", {"url": "https://example.com/1", "events": ["message.read"]}, key=TIGHT).status == 201
    capped = api.post("/api/v1/webhooks", {"url": "https://example.com/2", "events": ["message.read"]}, key=TIGHT)
    assert (capped.status, capped.error_code) == (403, "MAX_WEBHOOK_ENDPOINTS_REACHED")
    assert api.call("DELETE", f"/api/v1/webhooks/{created.data['id']}").data == {"deleted": True}
    assert api.call("DELETE", f"/api/v1/webhooks/{created.data['id']}").error_code == "NOT_FOUND"


def test_status_changes_are_delivered_signed(api, receiver) -> None:
    endpoint = receiver()
    secret = api.post("/api/v1/webhooks", {"url": endpoint.url, "events": ["message.sent", "message.delivered"]}).data["secret"]
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    api.post(f"/_mock/messages/{message['id']}/advance", {"status": "delivered"}, key=None)
    wait_for(lambda: len(endpoint.requests) == 2)
    events = []
    for headers, body in endpoint.requests:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-MsgFlash-Signature"] == expected
        assert {"X-MsgFlash-Signature", "X-MsgFlash-Event"} <= set(headers.keys())  # spelt as documented
        assert headers["Content-Type"] == "application/json"
        payload = json.loads(body)
        assert headers["X-MsgFlash-Event"] == payload["event"]
        assert set(payload) == {"event", "instanceId", "messageId", "providerMessageId", "to", "status", "timestamp"}
        events.append(payload["event"])
    assert sorted(events) == ["message.delivered", "message.sent"]
    log = wait_for(lambda: [d for d in api.get("/_mock/webhook-deliveries", key=None).data if d["status"] == "delivered"])
    assert [d["event"] for d in log] == ["message.sent", "message.delivered"]
    assert all(d["attempts"] == 1 and d["body"]["messageId"] == message["id"] for d in log)


def test_failing_receiver_is_retried_until_it_answers(api, receiver) -> None:
    endpoint = receiver(failures=2)
    api.post("/api/v1/webhooks", {"url": endpoint.url, "events": ["message.failed"]})
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    api.post(f"/_mock/messages/{message['id']}/advance", {"status": "failed"}, key=None)
    entry = wait_for(lambda: [d for d in api.get("/_mock/webhook-deliveries", key=None).data if d["status"] == "delivered"])
    assert entry[0]["attempts"] == 3 and len(endpoint.requests) == 3
    assert len({body for _, body in endpoint.requests}) == 1  # the same signed body each time


def test_receiver_that_never_answers_2xx_gets_five_attempts(api, receiver) -> None:
    endpoint = receiver(failures=99)
    api.post("/api/v1/webhooks", {"url": endpoint.url, "events": ["message.sent"]})
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    api.post(f"/_mock/messages/{message['id']}/advance", key=None)
    entry = wait_for(lambda: [d for d in api.get("/_mock/webhook-deliveries", key=None).data if d["status"] == "failed"])
    assert entry[0]["attempts"] == 5 and len(endpoint.requests) == 5


def test_non_loopback_endpoints_are_logged_not_called(api) -> None:
    api.post("/api/v1/webhooks", {"url": "https://example.com/hook", "events": ["message.sent"]})
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    api.post(f"/_mock/messages/{message['id']}/advance", key=None)
    assert [d["status"] for d in api.get("/_mock/webhook-deliveries", key=None).data] == ["skipped"]


def test_rate_limit_under_concurrent_clients_loses_and_duplicates_nothing(api) -> None:
    body = send_body(instanceId="c9d0e1f2-a3b4-4c5d-8e6f-7a8b9c0d1e2f", type="text", text="burst")
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda n: api.post("/api/v1/messages/send", dict(body, text=f"m{n}"), key=BURST),
                                range(24)))
    accepted = [r.data for r in replies if r.status == 201]
    limited = [r for r in replies if r.status == 429]
    assert len(accepted) + len(limited) == 24
    assert limited and all(r.error_code == "API_RATE_LIMIT_EXCEEDED" for r in limited)
    time.sleep(1.1)  # let the window pass before reading back
    stored = api.get("/api/v1/messages?limit=100", key=BURST).data["messages"]
    assert sorted(m["id"] for m in stored) == sorted(m["id"] for m in accepted)
    assert len({m["body"] for m in stored}) == len(stored)


def test_a_due_campaign_has_its_messages_whichever_route_is_called_first(api) -> None:
    campaign = api.post("/api/v1/campaigns", campaign_body(schedule=PAST, recipients={"type": "tags", "value": ["vip"]})).data
    messages = api.get("/api/v1/messages?limit=100").data["messages"]  # no campaign route in between
    assert [m for m in messages if m["campaignId"] == campaign["id"]]
