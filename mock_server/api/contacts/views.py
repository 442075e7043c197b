"""Contacts (create, list, get, update, delete, their groups) and contact groups (list, create, get,
update, delete, members)."""

from __future__ import annotations

from flask import Blueprint, request

import mock_server.api.bulk_jobs.models as jobs
import mock_server.api.contacts.models as book
from mock_server.web.context import account, store
from mock_server.web.operations import operation
from mock_server.web.paging import page_after
from mock_server.web.queries import CURSOR, LIMIT, SEARCH, SORT, takes

bp = Blueprint("contacts", __name__)


def _search() -> str | None:
    search = SEARCH.read()
    return search.lower() if search else None


@bp.post("/contacts")
@operation(body="contact", status=201)
def create_contact(body: dict):
    with store().lock:
        return book.create_contact(store(), account(), body).to_json()


@bp.get("/contacts")
@takes(LIMIT, CURSOR, SEARCH, SORT)
def list_contacts():
    limit, search, sort = LIMIT.read(), _search(), SORT.read()
    with store().lock:
        items = book.sorted_contacts(book.matching(account().contacts.values(), search), sort)
        paged = page_after(items, sort, limit)
        return {"contacts": [c.to_json() for c in paged["page"]], "total": len(items),
                "limit": limit, "sort": sort, "nextCursor": paged["nextCursor"],
                "hasMore": paged["hasMore"]}


# /contacts/groups must win over /contacts/<contact_id>: Flask prefers the static segment.
@bp.get("/contacts/<contact_id>")
def get_contact(contact_id: str):
    with store().lock:
        return account().find("contacts", contact_id).to_json()


@bp.put("/contacts/<contact_id>")
@operation(body="contact-update")
def update_contact(contact_id: str, body: dict):
    with store().lock:
        contact = account().find("contacts", contact_id)
        book.update_contact(store(), contact, body)
        return contact.to_json()


@bp.delete("/contacts/<contact_id>")
def delete_contact(contact_id: str):
    with store().lock:
        book.delete_contacts(account(), [account().find("contacts", contact_id).id])
        return {"deleted": True}


@bp.get("/contacts/<contact_id>/groups")
def contact_groups(contact_id: str):
    """The groups a contact belongs to, as the page shows them: `{"groups": [...]}`."""
    with store().lock:
        contact = account().find("contacts", contact_id)
        return {"groups": [g.to_json() for g in book.groups_of(account(), contact)]}


@bp.get("/contacts/groups")
@takes(LIMIT, CURSOR, SEARCH)
def list_groups():
    limit, search = LIMIT.read(), _search()
    with store().lock:
        items = book.search_groups(account(), search)
        paged = page_after(items, "groups", limit)
        return {"groups": [g.to_json() for g in paged["page"]], "total": len(items),
                "limit": limit, "nextCursor": paged["nextCursor"], "hasMore": paged["hasMore"]}


@bp.post("/contacts/groups")
@operation(body="group", status=201)
def create_group(body: dict):
    with store().lock:
        return book.create_group(store(), account(), body).to_json()


@bp.put("/contacts/groups/<group_id>")
@operation(body="group-update")
def update_group(group_id: str, body: dict):
    with store().lock:
        group = account().find("groups", group_id)
        book.update_group(account(), group, body)
        return group.to_json()


@bp.delete("/contacts/groups/<group_id>")
def delete_group(group_id: str):
    """Delete a group; its contacts stay."""
    with store().lock:
        del account().groups[account().find("groups", group_id).id]
        return {"deleted": True}


@bp.get("/contacts/groups/<group_id>")
def get_group(group_id: str):
    with store().lock:
        return account().find("groups", group_id).to_json()


@bp.get("/contacts/groups/<group_id>/members")
@takes(LIMIT, CURSOR, SEARCH)
def list_members(group_id: str):
    limit, search = LIMIT.read(), _search()
    with store().lock:
        group = account().find("groups", group_id)
        members = book.matching((account().contacts[c] for c in group.contactIds if c in account().contacts),
                                search)
        paged = page_after(members, "members", limit)
        return {"contacts": [c.to_json() for c in paged["page"]],
                "nextCursor": paged["nextCursor"], "hasMore": paged["hasMore"],
                "total": len(members)}


@bp.route("/contacts/groups/<group_id>/members", methods=["POST", "DELETE"])
@operation(body="group-members", other_statuses=(202,))
def change_members(group_id: str, body: dict):
    """Add or remove members: fewer than 100 ids at once (200), more through a bulk job (202)."""
    adding = request.method == "POST"
    with store().lock:
        group = account().find("groups", group_id)
        ids = list(dict.fromkeys(i.lower() for i in body["contactIds"]))
        if len(body["contactIds"]) >= jobs.ASYNC_THRESHOLD:
            job = jobs.start(store(), account(), jobs.ADD if adding else jobs.REMOVE, ids, group.id)
            return jobs.accepted_json(job), 202
        if adding:
            result = {**jobs.add_members(account(), group, ids), "total": len(group.contactIds)}
        else:
            result = jobs.remove_members(group, ids)
        return result
