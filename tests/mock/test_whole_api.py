"""The routes the whole-API issue brought in, over real HTTP to `msgflash-mock serve`.

Every answer is checked against schemas/responses.schema.json by the test client itself
(tests/mock/conftest.py), so these tests assert behaviour: statuses, errors, state, paging.
"""

from __future__ import annotations

import uuid

import pytest

from tests.mock.conftest import BETA, CONTACT, INSTANCE, send_body

VIP_GROUP = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
CARLA = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"
DISCONNECTED = "c4b3a291-8f7e-4d6c-9b5a-4938271605f4"
BETA_INSTANCE = "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b"
TEAM, TEAM_KEY = "7d9f1b3d-5f7a-4c9e-8b1d-3f5a7c9e1b3d", "msgf_team_alpha_support"
TEAM_INSTANCE = "4b6d8f0a-2c4e-4a6c-9e8a-0c2e4a6c8e0a"


def unknown_ids(count: int) -> list[str]:
    return [str(uuid.UUID(int=n + 1, version=4)) for n in range(count)]


@pytest.fixture
def frozen(api):
    """The mock's clock stopped (mock-only /_mock/clock), so async work moves only when told."""
    assert api.post("/_mock/clock", {"freeze": True}, key=None).data["frozen"] is True
    return lambda seconds: api.post("/_mock/clock/advance", {"seconds": seconds}, key=None).data


# --- contact groups: update, delete, a contact's groups ------------------------------------

def test_group_update_changes_fields_and_refuses_a_taken_name(api) -> None:
    other = api.post("/api/v1/contacts/groups", {"name": "Prospects"}).data
    updated = api.call("PUT", f"/api/v1/contacts/groups/{VIP_GROUP}", {"name": "Clients VIP", "color": "#000"})
    assert updated.status == 200 and updated.data["name"] == "Clients VIP" and updated.data["contactCount"] == 2
    assert api.get(f"/api/v1/contacts/groups/{VIP_GROUP}").data["color"] == "#000"
    taken = api.call("PUT", f"/api/v1/contacts/groups/{other['id']}", {"name": "clients vip"})
    assert (taken.status, taken.error_code) == (409, "CONFLICT")
    assert api.call("PUT", f"/api/v1/contacts/groups/{VIP_GROUP}", {"color": "green"}).error_code == "VALIDATION_ERROR"
    assert api.call("PUT", f"/api/v1/contacts/groups/{VIP_GROUP}", {"name": "x"}, key=BETA).status == 404


def test_group_delete_keeps_its_contacts(api) -> None:
    assert api.call("DELETE", f"/api/v1/contacts/groups/{VIP_GROUP}", key=BETA).status == 404
    assert api.call("DELETE", f"/api/v1/contacts/groups/{VIP_GROUP}").data == {"deleted": True}
    assert api.get(f"/api/v1/contacts/groups/{VIP_GROUP}").error_code == "NOT_FOUND"
    assert api.get(f"/api/v1/contacts/{CARLA}").status == 200
    assert api.get(f"/api/v1/contacts/{CARLA}/groups").data == []


def test_a_contacts_groups(api) -> None:
    groups = api.get(f"/api/v1/contacts/{CARLA}/groups")
    assert [g["id"] for g in groups.data] == [VIP_GROUP]
    assert api.get(f"/api/v1/contacts/{CARLA}/groups", key=BETA).status == 404


# --- bulk delete and bulk jobs ---------------------------------------------------------------

def test_bulk_delete_under_100_ids_answers_at_once(api) -> None:
    missing = unknown_ids(1)[0]
    reply = api.post("/api/v1/contacts/bulk-delete", {"contactIds": [CARLA, missing]})
    assert reply.status == 200 and reply.data == {"requested": 2, "deleted": 1, "notFound": [missing]}
    assert api.get(f"/api/v1/contacts/{CARLA}").status == 404
    assert api.get(f"/api/v1/contacts/groups/{VIP_GROUP}").data["contactCount"] == 1
    assert api.post("/api/v1/contacts/bulk-delete", {"contactIds": []}).error_code == "VALIDATION_ERROR"


