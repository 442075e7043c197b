"""SARIF 2.1.0, with every rule's metadata from the registry."""

from __future__ import annotations

import json
from urllib.parse import quote

from msgflash_lint import __version__
from msgflash_lint.diagnostics import printable
from msgflash_lint.registry import RULES

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/msgflash-lint/"


def _rule(rule) -> dict:
    described = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": f"{rule.fix}\n\nFails: {rule.bad}\nPasses: {rule.good}"},
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {"tags": [rule.code[:4] + "xx"], "fixable": rule.fixable},
    }
    if rule.api_error:
        described["properties"]["msgflashApiError"] = rule.api_error
    return described


def render(result) -> str:
    index = {rule.code: position for position, rule in enumerate(RULES)}
    results = []
    for d in result.diagnostics:
        region = {"startLine": d.line, "startColumn": d.column,
                  "endLine": d.end_line, "endColumn": max(d.end_column, d.column)}
        described = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": d.severity.value,
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": quote(d.path)}, "region": region}}],
        }
        fix = d.fix or d.unsafe_fix
        if fix is not None:
            # The fix replaces exactly the finding's region (its offsets are the region's); its
            # description says whether `--fix` applies it (safe) or only `--unsafe-fixes` (a guess).
            safety = "safe fix, applied by --fix" if d.fix else "unsafe fix, a guess: applied only by --unsafe-fixes"
            described["fixes"] = [{
                "description": {"text": f"Replace with `{printable(fix[2])}` ({safety})"},
                "artifactChanges": [{"artifactLocation": {"uri": quote(d.path)}, "replacements": [
                    {"deletedRegion": region, "insertedContent": {"text": printable(fix[2])}}]}],
            }]
        results.append(described)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "msgflash-lint", "version": __version__,
                                "informationUri": INFORMATION_URI, "rules": [_rule(rule) for rule in RULES]}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
