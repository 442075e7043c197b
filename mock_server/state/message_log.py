"""An account's messages: newest-first paging, per-instance usage windows and retention.

A request's cost must not grow with the number of stored messages: the list reads from the
newest end and stops once it has its page, the health summary reads running counters of
the last hour and day, and past `limit` messages the oldest are dropped (retention), so a
long session's memory stays bounded.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterator

from mock_server.state.records import Message

# Per account. About 2 KB per stored message (BENCHMARKS.md), so the default bounds an
# account at some 100 MB; `create_app(max_messages=…)` and `serve --max-messages` change it.
DEFAULT_MAX_MESSAGES = 50_000


class _Window:
    """Outbound messages of the last `seconds`: how many, and to how many recipients."""

    __slots__ = ("seconds", "events", "recipients")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.events: deque[tuple[float, str]] = deque()
        self.recipients: Counter[str] = Counter()

    def add(self, moment: float, to: str) -> None:
        self.events.append((moment, to))
        self.recipients[to] += 1

    def counts(self, now: float) -> tuple[int, int]:
        cutoff = now - self.seconds
        while self.events and self.events[0][0] < cutoff:
            _, to = self.events.popleft()
            self.recipients[to] -= 1
            if not self.recipients[to]:
                del self.recipients[to]
        return len(self.events), len(self.recipients)


class MessageLog:
    def __init__(self, limit: int = DEFAULT_MAX_MESSAGES) -> None:
        self.limit = limit
        self.by_id: dict[str, Message] = {}  # creation order: the oldest first
        self.recipients: set[str] = set()  # every `to` ever messaged, kept past retention
        self._windows: dict[str, tuple[_Window, _Window]] = {}
        # Ids in creation order; `_order[_start:]` are the live ones, `_base` the absolute
        # position of `_order[0]`, and each message keeps its absolute `_pos` (for cursors).
        self._order: list[str] = []
        self._start = 0
        self._base = 0
        self.dropped = 0

    def add(self, message: Message) -> None:
        message.position = self._base + len(self._order)
        self._order.append(message.id)
        self.by_id[message.id] = message
        self.recipients.add(message.to)
        hour, day = self._windows.setdefault(message.instanceId, (_Window(3600), _Window(86400)))
        now = time.time()
        hour.add(now, message.to)
        day.add(now, message.to)
        while len(self.by_id) > self.limit:
            del self.by_id[self._order[self._start]]
            self._start += 1
            self.dropped += 1
        if self._start > 1024 and self._start * 2 > len(self._order):  # compact now and then
            del self._order[:self._start]
            self._base += self._start
            self._start = 0

    def get(self, message_id: str) -> Message | None:
        return self.by_id.get(message_id)

    def values(self):
        return self.by_id.values()

    def __contains__(self, message_id: str) -> bool:
        return message_id in self.by_id

    def __getitem__(self, message_id: str) -> Message:
        return self.by_id[message_id]

    def __len__(self) -> int:
        return len(self.by_id)

    def newest_first(self, after: str | None = None) -> Iterator[Message]:
        """Messages from the newest, or from the one just older than `after` (an id in the log)."""
        index = len(self._order) - 1 if after is None else self.by_id[after].position - self._base - 1
        while index >= self._start:
            yield self.by_id[self._order[index]]
            index -= 1

    def usage(self, instance_id: str) -> dict:
        """The health summary's counters for one instance, from the running windows."""
        windows = self._windows.get(instance_id)
        if windows is None:
            return {"outbound1h": 0, "outbound24h": 0, "uniqueRecipients1h": 0, "uniqueRecipients24h": 0}
        now = time.time()
        (in_hour, unique_hour), (in_day, unique_day) = windows[0].counts(now), windows[1].counts(now)
        return {"outbound1h": in_hour, "outbound24h": in_day,
                "uniqueRecipients1h": unique_hour, "uniqueRecipients24h": unique_day}