def test_bulk_delete_of_100_ids_is_a_job_that_progresses_with_the_clock(api, frozen) -> None:
    ids = [CONTACT, CARLA, *unknown_ids(148)]
    accepted = api.post("/api/v1/contacts/bulk-delete", {"contactIds": ids})
    assert accepted.status == 202
    assert (accepted.data["mode"], accepted.data["operation"], accepted.data["requestedCount"]) == (
        "async", "bulk_delete_contacts", 150)
    job = f"/api/v1/contacts/bulk-jobs/{accepted.data['jobId']}"
    assert api.get(job).data["status"] == "pending" and api.get(f"/api/v1/contacts/{CONTACT}").status == 200
    frozen(0.1)  # 500 ids a second: 50 of them
    progress = api.get(f"{job}/progress").data
    assert (progress["status"], progress["processedCount"], progress["progress"]) == ("processing", 50, 33)
    assert progress["summary"] == {"deleted": 2, "notFound": 48} and progress["completedAt"] is None
    frozen(1)
    done = api.get(job).data
    assert (done["status"], done["processedCount"], done["progress"]) == ("done", 150, 100)
    assert done["summary"] == {"deleted": 2, "notFound": 148} and done["completedAt"]
    assert api.post(f"{job}/cancel").error_code == "BAD_REQUEST"
    assert api.get(job, key=BETA).status == 404


def test_large_member_changes_run_as_jobs_with_the_documented_operation_names(api, frozen) -> None:
    group = api.post("/api/v1/contacts/groups", {"name": "Everyone"}).data["id"]
    ids = [CONTACT, CARLA, *unknown_ids(98)]
    added = api.post(f"/api/v1/contacts/groups/{group}/members", {"contactIds": ids})
    assert added.status == 202 and added.data["operation"] == "add_to_group" and added.data["groupId"] == group
    assert api.get(f"/api/v1/contacts/groups/{group}").data["contactCount"] == 0
    frozen(1)
    summary = api.get(f"/api/v1/contacts/bulk-jobs/{added.data['jobId']}").data["summary"]
    assert summary == {"added": 2, "alreadyInGroup": 0, "notFound": 98}
    assert api.get(f"/api/v1/contacts/groups/{group}").data["contactCount"] == 2
    removed = api.call("DELETE", f"/api/v1/contacts/groups/{group}/members", {"contactIds": ids})
    assert removed.status == 202 and removed.data["operation"] == "remove_from_group"
    frozen(1)
    assert api.get(f"/api/v1/contacts/groups/{group}").data["contactCount"] == 0


def test_a_job_cancelled_midway_keeps_what_it_did(api, frozen) -> None:
    accepted = api.post("/api/v1/contacts/bulk-delete", {"contactIds": [*unknown_ids(400), CONTACT]}).data
    frozen(0.5)
    cancelled = api.post(f"/api/v1/contacts/bulk-jobs/{accepted['jobId']}/cancel").data
    assert cancelled["status"] == "cancelled" and cancelled["processedCount"] == 250 and cancelled["completedAt"]
    frozen(5)
    assert api.get(f"/api/v1/contacts/bulk-jobs/{accepted['jobId']}").data["processedCount"] == 250
    assert api.get(f"/api/v1/contacts/{CONTACT}").status == 200  # the last id was never reached


def test_bulk_jobs_list_newest_first_with_cursor_paging(api) -> None:
    first = api.post("/api/v1/contacts/bulk-delete", {"contactIds": unknown_ids(100)}).data["jobId"]
    second = api.post("/api/v1/contacts/bulk-delete", {"contactIds": unknown_ids(120)}).data["jobId"]
    page = api.get("/api/v1/contacts/bulk-jobs?limit=1").data
    assert [j["id"] for j in page["jobs"]] == [second] and page["hasMore"] is True
    rest = api.get(f"/api/v1/contacts/bulk-jobs?limit=1&cursor={page['nextCursor']}").data
    assert [j["id"] for j in rest["jobs"]] == [first] and rest["hasMore"] is False and rest["nextCursor"] is None
    assert api.get("/api/v1/contacts/bulk-jobs", key=BETA).data["jobs"] == []
    assert api.get("/api/v1/contacts/bulk-jobs?limit=101").error_code == "VALIDATION_ERROR"


# --- number lookups --------------------------------------------------------------------------

