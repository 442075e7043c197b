"""Store: all state of one mock app behind one lock; message status transitions.

One Store per app (kept in app.extensions), so two apps never share state; `reset()`
returns to the fixture state. Nothing here knows about HTTP.
"""

from __future__ import annotations

import copy
import random
import threading
import uuid
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone

from mock_server.state.clock import Clock
from mock_server.state.errors import ApiError
from mock_server.state.message_log import DEFAULT_MAX_MESSAGES, MessageLog
from mock_server.state.records import Campaign, Contact, Group, Instance, Message, Template, Webhook

MESSAGE_FLOW = ("queued", "sent", "delivered", "read")
FAILED = "failed"


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime; zone-less ones are UTC (decision D17)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Usage:
    """What an account's subscription has used this month: shared by its team workspaces."""

    def __init__(self, config: dict, now: float) -> None:
        self.messages = config["outboundUsed"]
        self.statuses = 0
        self.api_requests = config["apiRequestsUsed"]
        self.period = _month_of(now)  # (start, end) of the quota period these counters belong to

    @property
    def outbound(self) -> int:
        """effectiveOutboundUsage: messages and statuses share the monthly quota."""
        return self.messages + self.statuses

    def roll_over(self, now: float) -> None:
        """Another calendar month (of the mock's clock, which a test may also set back): the
        monthly counters start again from 0."""
        start, end = self.period
        if not start <= now < end:
            self.messages = self.statuses = self.api_requests = 0
            self.period = _month_of(now)


def _month_of(now: float) -> tuple[float, float]:
    """The calendar month (UTC) holding `now`: its first instant and the next month's, in seconds."""
    moment = datetime.fromtimestamp(now, timezone.utc)
    start = datetime(moment.year, moment.month, 1, tzinfo=timezone.utc)
    end = datetime(moment.year + (moment.month == 12), moment.month % 12 + 1, 1, tzinfo=timezone.utc)
    return start.timestamp(), end.timestamp()


class Account:
    """One MsgFlash workspace: a personal account, or a team of one (`team` set, `owner` its account).

    A team has its own resources and keys and uses the owner's plan, limits and usage.
    """

    def __init__(self, config: dict, started_at: str, max_messages: int = DEFAULT_MAX_MESSAGES,
                 owner: Account | None = None, team: dict | None = None) -> None:
        self.config = config
        self.owner = owner
        self.team = team
        subscriber = owner or self
        self.user = subscriber.user if owner else dict(config["user"])
        self.features = subscriber.features if owner else dict(config["features"])
        self.limits = subscriber.limits if owner else dict(config["limits"])
        self.usage = subscriber.usage if owner else Usage(config, parse_timestamp(started_at).timestamp())
        workspace = team or config
        self.instances = {i["id"]: Instance.from_fixture({"createdAt": started_at, **i}, updatedAt=started_at)
                          for i in workspace["instances"]}
        self.contacts = {c["id"]: Contact.from_fixture(copy.deepcopy(c), createdAt=started_at, updatedAt=started_at)
                         for c in workspace["contacts"]}
        self.groups = {g["id"]: Group.from_fixture(copy.deepcopy(g), createdAt=started_at) for g in workspace["groups"]}
        self.templates = {t["id"]: Template.from_fixture(t, userId=self.user["id"], createdAt=started_at,
                                                         updatedAt=started_at)
                          for t in workspace["templates"]}
        self.messages = MessageLog(max_messages)
        self.campaigns: dict[str, Campaign] = {}
        self.webhooks: dict[str, Webhook] = {}
        self.scheduled: list[tuple[float, int, str]] = []  # heap of (due time, sequence, message id)
        self.lifecycle: list[tuple[float, int, str, str]] = []  # heap of (due, sequence, message id, status)
        self.jobs: dict[str, dict] = {}  # async bulk contact jobs
        self.lookups: dict[str, dict] = {}  # number lookups
        self.api_keys = tuple(team["apiKeys"] if team else config["apiKeys"])
        self.request_times: deque[float] = deque()  # per key set: the rate limit is per key

    @property
    def personal(self) -> Account:
        """The account whose subscription this workspace uses."""
        return self.owner or self

    @property
    def rate_limit(self) -> int:
        return self.config["rateLimitPerSecond"]

    # What each collection is called in a NOT_FOUND message.
    _NOUNS = {"instances": "Instance", "contacts": "Contact", "groups": "Group", "templates": "Template",
              "campaigns": "Campaign", "webhooks": "Webhook", "jobs": "Bulk job", "lookups": "Number lookup"}

    def find(self, collection: str, raw_id) -> dict:
        """One of this account's records by id (any case), or NOT_FOUND: another account's id too."""
        found = getattr(self, collection).get(str(raw_id).lower())
        if found is None:
            raise ApiError("NOT_FOUND", f"{self._NOUNS[collection]} not found")
        return found

    def context(self, collection: str, raw_id: str, field: str) -> dict:
        """A contact or instance given only as template context: missing → TEMPLATE_CONTEXT_UNAVAILABLE (D5)."""
        found = getattr(self, collection).get(raw_id.lower())
        if found is None:
            raise ApiError("TEMPLATE_CONTEXT_UNAVAILABLE", f"The {field} context cannot be loaded",
                           [{"field": field, "message": "not found in this account"}])
        return found


