"""Every report format: golden files, and validation against the format's own schema."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from msgflash_lint import __version__
from msgflash_lint.cli import cli
from msgflash_lint.formatters import FORMATS
from msgflash_lint.registry import RULES

HERE = Path(__file__).parent / "formats"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def report(output_format: str, monkeypatch) -> str:
    monkeypatch.chdir(HERE)
    result = CliRunner().invoke(cli, ["check", "--format", output_format, "input"], catch_exceptions=False)
    assert result.exit_code == 1
    return result.output


@pytest.mark.parametrize("output_format", FORMATS)
def test_format_matches_golden_file(output_format: str, monkeypatch) -> None:
    actual = report(output_format, monkeypatch).replace(__version__, "VERSION")
    golden = HERE / f"{output_format}.expected"
    if os.environ.get("MSGFLASH_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_sarif_validates_against_the_official_schema(monkeypatch) -> None:
    log = json.loads(report("sarif", monkeypatch))
    Draft4Validator(SARIF_SCHEMA).validate(log)
    run = log["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [rule.code for rule in RULES]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_junit_is_xml_with_one_case_per_file(monkeypatch) -> None:
    root = ElementTree.fromstring(report("junit", monkeypatch).encode())
    cases = root.findall("./testsuite/testcase")
    assert sorted(case.get("name") for case in cases) == ["input/clean.json", "input/order.json", "input/welcome.txt"]
    failed = {case.get("name") for case in cases if case.find("failure") is not None}
    assert failed == {"input/order.json", "input/welcome.txt"}
    assert root.get("tests") == "3" and root.get("failures") == "2"


def test_github_annotations_escape_their_data(monkeypatch) -> None:
    lines = report("github", monkeypatch).splitlines()
    annotation = next(line for line in lines if "welcome.txt" in line and "MFL105" in line)
    assert annotation.startswith("::error file=input/welcome.txt,line=1,col=6,")
    assert "title=MFL105 unknown-namespace::" in annotation


def test_json_round_trips(monkeypatch) -> None:
    data = json.loads(report("json", monkeypatch))
    assert data["summary"] == {"files": 3, "errors": 2, "warnings": 1}


def test_output_option_writes_any_format(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(HERE)
    target = tmp_path / "report.sarif"
    CliRunner().invoke(cli, ["check", "--format", "sarif", "--output", str(target), "input"])
    Draft4Validator(SARIF_SCHEMA).validate(json.loads(target.read_text("utf-8")))


def test_github_escaping_of_percent_newlines_and_property_separators() -> None:
    from msgflash_lint.formatters.github_format import _data, _property

    assert _data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert _property("a,b:c") == "a%2Cb%3Ac"
