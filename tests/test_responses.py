"""The response contract (schemas/responses.schema.json) and check_response, the public drift check."""

from __future__ import annotations

import pytest

from msgflash_lint import contract
from msgflash_lint.responses import check_response, common_errors, error_codes, operation_for, operations

DEFINITIONS = contract.load_schema("responses")["$defs"]
INSTANCE = {"id": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "name": "Support", "waNumber": "+22990000002",
            "status": "connected", "webhook": None, "meta": None, "deletedAt": None,
            "createdAt": "2026-04-01T10:00:00.000Z", "updatedAt": "2026-04-01T10:00:00.000Z"}


@pytest.mark.parametrize("name", [n for n, d in DEFINITIONS.items() if "examples" in d])
def test_each_documented_example_fits_its_definition(name: str) -> None:
    definition = DEFINITIONS[name]
    assert definition["x-msgflash-example-source"].startswith("pages/")
    operation = next((op for op in operations().values() if name in op.responses.values()), None)
    for example in definition["examples"]:
        if name == "webhookEvent":  # a body MsgFlash sends, not an answer: checked against its definition
            from jsonschema import Draft202012Validator

            assert list(Draft202012Validator(definition).iter_errors(example)) == []
        elif operation is None:
            assert check_response("GET", "/api/v1/instances", 400, example) == []
        else:
            status = int(next(s for s, d in operation.responses.items() if d == name))
            assert check_response(operation.method, operation.path, status, {"data": example}) == []


def test_every_operation_names_known_definitions_and_documented_errors() -> None:
    for operation in operations().values():
        assert operation.summary and operation.path.startswith("/api/v1/")
        assert set(operation.responses.values()) <= set(DEFINITIONS), operation.key
        assert set(operation.errors) <= set(error_codes()), operation.key
    assert set(common_errors()) <= set(error_codes())


def test_error_table_has_the_documented_statuses() -> None:
    codes = error_codes()
    assert codes["INVALID_DESTINATION"][0] == 422
    assert {codes[c][0] for c in ("PROVIDER_TIMEOUT", "PROVIDER_UNAVAILABLE", "PROVIDER_ERROR")} == {502}
    assert codes["TEAM_NOT_FOUND"][0] == 404 and codes["TEAM_KEY_NOT_ALLOWED"][0] == 403
    assert codes["INVITE_DUPLICATE_MEMBER"][0] == 409 and codes["INVITE_INVALID_OR_EXPIRED"][0] == 400


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("GET", "/api/v1/contacts/groups", "GET /api/v1/contacts/groups"),
    ("GET", "https://srv.msgflash.com/api/v1/contacts/groups/abc?limit=2", "GET /api/v1/contacts/groups/{id}"),
    ("GET", "/contacts/abc", "GET /api/v1/contacts/{id}"),
    ("POST", "/api/v1/contacts/bulk-delete", "POST /api/v1/contacts/bulk-delete"),
    ("GET", "/api/v1/contacts/bulk-jobs/", "GET /api/v1/contacts/bulk-jobs"),
    ("delete", "/api/v1/contacts/groups/g/members", "DELETE /api/v1/contacts/groups/{id}/members"),
])
def test_requests_find_their_operation_static_segments_first(method, path, expected) -> None:
    assert operation_for(method, path).key == expected


def test_a_matching_response_has_no_finding() -> None:
    assert check_response("GET", "/api/v1/instances", 200, {"data": [INSTANCE]}) == []


def test_drift_is_reported_with_json_pointers() -> None:
    drifted = {**INSTANCE, "status": "online"}
    del drifted["waNumber"]
    findings = check_response("GET", "https://srv.msgflash.com/api/v1/instances", 200, {"data": [INSTANCE, drifted]})
    assert sorted((f.pointer, "waNumber" in f.message or "online" in f.message) for f in findings) == [
        ("/data/1", True), ("/data/1/status", True)]


def test_empty_object_where_null_is_documented_is_a_finding() -> None:
    findings = check_response("GET", "/api/v1/instances/x", 200, {"data": {**INSTANCE, "deletedAt": {}}})
    assert [f.pointer for f in findings] == ["/data/deletedAt"]


def test_undocumented_status_route_and_code_are_findings() -> None:
    [status] = check_response("GET", "/api/v1/instances", 202, {"data": []})
    assert "status 202 is not documented" in status.message
    [route] = check_response("GET", "/api/v1/campaigns", 200, {"data": []})
    assert "not a documented operation" in route.message
    [code] = check_response("GET", "/api/v1/instances", 400, {"error": {"code": "NOPE", "message": "x"}})
    assert code.pointer == "/error/code"
    [status_of_code] = check_response("GET", "/api/v1/instances", 400, {"error": {"code": "NOT_FOUND", "message": "x"}})
    assert "404" in status_of_code.message


def test_error_envelope_shape_is_checked_on_any_route() -> None:
    assert check_response("GET", "/api/v1/nowhere", 404, {"error": {"code": "NOT_FOUND", "message": "No route"}}) == []
    [finding] = check_response("POST", "/api/v1/messages/send", 400, {"message": "bad"})
    assert finding.pointer == "" and "'error' is a required property" in finding.message
