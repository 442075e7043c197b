"""Timestamps name real instants: an impossible calendar day is refused by the linter and the mock alike."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msgflash_lint.contract import load_schema
from msgflash_lint.linter import lint_text

PATTERN = re.compile(load_schema("common")["$defs"]["timestamp"]["pattern"])
SCHEDULE = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "type": "text", "text": "Hi"}
CAMPAIGN = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "name": "April", "recipients": {"type": "all"},
            "type": "text", "body": "News"}
IMPOSSIBLE = ["2026-02-30", "2026-04-31", "2026-02-29", "2100-02-29", "2026-06-31", "2026-11-31"]
REAL = ["2028-02-29", "2000-02-29", "2026-01-31", "2026-04-30", "2026-12-31"]


def _is_real_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@given(st.integers(0, 9999), st.integers(1, 12), st.integers(1, 31))
def test_the_schema_pattern_accepts_exactly_the_days_the_calendar_has(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}T09:00:00.000Z"
    assert bool(PATTERN.match(text)) == _is_real_day(year, month, day), text


@given(st.dates(min_value=date(1, 1, 1)))
def test_every_real_day_is_accepted(day: date) -> None:
    assert PATTERN.match(f"{day.isoformat()}T09:00:00Z")


@pytest.mark.parametrize("day", IMPOSSIBLE)
@pytest.mark.parametrize(("kind", "field", "payload"), [("schedule", "scheduledAt", SCHEDULE),
                                                        ("campaign", "schedule", CAMPAIGN)])
def test_the_linter_refuses_an_impossible_day(kind: str, field: str, payload: dict, day: str) -> None:
    findings = lint_text(json.dumps({**payload, field: f"{day}T09:00:00.000Z"}), kind=kind)
    assert [(f.code, f.severity.value) for f in findings] == [("MFL204", "error")], findings
    assert f"`{field}`" in findings[0].message


@pytest.mark.parametrize("day", REAL)
def test_the_linter_accepts_real_days_leap_days_included(day: str) -> None:
    assert lint_text(json.dumps({**SCHEDULE, "scheduledAt": f"{day}T09:00:00.000Z"}), kind="schedule") == []


@pytest.mark.parametrize("day", IMPOSSIBLE)
def test_the_mock_refuses_an_impossible_day(msgflash_mock_client, day: str) -> None:
    headers = {"x-api-key": "msgf_live_alpha"}
    sent = msgflash_mock_client.post("/api/v1/messages/schedule", headers=headers,
                                     json={**SCHEDULE, "scheduledAt": f"{day}T09:00:00.000Z"})
    assert sent.status_code == 400 and sent.get_json()["error"]["code"] == "VALIDATION_ERROR"
    campaign = msgflash_mock_client.post("/api/v1/campaigns", headers=headers,
                                         json={**CAMPAIGN, "schedule": f"{day}T09:00:00.000Z"})
    assert campaign.status_code == 400 and campaign.get_json()["error"]["details"][0]["field"] == "schedule"


def test_the_mock_schedules_a_leap_day(msgflash_mock_client) -> None:
    at = "2028-02-29T09:00:00.000Z"
    sent = msgflash_mock_client.post("/api/v1/messages/schedule", headers={"x-api-key": "msgf_live_alpha"},
                                     json={**SCHEDULE, "scheduledAt": at})
    assert sent.status_code == 201 and sent.get_json()["data"]["status"] == "queued"