def test_sync_lookup_follows_the_fixture_rule(api) -> None:
    reply = api.post("/api/v1/number-lookups", {"instanceId": INSTANCE, "numbers": [
        "+41 79 123 45 67", "0081476222311", "+33600000000", "not a number", "+41791234567"]})
    data = reply.data
    assert reply.status == 200 and (data["mode"], data["status"]) == ("sync", "done")
    assert data["result"] == {"onWhatsApp": ["+41791234567"], "notOnWhatsApp": ["+81476222311"],
                              "invalid": ["+33600000000", "not a number"]}
    assert (data["requested"], data["normalized"], data["checked"], data["onWhatsAppCount"],
            data["notOnWhatsAppCount"], data["invalidCount"]) == (5, 2, 2, 1, 1, 2)
    detail = api.get(f"/api/v1/number-lookups/{data['lookupId']}").data
    assert detail["result"] == data["result"] and detail["completedAt"]


def test_async_lookup_progresses_with_the_clock_and_can_be_cancelled(api, frozen) -> None:
    numbers = [f"+4179100{n:04d}" for n in range(150)]
    accepted = api.post("/api/v1/number-lookups", {"instanceId": INSTANCE, "numbers": numbers})
    assert accepted.status == 202 and accepted.data["mode"] == "async" and accepted.data["requested"] == 150
    lookup = f"/api/v1/number-lookups/{accepted.data['lookupId']}"
    frozen(0.5)  # 200 numbers a second
    progress = api.get(f"{lookup}/progress").data
    assert (progress["status"], progress["checkedCount"], progress["progress"]) == ("processing", 100, 66)
    assert "result" not in progress
    cancelled = api.post(f"{lookup}/cancel").data
    assert cancelled["status"] == "cancelled"
    assert api.post(f"{lookup}/cancel").error_code == "BAD_REQUEST"
    assert api.post(f"{lookup}/import-contacts", {}).error_code == "BAD_REQUEST"
    listed = api.get("/api/v1/number-lookups").data
    assert [item["id"] for item in listed["lookups"]] == [accepted.data["lookupId"]] and listed["hasMore"] is False
    assert api.get(lookup, key=BETA).status == 404


def test_import_contacts_creates_updates_and_skips(api) -> None:
    lookup = api.post("/api/v1/number-lookups", {"instanceId": INSTANCE,
                                                 "numbers": ["+33612345678", "+41791234567", "+81476222311"]}).data
    path = f"/api/v1/number-lookups/{lookup['lookupId']}/import-contacts"
    assert api.post(path, {"groupId": unknown_ids(1)[0]}).error_code == "NOT_FOUND"
    first = api.post(path, {"tag": "verified-whatsapp", "groupId": VIP_GROUP}).data
    # Jean (+33612345678) exists and gets the tag; +41… is new; +81… is not on WhatsApp.
    assert first == {"requested": 2, "created": 1, "updated": 1, "skipped": 0}
    again = api.post(path, {"tag": "verified-whatsapp", "groupId": VIP_GROUP}).data
    assert again == {"requested": 2, "created": 0, "updated": 0, "skipped": 2}
    found = api.get("/api/v1/contacts?search=%2B41791234567").data["contacts"]
    assert [c["tags"] for c in found] == [["verified-whatsapp"]]
    assert api.get(f"/api/v1/contacts/groups/{VIP_GROUP}").data["contactCount"] == 3


def test_lookup_errors(api) -> None:
    assert api.post("/api/v1/number-lookups", {"instanceId": INSTANCE, "numbers": []}).error_code == "VALIDATION_ERROR"
    assert api.post("/api/v1/number-lookups", {"instanceId": BETA_INSTANCE, "numbers": ["+41791234567"]}).status == 404
    provider = api.post("/api/v1/number-lookups", {"instanceId": DISCONNECTED, "numbers": ["+41791234567"]})
    assert (provider.status, provider.error_code) == (502, "PROVIDER_ERROR")


# --- statuses ----------------------------------------------------------------------------------

def test_status_publishes_and_counts_against_the_outbound_quota(api) -> None:
    reply = api.post("/api/v1/statuses", {"instanceId": INSTANCE, "type": "text", "content": "Nouvelle collection",
                                          "backgroundColor": "#00a884"})
    assert reply.status == 201 and reply.data["instanceId"] == INSTANCE and reply.data["providerMessageId"]
    usage = api.get("/api/v1/billing/usage").data["usage"]
    assert usage["statusesCount"] == 1 and usage["effectiveOutboundUsage"] == usage["messagesCount"] + 1
    image = {"instanceId": INSTANCE, "type": "image", "content": "not a url"}
    assert api.post("/api/v1/statuses", image).error_code == "VALIDATION_ERROR"
    assert api.post("/api/v1/statuses", {**image, "instanceId": BETA_INSTANCE,
                                         "content": "https://cdn.example.com/p.jpg"}).status == 404


