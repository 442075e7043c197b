"""The mock over real HTTP: documented responses and every documented error of these endpoints."""

from __future__ import annotations

from tests.mock.conftest import (
    BETA,
    CONTACT,
    INACTIVE,
    INSTANCE,
    METERED,
    SLOW,
    TEMPLATE,
    TIGHT,
    send_body,
)

MESSAGE_KEYS = {"id", "instanceId", "contactId", "campaignId", "type", "to", "body", "mediaUrl", "status",
                "error", "providerMessageId", "createdAt", "updatedAt"}


def test_instances_list_get_state_health(api) -> None:
    listed = api.get("/api/v1/instances")
    assert listed.status == 200
    first = listed.data[0]
    assert {"id", "name", "waNumber", "status", "webhook", "meta", "deletedAt", "createdAt", "updatedAt"} <= set(first)
    assert api.get(f"/api/v1/instances/{INSTANCE}").data == first
    assert api.get(f"/api/v1/instances/{INSTANCE}/state").data == {
        "instanceId": INSTANCE, "status": "connected", "providerState": "open"}
    health = api.get(f"/api/v1/instances/{INSTANCE}/health").data
    assert health["safetyState"] in ("new", "warming", "stable", "at_risk", "restricted")
    assert set(health["warmupPolicy"]) == {"state", "instanceAgeDays", "hourlyOutboundCap", "dailyOutboundCap",
                                           "hourlyUniqueRecipientsCap", "dailyUniqueRecipientsCap",
                                           "maxCampaignRecipients", "maxColdRatio"}
    assert set(health["usageWindowSummary"]) == {"outbound1h", "outbound24h", "uniqueRecipients1h",
                                                 "uniqueRecipients24h", "inboundReplies24h", "inboundReplies7d"}


def test_send_text_then_read_it_back_and_advance(api) -> None:
    sent = api.post("/api/v1/messages/send", send_body(type="text", text="Hello, your order is ready."))
    assert sent.status == 201
    assert MESSAGE_KEYS <= set(sent.data)
    assert (sent.data["status"], sent.data["body"], sent.data["providerMessageId"]) == (
        "queued", "Hello, your order is ready.", None)
    fetched = api.get(f"/api/v1/messages/{sent.data['id']}").data
    assert fetched["direction"] == "outbound" and "workerSafety" in fetched["meta"]
    for expected in ("sent", "delivered", "read"):
        advanced = api.post(f"/_mock/messages/{sent.data['id']}/advance", key=None)
        assert advanced.data["status"] == expected
    assert api.get(f"/api/v1/messages/{sent.data['id']}").data["providerMessageId"]
    past = api.post(f"/_mock/messages/{sent.data['id']}/advance", key=None)
    assert (past.status, past.error_code) == (409, "CONFLICT")


def test_advance_jumps_to_failed_and_failed_is_final(api) -> None:
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    failed = api.post(f"/_mock/messages/{message['id']}/advance", {"status": "failed"}, key=None)
    assert failed.data["status"] == "failed" and failed.data["error"]
    again = api.post(f"/_mock/messages/{message['id']}/advance", key=None)
    assert (again.status, again.error_code) == (409, "CONFLICT")


def test_template_send_renders_contact_user_instance_and_custom(api) -> None:
    sent = api.post("/api/v1/messages/send", send_body(
        contactId=CONTACT, templateId="2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"))
    assert sent.data["body"] == "Bienvenue Jean sur Support ! Awa Mensah"
    sent = api.post("/api/v1/messages/send", send_body(contactId=CONTACT, templateId=TEMPLATE,
                                                       variables={"code": 10}))
    assert sent.data["body"] == "Hello Jean, code 10"


def test_schedule_returns_warnings_and_safety(api) -> None:
    reply = api.post("/api/v1/messages/schedule", send_body(type="text", text="Rappel",
                                                            scheduledAt="2020-01-01T09:00:00.000Z"))
    assert reply.status == 201
    assert reply.data["status"] == "queued" and "scheduledAt" not in reply.data
    assert reply.data["warnings"] and set(reply.data["safety"]) == {"decision", "riskLevel", "state", "score"}


