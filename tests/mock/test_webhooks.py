"""Webhook endpoints and their signed deliveries: retries, loopback only."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mock_server.web.loopback import is_loopback_host, is_loopback_url
from tests.mock.conftest import ALPHA, BETA, TIGHT, send_body


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


@pytest.fixture
def silent_endpoint():
    """Accepts connections and never answers: a webhook receiver that hangs until the timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    listener.close()


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
    assert len({body for _, body in endpoint.requests}) == 1


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


@pytest.mark.parametrize("url", ["https://[x/h", "http://127.0.0.1:99999/x", "http://[::1/x", "https://:80/x"])
def test_webhook_url_that_cannot_be_called_is_refused_and_status_changes_keep_working(api, url: str) -> None:
    reply = api.post("/api/v1/webhooks", {"url": url, "events": ["message.sent"]})
    assert reply.status == 400 and reply.error_code == "VALIDATION_ERROR"
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    assert api.post(f"/_mock/messages/{message['id']}/advance", key=None).status == 200


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("LOCALHOST", True), ("LOCALHOST.", False), ("127.attacker.example", False), ("127.0.0.1.nip.io", False), ("localhost.evil", False),
    ("0.0.0.0", False), ("10.0.0.1", False), ("::ffff:8.8.8.8", False), ("", False), (None, False),
])
def test_loopback_classification_never_resolves_a_name(host, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_webhook_to_a_dns_name_that_looks_like_loopback_is_skipped(api) -> None:
    api.post("/api/v1/webhooks", {"url": "https://127.attacker.example/hook", "events": ["message.sent"]})
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    api.post(f"/_mock/messages/{message['id']}/advance", key=None)
    log = api.get("/_mock/webhook-deliveries", key=None).data
    assert [(d["url"], d["status"], d["attempts"]) for d in log] == [("https://127.attacker.example/hook", "skipped", 0)]
    assert not is_loopback_url("https://[x/h")


def test_an_endpoint_that_never_answers_does_not_delay_another_endpoints_deliveries(api, silent_endpoint) -> None:
    fast = Receiver(0)
    try:
        # The silent endpoint is subscribed first, so its delivery is queued first.
        api.post("/api/v1/webhooks", {"url": silent_endpoint, "events": ["message.sent"]})
        api.post("/api/v1/webhooks", {"url": fast.url, "events": ["message.sent"]})
        message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
        api.post(f"/_mock/messages/{message['id']}/advance", key=None)
        wait_for(lambda: len(fast.requests) == 1)

        def deliveries() -> dict:
            return {d["url"]: d for d in api.get("/_mock/webhook-deliveries", key=None).data}

        # The receiver records the request before it answers; the log says "delivered" once the answer is read.
        wait_for(lambda: deliveries()[fast.url]["status"] == "delivered")
        log = deliveries()
        # The silent endpoint's first attempt is still waiting on its 5 s timeout.
        assert log[silent_endpoint]["status"] == "pending" and log[silent_endpoint]["attempts"] == 0
        assert log[fast.url]["status"] == "delivered"
    finally:
        fast.close()


@pytest.mark.parametrize("host", ["localhost.", "127.0.0.1.", "localhost..", "example.com."])
def test_a_webhook_host_with_trailing_dots_is_refused_at_creation(api, host) -> None:
    """`localhost.` reaches this machine only through a resolver (issue 25, item 10): refused, never looked up."""
    refused = api.post("/api/v1/webhooks", {"url": f"http://{host}:8080/hook", "events": ["message.sent"]})
    assert (refused.status, refused.error_code) == (400, "VALIDATION_ERROR")
    assert not is_loopback_host(host)


def test_a_delivery_to_localhost_connects_to_127_0_0_1_without_a_lookup(client, receiver, monkeypatch) -> None:
    import socket

    looked_up = []
    real = socket.getaddrinfo

    def recording(host, *args, **kwargs):
        looked_up.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recording)
    endpoint = receiver()
    url = endpoint.url.replace("127.0.0.1", "localhost")
    headers = {"x-api-key": ALPHA}
    assert client.post("/api/v1/webhooks", json={"url": url, "events": ["message.sent"]}, headers=headers).status_code == 201
    message = client.post("/api/v1/messages/send", json=send_body(type="text", text="x"), headers=headers).get_json()
    client.post(f"/_mock/messages/{message['data']['id']}/advance")
    wait_for(lambda: len(endpoint.requests) == 1)
    assert looked_up and set(looked_up) == {"127.0.0.1"}


def test_a_rebound_host_cannot_register_a_webhook_to_this_machine(app, client) -> None:
    """DNS rebinding (issue 25, item 11): a page whose own name now points at 127.0.0.1 sends that
    name in Host. It may not make the mock POST to this machine; loopback callers and names given
    with `serve --allow-host` may, and public endpoints stay open to any caller."""
    hook = {"url": "http://127.0.0.1:9/hook", "events": ["message.sent"]}
    headers = {"x-api-key": ALPHA}
    refused = client.post("/api/v1/webhooks", json=hook, headers={**headers, "Host": "rebound.example:8787"})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "FORBIDDEN"
    assert "--allow-host" in refused.get_json()["error"]["message"]
    localhost = {**hook, "url": "http://localhost:9/hook"}
    assert client.post("/api/v1/webhooks", json=localhost, headers={**headers, "Host": "rebound.example"}).status_code == 403
    assert client.post("/api/v1/webhooks", json=hook, headers={**headers, "Host": "localhost:8787"}).status_code == 201
    public = {**hook, "url": "https://hooks.example/in"}
    assert client.post("/api/v1/webhooks", json=public, headers={**headers, "Host": "rebound.example"}).status_code == 201
    app.config["MSGFLASH_MOCK_ALLOWED_HOSTS"] = ("msgflash",)  # serve --allow-host msgflash
    assert client.post("/api/v1/webhooks", json=hook, headers={**headers, "Host": "msgflash:8787"}).status_code == 201


class TricklingEndpoint:
    """Reads a delivery, then answers one byte every 0.2 s and never finishes: each byte resets
    the sender's 5 s timeout, so only shutting the connection down ends the attempt."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook"
        self.trickling = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection:
            connection.recv(65536)
            self.trickling.set()
            try:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
                    connection.sendall(bytes([byte]))
                    time.sleep(0.2)
            except OSError:
                pass

    def close(self) -> None:
        self.listener.close()


def test_endpoints_that_trickle_their_answer_cannot_hold_the_shutdown(app, client) -> None:
    """Bounds (issue 25, item 12): three endpoints each holding a delivery under way; closing the
    dispatcher (what SIGTERM does) cuts them all and returns within its 2 s, not 6 s per endpoint."""
    endpoints = [TricklingEndpoint() for _ in range(3)]
    headers = {"x-api-key": ALPHA}
    try:
        for endpoint in endpoints:
            hook = {"url": endpoint.url, "events": ["message.sent"]}
            assert client.post("/api/v1/webhooks", json=hook, headers=headers).status_code == 201
        message = client.post("/api/v1/messages/send", json=send_body(type="text", text="x"), headers=headers).get_json()
        client.post(f"/_mock/messages/{message['data']['id']}/advance")
        for endpoint in endpoints:
            assert endpoint.trickling.wait(5)
        dispatcher = app.extensions["msgflash_mock_webhooks"]
        assert dispatcher.workers() == 3
        started = time.monotonic()
        dispatcher.close()
        assert time.monotonic() - started < 2.5
        assert dispatcher.workers() == 0
    finally:
        for endpoint in endpoints:
            endpoint.close()
