"""Templates: CRUD, preview, rendering and the template errors of sends."""

from __future__ import annotations

from mock_server import create_app
from tests.mock.conftest import (
    CONTACT,
    INSTANCE,
    TEMPLATE,
    send_body,
)


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


def test_template_update_keeps_the_create_contract(api) -> None:
    brochure = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a"
    reply = api.call("PUT", f"/api/v1/templates/{brochure}", {"mediaUrl": None})
    assert (reply.status, reply.error_code) == (400, "VALIDATION_ERROR")
    assert reply.body["error"]["details"][0]["code"] == "MFL202"
    emptied = api.call("PUT", f"/api/v1/templates/{TEMPLATE}", {"body": ""})
    assert emptied.error_code == "VALIDATION_ERROR"
    assert api.call("PUT", f"/api/v1/templates/{TEMPLATE}", {"body": "{{contcat.x}}"}).error_code == "TEMPLATE_INVALID"


def test_large_template_bodies_are_parsed_outside_the_store_lock(monkeypatch) -> None:
    from msgflash_lint import api, templates

    app = create_app()
    store = app.extensions["msgflash_mock"]
    seen = []
    real = templates.parse_template

    def watched(body):
        if len(body) > 1000:
            seen.append(store.lock._is_owned())
        return real(body)

    monkeypatch.setattr(templates, "parse_template", watched)
    api.placeholders.cache_clear()
    client = app.test_client()
    key = next(iter(store._by_key))
    body = "Hi {{contact.name}} " * 90_000  # 1.9 MB
    assert client.post("/api/v1/templates", json={"name": "big", "type": "text", "body": body},
                       headers={"x-api-key": key}).status_code == 201
    for _ in range(3):
        assert client.get("/api/v1/templates", headers={"x-api-key": key}).status_code == 200
    assert seen and not any(seen)
    assert len(seen) == 1


def test_templates_list_newest_first_by_page_with_their_variables(api) -> None:
    before = api.get("/api/v1/templates?limit=100").data["total"]
    made = [api.post("/api/v1/templates", {"name": f"T{n}", "type": "text", "body": f"Hi {{{{custom.k{n}}}}}"}).data
            for n in range(3)]
    first = api.get("/api/v1/templates?page=1&limit=2").data
    assert first["total"] == before + 3
    assert [t["id"] for t in first["templates"]] == [made[2]["id"], made[1]["id"]]
    assert first["templates"][0]["variables"] == ["custom.k2"]
    assert api.get("/api/v1/templates?page=2&limit=2").data["templates"][0]["id"] == made[0]["id"]