def test_messages_list_pages_with_cursor(api) -> None:
    ids = [api.post("/api/v1/messages/send", send_body(type="text", text=str(n))).data["id"] for n in range(5)]
    first = api.get("/api/v1/messages?limit=2").data
    assert [m["id"] for m in first["messages"]] == ids[::-1][:2] and first["hasMore"]
    second = api.get(f"/api/v1/messages?limit=2&cursor={first['nextCursor']}").data
    assert [m["id"] for m in second["messages"]] == ids[::-1][2:4]
    assert api.get("/api/v1/messages?status=read").data["messages"] == []
    assert api.get("/api/v1/messages?limit=500").error_code == "VALIDATION_ERROR"
    assert api.get("/api/v1/messages?cursor=zzz").error_code == "VALIDATION_ERROR"


def test_templates_crud_and_preview(api) -> None:
    created = api.post("/api/v1/templates", {"name": "Relance panier", "type": "text",
                                             "body": "Hello {{contact.firstName}}, utilisez {{custom.code}} aujourd'hui."})
    assert created.status == 201
    assert created.data["variables"] == ["contact.firstName", "custom.code"]
    assert created.data["mediaUrl"] is None
    template_id = created.data["id"]
    updated = api.call("PUT", f"/api/v1/templates/{template_id}", {"body": "Salut {{instance.name}}"})
    assert updated.data["variables"] == ["instance.name"] and updated.data["type"] == "text"
    preview = api.post(f"/api/v1/templates/{TEMPLATE}/preview",
                       {"instanceId": INSTANCE, "contactId": CONTACT, "variables": {"code": "PROMO10"}})
    assert preview.data == {"rendered": "Hello Jean, code PROMO10",
                            "variables": ["contact.firstName", "custom.code"], "missingVariables": [], "valid": True}
    partial = api.post(f"/api/v1/templates/{TEMPLATE}/preview", {})
    assert partial.data["valid"] is False and partial.data["missingVariables"] == ["contact.firstName", "custom.code"]
    assert partial.data["rendered"] == "Hello {{contact.firstName}}, code {{custom.code}}"
    listed = api.get("/api/v1/templates?page=1&limit=2").data
    assert len(listed["templates"]) == 2 and listed["total"] == 8
    assert api.call("DELETE", f"/api/v1/templates/{template_id}").data == {"deleted": True}
    assert api.get(f"/api/v1/templates/{template_id}").error_code == "NOT_FOUND"


def test_contacts_crud_search_and_paging(api) -> None:
    created = api.post("/api/v1/contacts", {"name": "Zoé Martin", "phone": "+33699999999", "tags": ["new"]})
    assert created.status == 201 and created.data["tags"] == ["new"] and created.data["temperature"] is None
    found = api.get("/api/v1/contacts?search=zo%C3%A9").data
    assert [c["id"] for c in found["contacts"]] == [created.data["id"]]
    by_name = api.get("/api/v1/contacts?sort=name_asc&limit=2").data
    assert [c["name"] for c in by_name["contacts"]] == ["Awa Doe", "Carla Souza"] and by_name["hasMore"]
    rest = api.get(f"/api/v1/contacts?sort=name_asc&limit=2&cursor={by_name['nextCursor']}").data
    assert [c["name"] for c in rest["contacts"]] == ["Jean Dupont", "Zoé Martin"] and not rest["hasMore"]
    mixed = api.get(f"/api/v1/contacts?sort=createdAt_desc&cursor={by_name['nextCursor']}")
    assert mixed.error_code == "VALIDATION_ERROR"
    updated = api.call("PUT", f"/api/v1/contacts/{created.data['id']}", {"meta": {"city": "Nice"}})
    assert updated.data["meta"] == {"city": "Nice"} and updated.data["tags"] == ["new"]
    assert api.call("DELETE", f"/api/v1/contacts/{created.data['id']}").data == {"deleted": True}


