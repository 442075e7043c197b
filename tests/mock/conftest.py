"""A real `msgflash-mock serve --port 0` for the whole session, reset before each test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mock_server import create_app
from mock_server.state.fixtures import load_fixtures
from mock_server.testing.client import MockServer, Reply
from msgflash_lint.api import check_response

FIXTURES = Path(__file__).with_name("fixtures.json")
ALPHA, BETA, INACTIVE, TIGHT, SLOW, METERED, BURST = (
    "msgf_live_alpha", "msgf_live_beta", "msgf_live_inactive", "msgf_live_tight", "msgf_live_slow",
    "msgf_live_metered", "msgf_live_burst")
INSTANCE = "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10"
CONTACT = "3c9d8e7f-1a2b-4c5d-8e9f-0a1b2c3d4e5f"
TEMPLATE = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"


class CheckedMockServer(MockServer):
    """The plugin's client, with every API answer checked against the documented shapes."""

    def call(self, method: str, path: str, body=None, **options) -> Reply:
        reply = super().call(method, path, body, **options)
        assert_documented(method, path, reply.status, reply.body)
        return reply


def mock_at(base_url: str) -> CheckedMockServer:
    """The client for a mock serving tests/mock/fixtures.json at `base_url` (first key: ALPHA)."""
    return CheckedMockServer(base_url, [ALPHA, BETA, INACTIVE, TIGHT, SLOW, METERED, BURST])


def assert_documented(method: str, path: str, status: int, body) -> None:
    """Every answer a test receives has its documented shape (schemas/responses.schema.json).

    Mock-only routes (/_mock/, /openapi.json) are not MsgFlash's and are not checked.
    """
    route = path.split("?", 1)[0]
    if route == "/" or route.startswith(("/_mock/", "/openapi.json")):
        return
    findings = check_response(method, route, status, body)
    assert not findings, f"{method} {route} answered {status} off its documented shape: " + "; ".join(map(str, findings))


class CheckedFlaskClient(FlaskClient):
    """The Flask test client, with every API answer checked as `Client.call` checks it."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if response.mimetype == "application/json":
            assert_documented(request.method, request.path, response.status_code, response.get_json())
        return response


@pytest.fixture(autouse=True)
def every_test_client_checks_answers(monkeypatch):
    """Whichever app a test builds, its test client checks every answer against the contract."""
    monkeypatch.setattr(Flask, "test_client_class", CheckedFlaskClient)


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    log = (tmp_path_factory.mktemp("mock") / "stderr.log").open("w+")
    installed = Path(sys.executable).with_name("msgflash-mock")
    command = [str(installed)] if installed.exists() else [sys.executable, "-c", "from mock_server.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "serve", "--port", "0", "--fixtures", str(FIXTURES), "--webhook-retry-base", "0.05"],
        stdout=subprocess.PIPE, stderr=log, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("msgflash-mock listening on http://127.0.0.1:"):
        process.kill()
        log.seek(0)
        pytest.fail(f"the mock did not start: {line!r} {log.read()}")
    yield line.rsplit(" ", 1)[1]
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()
    log.close()


@pytest.fixture
def api(server_url) -> CheckedMockServer:
    client = mock_at(server_url)
    assert client.post("/_mock/reset", key=None).status == 200
    return client


@pytest.fixture
def app():
    return create_app(load_fixtures(FIXTURES.read_text("utf-8"), str(FIXTURES)))


@pytest.fixture
def client(app):
    return app.test_client()


def send_body(**fields) -> dict:
    return {"instanceId": INSTANCE, "to": "+33612345678", **fields}
