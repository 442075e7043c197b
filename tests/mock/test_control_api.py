"""The mock-only control API: reset, journal, faults, account changes, lifecycle, clock, who may call it."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from tests.mock.conftest import ALPHA, BETA, CONTACT, INSTANCE, assert_envelope, raw_request, send_body


def text_message(**fields) -> dict:
    return send_body(type="text", text="Hi", **fields)


def test_the_journal_records_requests_and_answers_with_keys_and_secrets_redacted(api) -> None:
    api.post("/api/v1/messages/send", text_message())
    api.post("/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["message.sent"]})
    api.get("/api/v1/messages/nope", key=BETA)
    journal = api.get("/_mock/requests", key=None).data
    assert [(e["method"], e["route"], e["response"]["status"]) for e in journal] == [
        ("POST", "/api/v1/messages/send", 201), ("POST", "/api/v1/webhooks", 201), ("GET", "/api/v1/messages/{id}", 404)]
    assert journal[0]["body"]["to"] == "+33612345678" and journal[0]["response"]["body"]["data"]["status"] == "queued"
    assert journal[1]["response"]["body"]["data"]["secret"] == "[redacted]"
    assert {e["apiKey"] for e in journal} == {"msgf_live_…lpha", "msgf_live_…beta"}
    assert ALPHA not in json.dumps(journal)
    assert "/_mock/" not in json.dumps([e["path"] for e in journal])


def test_the_journal_filters(api) -> None:
    api.post("/api/v1/messages/send", text_message())
    api.post("/api/v1/messages/send", text_message(to="0612"))
    api.get(f"/api/v1/instances/{INSTANCE}")
    assert len(api.get("/_mock/requests?method=POST", key=None).data) == 2
    assert [e["response"]["status"] for e in api.get("/_mock/requests?status=400", key=None).data] == [400]
    assert len(api.get("/_mock/requests?path=/api/v1/instances/{id}", key=None).data) == 1
    assert len(api.get(f"/_mock/requests?path=/api/v1/instances/{INSTANCE}", key=None).data) == 1
    assert len(api.get("/_mock/requests?limit=1", key=None).data) == 1
    assert api.get("/_mock/requests?limit=x", key=None).error_code == "VALIDATION_ERROR"
    api.post("/_mock/reset", key=None)
    assert api.get("/_mock/requests", key=None).data == []


def test_journal_ids_start_again_at_one_after_a_reset(api) -> None:
    """A failure message says "#1" in a test that sent one request, whatever ran before it."""
    api.post("/api/v1/messages/send", text_message())
    api.post("/api/v1/messages/send", text_message())
    assert [e["id"] for e in api.get("/_mock/requests", key=None).data] == [1, 2]
    api.post("/_mock/reset", key=None)
    api.get(f"/api/v1/instances/{INSTANCE}")
    assert [e["id"] for e in api.get("/_mock/requests", key=None).data] == [1]


def test_a_fault_answers_its_error_for_the_next_n_requests(api) -> None:
    rule = api.post("/_mock/faults", {"route": "POST /api/v1/messages/send", "error": "PROVIDER_TIMEOUT", "times": 2},
                    key=None)
    assert rule.status == 201
    codes = [api.post("/api/v1/messages/send", text_message()).status for _ in range(3)]
    assert codes == [502, 502, 201]
    assert api.get("/api/v1/instances").status == 200  # another route is untouched
    listed = api.get("/_mock/faults", key=None).data
    assert (listed[0]["timesLeft"], listed[0]["applied"]) == (0, 2)
    assert api.call("DELETE", "/_mock/faults", key=None).status == 200
    assert api.get("/_mock/faults", key=None).data == []


def test_a_fault_can_be_limited_to_one_key_and_a_route_with_ids(api) -> None:
    api.post("/_mock/faults", {"route": "GET /api/v1/instances/{id}", "error": "API_RATE_LIMIT_EXCEEDED",
                               "apiKey": BETA}, key=None)
    assert api.get(f"/api/v1/instances/{INSTANCE}").status == 200
    limited = api.get("/api/v1/instances/e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b", key=BETA)
    assert (limited.status, limited.error_code, limited.headers["Retry-After"]) == (429, "API_RATE_LIMIT_EXCEEDED", "1")


def test_a_share_of_requests_fails_the_same_way_on_every_run(api) -> None:
    def pattern() -> list[int]:
        api.post("/_mock/reset", key=None)
        api.post("/_mock/faults", {"route": "* /api/v1/instances", "error": "PROVIDER_UNAVAILABLE", "share": 0.5,
                                   "seed": 7}, key=None)
        return [api.get("/api/v1/instances").status for _ in range(20)]

    first = pattern()
    assert first == pattern() and 3 < first.count(502) < 17


def test_latency_is_added_and_a_drop_closes_the_connection_without_an_answer(api, server_url) -> None:
    import time

    api.post("/_mock/faults", {"route": "GET /api/v1/instances", "latencyMs": 200, "times": 1}, key=None)
    started = time.perf_counter()
    assert api.get("/api/v1/instances").status == 200
    assert time.perf_counter() - started >= 0.2
    api.post("/_mock/faults", {"route": "POST /api/v1/messages/send", "drop": True, "times": 1}, key=None)
    parts = urlsplit(server_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("POST", "/api/v1/messages/send", json.dumps(text_message()),
                       {"x-api-key": ALPHA, "Content-Type": "application/json"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        connection.getresponse()
    connection.close()
    assert api.post("/api/v1/messages/send", text_message()).status == 201  # only the next one was dropped
    dropped = api.get("/_mock/requests?path=/api/v1/messages/send", key=None).data[0]
    assert dropped["response"]["status"] == 0


@pytest.mark.parametrize(("rule", "field"), [
    ({"error": "PROVIDER_TIMEOUT"}, "route"),
    ({"route": "POST /x", "error": "NOPE"}, "error"),
    ({"route": "POST /x"}, "error"),
    ({"route": "POST /x", "error": "NOT_FOUND", "times": 0}, "times"),
    ({"route": "POST /x", "error": "NOT_FOUND", "share": 2}, "share"),
    ({"route": "POST /api/v1/messages/send", "error": "NOT_FOUND", "apiKey": "msgf_live_nobody"}, "apiKey"),
    ({"route": "POST /x", "latencyMs": -1}, "latencyMs"),
])
def test_a_fault_rule_that_cannot_work_is_refused(api, rule, field) -> None:
    reply = api.post("/_mock/faults", rule, key=None)
    assert reply.error_code == "VALIDATION_ERROR" and reply.body["error"]["details"][0]["field"] == field


def test_an_account_change_holds_until_the_next_reset(api) -> None:
    changed = api.post("/_mock/accounts", {"apiKey": ALPHA, "whatsappBusiness": False, "rateLimitPerSecond": 50,
                                           "contacts": [{"phone": "+22990000077", "name": "New"}],
                                           "instances": [{"id": INSTANCE, "status": "disconnected"}]}, key=None)
    assert changed.status == 200 and changed.data["rateLimitPerSecond"] == 50
    buttons = send_body(type="buttons", title="t", description="d",
                        buttons=[{"type": "reply", "displayText": "Yes", "id": "y"}])
    assert api.post("/api/v1/messages/send", buttons).error_code == "UNSUPPORTED_FEATURE"
    assert api.get(f"/api/v1/instances/{INSTANCE}").data["status"] == "disconnected"
    assert api.get("/api/v1/contacts?search=New").data["total"] == 1
    api.post("/_mock/reset", key=None)
    assert api.get(f"/api/v1/instances/{INSTANCE}").data["status"] == "connected"
    assert api.get("/api/v1/contacts?search=New").data["total"] == 0


def test_an_account_change_is_checked_against_the_fixture_format(api) -> None:
    assert api.post("/_mock/accounts", {"plan": "gold"}, key=None).error_code == "VALIDATION_ERROR"
    assert api.post("/_mock/accounts", {"apiKey": "msgf_live_nobody"}, key=None).error_code == "VALIDATION_ERROR"
    assert api.post("/_mock/accounts", {"contacts": [{"name": "no phone"}]}, key=None).error_code == "VALIDATION_ERROR"


def test_the_automatic_lifecycle_moves_messages_with_the_clock(api) -> None:
    api.post("/_mock/clock", {"freeze": True}, key=None)
    assert api.post("/_mock/lifecycle", {"sent": 1, "delivered": 3}, key=None).data == {"sent": 1.0, "delivered": 3.0}
    message = api.post("/api/v1/messages/send", text_message()).data
    api.post("/_mock/clock/advance", {"seconds": 1}, key=None)
    assert api.get(f"/api/v1/messages/{message['id']}").data["status"] == "sent"
    api.post("/_mock/clock/advance", {"seconds": 5}, key=None)
    assert api.get(f"/api/v1/messages/{message['id']}").data["status"] == "delivered"
    assert api.post("/_mock/lifecycle", {"sent": 5, "delivered": 1}, key=None).error_code == "VALIDATION_ERROR"


def test_the_root_points_at_the_contract_and_the_controls(api) -> None:
    index = api.get("/", key=None).data
    assert index["openapi"] == "/openapi.json" and index["api"] == "/api/v1"
    assert {"/_mock/reset", "/_mock/requests", "/_mock/faults", "/_mock/clock"} <= set(index["control"])


def test_reset_restores_the_fixture_state(api) -> None:
    api.post("/api/v1/messages/send", send_body(type="text", text="x"))
    api.call("DELETE", f"/api/v1/contacts/{CONTACT}")
    api.post("/_mock/reset", key=None)
    assert api.get("/api/v1/messages").data["messages"] == []
    assert api.get(f"/api/v1/contacts/{CONTACT}").status == 200


def test_clock_control_refuses_bad_input(api) -> None:
    assert api.post("/_mock/clock/advance", {"seconds": -1}, key=None).error_code == "VALIDATION_ERROR"
    assert api.post("/_mock/clock", {"freeze": True, "at": "soon"}, key=None).error_code == "VALIDATION_ERROR"
    at = api.post("/_mock/clock", {"freeze": True, "at": "2030-01-01T00:00:00Z"}, key=None).data
    assert at == {"now": "2030-01-01T00:00:00.000Z", "frozen": True}
    assert api.post("/_mock/clock", {"freeze": False}, key=None).data["frozen"] is False


@pytest.mark.parametrize("headers, code", [
    ({"Origin": "https://evil.example"}, "FORBIDDEN"),
    ({"Origin": "null"}, "FORBIDDEN"),
    ({"Host": "evil.example:80"}, "FORBIDDEN"),
    ({"Host": "127.attacker.example"}, "FORBIDDEN"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, "BAD_REQUEST"),
    ({"Content-Type": "text/plain"}, "BAD_REQUEST"),
])
def test_control_routes_refuse_foreign_callers(api, headers: dict, code: str) -> None:
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    body = b"status=failed" if "Content-Type" in headers else None
    for path in ("/_mock/reset", f"/_mock/messages/{message['id']}/advance"):
        status, content_type, payload = raw_request(api.base_url, "POST", path, body, headers)
        assert status == (403 if code == "FORBIDDEN" else 400)
        assert_envelope(status, content_type, payload, code)
    assert api.get(f"/api/v1/messages/{message['id']}").data["status"] == "queued"


def test_control_routes_accept_loopback_callers(api) -> None:
    for origin in ("http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:9000"):
        status, _, _ = raw_request(api.base_url, "POST", "/_mock/reset", headers={"Origin": origin})
        assert status == 200
    status, _, _ = raw_request(api.base_url, "POST", "/_mock/reset", b"{}", {"Content-Type": "application/json",
                                                                           "Host": "localhost"})
    assert status == 200


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59Z", "9999-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                                "1969-12-31T23:59:59Z"])
def test_the_clock_refuses_an_instant_it_cannot_show_and_says_its_range(api, at) -> None:
    refused = api.post("/_mock/clock", {"freeze": True, "at": at}, key=None)
    assert (refused.status, refused.error_code) == (400, "VALIDATION_ERROR")
    assert "1970-01-01T00:00:00.000Z" in refused.body["error"]["message"]
    assert "9999-01-01T00:00:00.000Z" in refused.body["error"]["message"]
    assert api.get("/api/v1/instances").status == 200  # nothing was changed: the API still answers


def test_the_clock_at_its_edges_writes_four_digit_years_and_refuses_to_move_past_them(api) -> None:
    earliest = api.post("/_mock/clock", {"freeze": True, "at": "1970-01-01T00:00:00Z"}, key=None).data
    assert earliest["now"] == "1970-01-01T00:00:00.000Z"
    latest = api.post("/_mock/clock", {"freeze": True, "at": "9998-12-31T23:59:59Z"}, key=None).data
    assert latest["now"] == "9998-12-31T23:59:59.000Z"
    sent = api.post("/api/v1/messages/send", send_body(type="text", text="Hi"))
    assert sent.status == 201 and sent.data["createdAt"] == "9998-12-31T23:59:59.000Z"
    assert api.get("/api/v1/billing/usage").status == 200
    moved = api.post("/_mock/clock/advance", {"seconds": 1}, key=None)  # 9999-01-01 is out
    assert (moved.status, moved.body["error"]["details"][0]["field"]) == (400, "seconds")
    assert api.get("/_mock/clock", key=None).data["now"] == "9998-12-31T23:59:59.000Z"


@pytest.mark.parametrize(("route", "meant"), [("POST /api/v1/messages/sned", "POST /api/v1/messages/send"),
                                               ("POST /api/v1/message/send", "POST /api/v1/messages/send"),
                                               ("DELETE /api/v1/messages/send", "POST /api/v1/messages/send")])
def test_a_fault_on_a_route_that_does_not_exist_is_refused_with_what_was_meant(api, route, meant) -> None:
    refused = api.post("/_mock/faults", {"route": route, "error": "PROVIDER_TIMEOUT"}, key=None)
    assert (refused.status, refused.error_code) == (400, "VALIDATION_ERROR")
    assert f"did you mean `{meant}`?" in refused.body["error"]["message"]
    assert api.get("/_mock/faults", key=None).data == []


@pytest.mark.parametrize("route", ["POST /api/v1/messages/send", "GET /api/v1/messages/{id}", "* /api/v1/messages/{id}",
                                   f"GET /api/v1/instances/{INSTANCE}"])
def test_a_fault_on_a_route_or_a_path_of_the_api_is_accepted(api, route) -> None:
    assert api.post("/_mock/faults", {"route": route, "error": "PROVIDER_TIMEOUT"}, key=None).status == 201


def test_a_misspelled_account_change_says_what_it_meant(api) -> None:
    refused = api.post("/_mock/accounts", {"plann": "free", "limits": {"maxInstances": 2}}, key=None)
    assert refused.status == 400 and "did you mean `plann` → `plan`?" in refused.body["error"]["message"]
    nested = api.post("/_mock/accounts", {"limits": {"maxInstancez": 2}}, key=None)
    assert "did you mean `maxInstancez` → `maxInstances`?" in nested.body["error"]["message"]
