"""The app factory, the command line and the agreement between linter and mock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from mock_server import create_app
from mock_server.cli import cli
from mock_server.state.errors import ERROR_STATUS
from mock_server.state.fixtures import bundled_fixtures_text, load_fixtures
from msgflash_lint.diagnostics import Severity
from msgflash_lint.linter import lint_text
from msgflash_lint.registry import RULES
from msgflash_lint.strategies import payloads
from tests.mock.conftest import ALPHA, CONTACT, INSTANCE, TEMPLATE

ENDPOINTS = {"send": "/api/v1/messages/send", "schedule": "/api/v1/messages/schedule",
             "template": "/api/v1/templates"}


def test_each_app_has_its_own_state() -> None:
    first, second = create_app().test_client(), create_app().test_client()
    body = {"instanceId": INSTANCE, "to": "+33612345678", "type": "text", "text": "x"}
    assert first.post("/api/v1/messages/send", json=body, headers={"x-api-key": ALPHA}).status_code == 201
    assert first.get("/api/v1/messages", headers={"x-api-key": ALPHA}).json["data"]["messages"]
    assert second.get("/api/v1/messages", headers={"x-api-key": ALPHA}).json["data"]["messages"] == []


def test_unexpected_errors_are_enveloped_500_not_tracebacks(app) -> None:
    @app.get("/api/v1/_boom")
    def boom():  # a route that fails, standing for any bug
        raise RuntimeError("boom")

    reply = app.test_client().get("/api/v1/_boom", headers={"x-api-key": ALPHA})
    assert reply.status_code == 500
    assert reply.json == {"error": {"code": "INTERNAL_ERROR", "message": "Internal server error", "details": []}}


def test_every_api_error_in_the_registry_is_a_documented_code() -> None:
    assert {rule.api_error for rule in RULES if rule.api_error} <= set(ERROR_STATUS)


def test_fixtures_command_prints_the_bundled_file() -> None:
    result = CliRunner().invoke(cli, ["fixtures"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(bundled_fixtures_text())
    load_fixtures(result.output)  # what it prints is a valid fixture file


@pytest.mark.parametrize(("content", "message"), [
    ('{"accounts": [{"plan": "pro"}]}', "'apiKeys' is a required property"),
    ('{"accounts": [{"apiKeys": ["k"], "instances": [{"id": "inst_1"}]}]}', "`accounts[0].instances[0].id`"),
    ('{"accounts": [', "invalid JSON at line 1"),
])
def test_bad_fixture_file_is_refused_with_exit_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "fixtures.json"
    path.write_text(content)
    result = subprocess.run([sys.executable, "-c", "from mock_server.cli import main; main()", "serve",
                             "--port", "0", "--fixtures", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=False), st.text(max_size=8),
                    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


@st.composite
def broken_fixtures(draw) -> dict:
    """The bundled fixture file with a few of its values replaced or removed, anywhere in it."""
    fixtures = json.loads(bundled_fixtures_text())
    for _ in range(draw(st.integers(1, 3))):
        node, key = fixtures, None
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
            parent, node = node, node[key]
        if key is None:
            continue
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[key]
        else:
            parent[key] = draw(_VALUES)
    return fixtures


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_fixtures())
def test_the_fast_fixture_check_and_jsonschema_give_the_same_verdict(raw: dict) -> None:
    # jsonschema-rs decides a valid fixture file alone (no jsonschema import at start-up); it must
    # never pass a file that jsonschema, which explains refusals, would refuse, nor the reverse.
    from importlib import resources

    from jsonschema import Draft202012Validator

    from msgflash_lint import api

    schema = json.loads(resources.files("mock_server").joinpath("fixtures.schema.json").read_text("utf-8"))
    assert api.fast_verdict(schema, raw) == Draft202012Validator(schema).is_valid(raw)


def test_missing_fixture_file_is_refused_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--fixtures", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "cannot read" in result.output


@pytest.fixture(scope="module")
def roomy_client():
    """One app for the property tests of this module (hypothesis runs many examples per test):
    the bundled fixtures with limits no example reaches."""
    fixtures = json.loads(bundled_fixtures_text())
    fixtures["accounts"][0]["rateLimitPerSecond"] = 10**6
    fixtures["accounts"][0]["monthlyOutboundQuota"] = 10**9
    app = create_app(load_fixtures(json.dumps(fixtures)))
    yield app.test_client()
    app.extensions["msgflash_mock_webhooks"].close()


def _with_known_ids(kind: str, payload: dict) -> dict:
    """Point the generated ids at fixture objects, so only the payload's shape is under test."""
    payload = dict(payload)
    if kind in ("send", "schedule"):
        payload["instanceId"] = INSTANCE
        if "templateId" in payload:
            payload.update(templateId=TEMPLATE, contactId=CONTACT, variables={"code": "PROMO10"})
        elif "contactId" in payload:
            payload["contactId"] = CONTACT
    return payload


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(sorted(ENDPOINTS)).flatmap(lambda k: payloads(k).map(lambda p: (k, p))))
def test_mock_accepts_every_strategy_payload(roomy_client, kind_and_payload) -> None:
    kind, payload = kind_and_payload
    payload = _with_known_ids(kind, payload)
    note(json.dumps(payload))
    assert lint_text(json.dumps(payload), kind=kind) == []
    reply = roomy_client.post(ENDPOINTS[kind], json=payload, headers={"x-api-key": ALPHA})
    assert reply.status_code == 201, reply.json


