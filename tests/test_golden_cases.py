"""Golden files: tests/cases/<area>/<name>.<ext> beside <name>.expected (empty when clean).

Each area is linted as one run, so the crossfile area sees its templates and payloads
together. Regenerate with MSGFLASH_UPDATE_GOLDEN=1, then read the diff.
"""

import os
from functools import cache
from pathlib import Path

import pytest

from msgflash_lint.linter import LintOptions, lint_paths

CASES = Path(__file__).parent / "cases"
# Areas whose files are all of one kind are checked with that --kind; the rest use auto.
AREA_KINDS = {"send": "send", "schedule": "schedule", "campaign": "campaign", "template": "template"}
CASE_FILES = sorted(p for p in CASES.rglob("*") if p.is_file() and p.suffix != ".expected")


@cache
def area_report(area: str) -> dict[str, str]:
    files = sorted(p for p in CASE_FILES if p.parent.name == area)
    result = lint_paths([str(p) for p in files], LintOptions(kind=AREA_KINDS.get(area, "auto")))
    lines: dict[str, list[str]] = {p.name: [] for p in files}
    for d in result.diagnostics:
        name = Path(d.path).name
        lines[name].append(f"{name}:{d.line}:{d.column}-{d.end_line}:{d.end_column}: {d.code} {d.message}")
    return {name: "".join(f"{line}\n" for line in found) for name, found in lines.items()}


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: str(p.relative_to(CASES)))
def test_case_matches_expected(case: Path) -> None:
    actual = area_report(case.parent.name)[case.name]
    expected_file = case.with_suffix(".expected")
    if os.environ.get("MSGFLASH_UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"{expected_file} is missing: run with MSGFLASH_UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")
