"""The pytest plugin: a msgflash-mock server one fixture away (entry point: mock_server.pytest_plugin).

    def test_send(msgflash_mock):
        reply = requests.post(msgflash_mock.url("/api/v1/messages/send"), json=...,
                              headers={"x-api-key": msgflash_mock.api_key})  # or msgflash_mock.post(...)
        msgflash_mock.assert_requested("POST", "/api/v1/messages/send", json={"to": "+33612345678"})

`msgflash_mock` is a real server on a free 127.0.0.1 port, one per session, reset before
each test (and set up by the test's `msgflash_account` markers). `msgflash_mock_client` is the
in-process variant: a Flask test client on a fresh app per test. `msgflash_webhook_receiver`
is a loopback endpoint that records and verifies signed deliveries. `--msgflash-fixtures
FILE` (or the `msgflash_fixtures` ini option) loads your own fixture file instead of the
bundled one. Nothing here imports Flask or waitress until a fixture is used.
"""

from __future__ import annotations

import pytest

from mock_server.testing.client import MockError, MockServer

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


def _require_the_mock() -> None:
    """A lint-only install has the plugin but not the server: the test errors with how to get it."""
    from mock_server import missing_extra

    problem = missing_extra("the msgflash_mock fixtures need")
    if problem is not None:
        pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="session")
def msgflash_mock_server(pytestconfig):
    """The session's server; prefer `msgflash_mock`, which also resets it before each test."""
    _require_the_mock()
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
    _require_the_mock()
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


__all__ = ["MARKER", "MockError", "MockServer", "msgflash_mock", "msgflash_mock_client", "msgflash_mock_server",
           "msgflash_webhook_receiver",
           "pytest_addoption", "pytest_configure"]
