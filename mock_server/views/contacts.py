"""Contacts (create, list, get, update, delete) and contact groups (list, create, get, members)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from mock_server.bodies import json_body
from mock_server.context import account, store
from mock_server.errors import ApiError
from mock_server.operations import answer, operation
from mock_server.paging import page_after
from mock_server.queries import CURSOR, LIMIT, SEARCH, SORT, takes

bp = Blueprint("contacts", __name__)
CONTACT_FIELDS = ("id", "name", "phone", "tags", "meta", "temperature", "createdAt", "updatedAt")
ASYNC_THRESHOLD = 100  # member changes of this many ids answer 202 (applied at once, decision D12)


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
        contact = account().find("contacts", contact_id)
        del account().contacts[contact["id"]]
        for group in account().groups.values():
            if contact["id"] in group["contactIds"]:
                group["contactIds"].remove(contact["id"])
        return jsonify({"data": {"deleted": True}})


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


@bp.post("/contacts/groups")
@operation(body="group", status=201)
def create_group():
    payload = json_body()
    with store().lock:
        cap = account().limits.get("maxContactGroups")
        if cap is not None and len(account().groups) >= cap:
            raise ApiError("MAX_CONTACT_GROUPS_REACHED")
        if any(g["name"].lower() == payload["name"].lower() for g in account().groups.values()):
            raise ApiError("CONFLICT", f"A group named {payload['name']!r} already exists",
                           [{"field": "name", "message": "name already taken"}])
        group = {"id": store().new_id(), "name": payload["name"], "description": payload.get("description"),
                 "color": payload.get("color"), "contactIds": [], "createdAt": store().now_iso()}
        account().groups[group["id"]] = group
        return answer({"data": group_json(group)})


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
    payload = json_body()
    adding = request.method == "POST"
    with store().lock:
        group = account().find("groups", group_id)
        ids = list(dict.fromkeys(i.lower() for i in payload["contactIds"]))
        members = group["contactIds"]
        if adding:
            known = [i for i in ids if i in account().contacts]
            new = [i for i in known if i not in members]
            members.extend(new)
            result = {"added": len(new), "alreadyInGroup": len(known) - len(new),
                      "notFound": len(ids) - len(known), "total": len(members)}
        else:
            present = [i for i in ids if i in members]
            for i in present:
                members.remove(i)
            result = {"removed": len(present), "notInGroup": len(ids) - len(present)}
        if len(ids) >= ASYNC_THRESHOLD:
            return answer({"data": {"mode": "async", "jobId": store().new_id(), "status": "pending",
                                     "operation": "add_members" if adding else "remove_members",
                                     "requestedCount": len(ids), "groupId": group["id"],
                                     "progress": 0, "message": "Job accepted"}}, 202)
        return jsonify({"data": result})