def test_statuses_need_the_plan_feature(api) -> None:
    refused = api.post("/api/v1/statuses", {"instanceId": BETA_INSTANCE, "type": "text", "content": "x"}, key=BETA)
    assert (refused.status, refused.error_code) == (403, "STATUSES_NOT_AVAILABLE_ON_PLAN")


# --- teams -------------------------------------------------------------------------------------

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
    assert api.get(f"/api/v1/messages/{sent.data['id']}").status == 404  # not the personal workspace


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/usage", "/api/v1/billing/usage",
                                  "/api/v1/billing/subscription", "/api/v1/billing/payments"])
def test_personal_routes_refuse_team_keys(api, path) -> None:
    reply = api.get(path, key=TEAM_KEY, headers={"X-Team-Id": TEAM})
    assert (reply.status, reply.error_code) == (403, "TEAM_KEY_NOT_ALLOWED")


def test_plan_catalogue_is_open_to_team_keys_and_personal_keys_refuse_x_team_id(api) -> None:
    assert api.get("/api/v1/billing/plans", key=TEAM_KEY, headers={"X-Team-Id": TEAM}).status == 200
    refused = api.get("/api/v1/instances", headers={"X-Team-Id": TEAM})
    assert (refused.status, refused.error_code) == (403, "TEAM_KEY_REQUIRED")


# --- the account: /me, billing ---------------------------------------------------------------

def test_me_is_the_key_owner(api) -> None:
    me = api.get("/api/v1/me").data
    assert (me["fullName"], me["email"], me["plan"]["code"]) == ("Awa Mensah", "awa@example.com", "pro")
    assert api.get("/api/v1/me", key=BETA).data["plan"]["code"] == "free"


def test_plans_subscription_and_usage_agree(api) -> None:
    plans = {p["code"]: p for p in api.get("/api/v1/billing/plans").data}
    assert list(plans) == ["free", "pro", "max"]
    assert plans["pro"]["priceEur"] == 19 and plans["max"]["limits"]["maxInstances"] == 20
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


# --- behaviour the docs state --------------------------------------------------------------------

def test_a_message_on_a_disconnected_instance_fails_when_it_goes_out(api) -> None:
    message = api.post("/api/v1/messages/send", send_body(instanceId=DISCONNECTED, type="text", text="Hi")).data
    moved = api.post(f"/_mock/messages/{message['id']}/advance", key=None).data
    assert moved["status"] == "failed" and "not connected" in moved["error"]
    assert api.get(f"/api/v1/messages/{message['id']}").data["status"] == "failed"


def test_scheduled_messages_go_out_at_their_time(api, frozen) -> None:
    now = api.get("/_mock/clock", key=None).data["now"]
    later = now[:11] + "23:59:59.000Z"  # later today, whatever the time
    on_time = api.post("/api/v1/messages/schedule", send_body(type="text", text="Rappel", scheduledAt=later)).data
    stranded = api.post("/api/v1/messages/schedule", send_body(instanceId=DISCONNECTED, type="text", text="Rappel",
                                                                scheduledAt=later)).data
    assert api.get(f"/api/v1/messages/{on_time['id']}").data["status"] == "queued"
    frozen(86400)
    assert api.get(f"/api/v1/messages/{on_time['id']}").data["status"] == "sent"
    assert api.get(f"/api/v1/messages/{stranded['id']}").data["status"] == "failed"


def test_an_invalid_destination_is_422(api) -> None:
    reply = api.post("/api/v1/messages/send", send_body(to="+33600000000", type="text", text="Hi"))
    assert (reply.status, reply.error_code) == (422, "INVALID_DESTINATION")


def test_campaigns_carry_template_variables_null_for_direct_content(api) -> None:
    body = {"instanceId": INSTANCE, "name": "Avril", "schedule": "2099-04-15T09:00:00.000Z",
            "recipients": {"type": "all"}, "type": "text", "body": "Bonjour"}
    created = api.post("/api/v1/campaigns", body).data
    assert created["templateVariables"] is None
    assert api.post(f"/api/v1/campaigns/{created['id']}/pause").data["templateVariables"] is None
    assert api.post(f"/api/v1/campaigns/{created['id']}/resume").data["templateVariables"] is None


