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
from typing import ClassVar


def bookkeeping(default=MISSING, *, factory=MISSING):
    """A field the mock keeps for itself: never in the record's JSON."""
    # Keyword-only: bookkeeping never shifts the documented fields, here or in a subclass.
    return field(default=default, default_factory=factory, repr=False, kw_only=True, metadata={"bookkeeping": True})


@cache
def _documented(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, f.name.rstrip("_")) for f in fields(cls) if not f.metadata.get("bookkeeping"))


@dataclass(eq=False)
class Record:
    """Records are compared by identity, as the stored objects they are."""

    # Fixture-file names that differ from the record's: {fixture name: attribute}.
    FIXTURE_NAMES: ClassVar[dict[str, str]] = {}

    def to_json(self) -> dict:
        """The documented fields, as the API answers them."""
        return {name: getattr(self, attribute) for attribute, name in _documented(type(self))}

    def change(self, changes: dict) -> None:
        """Set the fields `changes` names (a checked request body, or a fixture-format change)."""
        for name, value in changes.items():
            setattr(self, self.FIXTURE_NAMES.get(name, name), value)

    @classmethod
    def from_fixture(cls, item: dict, **fields):
        """A record from a fixture file's item (completed by mock_server/state/fixtures.py) and `fields`."""
        return cls(**{cls.FIXTURE_NAMES.get(name, name): value for name, value in {**item, **fields}.items()})


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

    # What POST /contacts and PUT /contacts/{id} may set (their schemas say how).
    WRITABLE: ClassVar[tuple[str, ...]] = ("name", "phone", "tags", "meta")


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
class _ClockedWork(Record):
    """Work that progresses with the mock's clock (bulk jobs, number lookups)."""

    started: float = bookkeeping(0.0)  # the mock's clock when it was accepted
    seq: int = bookkeeping(0)  # creation order: lists show the newest first


@dataclass(eq=False)
class BulkJob(_ClockedWork):
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


@dataclass(eq=False)
class Lookup(_ClockedWork):
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


@dataclass(eq=False)
class Instance(Record):
    """Read only through the API: created and connected in the dashboard, so fixtures make them."""

    id: str
    name: str
    waNumber: str | None  # `phone` in fixture files
    status: str
    webhook: None = None
    meta: None = None
    deletedAt: None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    safetyState: str = bookkeeping("stable")  # drives the warm-up guidance (mock_server/api/instances/safety.py)

    FIXTURE_NAMES: ClassVar[dict[str, str]] = {"phone": "waNumber"}


@dataclass(eq=False)
class Group(Record):
    id: str
    name: str
    description: str | None = None
    color: str | None = None
    createdAt: str | None = None
    contactIds: list[str] = bookkeeping(factory=list)  # its members, in the order they joined

    def to_json(self) -> dict:
        """The documented group shows how many members it has, not who."""
        return {"id": self.id, "name": self.name, "description": self.description, "color": self.color,
                "contactCount": len(self.contactIds), "createdAt": self.createdAt}


@dataclass(eq=False)
class Template(Record):
    id: str
    userId: str
    name: str
    type: str = "text"
    body: str | None = None
    mediaUrl: str | None = None
    createdAt: str | None = None
    updatedAt: str | None = None

    def to_json(self) -> dict:
        """With `variables`, recomputed from `body` as MsgFlash does (parsed by the linter, cached by body)."""
        from msgflash_lint import api

        data = super().to_json()
        data["variables"] = api.template_variables(self.body or "")
        data["createdAt"], data["updatedAt"] = data.pop("createdAt"), data.pop("updatedAt")  # the documented order
        return data


@dataclass(eq=False)
class Webhook(Record):
    id: str
    url: str
    events: list[str]
    active: bool
    createdAt: str
    updatedAt: str
    secret: str = bookkeeping("")  # shown once, in the create answer (decision D13)