def test_groups_create_get_members(api) -> None:
    group = api.post("/api/v1/contacts/groups", {"name": "Clients", "color": "#22c55e"})
    assert group.status == 201 and group.data["contactCount"] == 0
    fetched = api.get(f"/api/v1/contacts/groups/{group.data['id']}").data
    assert {k: fetched[k] for k in ("id", "name", "contactCount")} == {"id": group.data["id"], "name": "Clients",
                                                                        "contactCount": 0}
    assert api.get("/api/v1/contacts/groups/11111111-2222-4333-8444-555555555555").error_code == "NOT_FOUND"
    added = api.post(f"/api/v1/contacts/groups/{group.data['id']}/members",
                     {"contactIds": [CONTACT, CONTACT, "11111111-2222-4333-8444-555555555555"]})
    assert added.data == {"added": 1, "alreadyInGroup": 0, "notFound": 1, "total": 1}
    members = api.get(f"/api/v1/contacts/groups/{group.data['id']}/members").data
    assert [c["id"] for c in members["contacts"]] == [CONTACT] and members["total"] == 1
    removed = api.call("DELETE", f"/api/v1/contacts/groups/{group.data['id']}/members", {"contactIds": [CONTACT]})
    assert removed.data == {"removed": 1, "notInGroup": 0}
    assert api.get("/api/v1/contacts/groups").data["total"] == 2
    many = api.post(f"/api/v1/contacts/groups/{group.data['id']}/members",
                    {"contactIds": [f"00000000-0000-4000-8000-{n:012d}" for n in range(100)]})
    assert many.status == 202 and many.data["mode"] == "async" and many.data["requestedCount"] == 100


def test_reset_restores_the_fixture_state(api) -> None:
    api.post("/api/v1/messages/send", send_body(type="text", text="x"))
    api.call("DELETE", f"/api/v1/contacts/{CONTACT}")
    api.post("/_mock/reset", key=None)
    assert api.get("/api/v1/messages").data["messages"] == []
    assert api.get(f"/api/v1/contacts/{CONTACT}").status == 200


def test_usage_reports_counters(api) -> None:
    api.post("/api/v1/messages/send", send_body(type="text", text="x"))
    usage = api.get("/api/v1/billing/usage").data
    assert usage["plan"] == {"code": "pro", "name": "Pro"}
    assert usage["usage"]["messagesCount"] == 1 and usage["usage"]["effectiveOutboundUsage"] == 1
    assert api.get("/api/v1/usage").data["limits"] == usage["limits"]


# One test per documented error code reachable here.

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


def test_template_invalid_on_create_and_on_sending_a_broken_template(api) -> None:
    created = api.post("/api/v1/templates", {"name": "x", "type": "text", "body": "Hi {{contcat.name}}"})
    assert (created.status, created.error_code) == (400, "TEMPLATE_INVALID")
    broken = api.post("/api/v1/messages/send", send_body(contactId=CONTACT, templateId="aa000000-0000-4000-8000-000000000001"))
    assert broken.error_code == "TEMPLATE_INVALID"
    no_media = api.post("/api/v1/messages/send", send_body(templateId="aa000000-0000-4000-8000-000000000002"))
    assert no_media.error_code == "TEMPLATE_INVALID"


def test_template_variables_missing(api) -> None:
    reply = api.post("/api/v1/messages/send", send_body(contactId=CONTACT, templateId=TEMPLATE))
    assert (reply.status, reply.error_code) == (400, "TEMPLATE_VARIABLES_MISSING")
    assert reply.body["error"]["message"] == "Missing template variables: custom.code"
    phone = api.post("/api/v1/messages/send", send_body(contactId=CONTACT, templateId="aa000000-0000-4000-8000-000000000003"))
    assert phone.body["error"]["message"] == "Missing template variables: contact.meta.zip"


