"""Contacts (create, list, get, update, delete, their groups) and contact groups (list, create, get,
update, delete, members)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from mock_server import jobs
from mock_server.bodies import json_body
from mock_server.context import account, store
from mock_server.errors import ApiError
from mock_server.operations import answer, operation
from mock_server.paging import page_after
from mock_server.queries import CURSOR, LIMIT, SEARCH, SORT, takes

bp = Blueprint("contacts", __name__)
CONTACT_FIELDS = ("id", "name", "phone", "tags", "meta", "temperature", "createdAt", "updatedAt")


def contact_json(contact: dict) -> dict:
    return {field: contact.get(field) for field in CONTACT_FIELDS}


def _search() -> str | None:
    search = SEARCH.read()
    return search.lower() if search else None


@bp.post("/contacts")
@operation(body="contact", status=201)
def create_contact():
    payload = json_body()
    with store().lock:
        now = store().now_iso()
        contact = {"id": store().new_id(), "name": payload["name"], "phone": payload["phone"],
                   "tags": payload.get("tags", []), "meta": payload.get("meta", {}), "temperature": None,
                   "createdAt": now, "updatedAt": now, "_seq": store().next_sequence()}
        account().contacts[contact["id"]] = contact
        return answer({"data": contact_json(contact)})


@bp.get("/contacts")
@takes(LIMIT, CURSOR, SEARCH, SORT)
def list_contacts():
    limit, search, sort = LIMIT.read(), _search(), SORT.read()
    with store().lock:
        items = list(account().contacts.values())
        if search:
            items = [c for c in items if search in c["name"].lower() or search in c["phone"]]
        if sort == "name_asc":
            items.sort(key=lambda c: (c["name"].lower(), c["id"]))
        else:
            items.sort(key=lambda c: (c["createdAt"], c.get("_seq", 0), c["id"]), reverse=True)
        paged = page_after(items, sort, limit)
        return jsonify({"data": {"contacts": [contact_json(c) for c in paged["page"]], "total": len(items),
                                 "limit": limit, "sort": sort, "nextCursor": paged["nextCursor"],
                                 "hasMore": paged["hasMore"]}})


# /contacts/groups must win over /contacts/<contact_id>: Flask prefers the static segment.
@bp.get("/contacts/<contact_id>")
def get_contact(contact_id: str):
    with store().lock:
        return jsonify({"data": contact_json(account().find("contacts", contact_id))})


@bp.put("/contacts/<contact_id>")
@operation(body="contact-update")
def update_contact(contact_id: str):
    payload = json_body()
    with store().lock:
        contact = account().find("contacts", contact_id)
        contact.update({k: payload[k] for k in ("name", "phone", "tags", "meta") if k in payload},
                       updatedAt=store().now_iso())
        return jsonify({"data": contact_json(contact)})


@bp.delete("/contacts/<contact_id>")
def delete_contact(contact_id: str):
    with store().lock:
        jobs.delete_contacts(account(), [account().find("contacts", contact_id)["id"]])
        return jsonify({"data": {"deleted": True}})


@bp.get("/contacts/<contact_id>/groups")
def contact_groups(contact_id: str):
    """The groups a contact belongs to (a simple list)."""
    with store().lock:
        contact = account().find("contacts", contact_id)
        groups = sorted((g for g in account().groups.values() if contact["id"] in g["contactIds"]),
                        key=lambda g: (g["createdAt"], g["id"]), reverse=True)
        return jsonify({"data": [group_json(g) for g in groups]})


def group_json(group: dict) -> dict:
    return {"id": group["id"], "name": group["name"], "description": group.get("description"),
            "color": group.get("color"), "contactCount": len(group["contactIds"]), "createdAt": group["createdAt"]}


@bp.get("/contacts/groups")
@takes(LIMIT, CURSOR, SEARCH)
def list_groups():
    limit, search = LIMIT.read(), _search()
    with store().lock:
        items = sorted(account().groups.values(), key=lambda g: (g["createdAt"], g["id"]), reverse=True)
        if search:
            items = [g for g in items if search in g["name"].lower() or search in (g.get("description") or "").lower()]
        paged = page_after(items, "groups", limit)
        return jsonify({"data": {"groups": [group_json(g) for g in paged["page"]], "total": len(items),
                                 "limit": limit, "nextCursor": paged["nextCursor"], "hasMore": paged["hasMore"]}})


def _check_name_free(name: str, group_id: str | None = None) -> None:
    if any(g["name"].lower() == name.lower() and g["id"] != group_id for g in account().groups.values()):
        raise ApiError("CONFLICT", f"A group named {name!r} already exists",
                       [{"field": "name", "message": "name already taken"}])


@bp.post("/contacts/groups")
@operation(body="group", status=201)
def create_group():
    payload = json_body()
    with store().lock:
        cap = account().limits.get("maxContactGroups")
        if cap is not None and len(account().groups) >= cap:
            raise ApiError("MAX_CONTACT_GROUPS_REACHED")
        _check_name_free(payload["name"])
        group = {"id": store().new_id(), "name": payload["name"], "description": payload.get("description"),
                 "color": payload.get("color"), "contactIds": [], "createdAt": store().now_iso()}
        account().groups[group["id"]] = group
        return answer({"data": group_json(group)})


@bp.put("/contacts/groups/<group_id>")
@operation(body="group-update")
def update_group(group_id: str):
    payload = json_body()
    with store().lock:
        group = account().find("groups", group_id)
        if "name" in payload:
            _check_name_free(payload["name"], group["id"])
        group.update({k: payload[k] for k in ("name", "description", "color") if k in payload})
        return jsonify({"data": group_json(group)})


@bp.delete("/contacts/groups/<group_id>")
def delete_group(group_id: str):
    """Delete a group; its contacts stay."""
    with store().lock:
        del account().groups[account().find("groups", group_id)["id"]]
        return jsonify({"data": {"deleted": True}})


@bp.get("/contacts/groups/<group_id>")
def get_group(group_id: str):
    with store().lock:
        return jsonify({"data": group_json(account().find("groups", group_id))})


@bp.get("/contacts/groups/<group_id>/members")
@takes(LIMIT, CURSOR, SEARCH)
def list_members(group_id: str):
    limit, search = LIMIT.read(), _search()
    with store().lock:
        group = account().find("groups", group_id)
        members = [account().contacts[c] for c in group["contactIds"] if c in account().contacts]
        if search:
            members = [c for c in members if search in c["name"].lower() or search in c["phone"]]
        paged = page_after(members, "members", limit)
        return jsonify({"data": {"contacts": [contact_json(c) for c in paged["page"]],
                                 "nextCursor": paged["nextCursor"], "hasMore": paged["hasMore"],
                                 "total": len(members)}})


@bp.route("/contacts/groups/<group_id>/members", methods=["POST", "DELETE"])
@operation(body="group-members", other_statuses=(202,))
def change_members(group_id: str):
    """Add or remove members: fewer than 100 ids at once (200), more through a bulk job (202)."""
    payload = json_body()
    adding = request.method == "POST"
    with store().lock:
        group = account().find("groups", group_id)
        ids = list(dict.fromkeys(i.lower() for i in payload["contactIds"]))
        if len(payload["contactIds"]) >= jobs.ASYNC_THRESHOLD:
            job = jobs.start(store(), account(), jobs.ADD if adding else jobs.REMOVE, ids, group["id"])
            return answer({"data": jobs.accepted_json(job)}, 202)
        if adding:
            result = {**jobs.add_members(account(), group, ids), "total": len(group["contactIds"])}
        else:
            result = jobs.remove_members(group, ids)
        return jsonify({"data": result})
