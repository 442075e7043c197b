"""The one finding type every stage produces and every formatter renders."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
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


@dataclass(frozen=True, slots=True)
class Span:
    """A located problem before it is tied to a file: 1-based start and end positions."""

    line: int
    column: int
    end_line: int
    end_column: int


def sort_diagnostics(diagnostics) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: d.sort_key)
