"""Baselines: record today's findings, then report only the ones that are new.

A finding is known by (path, code, message) and counted, not by line, so editing a file
above an old finding does not make it new again.
"""

from __future__ import annotations

import json
from collections import Counter

from msgflash_lint.diagnostics import Diagnostic

VERSION = 1


class BaselineError(ValueError):
    pass


def _key(diagnostic: Diagnostic) -> tuple[str, str, str]:
    return (diagnostic.path, diagnostic.code, diagnostic.message)


def baseline_text(diagnostics: list[Diagnostic]) -> str:
    counts = Counter(_key(d) for d in diagnostics)
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


def new_findings(diagnostics: list[Diagnostic], known: Counter) -> list[Diagnostic]:
    """Diagnostics beyond what the baseline counted, in their original order."""
    remaining = Counter(known)
    fresh = []
    for diagnostic in diagnostics:
        key = _key(diagnostic)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            fresh.append(diagnostic)
    return fresh
