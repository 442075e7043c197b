"""Safe and unsafe fixes: `--fix` writes a rename only when the name is certainly a typo of the one
documented name (case, or one slip; two for long names); a farther close name is a guess, named in
the message and written only with `--unsafe-fixes`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from msgflash_lint.cli import cli
from msgflash_lint.linter import lint_text
from msgflash_lint.rules.placeholders import certain_typo


@pytest.mark.parametrize(("word", "name", "certain"), [
    ("firstname", "firstName", True), ("contcat", "contact", True), ("usr", "user", True),
    ("noe", "none", True), ("frstName", "firstName", True), ("fulNmae", "fullName", False),
    ("lastName", "firstName", False), ("nickname", "name", False), ("lastName", "fullName", False),
    ("weekly", "daily", False), ("instnace", "instance", True), ("FIRSTNAME", "firstName", True),
])
def test_what_counts_as_certainly_a_typo(word: str, name: str, certain: bool) -> None:
    assert certain_typo(word, name) is certain


@given(st.text(alphabet="abcdefgh", min_size=1, max_size=12))
def test_a_name_is_always_a_typo_of_itself_in_any_case(name: str) -> None:
    assert certain_typo(name.upper(), name) and certain_typo(name, name)


def _fix(tmp_path: Path, text: str, *args: str) -> tuple[str, str]:
    (tmp_path / ".git").mkdir(exist_ok=True)
    path = tmp_path / "welcome.txt"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["check", *args, str(path)])
    return path.read_text(), result.output


def test_fix_leaves_a_guess_and_says_so(tmp_path: Path) -> None:
    text, output = _fix(tmp_path, "Hi {{contact.lastName}} {{contcat.firstname}}\n", "--fix")
    assert text == "Hi {{contact.lastName}} {{contact.firstName}}\n"  # the typo fixed, the guess kept
    assert "MFL106 `contact` has no field `lastName`; did you mean `firstName`?" in output
    assert "(1 more with --unsafe-fixes)" in output


def test_unsafe_fixes_writes_the_guess_too(tmp_path: Path) -> None:
    text, output = _fix(tmp_path, "Hi {{contact.lastName}} {{user.lastName}}\n", "--fix", "--unsafe-fixes")
    # `lastName` is close enough to `firstName` to be suggested (a guess), not to `fullName` (0.63 < 0.7).
    assert text == "Hi {{contact.firstName}} {{user.lastName}}\n"
    assert "`user` has no field `lastName`; known fields: fullName, email, phone" in output


def test_diff_with_unsafe_fixes_says_guesses_are_included(tmp_path: Path) -> None:
    text, output = _fix(tmp_path, "Hi {{contact.lastName}}\n", "--diff", "--unsafe-fixes")
    assert text == "Hi {{contact.lastName}}\n"
    assert "+Hi {{contact.firstName}}" in output and "--fix --unsafe-fixes writes them, guesses included" in output
    assert "1 fix would be applied" not in _fix(tmp_path, "Hi {{contact.lastName}}\n", "--diff")[1]


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("{{contact.lastName}}")
    result = CliRunner().invoke(cli, ["check", "--unsafe-fixes", str(tmp_path / "t.txt")])
    assert result.exit_code == 2 and "--unsafe-fixes goes with --fix or --diff" in result.output


def test_enum_values_follow_the_same_rule() -> None:
    base = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "name": "N", "schedule": "2030-01-01T09:00:00Z",
            "recipients": {"type": "all"}, "type": "text", "body": "Hi"}
    typo = lint_text(json.dumps({**base, "repeat": "noe"}), kind="campaign")
    assert typo[0].fix is not None and typo[0].unsafe_fix is None
    guess = lint_text(json.dumps({**base, "repeat": "wkly"}), kind="campaign")  # two letters short of weekly
    assert [d.code for d in guess] == ["MFL203"] and "did you mean `weekly`?" in guess[0].message
    assert guess[0].fix is None and guess[0].unsafe_fix[2] == '"weekly"'



def test_sarif_and_the_rules_command_name_the_safety(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("{{contact.lastName}} {{contcat.name}}\n")
    log = json.loads(CliRunner().invoke(cli, ["check", "--format", "sarif", str(path)]).output)
    fixes = [r["fixes"][0]["description"]["text"] for r in log["runs"][0]["results"]]
    assert any("unsafe fix, a guess" in text for text in fixes) and any("safe fix, applied by --fix" in text
                                                                       for text in fixes)
    shown = CliRunner().invoke(cli, ["rules", "MFL106"]).output
    assert "--unsafe-fixes" in shown and "certainly a typo" in shown


@pytest.mark.parametrize(("name", "hint"), [
    ("lat", "did you mean `latitude`?"), ("lng", "did you mean `longitude`?"),
    ("location", "MsgFlash takes a location as flat fields: latitude, longitude, locationName, locationAddress"),
])
def test_other_apis_names_get_the_right_suggestion(name: str, hint: str) -> None:
    payload = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "type": "text",
               "text": "Hi", name: {"name": "x"} if name == "location" else 4.5}
    (finding,) = [d for d in lint_text(json.dumps(payload), kind="send") if d.code == "MFL207"]
    assert finding.message.endswith(f"MsgFlash ignores it; {hint}")


@pytest.mark.parametrize("name", ["sections", "nickname"])
def test_a_far_name_gets_no_suggestion(name: str) -> None:
    payload = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "type": "text",
               "text": "Hi", name: 1}
    (finding,) = [d for d in lint_text(json.dumps(payload), kind="send") if d.code == "MFL207"]
    assert "did you mean" not in finding.message


def test_a_type_error_is_said_once() -> None:
    found = lint_text(json.dumps({"name": "x", "type": "text", "body": 5}), kind="template")
    assert [(d.code, d.message) for d in found] == [("MFL202", "`body` must be a string")]
