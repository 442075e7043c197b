"""Campaigns: create, stats, processing into messages, pause and resume, repeats."""

from __future__ import annotations

from mock_server import create_app
from tests.mock.conftest import BETA, INACTIVE, INSTANCE, TIGHT, VILLE, VIP_GROUP, send_body

PAST, FUTURE = "2020-01-01T09:00:00.000Z", "2099-01-01T09:00:00.000Z"


def campaign_body(**fields) -> dict:
    return {"instanceId": INSTANCE, "name": "Avril", "schedule": FUTURE, "recipients": {"type": "all"},
            "type": "text", "body": "Découvrez nos offres", **fields}


def test_campaign_create_answers_stats_and_safety(api) -> None:
    reply = api.post("/api/v1/campaigns", campaign_body())
    assert reply.status == 201
    data = reply.data
    assert data["status"] == "scheduled" and data["repeat"] == "none"
    assert data["stats"] == {k: 0 for k in ("planned", "queued", "sent", "delivered", "read", "failed", "cancelled")}
    safety = data["safety"]
    assert safety["decision"] in ("allow", "warn")
    assert set(safety) == {"decision", "riskLevel", "score", "state", "reasons", "recommendations",
                           "appliedLimits", "audience"}
    assert safety["audience"]["totalRecipients"] == 3
    assert api.post("/api/v1/campaigns", campaign_body()).data["safety"] == safety


def test_due_campaign_sends_one_message_per_recipient_and_completes(api) -> None:
    campaign = api.post("/api/v1/campaigns", campaign_body(schedule=PAST, recipients={"type": "tags", "value": ["vip"]})).data
    stats = api.get(f"/api/v1/campaigns/{campaign['id']}/stats").data
    assert stats["status"] == "running" and stats["stats"]["planned"] == 2 and stats["stats"]["queued"] == 2
    assert stats["progressPercent"] == 0 and stats["timeline"]["processingStartedAt"]
    messages = [m for m in api.get("/api/v1/messages").data["messages"] if m["campaignId"] == campaign["id"]]
    assert sorted(m["to"] for m in messages) == ["+33612345678", "+5511999999999"]
    for message in messages:
        api.post(f"/_mock/messages/{message['id']}/advance", {"status": "delivered"}, key=None)
    done = api.get(f"/api/v1/campaigns/{campaign['id']}").data
    assert done["status"] == "completed" and done["stats"]["delivered"] == 2 and done["stats"]["sent"] == 2
    assert done["stats"]["completedAt"] and "safety" not in done and done["templateVariables"] is None


def test_template_campaign_fails_only_the_recipients_it_cannot_render(api) -> None:
    body = {k: v for k, v in campaign_body(schedule=PAST, templateId=VILLE).items() if k not in ("type", "body")}
    campaign = api.post("/api/v1/campaigns", body).data
    stats = api.get(f"/api/v1/campaigns/{campaign['id']}/stats").data["stats"]
    assert (stats["planned"], stats["queued"], stats["failed"]) == (3, 2, 1)
    failed = [m for m in api.get("/api/v1/messages?status=failed").data["messages"]]
    assert failed[0]["to"] == "+5511999999999"
    assert failed[0]["error"] == "Missing template variables: contact.meta.city"
    bodies = sorted(m["body"] for m in api.get("/api/v1/messages?status=queued").data["messages"])
    assert bodies == ["Bonjour Awa de Cotonou", "Bonjour Jean de Lyon"]


def test_pause_resume_and_their_preconditions(api) -> None:
    campaign = api.post("/api/v1/campaigns", campaign_body()).data
    paused = api.post(f"/api/v1/campaigns/{campaign['id']}/pause")
    assert paused.data["status"] == "paused" and len(paused.data["stats"]) == 7
    again = api.post(f"/api/v1/campaigns/{campaign['id']}/pause")
    assert (again.status, again.error_code) == (400, "BAD_REQUEST")
    resumed = api.post(f"/api/v1/campaigns/{campaign['id']}/resume")
    assert resumed.data["status"] == "scheduled" and "stats" not in resumed.data  # the start is still ahead
    assert set(resumed.data["safety"]) == {"decision", "riskLevel", "state", "score", "reasons", "recommendations"}
    assert api.post(f"/api/v1/campaigns/{campaign['id']}/resume").error_code == "BAD_REQUEST"
    started = api.post(f"/_mock/campaigns/{campaign['id']}/start", key=None)
    assert started.data["status"] == "running" and started.data["stats"]["planned"] == 3