def test_clock_control_refuses_bad_input(api) -> None:
    assert api.post("/_mock/clock/advance", {"seconds": -1}, key=None).error_code == "VALIDATION_ERROR"
    assert api.post("/_mock/clock", {"freeze": True, "at": "soon"}, key=None).error_code == "VALIDATION_ERROR"
    at = api.post("/_mock/clock", {"freeze": True, "at": "2030-01-01T00:00:00Z"}, key=None).data
    assert at == {"now": "2030-01-01T00:00:00.000Z", "frozen": True}
    assert api.post("/_mock/clock", {"freeze": False}, key=None).data["frozen"] is False


# --- the clock drives campaigns and quotas too ----------------------------------------------------

def test_a_daily_campaign_sends_a_round_each_day(api, frozen) -> None:
    api.post("/_mock/clock", {"freeze": True, "at": "2026-05-01T08:00:00Z"}, key=None)
    body = {"instanceId": INSTANCE, "name": "Daily", "schedule": "2026-05-01T09:00:00.000Z", "repeat": "daily",
            "recipients": {"type": "group", "groupId": VIP_GROUP}, "type": "text", "body": "Bonjour"}
    campaign = api.post("/api/v1/campaigns", body).data["id"]
    assert api.get(f"/api/v1/campaigns/{campaign}/stats").data["stats"]["planned"] == 0
    frozen(3600)  # 09:00: the first round
    assert api.get(f"/api/v1/campaigns/{campaign}/stats").data["stats"]["planned"] == 2
    frozen(3600 * 23)  # 08:00 the next day: not yet
    assert api.get(f"/api/v1/campaigns/{campaign}/stats").data["stats"]["planned"] == 2
    frozen(3600)  # 09:00: the second round, to the same recipients
    assert api.get(f"/api/v1/campaigns/{campaign}/stats").data["stats"]["planned"] == 4
    frozen(86400 * 7)  # a week later: one round, not seven at once
    assert api.get(f"/api/v1/campaigns/{campaign}/stats").data["stats"]["planned"] == 6


def test_monthly_counters_start_again_in_a_new_month(api, frozen) -> None:
    api.post("/_mock/clock", {"freeze": True, "at": "2026-05-31T23:00:00Z"}, key=None)
    api.post("/api/v1/messages/send", send_body(type="text", text="Hi"))
    usage = api.get("/api/v1/usage").data
    assert usage["usage"]["messagesCount"] == 1 and usage["period"]["start"] == "2026-05-01T00:00:00.000Z"
    frozen(3600)
    usage = api.get("/api/v1/usage").data
    assert usage["usage"]["messagesCount"] == 0 and usage["usage"]["apiRequestsCount"] == 1
    assert usage["period"] == {"start": "2026-06-01T00:00:00.000Z", "end": "2026-06-30T23:59:59.999Z"}


def test_the_rate_limit_window_follows_the_clock(api, frozen) -> None:
    key = "msgf_live_burst"  # rateLimitPerSecond 5 (tests/mock/fixtures.json)
    assert [api.get("/api/v1/instances", key=key).status for _ in range(6)] == [200] * 5 + [429]
    assert api.get("/api/v1/instances", key=key).status == 429  # a frozen clock: the window never passes
    frozen(1)
    assert api.get("/api/v1/instances", key=key).status == 200


def test_number_lookups_list_newest_first_with_cursor_paging(api) -> None:
    ids = [api.post("/api/v1/number-lookups", {"instanceId": INSTANCE, "numbers": [f"+4179100000{n}"]}).data["lookupId"]
           for n in range(3)]
    first = api.get("/api/v1/number-lookups?limit=2").data
    assert [item["id"] for item in first["lookups"]] == [ids[2], ids[1]] and first["hasMore"] is True
    rest = api.get(f"/api/v1/number-lookups?limit=2&cursor={first['nextCursor']}").data
    assert [item["id"] for item in rest["lookups"]] == [ids[0]] and rest["nextCursor"] is None
    assert api.get("/api/v1/number-lookups?cursor=bogus").error_code == "VALIDATION_ERROR"
    assert api.get("/api/v1/number-lookups", key=BETA).data["lookups"] == []