_BREAKAGES = {
    "drop": lambda payload, field: {k: v for k, v in payload.items() if k != field},
    "retype": lambda payload, field: {**payload, field: {"wrong": "type"} if not isinstance(payload[field], dict) else "x"},
    "empty": lambda payload, field: {**payload, field: ""},
}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(sorted(ENDPOINTS)).flatmap(lambda k: payloads(k).map(lambda p: (k, p))), st.data())
def test_what_the_linter_rejects_the_mock_rejects_with_the_same_codes(roomy_client, kind_and_payload, data) -> None:
    kind, payload = kind_and_payload
    payload = _with_known_ids(kind, payload)
    # contactId and variables of a template send are judged against the stored template: the
    # linter sees that only with the template file in the run (MFL301/302, tested elsewhere).
    fields = sorted(set(payload) - ({"contactId", "variables"} if "templateId" in payload else set()))
    field = data.draw(st.sampled_from(fields))
    broken = _BREAKAGES[data.draw(st.sampled_from(sorted(_BREAKAGES)))](payload, field)
    note(json.dumps(broken))
    errors = [d for d in lint_text(json.dumps(broken), kind=kind) if d.severity is Severity.ERROR]
    reply = roomy_client.post(ENDPOINTS[kind], json=broken, headers={"x-api-key": ALPHA})
    if not errors:
        assert reply.status_code == 201, reply.json
        return
    expected = {RULES[[r.code for r in RULES].index(d.code)].api_error for d in errors}
    assert reply.status_code == 400
    assert reply.json["error"]["code"] in expected
    if reply.json["error"]["code"] == "VALIDATION_ERROR":
        assert {d["code"] for d in reply.json["error"]["details"]} == {d.code for d in errors if d.code.startswith("MFL2")}


_PLACEHOLDERS = st.sampled_from([
    "{{contact.firstName}}", "{{contcat.name}}", "{{firstName}}", "{{custom}}", "{{custom.a-b}}", "{{}}",
    "{{contact.email}}", "{{custom.a.b}}", "{{ custom.code }}", "{{contact.name | upper}}", "{{{x}}}", "}}", "{{x",
])


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab ,\n", max_size=5), _PLACEHOLDERS), min_size=1, max_size=4))
def test_template_bodies_get_the_same_verdict_from_linter_and_mock(roomy_client, parts) -> None:
    body = "".join(free + placeholder for free, placeholder in parts)
    payload = {"name": "t", "type": "text", "body": body}
    note(body)
    errors = [d for d in lint_text(json.dumps(payload), kind="template") if d.severity is Severity.ERROR]
    invalid = {d.code for d in errors if RULES[[r.code for r in RULES].index(d.code)].api_error == "TEMPLATE_INVALID"}
    reply = roomy_client.post("/api/v1/templates", json=payload, headers={"x-api-key": ALPHA})
    if invalid:
        assert reply.json["error"]["code"] == "TEMPLATE_INVALID"
        assert {d["code"] for d in reply.json["error"]["details"]} == invalid
    else:
        # What is left (unknown fields, custom.a.b) is rejected at send time: TEMPLATE_VARIABLES_MISSING (D5).
        assert reply.status_code == 201, reply.json


@pytest.mark.parametrize("code", sorted(ERROR_STATUS))
def test_mock_error_header_reproduces_every_documented_code(client, code: str) -> None:
    reply = client.get("/api/v1/instances", headers={"x-api-key": ALPHA, "X-Mock-Error": code})
    assert reply.status_code == ERROR_STATUS[code]
    assert reply.json["error"]["code"] == code and reply.json["error"]["details"] == []


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["type", "text", "to", "instanceId", "templateId", "name", "body", "recipients",
                         "buttons", "variables", "status", "contactIds", "url", "events", "schedule", "x"]),
        inner, max_size=5),
    max_leaves=12)
_WRITE_ROUTES = [
    ("POST", "/api/v1/messages/send"), ("POST", "/api/v1/messages/schedule"), ("POST", "/api/v1/campaigns"),
    ("POST", "/api/v1/templates"), ("PUT", f"/api/v1/templates/{TEMPLATE}"),
    ("POST", f"/api/v1/templates/{TEMPLATE}/preview"), ("POST", "/api/v1/contacts"),
    ("PUT", f"/api/v1/contacts/{CONTACT}"), ("POST", "/api/v1/contacts/groups"),
    ("POST", "/api/v1/contacts/groups/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/members"),
    ("POST", "/api/v1/webhooks"), ("POST", "/_mock/messages/00000000-0000-4000-8000-000000000000/advance"),
]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=300)
@given(st.sampled_from(_WRITE_ROUTES), _ANY_JSON)
def test_no_body_makes_the_mock_answer_500(roomy_client, route, body) -> None:
    method, path = route
    reply = roomy_client.open(path, method=method, json=body, headers={"x-api-key": ALPHA})
    assert reply.status_code < 500, reply.json
    assert set(reply.json) == ({"error"} if reply.status_code >= 400 else {"data"})
