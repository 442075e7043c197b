"""Report formats: each module has `render(result) -> str`. FORMATS feeds `--format`."""

from __future__ import annotations

from importlib import import_module

FORMATS = ("text", "json", "github", "sarif", "junit")


def render(name: str, result) -> str:
    """Import only the format asked for: the hook's cold start pays for one module."""
    return import_module(f"msgflash_lint.formatters.{name}_format").render(result)
