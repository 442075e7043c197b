"""The mock's time: the wall clock, or (mock-only) a clock a test freezes and moves forward.

Every timestamp the mock writes and every time-driven step (scheduled messages, campaign
starts, bulk jobs and lookups that progress) reads one Clock per app, so a test that
advances it by an hour sees exactly what an hour of MsgFlash would have done.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


def iso(moment: datetime) -> str:
    """MsgFlash's timestamp form: UTC with milliseconds, `2026-04-01T10:00:00.000Z`."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


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
            return self._frozen_at if self._frozen_at is not None else time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), timezone.utc)

    def iso(self) -> str:
        return iso(self.now())

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def freeze(self, at: datetime | None = None) -> None:
        """Stop time, at `at` or at the current mock time."""
        moment = at.timestamp() if at is not None else self.time()
        with self._lock:
            self._frozen_at = moment

    def advance(self, seconds: float) -> None:
        """Move time forward (frozen or not); never backwards."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
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
