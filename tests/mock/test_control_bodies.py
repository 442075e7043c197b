"""The control API's request bodies are JSON Schemas (mock_server/control/schemas/), checked by the pipeline."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from mock_server import create_app
from mock_server.control.faults import AnswerError, DropConnection, effect_of
from mock_server.web.bodies import mock_body_schema
from mock_server.web.operations import declared_operation

CONTROL_SCHEMAS = resources.files("mock_server.control").joinpath("schemas")
SCHEMA_FILES = sorted(path.name.removesuffix(".schema.json") for path in CONTROL_SCHEMAS.iterdir()
                      if path.name.endswith(".schema.json"))


def test_every_control_schema_is_valid_and_used_by_a_route() -> None:
    """Each body schema checks a route's body; each of answers.schema.json's shapes is a route's answer."""
    app = create_app()
    declared = [declared_operation(app.view_functions[rule.endpoint]) for rule in app.url_map.iter_rules()]
    bodies = [name for name in SCHEMA_FILES if name != "answers"]
    assert set(bodies) <= {operation.mock_body for operation in declared}
    for name in bodies:
        Draft202012Validator.check_schema(mock_body_schema(name))
    answers = json.loads(CONTROL_SCHEMAS.joinpath("answers.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(answers)
    shown = {operation.mock_answer for operation in declared}
    assert set(answers["$defs"]) - {"request", "delivery"} <= shown  # those two are list items


def test_every_control_post_with_a_body_declares_its_schema() -> None:
    app = create_app()
    undeclared = [rule.rule for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/_mock/") and "POST" in rule.methods
                  and declared_operation(app.view_functions[rule.endpoint]).takes_body
                  and declared_operation(app.view_functions[rule.endpoint]).mock_body is None]
    assert undeclared == []


def test_the_fault_schema_lists_exactly_the_documented_error_codes() -> None:
    from mock_server.state.errors import ERROR_STATUS

    assert mock_body_schema("fault")["$defs"]["errorCode"]["enum"] == sorted(ERROR_STATUS)


@pytest.mark.parametrize(("body", "effect"), [
    ({"route": "GET /x", "error": "PROVIDER_TIMEOUT"}, AnswerError("PROVIDER_TIMEOUT")),
    ({"route": "GET /x", "error": "NOT_FOUND", "message": "gone", "latencyMs": 5}, AnswerError("NOT_FOUND", "gone")),
    ({"route": "GET /x", "drop": True, "latencyMs": 5}, DropConnection()),
    ({"route": "GET /x", "latencyMs": 5}, None),
])
def test_a_fault_is_an_error_a_drop_or_latency_alone(body, effect) -> None:
    assert effect_of(body) == effect


@pytest.mark.parametrize(("body", "field", "message"), [
    ({}, "route", "`route` must be \"METHOD /api/v1/path\""),
    ({"route": "GET /x"}, "error", "a fault needs `error`, `drop` or `latencyMs`"),
    ({"route": "GET /x", "error": "NOPE"}, "error", "`error` must be a documented error code, not 'NOPE'"),
    ({"route": "GET /x", "latencyMs": True}, "latencyMs", "`latencyMs` must be a number of milliseconds"),
    ({"route": "GET /x", "drop": "yes"}, "drop", "`drop` must be true or false"),
    ({"route": "GET /x", "drop": True, "share": 0}, "share", "`share` must be a number above 0, at most 1"),
])
def test_a_refused_fault_names_its_first_bad_member_in_the_schemas_words(client, body, field, message) -> None:
    reply = client.post("/_mock/faults", json=body)
    assert reply.status_code == 400
    error = reply.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["message"].startswith(message)
    assert error["details"] == [{"field": field, "message": error["message"]}]


def test_clock_and_lifecycle_bodies_are_checked_against_their_schemas(client) -> None:
    refused = client.post("/_mock/clock/advance", json={"seconds": "soon"}).get_json()["error"]
    assert refused["details"] == [{"field": "seconds", "message": "not a number of seconds"}]
    assert client.post("/_mock/clock/advance", json={}).get_json()["error"]["details"][0]["field"] == "seconds"
    assert client.post("/_mock/clock", json={"freeze": 1}).get_json()["error"]["message"] == \
        "`freeze` must be true or false"
    assert client.post("/_mock/lifecycle", json={"read": -1}).get_json()["error"]["message"] == \
        "`read` must be a number of seconds, at least 0"
    assert client.post("/_mock/lifecycle", json={"sent": 1, "read": 2}).status_code == 200
