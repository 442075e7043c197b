"""A loopback webhook receiver for tests: records each delivery and checks its signature.

    def test_delivery(msgflash_mock, msgflash_webhook_receiver):
        msgflash_webhook_receiver.subscribe(msgflash_mock, ["message.sent"])
        ...send, advance...
        delivery = msgflash_webhook_receiver.wait_for("message.sent", message_id=message["id"])
        assert delivery.signature_ok
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mock_server.api.webhooks.delivery import signature


@dataclass(frozen=True)
class Delivery:
    event: str | None
    body: dict
    raw: bytes
    headers: dict
    signature_ok: bool


class WebhookReceiver:
    def __init__(self, status: int = 200) -> None:
        self.status = status  # what the receiver answers (a non-2xx makes the mock retry)
        self.secrets: list[str] = []
        self.received: list[Delivery] = []
        self._lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver._record(raw, dict(self.headers.items()))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="msgflash-webhook-receiver", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhooks/msgflash"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def subscribe(self, mock, events: list[str], api_key: str | None = None) -> dict:
        """Register this receiver as a webhook endpoint of `mock`'s account; keeps the secret."""
        import urllib.request

        request = urllib.request.Request(
            mock.url("/api/v1/webhooks"), json.dumps({"url": self.url, "events": events}).encode(), method="POST",
            headers={"Content-Type": "application/json", "x-api-key": api_key or mock.api_key})
        with urllib.request.urlopen(request, timeout=10) as response:
            webhook = json.loads(response.read())["data"]
        with self._lock:
            self.secrets.append(webhook["secret"])
        return webhook

    def _record(self, raw: bytes, headers: dict) -> None:
        given = headers.get("X-MsgFlash-Signature", "")
        with self._lock:
            ok = any(hmac.compare_digest(given, signature(secret, raw)) for secret in self.secrets)
            try:
                body = json.loads(raw)
            except ValueError:
                body = {}
            self.received.append(Delivery(headers.get("X-MsgFlash-Event"), body, raw, headers, ok))
            self._lock.notify_all()

    def wait_for(self, event: str | None = None, message_id: str | None = None, timeout: float = 5.0) -> Delivery:
        """The first delivery of `event` (for `message_id`), waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for delivery in self.received:
                    if (event is None or delivery.event == event) and (
                            message_id is None or delivery.body.get("messageId") == message_id):
                        return delivery
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(d.event, d.body.get("messageId")) for d in self.received]
                    raise AssertionError(f"no {event or 'webhook'} delivery"
                                         f"{f' for message {message_id}' if message_id else ''} within "
                                         f"{timeout} s; received: {seen}")
                self._lock.wait(left)
