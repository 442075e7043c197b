"""The mock's time: the wall clock, or (mock-only) a clock a test freezes and moves forward.

Every timestamp the mock writes and every time-driven step (scheduled messages, campaign
starts, bulk jobs and lookups that progress) reads one Clock per app, so a test that
advances it by an hour sees exactly what an hour of MsgFlash would have done.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

# The instants the mock's clock may show, from EARLIEST up to (not including) LATEST: each is
# written with a four-digit year, and the month after it too (quota and billing periods look a
# month ahead), so a test that sets "never" (9999-12-31) is told the range instead of breaking
# every later answer.
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9999, 1, 1, tzinfo=timezone.utc)


class OutOfRange(ValueError):
    """An instant the clock cannot show: the message names the range."""

    def __init__(self) -> None:
        super().__init__(f"the mock's clock shows instants from {iso(EARLIEST)} up to {iso(LATEST)} (excluded)")


def iso(moment: datetime) -> str:
    """MsgFlash's timestamp form: UTC with milliseconds and a four-digit year, `2026-04-01T10:00:00.000Z`."""
    moment = moment.astimezone(timezone.utc)
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:"
            f"{moment.second:02d}.{moment.microsecond // 1000:03d}Z")


def _check(seconds: float) -> float:
    if not EARLIEST.timestamp() <= seconds < LATEST.timestamp():
        raise OutOfRange()
    return seconds


def done_by(started: float, now: float, per_second: int) -> int:
    """How many units of work (ids, numbers) a job started at `started` has done by `now`.

    The elapsed time is rounded to the microsecond: epoch seconds as floats drift by ~1e-7
    when a test adds 0.1, which would otherwise lose a unit."""
    return int(round(now - started, 6) * per_second)


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen_at: float | None = None  # seconds since the epoch while frozen
        self._offset = 0.0  # added to the wall clock while running

    def time(self) -> float:
        with self._lock:
            return self._seconds()

    def _seconds(self) -> float:
        """The mock's time, for a caller holding the lock."""
        return self._frozen_at if self._frozen_at is not None else time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), timezone.utc)

    def iso(self) -> str:
        return iso(self.now())

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def freeze(self, at: datetime | None = None) -> None:
        """Stop time, at `at` or at the current mock time (OutOfRange outside the clock's range)."""
        moment = _check(at.timestamp()) if at is not None else self.time()
        with self._lock:
            self._frozen_at = moment

    def advance(self, seconds: float) -> None:
        """Move time forward (frozen or not); never backwards."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            _check(self._seconds() + seconds)
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds

    def resume(self) -> None:
        """Let time run again from where it stands (it never jumps back)."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None

    def reset(self) -> None:
        with self._lock:
            self._frozen_at, self._offset = None, 0.0

    def state(self) -> dict:
        return {"now": self.iso(), "frozen": self.frozen}
