"""Store: all state of one mock app behind one lock; message status transitions.

One Store per app (kept in app.extensions), so two apps never share state; `reset()`
returns to the fixture state. Nothing here knows about HTTP.
"""

from __future__ import annotations

import copy
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone

from mock_server.errors import ApiError
from mock_server.message_log import DEFAULT_MAX_MESSAGES, MessageLog

MESSAGE_FLOW = ("queued", "sent", "delivered", "read")
FAILED = "failed"


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime; zone-less ones are UTC (decision D17)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def utc_now() -> str:
    moment = datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Account:
    """One MsgFlash account: its configuration, its resources and its counters."""

    def __init__(self, config: dict, started_at: str, max_messages: int = DEFAULT_MAX_MESSAGES) -> None:
        self.config = config
        self.user = dict(config["user"])
        self.features = dict(config["features"])
        self.limits = dict(config["limits"])
        self.instances = {i["id"]: {**i, "createdAt": i.get("createdAt", started_at), "updatedAt": started_at}
                          for i in config["instances"]}
        self.contacts = {c["id"]: {**copy.deepcopy(c), "createdAt": started_at, "updatedAt": started_at}
                         for c in config["contacts"]}
        self.groups = {g["id"]: {**copy.deepcopy(g), "createdAt": started_at} for g in config["groups"]}
        self.templates = {t["id"]: {**t, "createdAt": started_at, "updatedAt": started_at}
                          for t in config["templates"]}
        self.messages = MessageLog(max_messages)
        self.campaigns: dict[str, dict] = {}
        self.webhooks: dict[str, dict] = {}
        self.outbound_used = config["outboundUsed"]
        self.api_requests_used = config["apiRequestsUsed"]
        self.request_times: deque[float] = deque()

    @property
    def rate_limit(self) -> int:
        return self.config["rateLimitPerSecond"]

    # What each collection is called in a NOT_FOUND message.
    _NOUNS = {"instances": "Instance", "contacts": "Contact", "groups": "Group", "templates": "Template",
              "campaigns": "Campaign", "webhooks": "Webhook"}

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
        # Called as listener(account, event, message) on every message status change.
        self.listeners: list[Callable[[Account, str, dict], None]] = []
        self.reset()

    def reset(self) -> None:
        with self.lock:
            started_at = utc_now()
            self._rng = random.Random(0)
            self._sequence = 0
            self.accounts = [Account(copy.deepcopy(config), started_at, self.max_messages)
                             for config in self._fixtures["accounts"]]
            self._by_key = {key: account for account in self.accounts for key in account.config["apiKeys"]}
            # Every id a fixture holds: a generated id never takes one of them over.
            self._taken = {item["id"] for config in self._fixtures["accounts"]
                           for kind in ("instances", "contacts", "groups", "templates") for item in config[kind]}
            self._taken.update(config["user"]["id"] for config in self._fixtures["accounts"])

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

    def find_message(self, message_id: str) -> tuple[Account, dict] | None:
        for account in self.accounts:
            message = account.messages.get(message_id.lower())
            if message is not None:
                return account, message
        return None

    def allow_request(self, account: Account, now: float | None = None) -> bool:
        """Sliding one-second window per account key set: False once over rateLimitPerSecond."""
        now = time.monotonic() if now is None else now
        window = account.request_times
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= account.rate_limit:
            return False
        window.append(now)
        return True

    def set_status(self, account: Account, message: dict, status: str, error: str | None = None) -> None:
        message["status"] = status
        message["updatedAt"] = utc_now()
        if status == "sent" and message["providerMessageId"] is None:
            message["providerMessageId"] = f"{self._rng.getrandbits(64):016X}"
        if status == FAILED:
            message["error"] = error or "Delivery failed (simulated by the mock server)"
        for listener in self.listeners:
            listener(account, f"message.{status}", message)

    def advance(self, account: Account, message: dict, target: str | None) -> dict:
        """Move a message one step along queued → sent → delivered → read, or jump to `target`."""
        current = message["status"]
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
            self.set_status(account, message, step)
        return message


def public(record: dict) -> dict:
    """A stored record without its internal `_` keys."""
    return {key: value for key, value in record.items() if not key.startswith("_")}
