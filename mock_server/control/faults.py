"""Faults on demand (mock-only): rules that make chosen API requests fail, slow down or drop.

A rule names a route (`POST /api/v1/messages/send`, `{id}` segments allowed, `*` for any
method) and optionally one account (by one of its API keys); it answers a documented error, adds latency, or drops the
connection without an answer — for the next `times` matching requests, or for a `share` of
them drawn from a seeded generator, so a flaky-provider test is the same on every run. Rules
are set with POST /_mock/faults (or the plugin's `fault()`), listed with GET, and cleared by
DELETE /_mock/faults or a reset. The code under test is not touched: unlike the
`X-Mock-Error` header, it needs to send nothing special.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import NamedTuple

from msgflash_lint import api


class AnswerError(NamedTuple):
    """The fault answers this documented error (after its latency)."""

    code: str
    message: str | None = None


class DropConnection(NamedTuple):
    """The fault closes the connection without an answer (after its latency)."""


# What a fault does once its latency has passed: answer an error, drop, or nothing more (latency alone).
Effect = AnswerError | DropConnection | None


def effect_of(body: dict) -> Effect:
    """The kind of fault a checked POST /_mock/faults body asks for (a drop wins over an error)."""
    if body.get("drop"):
        return DropConnection()
    if body.get("error"):
        return AnswerError(body["error"], body.get("message"))
    return None


@dataclass
class Fault:
    id: int
    method: str  # "POST", or "*"
    route: str  # /api/v1/messages/{id}
    effect: Effect = None
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    # One account's requests only (whichever of its keys they use), or None for everyone's.
    account: object | None = None
    api_key: str | None = None  # the key the rule was set with, shown redacted
    times: int | None = None  # matching requests left; None: no end
    share: float = 1.0
    seed: int = 0
    matched: int = 0
    applied: int = 0
    _rng: random.Random = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def matches(self, method: str, path: str, account) -> bool:
        if self.method not in ("*", method):
            return False
        if self.account is not None and self.account is not account:
            return False
        return self.route == path or self.route == (api.route_of(method, path) or path)

    def decision(self) -> Decision:
        delay = self.latency_ms + (self._rng.uniform(0, self.jitter_ms) if self.jitter_ms else 0.0)
        effect = self.effect
        if isinstance(effect, AnswerError):
            return Decision(effect.code, effect.message, delay / 1000)
        return Decision(None, None, delay / 1000, isinstance(effect, DropConnection))

    def json(self) -> dict:
        from mock_server.control.journal import redact_key

        error = self.effect.code if isinstance(self.effect, AnswerError) else None
        return {"id": self.id, "method": self.method, "route": self.route, "apiKey": redact_key(self.api_key),
                "error": error, "latencyMs": self.latency_ms, "jitterMs": self.jitter_ms,
                "drop": isinstance(self.effect, DropConnection), "timesLeft": self.times, "share": self.share,
                "seed": self.seed, "matched": self.matched, "applied": self.applied}


@dataclass(frozen=True)
class Decision:
    error: str | None = None
    message: str | None = None
    delay_seconds: float = 0.0
    drop: bool = False


class Faults:
    def __init__(self) -> None:
        self._rules: list[Fault] = []
        self._lock = threading.Lock()
        self._next = 1

    def add(self, **spec) -> Fault:
        with self._lock:
            fault = Fault(id=self._next, **spec)
            self._next += 1
            self._rules.append(fault)
            return fault

    def rules(self) -> list[Fault]:
        with self._lock:
            return list(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def decide(self, method: str, path: str, account) -> Decision | None:
        """What the first live rule matching this request does to it (None: nothing)."""
        if not self._rules:
            return None
        with self._lock:
            for fault in self._rules:
                if fault.times == 0 or not fault.matches(method, path, account):
                    continue
                fault.matched += 1
                if fault.share < 1.0 and fault._rng.random() >= fault.share:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                fault.applied += 1
                return fault.decision()
        return None
