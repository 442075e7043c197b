"""`path:line:col: CODE message` lines, then a one-line summary."""

from __future__ import annotations


def render(result) -> str:
    lines = [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result) -> str:
    files = f"{result.files} file{'s' if result.files != 1 else ''} checked"
    if not result.diagnostics:
        return f"{files}, no problems found."
    errors = f"{result.errors} error{'s' if result.errors != 1 else ''}"
    warnings = f"{result.warnings} warning{'s' if result.warnings != 1 else ''}"
    return f"{files}: {errors}, {warnings}."
