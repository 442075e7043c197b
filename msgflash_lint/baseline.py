"""Baselines: record today's findings, then report only the ones that are new.

A finding is known by (path, code, message) and counted, not by line, so editing a file
above an old finding does not make it new again. Paths are stored relative to the project
root (the configuration's folder, else the repository's), so a baseline written at the root
matches from a subfolder and with absolute paths.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from msgflash_lint.diagnostics import Diagnostic
from msgflash_lint.roots import relative_to_root

VERSION = 1
INPUT_FAMILY = "MFL0"


class BaselineError(ValueError):
    pass


def _key(diagnostic: Diagnostic, root: Path) -> tuple[str, str, str]:
    return (relative_to_root(diagnostic.path, root), diagnostic.code, diagnostic.message)


def recordable(diagnostic: Diagnostic) -> bool:
    """Input problems (MFL0xx: a missing path, an unreadable or binary file) are never recorded:
    a baseline that knew "msgflash/ does not exist" would pass forever having checked nothing."""
    return not diagnostic.code.startswith(INPUT_FAMILY)


def baseline_text(diagnostics: list[Diagnostic], root: Path) -> str:
    return _text(Counter(_key(d, root) for d in diagnostics if recordable(d)))


def updated_baseline_text(diagnostics: list[Diagnostic], known: Counter, root: Path) -> str:
    """The baseline keeping only entries that still match a finding (new findings are not added)."""
    current = Counter(_key(d, root) for d in diagnostics)
    return _text(known & current)


def stale_entries(diagnostics: list[Diagnostic], known: Counter, root: Path) -> int:
    """How many recorded findings no longer occur (fixed, or their file is gone)."""
    current = Counter(_key(d, root) for d in diagnostics)
    return sum((known - current).values())


def _text(counts: Counter) -> str:
    findings = [{"path": p, "code": c, "message": m, "count": n} for (p, c, m), n in sorted(counts.items())]
    return json.dumps({"version": VERSION, "findings": findings}, indent=2, ensure_ascii=False) + "\n"


def parse_baseline(text: str, source: str) -> Counter:
    try:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise BaselineError(f"{source}: not a msgflash-lint baseline (version {data.get('version')!r})")
        return Counter({(f["path"], f["code"], f["message"]): int(f["count"]) for f in data["findings"]})
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, BaselineError):
            raise
        raise BaselineError(f"{source}: not a msgflash-lint baseline file ({error})") from None


def new_findings(diagnostics: list[Diagnostic], known: Counter, root: Path) -> list[Diagnostic]:
    """Diagnostics beyond what the baseline counted, in their original order."""
    remaining = Counter(known)
    fresh = []
    for diagnostic in diagnostics:
        key = _key(diagnostic, root)
        if remaining[key] > 0 and recordable(diagnostic):
            remaining[key] -= 1
        else:
            fresh.append(diagnostic)
    return fresh
