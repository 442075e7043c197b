"""Every golden payload case under tests/cases/, POSTed to the mock: it answers the `api_error`
of the linter's findings, with the same rule codes in `details` (the linter and the mock agree)."""

from __future__ import annotations

from pathlib import Path

import pytest

from msgflash_lint.diagnostics import Severity
from msgflash_lint.linter import lint_text
from msgflash_lint.registry import RULES_BY_CODE

CASES = Path(__file__).resolve().parent.parent / "cases"
ENDPOINTS = {"send": "/api/v1/messages/send", "schedule": "/api/v1/messages/schedule",
             "campaign": "/api/v1/campaigns", "template": "/api/v1/templates"}
PAYLOAD_CASES = sorted(p for kind in ENDPOINTS for p in (CASES / kind).glob("*.json"))
# What the linter judges from the file alone; the mock also answers stateful errors (an unknown
# instance id: 404) that a clean file cannot show, and those say nothing here.
CONTENT_ERRORS = {"BAD_REQUEST", "VALIDATION_ERROR", "TEMPLATE_INVALID"}


@pytest.mark.parametrize("case", PAYLOAD_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_mock_answers_what_the_linter_found(case: Path, msgflash_mock_client) -> None:
    kind = case.parent.name
    text = case.read_text(encoding="utf-8")
    errors = [d for d in lint_text(text, kind=kind, path=case.name) if d.severity is Severity.ERROR]
    by_api_error: dict[str, set[str]] = {}
    for d in errors:
        by_api_error.setdefault(RULES_BY_CODE[d.code].api_error, set()).add(d.code)
    reply = msgflash_mock_client.post(ENDPOINTS[kind], data=text.encode(), content_type="application/json",
                                      headers={"x-api-key": "msgf_live_alpha"})
    code = (reply.json.get("error") or {}).get("code")
    if not errors:
        assert code not in CONTENT_ERRORS, reply.json
        return
    # The first check that fails answers (decision D16: JSON, then schema, then the template).
    expected = next(c for c in ("BAD_REQUEST", "VALIDATION_ERROR", "TEMPLATE_INVALID") if c in by_api_error)
    assert reply.status_code == 400 and code == expected, reply.json
    if expected != "BAD_REQUEST":
        assert {d.get("code") for d in reply.json["error"]["details"]} == by_api_error[expected]
