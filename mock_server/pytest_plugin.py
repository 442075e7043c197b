"""pytest plugin (entry point `pytest11`): a msgflash-mock server one fixture away.

    def test_send(msgflash_mock):
        reply = requests.post(msgflash_mock.url("/api/v1/messages/send"), json=..., 
                              headers={"x-api-key": msgflash_mock.api_key})

`msgflash_mock` is a real server on a free 127.0.0.1 port, one per session, reset before
each test. `msgflash_mock_client` is the in-process variant: a Flask test client on a
fresh app per test. `--msgflash-fixtures FILE` (or the `msgflash_fixtures` ini option)
loads your own fixture file instead of the bundled one.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

import pytest


def pytest_addoption(parser) -> None:
    group = parser.getgroup("msgflash-mock")
    group.addoption("--msgflash-fixtures", default=None, metavar="FILE",
                    help="fixture file for the msgflash_mock fixtures (default: the bundled one)")
    parser.addini("msgflash_fixtures", "fixture file for the msgflash_mock fixtures", default="")


_FIXTURES = pytest.StashKey[dict]()


def pytest_configure(config) -> None:
    """A fixture file given by option is checked at start-up: a bad one stops the run with one line."""
    path = config.getoption("--msgflash-fixtures", None) or config.getini("msgflash_fixtures") or None
    if path is None:
        return
    from pathlib import Path

    from mock_server.fixtures import FixtureError, load_fixtures

    try:
        config.stash[_FIXTURES] = load_fixtures(Path(path).read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, FixtureError) as error:
        raise pytest.UsageError(f"msgflash-mock: {error}") from None


def _fixtures(config) -> dict:
    if _FIXTURES not in config.stash:
        from mock_server.fixtures import load_fixtures

        config.stash[_FIXTURES] = load_fixtures()
    return config.stash[_FIXTURES]


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
        import urllib.request  # here: a pytest run that never uses the mock pays nothing for it

        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url(path), data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data else {})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["data"]

    def reset(self) -> None:
        """Back to the fixture state (POST /_mock/reset)."""
        self._control("POST", "/_mock/reset")

    def advance(self, message_id: str, status: str | None = None) -> dict:
        """Move a message one step (or to `status`); returns the message."""
        return self._control("POST", f"/_mock/messages/{message_id}/advance",
                             None if status is None else {"status": status})

    def deliveries(self) -> list[dict]:
        """Webhook deliveries so far, in order (GET /_mock/webhook-deliveries)."""
        return self._control("GET", "/_mock/webhook-deliveries")


@pytest.fixture(scope="session")
def msgflash_mock_server(pytestconfig):
    """The session's server; prefer `msgflash_mock`, which also resets it before each test."""
    from waitress.server import create_server

    from mock_server import create_app

    fixtures = _fixtures(pytestconfig)
    server = create_server(create_app(fixtures, webhook_retry_base=0.05), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="msgflash-mock", daemon=True)
    thread.start()
    keys = [key for account in fixtures["accounts"] for key in account["apiKeys"]]
    yield MockServer(f"http://127.0.0.1:{server.effective_port}", keys)
    server.close()


@pytest.fixture
def msgflash_mock(msgflash_mock_server) -> MockServer:
    """A real msgflash-mock on a loopback port, reset to its fixtures before the test."""
    msgflash_mock_server.reset()
    return msgflash_mock_server


@pytest.fixture
def msgflash_mock_client(pytestconfig):
    """In-process variant: a Flask test client on a fresh app (no socket, no thread)."""
    from mock_server import create_app

    return create_app(_fixtures(pytestconfig), webhook_retry_base=0.05).test_client()
