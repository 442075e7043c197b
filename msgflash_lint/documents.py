"""Source → Document: what kind of file it is, and its parsed JSON when it is a payload."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from msgflash_lint.contract import PAYLOAD_KINDS
from msgflash_lint.diagnostics import Span
from msgflash_lint.paths import path_matches
from msgflash_lint.sources import Source, SourceProblem

TEMPLATE_BODY = "template-body"
KINDS = ("auto", *PAYLOAD_KINDS, TEMPLATE_BODY)

# File-name patterns tried before the content, first match wins. Configuration adds its own first.
DEFAULT_KIND_PATTERNS: tuple[tuple[str, str], ...] = (
    ("*.send.json", "send"),
    ("*.schedule.json", "schedule"),
    ("*.campaign.json", "campaign"),
    ("*.template.json", "template"),
    ("*.txt", TEMPLATE_BODY),
    ("*.tmpl", TEMPLATE_BODY),
)
_TEMPLATE_TYPES = ("text", "image", "video", "audio", "document")


@dataclass(frozen=True, slots=True)
class Document:
    source: Source
    kind: str
    data: Any = None  # the parsed JSON of a payload; None for template text


def load_document(
    source: Source,
    kind: str = "auto",
    patterns: tuple[tuple[str, str], ...] = DEFAULT_KIND_PATTERNS,
    root: Path | None = None,
) -> Document | SourceProblem:
    if kind == "auto":
        kind = next((k for pattern, k in patterns if path_matches(source.path, (pattern,), root)), "auto")
    if kind == TEMPLATE_BODY:
        return Document(source, TEMPLATE_BODY)
    if kind == "auto" and not source.path.endswith(".json") and source.text.lstrip()[:1] not in ("{", "["):
        return Document(source, TEMPLATE_BODY)
    data = _parse_json(source)
    if isinstance(data, SourceProblem):
        return data
    if kind == "auto":
        kind = kind_from_content(data)
        if kind is None:
            what = "an object" if isinstance(data, dict) else f"a JSON {type(data).__name__}"
            return SourceProblem(
                source.path, "unknown-kind",
                f"cannot tell which payload this is ({what} without the fields that tell); "
                "pass --kind send, schedule, campaign or template",
            )
    return Document(source, kind, data)


def kind_from_content(data: Any) -> str | None:
    """The payload kind its fields give away, or None."""
    if not isinstance(data, dict):
        return None
    if "scheduledAt" in data:
        return "schedule"
    if "recipients" in data or "schedule" in data:
        return "campaign"
    if "to" in data:
        return "send"
    if "name" in data and ("body" in data or "mediaUrl" in data or data.get("type") in _TEMPLATE_TYPES):
        return "template"
    return None


def _parse_json(source: Source) -> Any:
    try:
        return json.loads(source.text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        return SourceProblem(source.path, "invalid-json", f"invalid JSON: {error.msg}",
                             Span(error.lineno, error.colno, error.lineno, error.colno + 1))
    except _ConstantError as error:
        return SourceProblem(source.path, "invalid-json", f"invalid JSON: `{error.args[0]}` is not a JSON value")
    except RecursionError:
        return SourceProblem(source.path, "invalid-json", "invalid JSON: nested too deeply to read")


class _ConstantError(ValueError):
    pass


def _reject_constant(name: str):
    raise _ConstantError(name)
