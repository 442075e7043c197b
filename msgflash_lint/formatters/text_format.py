"""`path:line:col: CODE message` lines, then a one-line summary."""

from __future__ import annotations


def render(result) -> str:
    lines = [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result) -> str:
    files = f"{result.files} file{'s' if result.files != 1 else ''} checked"
    skipped = len(getattr(result, "skipped", ()))
    aside = f"; {skipped} file{'s' if skipped != 1 else ''} skipped: not MsgFlash payloads" if skipped else ""
    fixed = getattr(result, "fixed", 0)
    if fixed:
        aside += f"; {fixed} fixed, {len(result.diagnostics)} remaining"
    if not result.diagnostics:
        return f"{files}, no problems found{aside}."
    errors = f"{result.errors} error{'s' if result.errors != 1 else ''}"
    warnings = f"{result.warnings} warning{'s' if result.warnings != 1 else ''}"
    line = f"{files}: {errors}, {warnings}{aside}."
    if result.warnings and not result.failed:
        # pre-commit hides the output of a hook that passes: say plainly that warnings were let through.
        line += " Warnings do not fail the run (--fail-level warning makes them)."
    return line