class Store:
    def __init__(self, fixtures: dict, max_messages: int = DEFAULT_MAX_MESSAGES) -> None:
        self.lock = threading.RLock()
        self._fixtures = fixtures
        self.max_messages = max_messages
        self.clock = Clock()
        # Called as listener(account, event, message) on every message status change.
        self.listeners: list[Callable[[Account, str, Message], None]] = []
        self.reset()

    def now(self) -> datetime:
        return self.clock.now()

    def now_iso(self) -> str:
        return self.clock.iso()

    def reset(self) -> None:
        with self.lock:
            self.clock.reset()
            self.lifecycle: dict[str, float] | None = None  # mock-only: status → seconds after going out
            started_at = self.now_iso()
            self._rng = random.Random(0)
            self._sequence = 0
            self.accounts: list[Account] = []
            for config in copy.deepcopy(self._fixtures["accounts"]):
                personal = Account(config, started_at, self.max_messages)
                self.accounts.append(personal)
                self.accounts.extend(Account(config, started_at, self.max_messages, owner=personal, team=team)
                                     for team in config["teams"])
            self._by_key = {key: account for account in self.accounts for key in account.api_keys}
            # Every id a fixture holds: a generated id never takes one of them over.
            self._taken = {item_id for account in self.accounts
                           for kind in ("instances", "contacts", "groups", "templates")
                           for item_id in getattr(account, kind)}
            self._taken.update(account.user["id"] for account in self.accounts)

    def account_for_key(self, key: str | None) -> Account | None:
        return self._by_key.get(key or "")

    def new_id(self) -> str:
        """Lowercase UUIDv4, from a seeded generator: the same ids after every reset, never a taken one."""
        while True:
            candidate = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate

    def random_bits(self, bits: int) -> int:
        return self._rng.getrandbits(bits)

    def next_sequence(self) -> int:
        self._sequence += 1
        return self._sequence

    def find_message(self, message_id: str) -> tuple[Account, Message] | None:
        for account in self.accounts:
            message = account.messages.get(message_id.lower())
            if message is not None:
                return account, message
        return None

    def allow_request(self, account: Account, now: float | None = None) -> bool:
        """Sliding one-second window per account key set: False once over rateLimitPerSecond."""
        now = self.clock.time() if now is None else now
        window = account.request_times
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= account.rate_limit:
            return False
        window.append(now)
        return True

    def set_status(self, account: Account, message: Message, status: str, error: str | None = None) -> None:
        message.status = status
        message.updatedAt = self.now_iso()
        if status == "sent" and message.providerMessageId is None:
            message.providerMessageId = f"{self._rng.getrandbits(64):016X}"
        if status == FAILED:
            message.error = error or "Delivery failed (simulated by the mock server)"
        for listener in self.listeners:
            listener(account, f"message.{status}", message)

    def advance(self, account: Account, message: Message, target: str | None) -> Message:
        """Move a message one step along queued → sent → delivered → read, or jump to `target`."""
        current = message.status
        if current == FAILED:
            raise ApiError("CONFLICT", "A failed message cannot change status")
        position = MESSAGE_FLOW.index(current)
        if target is None:
            if position == len(MESSAGE_FLOW) - 1:
                raise ApiError("CONFLICT", "The message is already read: there is no later status")
            target = MESSAGE_FLOW[position + 1]
        elif target != FAILED and (target not in MESSAGE_FLOW or MESSAGE_FLOW.index(target) <= position):
            raise ApiError("CONFLICT", f"Cannot move a `{current}` message to `{target}`")
        steps = [target] if target == FAILED else list(MESSAGE_FLOW[position + 1:MESSAGE_FLOW.index(target) + 1])
        for step in steps:  # each step fires its own event, as the live lifecycle would
            if step == "sent" and not self._can_send(account, message):
                # guides_schedule-message: an instance not connected when the message goes out fails it.
                instance = account.instances.get(message.instanceId)
                self.set_status(account, message, FAILED,
                                f"Instance not connected ({instance.status if instance else None})")
                break
            self.set_status(account, message, step)
        return message

    @staticmethod
    def _can_send(account: Account, message: Message) -> bool:
        instance = account.instances.get(message.instanceId)
        return instance is not None and instance.status == "connected"

