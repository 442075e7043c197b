"""The request journal (mock-only): each API request and its answer, newest N, secrets redacted.

It answers "what did my code send?" without list calls: `/_mock/requests` serves it with
filters, and the pytest plugin's `requests()`, `sent_messages()` and `assert_requested()` read
it. Keys are cut to their prefix and last four characters; webhook secrets and any field
named like a secret or key are replaced, so a journal can be printed in a CI log.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from datetime import datetime, timezone

from mock_server.state.clock import iso
from msgflash_lint import api

JOURNAL_SIZE = 1000
# Of each request and response body the journal keeps (and shows) the first 64 KiB: at most
# JOURNAL_SIZE × 2 × 64 KiB = 128 MiB however large the bodies clients send (up to 2 MiB each).
BODY_SHOWN_BYTES = 64 * 1024
REDACTED = "[redacted]"
_SECRET_NAMES = ("secret", "password", "token", "apikey", "api_key")


def redact_key(key: str | None) -> str | None:
    """`msgf_live_…a1b2`: enough to tell keys apart, not enough to use one."""
    if not key:
        return None
    prefix = key[:10] if key.startswith("msgf_") else ""
    return f"{prefix}…{key[-4:]}" if len(key) > 8 else "…"


def redact(value):
    """The value with every secret-looking field replaced (webhook `secret`, keys, tokens)."""
    if isinstance(value, dict):
        return {k: REDACTED if any(name in k.lower().replace("-", "_") for name in _SECRET_NAMES) else redact(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _body(raw: bytes, mimetype: str):
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    if mimetype == "application/json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return text
        # What could not be served back as JSON (a lone surrogate escape, deep nesting) stays text.
        return text if api.storage_problem(data) is not None else redact(data)
    return text


class Journal:
    """Bounded, newest last. Recording keeps the raw bytes (the part shown); parsing, redaction and the route
    lookup happen when the journal is read, so a request that nobody inspects pays little."""

    def __init__(self, size: int = JOURNAL_SIZE) -> None:
        self._entries: deque[dict] = deque(maxlen=size)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def record(self, **raw) -> None:
        """Keep one request; its bodies cut to what the journal shows, so it never holds more."""
        for body in ("request_body", "response_body"):
            if len(raw[body]) > BODY_SHOWN_BYTES:
                raw[body] = raw[body][:BODY_SHOWN_BYTES]
        with self._lock:
            raw["id"] = next(self._ids)
            self._entries.append(raw)

    @staticmethod
    def _shown(raw: dict) -> dict:
        shown = raw.get("_shown")
        if shown is None:
            shown = raw["_shown"] = {
                "id": raw["id"], "at": iso(datetime.fromtimestamp(raw["at"], timezone.utc)),
                "method": raw["method"], "path": raw["path"],
                "query": raw["query"], "apiKey": redact_key(raw["api_key"]), "teamId": raw["team"],
                "route": api.route_of(raw["method"], raw["path"]) or raw["path"],
                "body": _body(raw["request_body"], raw["request_type"]),
                "response": {"status": raw["status"], "body": _body(raw["response_body"], raw["response_type"])},
                "durationMs": round(raw["duration_ms"], 2),
            }
        return shown

    def entries(self, method: str | None = None, path: str | None = None, status: int | None = None,
                limit: int | None = None) -> list[dict]:
        """Oldest first. `path` is exact (`/api/v1/messages/send`) or a route with `{id}` segments."""
        with self._lock:
            found = [self._shown(raw) for raw in self._entries]
        if method:
            found = [e for e in found if e["method"] == method.upper()]
        if path:
            route = api.route_key(path.split("?", 1)[0])
            found = [e for e in found if e["path"] == path or e["route"] == route]
        if status is not None:
            found = [e for e in found if e["response"]["status"] == status]
        return found[-limit:] if limit else found

    def clear(self) -> None:
        """Forget every entry; ids start again at 1 (at a reset), so "#1" in a test's failure is its first request."""
        with self._lock:
            self._entries.clear()
            self._ids = itertools.count(1)