def test_campaign_errors(api) -> None:
    assert api.post("/api/v1/campaigns", campaign_body(body="")).error_code == "VALIDATION_ERROR"
    unknown_group = api.post("/api/v1/campaigns", campaign_body(
        recipients={"type": "group", "groupId": "11111111-2222-4333-8444-555555555555"}))
    assert (unknown_group.status, unknown_group.error_code) == (400, "VALIDATION_ERROR")
    beta = api.post("/api/v1/campaigns", campaign_body(instanceId="e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b"), key=BETA)
    assert (beta.status, beta.error_code) == (403, "CAMPAIGNS_NOT_AVAILABLE_ON_PLAN")
    buttons = campaign_body(type="buttons", title="t", description="d",
                            buttons=[{"type": "reply", "displayText": "Oui", "id": "y"}])
    buttons.pop("body")
    no_business = api.post("/api/v1/campaigns", buttons, key=TIGHT)
    assert (no_business.status, no_business.error_code) == (403, "UNSUPPORTED_FEATURE")
    assert api.post("/api/v1/campaigns", campaign_body(), key=INACTIVE).error_code == "SUBSCRIPTION_INACTIVE"
    missing_template = {k: v for k, v in campaign_body(templateId="11111111-2222-4333-8444-555555555555").items()
                        if k not in ("type", "body")}
    assert api.post("/api/v1/campaigns", missing_template).error_code == "NOT_FOUND"
    assert api.get("/api/v1/campaigns/11111111-2222-4333-8444-555555555555").error_code == "NOT_FOUND"


def test_campaign_outbound_quota(api) -> None:
    tight = send_body(instanceId="b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e", type="text", text="x")
    assert api.post("/api/v1/messages/send", tight, key=TIGHT).status == 201
    over = api.post("/api/v1/campaigns", campaign_body(instanceId="b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e"), key=TIGHT)
    assert (over.status, over.error_code) == (429, "MONTHLY_OUTBOUND_QUOTA_EXCEEDED")


def test_a_due_campaign_has_its_messages_whichever_route_is_called_first(api) -> None:
    campaign = api.post("/api/v1/campaigns", campaign_body(schedule=PAST, recipients={"type": "tags", "value": ["vip"]})).data
    messages = api.get("/api/v1/messages?limit=100").data["messages"]  # no campaign route in between
    assert [m for m in messages if m["campaignId"] == campaign["id"]]


def test_campaigns_carry_template_variables_null_for_direct_content(api) -> None:
    body = {"instanceId": INSTANCE, "name": "Avril", "schedule": "2099-04-15T09:00:00.000Z",
            "recipients": {"type": "all"}, "type": "text", "body": "Bonjour"}
    created = api.post("/api/v1/campaigns", body).data
    assert created["templateVariables"] is None
    assert api.post(f"/api/v1/campaigns/{created['id']}/pause").data["templateVariables"] is None
    assert api.post(f"/api/v1/campaigns/{created['id']}/resume").data["templateVariables"] is None


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


def test_a_campaign_parses_its_template_once_not_once_per_recipient(monkeypatch) -> None:
    from msgflash_lint import api, templates

    calls = []
    real = templates.parse_template
    monkeypatch.setattr(templates, "parse_template", lambda body: calls.append(body) or real(body))
    api.placeholders.cache_clear()
    api._template_findings.cache_clear()
    app = create_app()
    store = app.extensions["msgflash_mock"]
    key = next(iter(store._by_key))
    account = store.account_for_key(key)
    template = next(iter(account.templates.values()))
    instance = next(i for i in account.instances.values() if i.status == "connected")
    reply = app.test_client().post("/api/v1/campaigns", headers={"x-api-key": key}, json={
        "instanceId": instance.id, "name": "N", "schedule": "2020-01-01T00:00:00Z", "templateId": template.id,
        "recipients": {"type": "all"}, "variables": {"code": "X", "coupon": "Y"}})
    assert reply.status_code == 201, reply.json
    app.test_client().get("/api/v1/messages", headers={"x-api-key": key})  # the campaign runs here
    assert len(account.messages) > 1 and calls.count(template.body) == 1


def test_a_campaign_with_a_template_and_direct_content_is_refused(api) -> None:
    """One content mode (issue 25, item 7): the mock no longer creates it and stores both."""
    body = {k: v for k, v in campaign_body(schedule=FUTURE, templateId=VILLE).items() if k != "type"}
    assert "body" in body
    refused = api.post("/api/v1/campaigns", body)
    assert (refused.status, refused.error_code) == (400, "VALIDATION_ERROR")
    assert refused.body["error"]["details"][0]["code"] == "MFL206"
