"""Contacts (create, list, get, update, delete, their groups) and contact groups (list, create, get,
update, delete, members)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from mock_server import contact_book as book
from mock_server import jobs
from mock_server.bodies import json_body
from mock_server.contact_book import contact_json, group_json
from mock_server.context import account, store
from mock_server.operations import answer, operation
from mock_server.paging import page_after
from mock_server.queries import CURSOR, LIMIT, SEARCH, SORT, takes

bp = Blueprint("contacts", __name__)


def _search() -> str | None:
    search = SEARCH.read()
    return search.lower() if search else None


@bp.post("/contacts")
@operation(body="contact", status=201)
def create_contact():
    payload = json_body()
    with store().lock:
        return answer({"data": contact_json(book.create_contact(store(), account(), payload))})


@bp.get("/contacts")
@takes(LIMIT, CURSOR, SEARCH, SORT)
def list_contacts():
    limit, search, sort = LIMIT.read(), _search(), SORT.read()
    with store().lock:
        items = book.sorted_contacts(book.matching(account().contacts.values(), search), sort)
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
        book.update_contact(store(), contact, payload)
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
        return jsonify({"data": [group_json(g) for g in book.groups_of(account(), contact)]})


@bp.get("/contacts/groups")
@takes(LIMIT, CURSOR, SEARCH)
def list_groups():
    limit, search = LIMIT.read(), _search()
    with store().lock:
        items = book.search_groups(account(), search)
        paged = page_after(items, "groups", limit)
        return jsonify({"data": {"groups": [group_json(g) for g in paged["page"]], "total": len(items),
                                 "limit": limit, "nextCursor": paged["nextCursor"], "hasMore": paged["hasMore"]}})


@bp.post("/contacts/groups")
@operation(body="group", status=201)
def create_group():
    payload = json_body()
    with store().lock:
        return answer({"data": group_json(book.create_group(store(), account(), payload))})


@bp.put("/contacts/groups/<group_id>")
@operation(body="group-update")
def update_group(group_id: str):
    payload = json_body()
    with store().lock:
        group = account().find("groups", group_id)
        book.update_group(account(), group, payload)
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
        members = book.matching((account().contacts[c] for c in group["contactIds"] if c in account().contacts),
                                search)
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
