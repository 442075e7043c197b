"""The account's own reads (/me, /usage, /billing/*) and team keys."""

from __future__ import annotations

import pytest

from tests.mock.conftest import BETA, INSTANCE, TEAM, TEAM_INSTANCE, TEAM_KEY, send_body, unknown_ids


def test_a_team_key_works_in_its_own_workspace_only_with_its_team_id(api) -> None:
    team = {"X-Team-Id": TEAM}
    assert api.get("/api/v1/instances", key=TEAM_KEY).error_code == "UNAUTHORIZED"
    assert api.get("/api/v1/instances", key=TEAM_KEY, headers={"X-Team-Id": unknown_ids(1)[0]}).status == 401
    assert [i["id"] for i in api.get("/api/v1/instances", key=TEAM_KEY, headers=team).data] == [TEAM_INSTANCE]
    assert api.get(f"/api/v1/instances/{INSTANCE}", key=TEAM_KEY, headers=team).status == 404
    before = api.get("/api/v1/usage").data["usage"]["messagesCount"]
    sent = api.post("/api/v1/messages/send", {"instanceId": TEAM_INSTANCE, "to": "+22990000010", "type": "text",
                                              "text": "Bonjour"}, key=TEAM_KEY, headers=team)
    assert sent.status == 201
    # The team uses its owner's subscription: the owner's usage counts the message.
    assert api.get("/api/v1/usage").data["usage"]["messagesCount"] == before + 1
    assert api.get(f"/api/v1/messages/{sent.data['id']}").status == 404


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/usage", "/api/v1/billing/usage",
                                  "/api/v1/billing/subscription", "/api/v1/billing/payments"])
def test_personal_routes_refuse_team_keys(api, path) -> None:
    reply = api.get(path, key=TEAM_KEY, headers={"X-Team-Id": TEAM})
    assert (reply.status, reply.error_code) == (403, "TEAM_KEY_NOT_ALLOWED")


def test_plan_catalogue_is_open_to_team_keys_and_personal_keys_refuse_x_team_id(api) -> None:
    assert api.get("/api/v1/billing/plans", key=TEAM_KEY, headers={"X-Team-Id": TEAM}).status == 200
    refused = api.get("/api/v1/instances", headers={"X-Team-Id": TEAM})
    assert (refused.status, refused.error_code) == (403, "TEAM_KEY_REQUIRED")


def test_me_is_the_key_owner(api) -> None:
    me = api.get("/api/v1/me").data
    assert (me["fullName"], me["email"], me["plan"]["code"]) == ("Awa Mensah", "awa@example.com", "pro")
    assert api.get("/api/v1/me", key=BETA).data["plan"]["code"] == "free"


def test_plans_subscription_and_usage_agree(api) -> None:
    plans = {p["code"]: p for p in api.get("/api/v1/billing/plans").data}
    assert list(plans) == ["free", "pro", "max"]
    assert plans["pro"]["priceEur"] == 19 and plans["max"]["limits"]["maxInstances"] == 20
    # FCFA at the plans page's own rate (9 € = 7,200 FCFA).
    assert (plans["pro"]["priceFcfa"], plans["max"]["priceFcfa"]) == (15200, 31200)
    subscription = api.get("/api/v1/billing/subscription").data
    usage = api.get("/api/v1/billing/usage").data
    assert subscription["subscription"]["plan"]["code"] == usage["plan"]["code"] == "pro"
    assert subscription["subscription"]["plan"]["limits"] == usage["limits"]
    assert subscription["subscription"]["scheduledPlan"] is None
    assert usage["period"]["end"].endswith("T23:59:59.999Z") and usage["period"]["start"].endswith("-01T00:00:00.000Z")


def test_payments_page_by_page(api) -> None:
    first = api.get("/api/v1/billing/payments?limit=1").data
    assert (first["total"], first["page"], first["totalPages"]) == (2, 1, 2)
    assert first["payments"][0]["amount"] == 1900 and first["payments"][0]["currency"] == "EUR"
    second = api.get("/api/v1/billing/payments?limit=1&page=2").data
    assert second["payments"][0]["createdAt"] == second["payments"][0]["periodStart"]  # the fixture default
    assert api.get("/api/v1/billing/payments?page=0").error_code == "VALIDATION_ERROR"
    assert api.get("/api/v1/billing/payments", key=BETA).data == {"payments": [], "total": 0, "page": 1, "totalPages": 0}


def test_monthly_counters_start_again_in_a_new_month(api, frozen) -> None:
    api.post("/_mock/clock", {"freeze": True, "at": "2026-05-31T23:00:00Z"}, key=None)
    api.post("/api/v1/messages/send", send_body(type="text", text="Hi"))
    usage = api.get("/api/v1/usage").data
    assert usage["usage"]["messagesCount"] == 1 and usage["period"]["start"] == "2026-05-01T00:00:00.000Z"
    frozen(3600)
    usage = api.get("/api/v1/usage").data
    assert usage["usage"]["messagesCount"] == 0 and usage["usage"]["apiRequestsCount"] == 1
    assert usage["period"] == {"start": "2026-06-01T00:00:00.000Z", "end": "2026-06-30T23:59:59.999Z"}


def test_usage_reports_counters(api) -> None:
    api.post("/api/v1/messages/send", send_body(type="text", text="x"))
    usage = api.get("/api/v1/billing/usage").data
    assert usage["plan"] == {"code": "pro", "name": "Pro"}
    assert usage["usage"]["messagesCount"] == 1 and usage["usage"]["effectiveOutboundUsage"] == 1
    assert api.get("/api/v1/usage").data["limits"] == usage["limits"]
