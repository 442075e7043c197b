"""GitHub Actions workflow commands: findings show inline on pull requests."""

from __future__ import annotations

from msgflash_lint.formatters.text_format import summary


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render(result) -> str:
    lines = []
    for d in result.diagnostics:
        properties = ",".join((
            f"file={_property(d.path)}", f"line={d.line}", f"col={d.column}",
            f"endLine={d.end_line}", f"endColumn={d.end_column}", f"title={_property(f'{d.code} {d.rule}')}",
        ))
        lines.append(f"::{d.severity.value} {properties}::{_data(f'{d.code} {d.message}')}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
