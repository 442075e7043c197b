"""`path:line:col: CODE message` lines, then a one-line summary.

A finding that does not fail a run by default says so after its code,
`path:line:col: CODE [warning] message`; errors keep the plain form, so the line CI logs and
grep patterns have always matched stays as it was.

On a terminal (`render_for_terminal`) each finding also shows its source line with a caret
under the columns, as ruff and rustc do, coloured unless NO_COLOR or --color never says not;
piped output keeps the one-line form, so pre-commit logs and grep stay as they are.
"""

from __future__ import annotations

from msgflash_lint.diagnostics import Severity, plural, printable

_RESET = "\x1b[0m"
_STYLES = {"path": "\x1b[1m", "error": "\x1b[1;31m", "warning": "\x1b[1;33m", "gutter": "\x1b[34m"}


def render(result) -> str:
    lines = [f"{d.path}:{d.line}:{d.column}: {d.code}{severity_mark(d)} {d.message}" for d in result.diagnostics]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def severity_mark(diagnostic) -> str:
    """` [warning]` after the code of a warning; nothing for an error."""
    return "" if diagnostic.severity is Severity.ERROR else f" [{diagnostic.severity.value}]"


def statistics(result) -> str:
    """One line per code with findings, most frequent first: count, code, rule name, `[*]` if --fix
    can rewrite some of them (`[-]` if only --unsafe-fixes can); then the summary (`--statistics`)."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    safe, guessed = set(), set()
    for d in result.diagnostics:
        counts[d.code] = counts.get(d.code, 0) + 1
        names[d.code] = d.rule
        if d.fix is not None:
            safe.add(d.code)
        elif d.unsafe_fix is not None:
            guessed.add(d.code)
    width = len(str(max(counts.values(), default=0)))
    lines = [f"{count:>{width}}  {code}  {names[code]}"
             + ("  [*]" if code in safe else "  [-]" if code in guessed else "")
             for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def render_for_terminal(result, sources: dict[str, str], color: bool) -> str:
    """The one-line form plus each finding's source line and caret; `sources` maps paths to text."""
    def paint(style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if color else text

    lines: list[str] = []
    split: dict[str, list[str]] = {}
    for d in result.diagnostics:
        level = d.severity.value
        lines.append(f"{paint('path', f'{d.path}:{d.line}:{d.column}:')} {paint(level, d.code)}{severity_mark(d)} "
                     f"{d.message}")
        text = sources.get(d.path)
        if text is None:
            continue
        source_lines = split.setdefault(d.path, text.split("\n"))
        if not 0 < d.line <= len(source_lines):
            continue
        source = source_lines[d.line - 1].rstrip("\r")
        if len(source) > 200:  # a minified JSON line: show the part around the finding
            start = max(0, d.column - 80)
            source, column = source[start:start + 160], d.column - start
        else:
            column = d.column
        width = max(1, (d.end_column if d.end_line == d.line else len(source) + 1) - d.column)
        number = str(d.line)
        # Tabs become spaces so that the caret lines up with the column under it.
        shown = printable(source.replace("\t", " "))
        lines.append(f"{paint('gutter', f'{number} |')} {shown}")
        lines.append(f"{paint('gutter', ' ' * len(number) + ' |')} {' ' * (column - 1)}{paint(level, '^' * width)}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result) -> str:
    files = f"{plural(result.files, 'file')} checked"
    skipped = len(result.skipped)
    aside = f"; {plural(skipped, 'file')} skipped: not MsgFlash payloads" if skipped else ""
    if result.fixed:
        aside += f"; {result.fixed} fixed, {len(result.diagnostics)} remaining"
    if not result.diagnostics:
        return f"{files}, no problems found{aside}."
    fixable = sum(d.fix is not None for d in result.diagnostics)
    guesses = sum(d.unsafe_fix is not None for d in result.diagnostics)
    counts = f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}"
    notes = [f"{fixable} fixable with --fix"] if fixable else []
    if guesses:
        notes.append(f"{guesses} more with --unsafe-fixes")
    if notes:
        counts += f" ({', '.join(notes)})"
    line = f"{files}: {counts}{aside}."
    if result.warnings and not result.failed:
        # pre-commit hides the output of a hook that passes: say plainly that warnings were let through.
        line += " Warnings do not fail the run (--fail-level warning makes them)."
    return line
