"""Number lookups: which numbers are on WhatsApp, decided by the fixture, never by a network.

The rule (docs/mock-server.md, "Number lookups"): a number is normalized by dropping spaces, dots, dashes
and brackets and reading a leading 00 as +; what is then not E.164, or is listed in the
account's `numbers.invalid`, is invalid; a valid number is on WhatsApp unless listed in
`numbers.notOnWhatsApp`. Fewer than ASYNC_THRESHOLD numbers are answered at once; more make an
async lookup that checks NUMBERS_PER_SECOND numbers per second of the mock's clock.
"""

from __future__ import annotations

import re

from mock_server.api.contacts.models import create_contact
from mock_server.state.clock import done_by
from mock_server.state.errors import ApiError
from mock_server.state.records import Lookup
from mock_server.state.store import Account, Store

ASYNC_THRESHOLD = 100  # newest guide and create page (an older guide said 1,000)
NUMBERS_PER_SECOND = 200  # ten provider batches of 20 a second; the pace is not documented
FINISHED = ("done", "failed", "cancelled")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_SEPARATORS = re.compile(r"[\s.\-()]")


def normalize(number: str) -> str | None:
    candidate = _SEPARATORS.sub("", number)
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    return candidate if _E164.fullmatch(candidate) else None


def create(store: Store, account: Account, payload: dict) -> dict:
    instance = account.find("instances", payload["instanceId"])
    if instance.status != "connected":
        # The check runs on the instance's WhatsApp session: without one the provider refuses.
        raise ApiError("PROVIDER_ERROR", f"The instance is {instance.status}: numbers are checked "
                                         "through a connected instance")
    refused = set(account.config["numbers"]["invalid"])
    valid, invalid = [], []
    for raw in payload["numbers"]:
        number = normalize(raw)
        if number is None or number in refused:
            invalid.append(raw)
        elif number not in valid:
            valid.append(number)
    now = store.now_iso()
    lookup = Lookup(id=store.new_id(), instanceId=instance.id, status="pending", progress=0,
                    requestedCount=len(payload["numbers"]), normalizedCount=len(valid), checkedCount=0,
                    onWhatsAppCount=0, notOnWhatsAppCount=0, invalidCount=len(invalid),
                    result={"onWhatsApp": [], "notOnWhatsApp": [], "invalid": invalid}, error=None, createdAt=now,
                    updatedAt=now, completedAt=None, numbers=valid, started=store.clock.time(), seq=store.next_sequence())
    account.lookups[lookup.id] = lookup
    if len(payload["numbers"]) < ASYNC_THRESHOLD:
        check(store, account, lookup)
    return lookup


def is_async(lookup: Lookup) -> bool:
    return lookup.requestedCount >= ASYNC_THRESHOLD


def created_json(lookup: Lookup) -> dict:
    """The create answer: the full result when sync, an announcement when async (their own names)."""
    if is_async(lookup):
        return {"mode": "async", "lookupId": lookup.id, "status": lookup.status,
                "requested": lookup.requestedCount, "message": "Lookup in progress. Check status later."}
    return {"mode": "sync", "lookupId": lookup.id, "status": lookup.status,
            "requested": lookup.requestedCount, "normalized": lookup.normalizedCount,
            "checked": lookup.checkedCount, "onWhatsAppCount": lookup.onWhatsAppCount,
            "notOnWhatsAppCount": lookup.notOnWhatsAppCount, "invalidCount": lookup.invalidCount,
            "result": lookup.result}


def progress_json(lookup: Lookup) -> dict:
    return {key: value for key, value in lookup.to_json().items() if key != "result"}


def detail_json(lookup: Lookup) -> dict:
    return {**progress_json(lookup), "result": lookup.result}


def work_due(store: Store, account: Account) -> None:
    now = store.clock.time()
    for lookup in account.lookups.values():
        if lookup.status not in FINISHED:
            target = done_by(lookup.started, now, NUMBERS_PER_SECOND)
            check(store, account, lookup, target - lookup.checkedCount)


def check(store: Store, account: Account, lookup: Lookup, count: int | None = None) -> None:
    """Check the next `count` numbers (all that are left when None)."""
    done = lookup.checkedCount
    batch = lookup.numbers[done:] if count is None else lookup.numbers[done:done + max(count, 0)]
    absent = set(account.config["numbers"]["notOnWhatsApp"])
    for number in batch:
        side = "notOnWhatsApp" if number in absent else "onWhatsApp"
        lookup.result[side].append(number)
        if side == "onWhatsApp":
            lookup.onWhatsAppCount += 1
        else:
            lookup.notOnWhatsAppCount += 1
    lookup.checkedCount = done + len(batch)
    total = lookup.normalizedCount
    lookup.progress = lookup.checkedCount * 100 // total if total else 100
    if lookup.checkedCount >= total:
        lookup.status = "done"
        lookup.completedAt = store.now_iso()
    elif lookup.checkedCount:
        lookup.status = "processing"
    lookup.updatedAt = store.now_iso()


def cancel(store: Store, lookup: Lookup) -> None:
    if lookup.status in FINISHED:
        raise ApiError("BAD_REQUEST", f"A `{lookup.status}` lookup cannot be cancelled")
    lookup.status = "cancelled"
    lookup.updatedAt = lookup.completedAt = store.now_iso()


def import_contacts(store: Store, account: Account, lookup: Lookup, payload: dict) -> dict:
    """Create or update a contact for each number found on WhatsApp (only a completed lookup)."""
    if lookup.status != "done":
        raise ApiError("BAD_REQUEST", f"Only a completed lookup can be imported; this one is `{lookup.status}`")
    group = account.find("groups", payload["groupId"]) if "groupId" in payload else None
    tag = payload.get("tag")
    by_phone = {contact.phone: contact for contact in account.contacts.values()}
    counts = {"requested": len(lookup.result["onWhatsApp"]), "created": 0, "updated": 0, "skipped": 0}
    now = store.now_iso()
    for phone in lookup.result["onWhatsApp"]:
        contact = by_phone.get(phone)
        created = contact is None
        if created:  # named after its number: a lookup knows nothing else about it
            contact = by_phone[phone] = create_contact(store, account, {"name": phone, "phone": phone})
        changed = False
        if tag and tag not in contact.tags:
            contact.tags = [*contact.tags, tag]
            changed = True
        if group is not None and contact.id not in group.contactIds:
            group.contactIds.append(contact.id)
            changed = True
        if created:
            counts["created"] += 1
        elif changed:
            contact.updatedAt = now
            counts["updated"] += 1
        else:
            counts["skipped"] += 1  # already a contact, with nothing to change
    return counts
