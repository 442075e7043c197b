"""The shape of every stored resource: one class each, its documented fields first, then what the
mock keeps for itself.

A record's JSON is its documented fields, in the order declared here, under their documented
names (an attribute named like a Python keyword drops its trailing `_`: `from_` is `from`);
bookkeeping fields (`bookkeeping()`) never leave the mock. A new field of a resource is its
schema in schemas/ and its line here.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
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
