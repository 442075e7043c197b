"""The documented errors: every refusal in its envelope and with its status, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.state.errors import ERROR_STATUS
from msgflash_lint.registry import RULES
from tests.mock.conftest import ALPHA, BETA, CONTACT, INACTIVE, TEMPLATE, TIGHT, assert_envelope, raw_request, send_body

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


def test_unauthorized_without_or_with_unknown_key(api) -> None:
    for key in (None, "msgf_live_nope"):
        reply = api.get("/api/v1/instances", key=key)
        assert (reply.status, reply.error_code) == (401, "UNAUTHORIZED")
        assert set(reply.body["error"]) == {"code", "message", "details"}


def test_validation_error_lists_rule_codes_and_pointers(api) -> None:
    reply = api.post("/api/v1/messages/send", send_body(type="image", to="0612345678"))
    assert (reply.status, reply.error_code) == (400, "VALIDATION_ERROR")
    details = {(d["code"], d["pointer"]) for d in reply.body["error"]["details"]}
    assert details == {("MFL204", "/to"), ("MFL201", "")}


def test_bad_request_for_malformed_json_wrong_content_type_and_huge_body(api) -> None:
    assert api.post("/api/v1/messages/send", raw=b'{"to": ').error_code == "BAD_REQUEST"
    assert api.post("/api/v1/messages/send", raw=b"{}", content_type="text/plain").error_code == "BAD_REQUEST"
    huge = api.post("/api/v1/messages/send", raw=b'{"text": "' + b"x" * (10 * 1024 * 1024) + b'"}')
    assert (huge.status, huge.error_code) == (400, "BAD_REQUEST")


def test_not_found_for_unknown_foreign_and_missing_things(api) -> None:
    foreign_instance = "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b"  # belongs to the beta account
    assert api.get(f"/api/v1/instances/{foreign_instance}").status == 404
    assert api.get(f"/api/v1/instances/{foreign_instance}", key=BETA).status == 200
    assert api.post("/api/v1/messages/send", send_body(instanceId=foreign_instance, type="text", text="x")).error_code == "NOT_FOUND"
    assert api.post("/api/v1/messages/send", send_body(templateId="11111111-2222-4333-8444-555555555555")).error_code == "NOT_FOUND"
    assert api.post("/api/v1/messages/send", send_body(type="contact", contactId="11111111-2222-4333-8444-555555555555")).error_code == "NOT_FOUND"
    assert api.get("/api/v1/messages/11111111-2222-4333-8444-555555555555").error_code == "NOT_FOUND"
    assert api.get("/api/v1/nowhere").error_code == "NOT_FOUND"
    assert api.call("PATCH", "/api/v1/instances").error_code == "NOT_FOUND"


def test_subscription_inactive(api) -> None:
    reply = api.post("/api/v1/messages/send", send_body(instanceId="a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d",
                                                        type="text", text="x"), key=INACTIVE)
    assert (reply.status, reply.error_code) == (403, "SUBSCRIPTION_INACTIVE")


def test_unsupported_feature_for_buttons_without_business(api) -> None:
    reply = api.post("/api/v1/messages/send", send_body(
        instanceId="e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b", type="buttons", title="t", description="d",
        buttons=[{"type": "reply", "displayText": "Oui", "id": "yes"}]), key=BETA)
    assert (reply.status, reply.error_code) == (403, "UNSUPPORTED_FEATURE")


def test_feature_not_available_for_voice_notes(api) -> None:
    reply = api.post("/api/v1/messages/send", send_body(
        instanceId="e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b", type="voice_note",
        mediaUrl="https://cdn.example.com/note.ogg"), key=BETA)
    assert (reply.status, reply.error_code) == (403, "FEATURE_NOT_AVAILABLE_ON_PLAN")


def test_monthly_outbound_quota(api) -> None:
    body = send_body(instanceId="b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e", type="text", text="x")
    assert api.post("/api/v1/messages/send", body, key=TIGHT).status == 201
    over = api.post("/api/v1/messages/send", body, key=TIGHT)
    assert (over.status, over.error_code) == (429, "MONTHLY_OUTBOUND_QUOTA_EXCEEDED")


def test_mock_error_header_forces_a_documented_error(api) -> None:
    forced = api.get("/api/v1/instances", headers={"X-Mock-Error": "SUBSCRIPTION_INACTIVE"})
    assert (forced.status, forced.error_code) == (403, "SUBSCRIPTION_INACTIVE")
    unknown = api.get("/api/v1/instances", headers={"X-Mock-Error": "TEAPOT"})
    assert unknown.status == 400 and "VALIDATION_ERROR" in unknown.body["error"]["message"]
    unauthenticated = api.get("/api/v1/instances", key=None, headers={"X-Mock-Error": "NOT_FOUND"})
    assert unauthenticated.error_code == "UNAUTHORIZED"


@pytest.mark.parametrize("query", ["limit=%C2%B2", "limit=%D9%A3", "page=" + "9" * 5000, "limit=" + "1" * 40,
                                   "page=-1", "limit=1e3"])
def test_query_integers_that_int_refuses_are_validation_errors(api, query: str) -> None:
    path = "/api/v1/templates" if query.startswith("page") else "/api/v1/contacts"
    status, content_type, payload = raw_request(api.base_url, "GET", f"{path}?{query}", headers={"x-api-key": ALPHA})
    assert status == 400
    assert_envelope(status, content_type, payload, "VALIDATION_ERROR")


def test_integer_too_long_to_read_is_bad_request(api) -> None:
    reply = api.post("/api/v1/contacts", raw=b'{"name": "A", "phone": "+33600000001", "meta": {"n": ' + b"9" * 5000 + b"}}")
    assert reply.status == 400 and reply.error_code == "BAD_REQUEST"


@pytest.mark.parametrize("method, path", [
    ("GET", "/api//v1/instances"), ("GET", "/api/v1//instances"), ("OPTIONS", "/api/v1/instances"),
    ("OPTIONS", "/api/v1/messages/send"), ("OPTIONS", "/openapi.json"), ("OPTIONS", "/_mock/reset"),
    ("TRACE", "/api/v1/instances"), ("GET", "/api/v1/instances/%ff"), ("GET", "/api/v1/contacts/%00"),
])
def test_odd_paths_and_methods_answer_the_json_envelope(api, method: str, path: str) -> None:
    status, content_type, payload = raw_request(api.base_url, method, path, headers={"x-api-key": ALPHA})
    assert status == 404
    assert_envelope(status, content_type, payload, "NOT_FOUND")


def test_unexpected_errors_are_enveloped_500_not_tracebacks(app) -> None:
    @app.get("/api/v1/_boom")
    def boom():  # a route that fails, standing for any bug
        raise RuntimeError("boom")

    reply = app.test_client().get("/api/v1/_boom", headers={"x-api-key": ALPHA})
    assert reply.status_code == 500
    assert reply.json == {"error": {"code": "INTERNAL_ERROR", "message": "Internal server error", "details": []}}


def test_every_api_error_in_the_registry_is_a_documented_code() -> None:
    assert {rule.api_error for rule in RULES if rule.api_error} <= set(ERROR_STATUS)


@pytest.mark.parametrize("code", sorted(ERROR_STATUS))
def test_mock_error_header_reproduces_every_documented_code(client, code: str) -> None:
    reply = client.get("/api/v1/instances", headers={"x-api-key": ALPHA, "X-Mock-Error": code})
    assert reply.status_code == ERROR_STATUS[code]
    assert reply.json["error"]["code"] == code and reply.json["error"]["details"] == []


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=300)
@given(st.sampled_from(_WRITE_ROUTES), _ANY_JSON)
def test_no_body_makes_the_mock_answer_500(roomy_client, route, body) -> None:
    method, path = route
    reply = roomy_client.open(path, method=method, json=body, headers={"x-api-key": ALPHA})
    assert reply.status_code < 500, reply.json
    assert set(reply.json) == ({"error"} if reply.status_code >= 400 else {"data"})
