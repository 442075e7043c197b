"""The one client for a running msgflash-mock: its API as a MsgFlash client calls it, and its controls.

`MockServer` is what the pytest plugin's `msgflash_mock` fixture gives a test; any test suite
can build one from a base URL (`MockServer("http://127.0.0.1:8787", ["msgf_live_…"])`). It
speaks plain HTTP with the standard library, so importing it costs a test run nothing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import NamedTuple


class Reply(NamedTuple):
    """One answer of the mock: its status, its JSON body and its headers."""

    status: int
    body: dict
    headers: dict

    @property
    def data(self):
        """The answer's `data` (KeyError for an error answer: read `error_code` then)."""
        return self.body["data"]

    @property
    def error_code(self) -> str:
        return self.body["error"]["code"]


_DEFAULT_KEY = object()  # `call`'s key when none is named: the server's first API key


class MockError(Exception):
    """The mock refused a control call: its documented error code, message and HTTP status."""

    def __init__(self, status: int, code: str, message: str, details: list | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details or []


@dataclass
class MockServer:
    """A running msgflash-mock: where it is, its API keys, and the mock-only controls."""

    base_url: str
    api_keys: list[str] = field(default_factory=list)

    @property
    def api_key(self) -> str:
        """The first account's first key."""
        return self.api_keys[0]

    def url(self, path: str) -> str:
        return self.base_url + path

    # --- the API, as a MsgFlash client calls it ----------------------------------------------
    def call(self, method: str, path: str, body=None, key: str | None = _DEFAULT_KEY, headers: dict | None = None,
             raw: bytes | None = None, content_type: str = "application/json") -> Reply:
        """Send one request and return the answer, whatever its status: `body` as JSON (or `raw`
        bytes), `key` as x-api-key (the first key unless named; None sends none)."""
        import urllib.error
        import urllib.request  # here: a pytest run that never uses the mock pays nothing for it

        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.url(path), data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        key = self.api_key if key is _DEFAULT_KEY else key
        if key is not None:
            request.add_header("x-api-key", key)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, json.loads(response.read()), dict(response.headers))
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return Reply(error.code, json.loads(payload), dict(error.headers))
            except ValueError:
                raise MockError(error.code, "BAD_REQUEST", f"not a JSON answer: {payload[:200]!r}") from None

    def get(self, path: str, **options) -> Reply:
        return self.call("GET", path, **options)

    def post(self, path: str, body=None, **options) -> Reply:
        return self.call("POST", path, body, **options)

    def _control(self, method: str, path: str, body: dict | None = None):
        import urllib.error
        import urllib.request  # here: a pytest run that never uses the mock pays nothing for it

        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url(path), data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())["data"]
        except urllib.error.HTTPError as error:
            try:
                envelope = json.loads(error.read())["error"]
            except (ValueError, KeyError, TypeError):
                raise MockError(error.code, "BAD_REQUEST", str(error)) from None
            raise MockError(error.code, envelope["code"], envelope["message"], envelope.get("details")) from None

    # --- state ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the fixture state (POST /_mock/reset): data, clock, journal, faults, changes."""
        self._control("POST", "/_mock/reset")

    def configure(self, api_key: str | None = None, **changes) -> dict:
        """Change one account (by key, else the first) until the next reset: `plan`, `features`,
        `whatsappBusiness`, `subscriptionActive`, `limits`, `monthlyOutboundQuota`, `outboundUsed`,
        `rateLimitPerSecond`, `user`, `numbers`, and `instances`/`contacts`/`groups`/`templates`
        (merged by id: `instances=[{"id": ID, "status": "disconnected"}]`)."""
        return self._control("POST", "/_mock/accounts", {**changes, **({"apiKey": api_key} if api_key else {})})

    def advance(self, message_id: str, status: str | None = None) -> dict:
        """Move a message one step (or to `status`); returns the message."""
        return self._control("POST", f"/_mock/messages/{message_id}/advance",
                             None if status is None else {"status": status})

    def lifecycle(self, sent: float | None = None, delivered: float | None = None,
                  read: float | None = None) -> dict | None:
        """Messages move on by themselves, that many seconds (mock time) after they go out."""
        return self._control("POST", "/_mock/lifecycle", {"sent": sent, "delivered": delivered, "read": read})

    # --- time ---------------------------------------------------------------------------------
    def now(self) -> str:
        return self._control("GET", "/_mock/clock")["now"]

    def freeze_time(self, at: str | None = None) -> dict:
        """Stop the mock's clock (at an ISO 8601 time, or now)."""
        return self._control("POST", "/_mock/clock", {"freeze": True, **({"at": at} if at else {})})

    def resume_time(self) -> dict:
        return self._control("POST", "/_mock/clock", {"freeze": False})

    def advance_time(self, seconds: float) -> dict:
        """Move the mock's clock forward; what falls due runs (scheduled messages, campaigns, jobs)."""
        return self._control("POST", "/_mock/clock/advance", {"seconds": seconds})

    # --- faults ---------------------------------------------------------------------------------
    def fault(self, route: str, error: str | None = None, *, times: int | None = None, share: float = 1.0,
              seed: int = 0, latency_ms: float = 0, jitter_ms: float = 0, drop: bool = False,
              api_key: str | None = None, message: str | None = None) -> dict:
        """Make requests to `route` ("POST /api/v1/messages/send") fail with `error`, wait, or drop."""
        spec = {"route": route, "error": error, "share": share, "seed": seed, "latencyMs": latency_ms,
                "jitterMs": jitter_ms, "drop": drop}
        for name, value in (("times", times), ("apiKey", api_key), ("message", message)):
            if value is not None:
                spec[name] = value
        return self._control("POST", "/_mock/faults", spec)

    def faults(self) -> list[dict]:
        return self._control("GET", "/_mock/faults")

    def clear_faults(self) -> None:
        self._control("DELETE", "/_mock/faults")

    # --- the journal ------------------------------------------------------------------------------
    def requests(self, method: str | None = None, path: str | None = None, status: int | None = None) -> list[dict]:
        """API requests the mock answered, oldest first; `path` exact or a route (`/api/v1/messages/{id}`)."""
        from urllib.parse import urlencode

        query = urlencode({k: v for k, v in (("method", method), ("path", path), ("status", status)) if v})
        return self._control("GET", "/_mock/requests" + (f"?{query}" if query else ""))

    def sent_messages(self, to: str | None = None) -> list[dict]:
        """The messages your code had accepted (send and schedule answered 201), oldest first."""
        found = [entry["response"]["body"]["data"] for entry in self.requests(method="POST", status=201)
                 if entry["route"] in ("/api/v1/messages/send", "/api/v1/messages/schedule")]
        return [m for m in found if to is None or m["to"] == to]

    def assert_requested(self, method: str, path: str, json: dict | None = None, status: int | None = None) -> dict:
        """Assert a request matched (method, path or route, body fields, answer status); returns it.

        When none did, the AssertionError lists the closest requests with a per-field diff.
        """
        from mock_server.testing.near_miss import closest, describe, differences

        journal = self.requests()
        for entry in journal:
            if not differences(entry, method, path, json, status):
                return entry
        raise AssertionError(describe(method, path, json, status, closest(journal, method, path, json, status)))

    # --- webhooks -----------------------------------------------------------------------------------
    def deliveries(self) -> list[dict]:
        """Webhook deliveries so far, in order (GET /_mock/webhook-deliveries)."""
        return self._control("GET", "/_mock/webhook-deliveries")

    def wait_for_delivery(self, event: str | None = None, message_id: str | None = None,
                          timeout: float = 5.0, status: str = "delivered") -> dict:
        """The first webhook delivery of `event` (for `message_id`) that reached `status`, waiting for it."""
        deadline = time.monotonic() + timeout
        while True:
            for delivery in self.deliveries():
                if ((event is None or delivery["event"] == event)
                        and (message_id is None or delivery["body"].get("messageId") == message_id)
                        and delivery["status"] == status):
                    return delivery
            if time.monotonic() >= deadline:
                raise AssertionError(f"no {status} webhook delivery of {event or 'any event'}"
                                     f"{f' for message {message_id}' if message_id else ''} within {timeout} s; "
                                     f"deliveries so far: {self.deliveries()}")
            time.sleep(0.02)


