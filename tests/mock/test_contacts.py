"""Contacts and contact groups: CRUD, search, paging, members, names."""

from __future__ import annotations

import json

import pytest

from mock_server import create_app
from tests.mock.conftest import BETA, CARLA, CONTACT, TIGHT, VIP_GROUP


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


def test_conflict_and_max_contact_groups(api) -> None:
    assert api.post("/api/v1/contacts/groups", {"name": "vip"}).error_code == "CONFLICT"
    assert api.post("/api/v1/contacts/groups", {"name": "One"}, key=TIGHT).status == 201
    capped = api.post("/api/v1/contacts/groups", {"name": "Two"}, key=TIGHT)
    assert (capped.status, capped.error_code) == (403, "MAX_CONTACT_GROUPS_REACHED")


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
    assert api.get(f"/api/v1/contacts/{CARLA}/groups").data == {"groups": []}


def test_a_contacts_groups(api) -> None:
    groups = api.get(f"/api/v1/contacts/{CARLA}/groups")
    assert [g["id"] for g in groups.data["groups"]] == [VIP_GROUP]  # data.groups, as the page shows
    assert api.get(f"/api/v1/contacts/{CARLA}/groups", key=BETA).status == 404


@pytest.mark.parametrize("body, pointer", [
    ('{"name": "\\ud800", "phone": "+33600000001"}', "/name"),
    ('{"name": "Ana", "phone": "+33600000001", "meta": {"\\udc00x": 1}}', "/meta/\\udc00x"),
    ('{"name": "Ana", "phone": "+33600000001", "meta": {"a": ' + "[" * 975 + "]" * 975 + "}}", "/meta/a" + "/0" * 30),
])
def test_contacts_that_cannot_be_served_back_are_refused_and_the_list_still_works(api, body: str, pointer: str) -> None:
    reply = api.post("/api/v1/contacts", raw=body.encode())
    assert reply.status == 400 and reply.error_code == "VALIDATION_ERROR"
    assert reply.body["error"]["details"][0]["code"] == "MFL009"
    assert reply.body["error"]["details"][0]["pointer"] == pointer
    listed = api.get("/api/v1/contacts")
    assert listed.status == 200
    assert all("\\ud800" not in json.dumps(c) for c in listed.data["contacts"])


def test_fixture_contact_without_id_is_never_replaced_by_an_api_contact() -> None:
    from mock_server.state.fixtures import load_fixtures

    fixtures = {"accounts": [{"apiKeys": ["msgf_live_a"], "contacts": [{"name": "Kept", "phone": "+33600000009"}],
                              "instances": [{"status": "connected"}]}]}
    app = create_app(load_fixtures(json.dumps(fixtures), "inline"))
    client = app.test_client()
    headers = {"x-api-key": "msgf_live_a"}
    created = client.post("/api/v1/contacts", json={"name": "New", "phone": "+33600000010"}, headers=headers).json
    listed = client.get("/api/v1/contacts", headers=headers).json["data"]["contacts"]
    assert sorted(c["name"] for c in listed) == ["Kept", "New"]
    assert len({c["id"] for c in listed}) == 2 and created["data"]["id"] in {c["id"] for c in listed}
