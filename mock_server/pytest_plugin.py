"""pytest plugin (entry point `pytest11`): a msgflash-mock server one fixture away.

    def test_send(msgflash_mock):
        reply = requests.post(msgflash_mock.url("/api/v1/messages/send"), json=...,
                              headers={"x-api-key": msgflash_mock.api_key})
        msgflash_mock.assert_requested("POST", "/api/v1/messages/send", json={"to": "+33612345678"})

`msgflash_mock` is a real server on a free 127.0.0.1 port, one per session, reset before
each test (and set up by the test's `msgflash_account` markers). `msgflash_mock_client` is the
in-process variant: a Flask test client on a fresh app per test. `msgflash_webhook_receiver`
is a loopback endpoint that records and verifies signed deliveries. `--msgflash-fixtures
FILE` (or the `msgflash_fixtures` ini option) loads your own fixture file instead of the
bundled one. Nothing here imports Flask or waitress until a fixture is used.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import pytest

MARKER = "msgflash_account"


def pytest_addoption(parser) -> None:
    group = parser.getgroup("msgflash-mock")
    group.addoption("--msgflash-fixtures", default=None, metavar="FILE",
                    help="fixture file for the msgflash_mock fixtures (default: the bundled one)")
    parser.addini("msgflash_fixtures", "fixture file for the msgflash_mock fixtures", default="")


_FIXTURES = pytest.StashKey[dict]()


def pytest_configure(config) -> None:
    """A fixture file given by option is checked at start-up: a bad one stops the run with one line."""
    config.addinivalue_line("markers", f"{MARKER}(api_key=None, **changes): change one msgflash-mock account "
                                       "(plan, features, quotas, rateLimitPerSecond, instances, …) for this test")
    path = config.getoption("--msgflash-fixtures", None) or config.getini("msgflash_fixtures") or None
    if path is None:
        return
    from pathlib import Path

    from mock_server.state.fixtures import FixtureError, load_fixtures

    try:
        config.stash[_FIXTURES] = load_fixtures(Path(path).read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, FixtureError) as error:
        raise pytest.UsageError(f"msgflash-mock: {error}") from None


def _fixtures(config) -> dict:
    if _FIXTURES not in config.stash:
        from mock_server.state.fixtures import load_fixtures

        config.stash[_FIXTURES] = load_fixtures()
    return config.stash[_FIXTURES]


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


@pytest.fixture(scope="session")
def msgflash_mock_server(pytestconfig):
    """The session's server; prefer `msgflash_mock`, which also resets it before each test."""
    from mock_server import create_app
    from mock_server.serving.waitress import Serving

    fixtures = _fixtures(pytestconfig)
    app = create_app(fixtures, webhook_retry_base=0.05)
    serving = Serving(app, host="127.0.0.1", port=0, threads=4).start()
    keys = [key for account in fixtures["accounts"] for key in account["apiKeys"]]
    try:
        yield MockServer(f"http://127.0.0.1:{serving.port}", keys)
    finally:
        serving.stop()  # after requests in flight finish: no "Bad file descriptor" at the end
        app.extensions["msgflash_mock_webhooks"].close()


@pytest.fixture
def msgflash_mock(msgflash_mock_server, request) -> MockServer:
    """A real msgflash-mock on a loopback port, reset to its fixtures before the test, then
    changed by the test's `@pytest.mark.msgflash_account(...)` markers."""
    msgflash_mock_server.reset()
    for marker in reversed(list(request.node.iter_markers(MARKER))):  # the closest marker applies last
        msgflash_mock_server.configure(*marker.args, **marker.kwargs)
    return msgflash_mock_server


@pytest.fixture
def msgflash_mock_client(pytestconfig):
    """In-process variant: a Flask test client on a fresh app (no socket); its webhook workers
    stop with the test."""
    from mock_server import create_app

    app = create_app(_fixtures(pytestconfig), webhook_retry_base=0.05)
    try:
        yield app.test_client()
    finally:
        app.extensions["msgflash_mock_webhooks"].close()


@pytest.fixture
def msgflash_webhook_receiver():
    """A loopback webhook endpoint: `url`, `subscribe(mock, events)`, `received`, `wait_for(...)`;
    every delivery's X-MsgFlash-Signature is checked against the secret it was subscribed with."""
    from mock_server.testing.receiver import WebhookReceiver

    receiver = WebhookReceiver().start()
    try:
        yield receiver
    finally:
        receiver.close()


__all__ = ["MockError", "MockServer", "msgflash_mock", "msgflash_mock_client", "msgflash_mock_server",
           "msgflash_webhook_receiver"]
