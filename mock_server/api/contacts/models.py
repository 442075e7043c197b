"""Contacts and contact groups: their state changes and their JSON, with no HTTP in sight.

The views (mock_server/api/contacts/views.py) parse the request, call these and serialize; the
bulk work on the same records (member changes, deletes) is in mock_server/api/bulk_jobs/models.py.
"""

from __future__ import annotations

from mock_server.state.errors import ApiError
from mock_server.state.store import Account, Store

CONTACT_FIELDS = ("id", "name", "phone", "tags", "meta", "temperature", "createdAt", "updatedAt")


def contact_json(contact: dict) -> dict:
    return {field: contact.get(field) for field in CONTACT_FIELDS}


def group_json(group: dict) -> dict:
    return {"id": group["id"], "name": group["name"], "description": group.get("description"),
            "color": group.get("color"), "contactCount": len(group["contactIds"]), "createdAt": group["createdAt"]}


def create_contact(store: Store, account: Account, payload: dict) -> dict:
    now = store.now_iso()
    contact = {"id": store.new_id(), "name": payload["name"], "phone": payload["phone"],
               "tags": payload.get("tags", []), "meta": payload.get("meta", {}), "temperature": None,
               "createdAt": now, "updatedAt": now, "_seq": store.next_sequence()}
    account.contacts[contact["id"]] = contact
    return contact


def update_contact(store: Store, contact: dict, payload: dict) -> None:
    """`tags` and `meta` are replaced whole, as documented."""
    contact.update({k: payload[k] for k in ("name", "phone", "tags", "meta") if k in payload},
                   updatedAt=store.now_iso())


def matching(contacts, search: str | None) -> list[dict]:
    """Contacts whose name (any case) or phone holds `search` (already lower-cased)."""
    if not search:
        return list(contacts)
    return [c for c in contacts if search in c["name"].lower() or search in c["phone"]]


def sorted_contacts(contacts: list[dict], sort: str) -> list[dict]:
    if sort == "name_asc":
        return sorted(contacts, key=lambda c: (c["name"].lower(), c["id"]))
    return sorted(contacts, key=lambda c: (c["createdAt"], c.get("_seq", 0), c["id"]), reverse=True)


def groups_of(account: Account, contact: dict) -> list[dict]:
    groups = (g for g in account.groups.values() if contact["id"] in g["contactIds"])
    return sorted(groups, key=lambda g: (g["createdAt"], g["id"]), reverse=True)


def check_name_free(account: Account, name: str, group_id: str | None = None) -> None:
    """Group names are unique in an account, whatever their case: 409 CONFLICT otherwise."""
    if any(g["name"].lower() == name.lower() and g["id"] != group_id for g in account.groups.values()):
        raise ApiError("CONFLICT", f"A group named {name!r} already exists",
                       [{"field": "name", "message": "name already taken"}])


def create_group(store: Store, account: Account, payload: dict) -> dict:
    cap = account.limits.get("maxContactGroups")
    if cap is not None and len(account.groups) >= cap:
        raise ApiError("MAX_CONTACT_GROUPS_REACHED")
    check_name_free(account, payload["name"])
    group = {"id": store.new_id(), "name": payload["name"], "description": payload.get("description"),
             "color": payload.get("color"), "contactIds": [], "createdAt": store.now_iso()}
    account.groups[group["id"]] = group
    return group


def update_group(account: Account, group: dict, payload: dict) -> None:
    if "name" in payload:
        check_name_free(account, payload["name"], group["id"])
    group.update({k: payload[k] for k in ("name", "description", "color") if k in payload})


def search_groups(account: Account, search: str | None) -> list[dict]:
    groups = sorted(account.groups.values(), key=lambda g: (g["createdAt"], g["id"]), reverse=True)
    if not search:
        return groups
    return [g for g in groups if search in g["name"].lower() or search in (g.get("description") or "").lower()]
