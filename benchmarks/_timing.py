"""Shared helpers for the benchmark scripts: run a command several times, keep the best wall time."""

from __future__ import annotations

import subprocess
import time


def best_of(command: list[str], repeat: int, **kwargs) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kwargs)
        best = min(best, time.perf_counter() - started)
    return best
