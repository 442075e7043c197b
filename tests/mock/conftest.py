"""A real `msgflash-mock serve --port 0` for the whole session, reset before each test."""

from __future__ import annotations

import functools
import http.client
import json
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mock_server import create_app
from mock_server.state.fixtures import load_fixtures
from mock_server.testing.client import MockServer, Reply
from msgflash_lint.api import check_response

FIXTURES = Path(__file__).with_name("fixtures.json")
_WORKSPACES = json.loads(FIXTURES.read_text(encoding="utf-8"))["accounts"]


def fixture_id(api_key: str, kind: str, name: str) -> str:
    """The id of the `kind` item called `name` in the workspace (an account or a team) that holds
    `api_key` in tests/mock/fixtures.json: tests name what they use as the fixture file does."""
    workspaces = [*_WORKSPACES, *(team for account in _WORKSPACES for team in account.get("teams", []))]
    workspace = next(w for w in workspaces if api_key in w["apiKeys"])
    return next(item["id"] for item in workspace[kind] if item["name"] == name)


# The accounts of tests/mock/fixtures.json, by their one key each (the first one is the default).
ALPHA, BETA, INACTIVE, TIGHT, SLOW, METERED, BURST = (
    "msgf_live_alpha", "msgf_live_beta", "msgf_live_inactive", "msgf_live_tight", "msgf_live_slow",
    "msgf_live_metered", "msgf_live_burst")
TEAM_KEY = "msgf_team_alpha_support"
TEAM = next(team["id"] for team in _WORKSPACES[0]["teams"] if team["name"] == "Support team")
INSTANCE = fixture_id(ALPHA, "instances", "Support")
DISCONNECTED = fixture_id(ALPHA, "instances", "Ancien numéro")
CONTACT = fixture_id(ALPHA, "contacts", "Jean Dupont")
CARLA = fixture_id(ALPHA, "contacts", "Carla Souza")
VIP_GROUP = fixture_id(ALPHA, "groups", "VIP")
TEMPLATE = fixture_id(ALPHA, "templates", "Relance")
VILLE = fixture_id(ALPHA, "templates", "Ville")
TEAM_INSTANCE = fixture_id(TEAM_KEY, "instances", "Team line")
BETA_INSTANCE = fixture_id(BETA, "instances", "Kofi Shop")


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
    """Every answer a test receives has its documented shape: an API route's from the contract
    (schemas/responses.schema.json), a mock-only route's from the mock's OpenAPI document."""
    route = path.split("?", 1)[0]
    if route == "/" or route.startswith(("/_mock/", "/openapi.json")):
        problems = _control_answer_problems(method, route, status, body)
        assert not problems, f"{method} {route} answered {status} off its declared shape: " + "; ".join(problems)
        return
    findings = check_response(method, route, status, body)
    assert not findings, f"{method} {route} answered {status} off its documented shape: " + "; ".join(map(str, findings))


@functools.cache
def _control_answers() -> tuple[list, object]:
    """The mock-only operations of the OpenAPI document (path pattern, path, its operations) and a
    registry holding the document, for checking answers against it."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    app = create_app()
    doc = FlaskClient(app, app.response_class).get("/openapi.json").get_json()
    operations = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path, item)
                  for path, item in doc["paths"].items() if not path.startswith("/api/")]
    return operations, Registry().with_resource("urn:openapi", Resource(contents=doc, specification=DRAFT202012))


def _control_answer_problems(method: str, route: str, status: int, body) -> list[str]:
    operations, _ = _control_answers()
    path = next((path for pattern, path, item in operations if pattern.match(route)), None)
    if path is None:
        return [] if status == 404 else ["no such operation in the document"]
    validator = _answer_validator(path, method.lower(), status)
    if validator is None:
        return ["no such operation in the document"]
    return [error.message for error in validator.iter_errors(body)]


@functools.cache
def _answer_validator(path: str, method: str, status: int):
    from jsonschema import Draft202012Validator

    operations, registry = _control_answers()
    item = next(item for _, known, item in operations if known == path)
    if method not in item:
        return None
    responses = item[method]["responses"]
    answer = responses.get(str(status)) or responses["default"]
    schema = json.loads(json.dumps(answer["content"]["application/json"]["schema"]).replace(
        '"#/components/', '"urn:openapi#/components/'))
    return Draft202012Validator(schema, registry=registry)


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


def unknown_ids(count: int) -> list[str]:
    """Well-formed ids that no fixture and no generated record holds."""
    return [str(uuid.UUID(int=n + 1, version=4)) for n in range(count)]


@pytest.fixture
def frozen(api):
    """The mock's clock stopped (mock-only /_mock/clock), so async work moves only when told."""
    assert api.post("/_mock/clock", {"freeze": True}, key=None).data["frozen"] is True
    return lambda seconds: api.post("/_mock/clock/advance", {"seconds": seconds}, key=None).data


@pytest.fixture(scope="module")
def roomy_client():
    """One app for a module's property tests (hypothesis runs many examples per test): the
    bundled fixtures with limits no example reaches."""
    from mock_server.state.fixtures import bundled_fixtures_text

    fixtures = json.loads(bundled_fixtures_text())
    fixtures["accounts"][0]["rateLimitPerSecond"] = 10**6
    fixtures["accounts"][0]["monthlyOutboundQuota"] = 10**9
    app = create_app(load_fixtures(json.dumps(fixtures)))
    yield app.test_client()
    app.extensions["msgflash_mock_webhooks"].close()


def raw_request(base_url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """Exactly the request given: no client-side normalisation of paths or headers."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def assert_envelope(status: int, content_type: str, payload: bytes, code: str) -> dict:
    assert content_type.startswith("application/json"), (status, payload[:200])
    error = json.loads(payload)["error"]
    assert error["code"] == code and isinstance(error["message"], str) and isinstance(error["details"], list)
    return error
