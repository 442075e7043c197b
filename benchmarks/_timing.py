"""Shared helpers for the benchmark scripts: run a command several times, keep the best wall time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time


def repeat_option(description: str, default: int) -> int:
    """The `--repeat N` every timing script takes (runs per measurement, best kept)."""
    import argparse

    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=default, help="runs per measurement; the best is kept")
    return parser.parse_args().repeat


def installed_linter() -> str:
    """The installed `msgflash-lint`, or exit 2 saying how to install it (nothing is installed here)."""
    found = shutil.which("msgflash-lint")
    if not found:
        print("install the project first: pip install .", file=sys.stderr)
        sys.exit(2)
    return found


def best_of(command: list[str], repeat: int, **kwargs) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kwargs)
        best = min(best, time.perf_counter() - started)
    return best
