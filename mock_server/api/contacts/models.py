"""Contacts and contact groups: their state changes and their JSON, with no HTTP in sight.

The views (mock_server/api/contacts/views.py) parse the request, call these and serialize; bulk
jobs (mock_server/api/bulk_jobs/models.py) use the same deletes for many ids at a time.
"""

from __future__ import annotations

from mock_server.state.errors import ApiError
from mock_server.state.records import Contact, Group
from mock_server.state.store import Account, Store


def create_contact(store: Store, account: Account, payload: dict) -> Contact:
    now = store.now_iso()
    contact = Contact(id=store.new_id(), **{k: payload[k] for k in Contact.WRITABLE if k in payload}, createdAt=now,
                      updatedAt=now, seq=store.next_sequence())
    account.contacts[contact.id] = contact
    return contact


def update_contact(store: Store, contact: Contact, payload: dict) -> None:
    """`tags` and `meta` are replaced whole, as documented."""
    contact.change({**{k: payload[k] for k in Contact.WRITABLE if k in payload}, "updatedAt": store.now_iso()})


def matching(contacts, search: str | None) -> list[Contact]:
    """Contacts whose name (any case) or phone holds `search` (already lower-cased)."""
    if not search:
        return list(contacts)
    return [c for c in contacts if search in c.name.lower() or search in c.phone]


def sorted_contacts(contacts: list[Contact], sort: str) -> list[Contact]:
    if sort == "name_asc":
        return sorted(contacts, key=lambda c: (c.name.lower(), c.id))
    return sorted(contacts, key=lambda c: (c.createdAt, c.seq, c.id), reverse=True)


def groups_of(account: Account, contact: Contact) -> list[dict]:
    groups = (g for g in account.groups.values() if contact.id in g.contactIds)
    return sorted(groups, key=lambda g: (g.createdAt, g.id), reverse=True)


def check_name_free(account: Account, name: str, group_id: str | None = None) -> None:
    """Group names are unique in an account, whatever their case: 409 CONFLICT otherwise."""
    if any(g.name.lower() == name.lower() and g.id != group_id for g in account.groups.values()):
        raise ApiError("CONFLICT", f"A group named {name!r} already exists",
                       [{"field": "name", "message": "name already taken"}])


def create_group(store: Store, account: Account, payload: dict) -> dict:
    cap = account.limits.get("maxContactGroups")
    if cap is not None and len(account.groups) >= cap:
        raise ApiError("MAX_CONTACT_GROUPS_REACHED")
    check_name_free(account, payload["name"])
    group = Group(id=store.new_id(), name=payload["name"], description=payload.get("description"),
                  color=payload.get("color"), createdAt=store.now_iso())
    account.groups[group.id] = group
    return group


def update_group(account: Account, group: dict, payload: dict) -> None:
    if "name" in payload:
        check_name_free(account, payload["name"], group.id)
    group.change({k: payload[k] for k in ("name", "description", "color") if k in payload})


def search_groups(account: Account, search: str | None) -> list[dict]:
    groups = sorted(account.groups.values(), key=lambda g: (g.createdAt, g.id), reverse=True)
    if not search:
        return groups
    return [g for g in groups if search in g.name.lower() or search in (g.description or "").lower()]


def delete_contacts(account: Account, ids: list[str]) -> list[str]:
    """Delete the ids that are contacts (and drop them from every group); the ids that were not."""
    missing = []
    for contact_id in ids:
        if account.contacts.pop(contact_id, None) is None:
            missing.append(contact_id)
            continue
        for group in account.groups.values():
            if contact_id in group.contactIds:
                group.contactIds.remove(contact_id)
    return missing
