"""Safe autofix: edits at offsets, never re-serialisation, so every other byte stays as it was.

A fix is (start, end, replacement) in a file's text, carried by the Diagnostic of a rule the
registry marks fixable, and only when the mistake has exactly one right answer. It is safe
(`Diagnostic.fix`, applied by --fix) when the mistake is certainly a typo of that answer
(rules/placeholders.certain_typo), unsafe (`Diagnostic.unsafe_fix`, --unsafe-fixes) when it is
only the one close name. Overlapping
fixes (spaces inside the braces of a misspelt placeholder) are applied over several passes,
re-linting in between, as ruff does.
"""

from __future__ import annotations

from collections.abc import Callable

MAX_PASSES = 10


def apply_fixes(text: str, fixes: list[tuple[int, int, str]]) -> tuple[str, int]:
    """`text` with every fix that does not overlap an earlier one applied; and how many were."""
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, replacement in sorted(set(fixes)):
        if start >= last_end and not (start == end and chosen and chosen[-1][0] == start):
            chosen.append((start, end, replacement))
            last_end = max(end, start + 1 if start == end else end)
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in chosen:
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), len(chosen)


def fix_of(diagnostic, unsafe: bool = False) -> tuple[int, int, str] | None:
    """The edit `--fix` applies for a finding (`--unsafe-fixes`: a guess too), or None."""
    return diagnostic.fix if diagnostic.fix is not None or not unsafe else diagnostic.unsafe_fix


def fix_until_stable(text: str, lint: Callable[[str], list], unsafe: bool = False) -> tuple[str, int]:
    """Apply the fixes `lint(text)` offers, re-lint, and repeat until none is left (or MAX_PASSES);
    safe fixes only, unless `unsafe` (--unsafe-fixes)."""
    applied = 0
    for _ in range(MAX_PASSES):
        fixes = [fix for fix in (fix_of(d, unsafe) for d in lint(text)) if fix is not None]
        if not fixes:
            break
        text, count = apply_fixes(text, fixes)
        if count == 0:
            break
        applied += count
    return text, applied
