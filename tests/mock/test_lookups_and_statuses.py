"""Number lookups (sync and async, import) and WhatsApp statuses."""

from __future__ import annotations

from tests.mock.conftest import BETA, BETA_INSTANCE, DISCONNECTED, INSTANCE, VIP_GROUP, unknown_ids


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


def test_number_lookups_list_newest_first_with_cursor_paging(api) -> None:
    ids = [api.post("/api/v1/number-lookups", {"instanceId": INSTANCE, "numbers": [f"+4179100000{n}"]}).data["lookupId"]
           for n in range(3)]
    first = api.get("/api/v1/number-lookups?limit=2").data
    assert [item["id"] for item in first["lookups"]] == [ids[2], ids[1]] and first["hasMore"] is True
    rest = api.get(f"/api/v1/number-lookups?limit=2&cursor={first['nextCursor']}").data
    assert [item["id"] for item in rest["lookups"]] == [ids[0]] and rest["nextCursor"] is None
    assert api.get("/api/v1/number-lookups?cursor=bogus").error_code == "VALIDATION_ERROR"
    assert api.get("/api/v1/number-lookups", key=BETA).data["lookups"] == []
