"""A real `msgflash-mock serve --port 0` for the whole session, reset before each test."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mock_server import create_app
from mock_server.state.fixtures import load_fixtures
from msgflash_lint.contract import check_response

FIXTURES = Path(__file__).with_name("fixtures.json")
ALPHA, BETA, INACTIVE, TIGHT, SLOW, METERED, BURST = (
    "msgf_live_alpha", "msgf_live_beta", "msgf_live_inactive", "msgf_live_tight", "msgf_live_slow",
    "msgf_live_metered", "msgf_live_burst")
INSTANCE = "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10"
CONTACT = "3c9d8e7f-1a2b-4c5d-8e9f-0a1b2c3d4e5f"
TEMPLATE = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"


@dataclass
class Reply:
    status: int
    body: dict
    headers: dict

    @property
    def data(self):
        return self.body["data"]

    @property
    def error_code(self) -> str:
        return self.body["error"]["code"]


class Client:
    """Speaks HTTP to the server, as a MsgFlash client would."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call(self, method: str, path: str, body=None, key: str | None = ALPHA, headers: dict | None = None,
             raw: bytes | None = None, content_type: str = "application/json") -> Reply:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if key is not None:
            request.add_header("x-api-key", key)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                reply = Reply(response.status, json.loads(response.read()), dict(response.headers))
        except urllib.error.HTTPError as error:
            payload = error.read()
            assert error.headers.get("Content-Type", "").startswith("application/json"), payload[:200]
            reply = Reply(error.code, json.loads(payload), dict(error.headers))
        assert_documented(method, path, reply.status, reply.body)
        return reply

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body, **kw)


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
def api(server_url) -> Client:
    client = Client(server_url)
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
