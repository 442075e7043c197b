"""The CI switches of `check`: --exit-zero, --statistics, -q/--quiet, --silent; severity in piped text;
the summary when the report goes to a file; the fixable count."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Two errors (MFL105 twice, both fixable), one warning (MFL111, fixable), one error with no fix (MFL107).
TEMPLATE = "Hi {{contcat.firstName}} {{contcat.lastName}} {{ contact.phone }} {{custom}}\n"


def lint(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """The command as CI runs it: its own process, output piped."""
    (tmp_path / "t.txt").write_text(TEMPLATE)
    return subprocess.run([sys.executable, "-c", "from msgflash_lint.cli import main; main()", "check", *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)


def test_piped_text_names_warnings_and_counts_what_fix_can_do(tmp_path: Path) -> None:
    run = lint(tmp_path, "t.txt")
    assert run.returncode == 1 and run.stderr == ""
    assert run.stdout.splitlines() == [
        "t.txt:1:6: MFL105 unknown namespace `contcat`; did you mean `contact`?",
        "t.txt:1:28: MFL105 unknown namespace `contcat`; did you mean `contact`?",
        "t.txt:1:47: MFL111 [warning] write `{{contact.phone}}` without spaces inside the braces",
        "t.txt:1:69: MFL107 `{{custom}}` names a namespace without a field, as in `{{custom.code}}`",
        "1 file checked: 3 errors, 1 warning (3 fixable with --fix).",
    ]


def test_exit_zero_reports_everything_and_exits_zero(tmp_path: Path) -> None:
    run = lint(tmp_path, "--exit-zero", "t.txt")
    assert run.returncode == 0 and "MFL105" in run.stdout and "3 errors" in run.stdout


def test_exit_zero_still_exits_two_on_a_usage_error(tmp_path: Path) -> None:
    run = lint(tmp_path, "--exit-zero", "--select", "MFL999", "t.txt")
    assert run.returncode == 2 and "selects no rule" in run.stderr


def test_statistics_counts_each_code_most_frequent_first(tmp_path: Path) -> None:
    run = lint(tmp_path, "--statistics", "t.txt")
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "2  MFL105  unknown-namespace  [*]",
        "1  MFL107  placeholder-without-field",
        "1  MFL111  spaces-inside-braces  [*]",
        "1 file checked: 3 errors, 1 warning (3 fixable with --fix).",
    ]


def test_statistics_is_a_text_table_only(tmp_path: Path) -> None:
    run = lint(tmp_path, "--statistics", "--format", "json", "t.txt")
    assert run.returncode == 2 and "--statistics" in run.stderr and run.stderr.strip().splitlines()[-1].startswith("Error: --statistics")


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_quiet_prints_the_summary_only(tmp_path: Path, flag: str) -> None:
    run = lint(tmp_path, flag, "t.txt")
    assert run.returncode == 1 and run.stderr == ""
    assert run.stdout == "1 file checked: 3 errors, 1 warning (3 fixable with --fix).\n"


def test_silent_prints_nothing_and_keeps_the_exit_code(tmp_path: Path) -> None:
    run = lint(tmp_path, "--silent", "t.txt")
    assert (run.returncode, run.stdout, run.stderr) == (1, "", "")
    clean = lint(tmp_path, "--silent", "--select", "MFL2", "t.txt")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")


def test_silent_still_writes_the_report_file(tmp_path: Path) -> None:
    run = lint(tmp_path, "--silent", "--format", "sarif", "-o", "out.sarif", "t.txt")
    assert (run.returncode, run.stdout, run.stderr) == (1, "", "")
    assert len(json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"]) == 4


def test_a_report_written_to_a_file_leaves_the_summary_on_stderr(tmp_path: Path) -> None:
    run = lint(tmp_path, "--format", "sarif", "-o", "out.sarif", "t.txt")
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == "1 file checked: 3 errors, 1 warning (3 fixable with --fix). Report written to out.sarif.\n"
    quiet = lint(tmp_path, "-q", "--format", "sarif", "-o", "out.sarif", "t.txt")
    assert quiet.stderr == run.stderr


def test_quiet_drops_notes_but_not_a_baseline_summary(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(TEMPLATE)
    lint(tmp_path, "--write-baseline", "b.json", "t.txt")
    noted = lint(tmp_path, "--baseline", "b.json", "t.txt")
    assert "the baseline b.json hid 4 findings" in noted.stderr
    quiet = lint(tmp_path, "-q", "--baseline", "b.json", "t.txt")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "1 file checked, no problems found.\n", "")


def test_quiet_and_silent_together_is_a_usage_error(tmp_path: Path) -> None:
    run = lint(tmp_path, "-q", "--silent", "t.txt")
    assert run.returncode == 2 and "choose one" in run.stderr


def test_plurals_of_the_baseline_messages(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("{{custom}}")
    run = lint(tmp_path, "--write-baseline", "b.json", "one.txt")
    assert run.stderr == "Recorded 1 finding in b.json.\n"