def test_template_context_unavailable(api) -> None:
    unknown_contact = api.post("/api/v1/messages/send", send_body(
        templateId=TEMPLATE, contactId="11111111-2222-4333-8444-555555555555", variables={"code": "x"}))
    assert (unknown_contact.status, unknown_contact.error_code) == (400, "TEMPLATE_CONTEXT_UNAVAILABLE")
    no_contact = api.post("/api/v1/messages/send", send_body(templateId=TEMPLATE, variables={"code": "x"}))
    assert no_contact.error_code == "TEMPLATE_CONTEXT_UNAVAILABLE"
    preview = api.post(f"/api/v1/templates/{TEMPLATE}/preview", {"instanceId": "11111111-2222-4333-8444-555555555555"})
    assert preview.error_code == "TEMPLATE_CONTEXT_UNAVAILABLE"


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


def test_conflict_and_max_contact_groups(api) -> None:
    assert api.post("/api/v1/contacts/groups", {"name": "vip"}).error_code == "CONFLICT"
    assert api.post("/api/v1/contacts/groups", {"name": "One"}, key=TIGHT).status == 201
    capped = api.post("/api/v1/contacts/groups", {"name": "Two"}, key=TIGHT)
    assert (capped.status, capped.error_code) == (403, "MAX_CONTACT_GROUPS_REACHED")


def test_monthly_outbound_quota(api) -> None:
    body = send_body(instanceId="b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e", type="text", text="x")
    assert api.post("/api/v1/messages/send", body, key=TIGHT).status == 201
    over = api.post("/api/v1/messages/send", body, key=TIGHT)
    assert (over.status, over.error_code) == (429, "MONTHLY_OUTBOUND_QUOTA_EXCEEDED")


def test_rate_limit_answers_429_with_retry_after(api) -> None:
    replies = [api.get("/api/v1/instances", key=SLOW) for _ in range(4)]
    limited = [r for r in replies if r.status == 429]
    assert limited and all(r.error_code == "API_RATE_LIMIT_EXCEEDED" for r in limited)
    assert limited[0].headers["Retry-After"] == "1"


def test_monthly_api_request_quota(api) -> None:
    replies = [api.get("/api/v1/instances", key=METERED) for _ in range(4)]
    assert [r.status for r in replies] == [200, 200, 200, 429]
    assert replies[-1].error_code == "MONTHLY_API_REQUEST_QUOTA_EXCEEDED"


def test_mock_error_header_forces_a_documented_error(api) -> None:
    forced = api.get("/api/v1/instances", headers={"X-Mock-Error": "SUBSCRIPTION_INACTIVE"})
    assert (forced.status, forced.error_code) == (403, "SUBSCRIPTION_INACTIVE")
    unknown = api.get("/api/v1/instances", headers={"X-Mock-Error": "TEAPOT"})
    assert unknown.status == 400 and "VALIDATION_ERROR" in unknown.body["error"]["message"]
    unauthenticated = api.get("/api/v1/instances", key=None, headers={"X-Mock-Error": "NOT_FOUND"})
    assert unauthenticated.error_code == "UNAUTHORIZED"


def test_template_update_keeps_the_create_contract(api) -> None:
    brochure = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a"
    reply = api.call("PUT", f"/api/v1/templates/{brochure}", {"mediaUrl": None})
    assert (reply.status, reply.error_code) == (400, "VALIDATION_ERROR")
    assert reply.body["error"]["details"][0]["code"] == "MFL202"
    emptied = api.call("PUT", f"/api/v1/templates/{TEMPLATE}", {"body": ""})
    assert emptied.error_code == "VALIDATION_ERROR"
    assert api.call("PUT", f"/api/v1/templates/{TEMPLATE}", {"body": "{{contcat.x}}"}).error_code == "TEMPLATE_INVALID"
