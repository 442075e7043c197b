"""The one finding type every stage produces and every formatter renders."""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

# What no report may carry raw: C0/C1 controls and DEL (they split text lines and are not
# allowed in XML), the Unicode line and paragraph separators (editors and `splitlines()`
# break lines there), lone surrogates (not encodable as UTF-8) and the two XML non-characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
ESCAPED_NOTE = " (unprintable characters shown as escapes)"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# What `--fail-level` and `fail-level` accept: the lowest severity that fails a run.
FAIL_LEVELS = tuple(severity.value for severity in Severity)


class Diagnostic(NamedTuple):
    """A finding at a 1-based line:column range; columns count Unicode code points."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    severity: Severity
    message: str
    rule: str
    # (start, end, replacement) in the file's text when the mistake has one right answer: --fix
    # writes `replacement` over [start, end) and leaves every other character as it was.
    fix: tuple[int, int, str] | None = None
    # The same, when the one answer is a guess rather than certainly a typo (`lastName` for
    # `firstName`): only `--unsafe-fixes` writes it; `fix` is then None.
    unsafe_fix: tuple[int, int, str] | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


class Span(NamedTuple):
    """A located problem before it is tied to a file: 1-based start and end positions."""

    line: int
    column: int
    end_line: int
    end_column: int


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def printable(text: str, note: str = "") -> str:
    """`text` with every unprintable character written as a backslash escape, plus `note` if any was.

    Every report format is then valid UTF-8, valid XML and one line per finding, whatever
    a file's name or content holds.
    """
    escaped, count = _UNPRINTABLE.subn(_escape, text)
    return escaped + note if count else escaped


def printable_path(path: str) -> str:
    """A file name for reports: bytes that are not UTF-8 (surrogate-escaped by the OS layer) as `\\xNN`."""
    if _UNPRINTABLE.search(path) is None:
        return path
    import os

    try:
        decoded = os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that did not come from the file system
        decoded = path
    return printable(decoded)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 finding`, `2 findings`, `0 entries` (`many` for the irregular plurals)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def sort_diagnostics(diagnostics) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: d.sort_key)
