"""The shape of every stored resource: one class each, its documented fields first, then what the
mock keeps for itself.

A record's JSON is its documented fields, in the order declared here, under their documented
names (an attribute named like a Python keyword drops its trailing `_`: `from_` is `from`);
bookkeeping fields (`bookkeeping()`) never leave the mock. A new field of a resource is its
schema in schemas/ and its line here.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from functools import cache


def bookkeeping(default=MISSING, *, factory=MISSING):
    """A field the mock keeps for itself: never in the record's JSON."""
    return field(default=default, default_factory=factory, repr=False, metadata={"bookkeeping": True})


@cache
def _documented(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, f.name.rstrip("_")) for f in fields(cls) if not f.metadata.get("bookkeeping"))


@dataclass(eq=False)
class Record:
    """Records are compared by identity, as the stored objects they are."""

    def to_json(self) -> dict:
        """The documented fields, as the API answers them."""
        return {name: getattr(self, attribute) for attribute, name in _documented(type(self))}


@dataclass(eq=False)
class Message(Record):
    id: str
    userId: str
    instanceId: str
    contactId: str | None
    campaignId: str | None
    direction: str
    type: str
    from_: str | None
    to: str
    body: str | None
    mediaUrl: str | None
    status: str
    error: str | None
    meta: dict
    providerMessageId: str | None
    createdAt: str
    updatedAt: str
    seq: int = bookkeeping(0)  # creation order among every record of the store
    position: int = bookkeeping(0)  # its absolute place in its account's log, for cursors
    scheduledAt: str | None = bookkeeping(None)  # as POST /messages/schedule gave it


@dataclass(eq=False)
class Contact(Record):
    id: str
    name: str
    phone: str
    tags: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    temperature: str | None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    # A fixture may give the first name `{{contact.firstName}}` renders (else the first word of `name`).
    firstName: str | None = bookkeeping(None)
    seq: int = bookkeeping(0)  # creation order, to sort contacts created in the same millisecond

    def change(self, changes: dict) -> None:
        """Set the fields named in `changes` (a checked body or fixture change)."""
        for name, value in changes.items():
            setattr(self, name, value)


@dataclass(eq=False)
class Campaign(Record):
    id: str
    userId: str
    instanceId: str
    name: str
    status: str
    templateId: str | None
    type: str | None
    body: str | None
    mediaUrl: str | None
    schedule: str
    repeat: str
    recipients: dict
    createdAt: str
    updatedAt: str
    variables: dict = bookkeeping(factory=dict)  # the request's `variables`, for a template campaign
    content: dict = bookkeeping(factory=dict)  # title, description, footer, buttons of direct content
    safety: dict = bookkeeping(factory=dict)  # the safety report made at creation
    timeline: dict = bookkeeping(factory=dict)  # processingStartedAt, lastEnqueuedAt, completedAt, …
    message_ids: list[str] = bookkeeping(factory=list)  # every message it made, oldest first
    planned: int = bookkeeping(0)
    round_start: int = bookkeeping(0)  # where this round's messages begin in `message_ids`
    next_run: datetime | None = bookkeeping(None)  # a repeating campaign's next round


@dataclass(eq=False)
class BulkJob(Record):
    id: str
    operation: str
    status: str
    requestedCount: int
    processedCount: int
    progress: int
    groupId: str | None
    summary: dict
    error: str | None
    createdAt: str
    updatedAt: str
    completedAt: str | None
    ids: list[str] = bookkeeping(factory=list)  # the contact ids it works through, in order
    started: float = bookkeeping(0.0)  # the mock's clock when it was accepted
    seq: int = bookkeeping(0)


@dataclass(eq=False)
class Lookup(Record):
    id: str
    instanceId: str
    status: str
    progress: int
    requestedCount: int
    normalizedCount: int
    checkedCount: int
    onWhatsAppCount: int
    notOnWhatsAppCount: int
    invalidCount: int
    result: dict
    error: str | None
    createdAt: str
    updatedAt: str
    completedAt: str | None
    numbers: list[str] = bookkeeping(factory=list)  # the normalized numbers it checks, in order
    started: float = bookkeeping(0.0)  # the mock's clock when it was accepted
    seq: int = bookkeeping(0)
