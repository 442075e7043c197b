"""One JSON object: {"diagnostics": [...], "summary": {"files", "errors", "warnings"}}."""

from __future__ import annotations

import json


def render(result) -> str:
    report = {
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "summary": {"files": result.files, "errors": result.errors, "warnings": result.warnings},
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
