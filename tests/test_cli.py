"""The command line: arguments, exit codes, formats and bad input, as a user meets them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from msgflash_lint.cli import cli
from msgflash_lint.registry import RULES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VALID_SEND = ('{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", '
              '"type": "text", "text": "Hi"}')


def run(*args, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_clean_file_exits_zero_with_summary(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(VALID_SEND)
    result = run("check", str(tmp_path / "ok.json"))
    assert result.exit_code == 0
    assert result.output == "1 file checked, no problems found.\n"


def test_error_exits_one_and_text_lines_are_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("{{firstName}}\n{{contcat.x}}")
    (tmp_path / "a.txt").write_text("{{custom}}")
    result = run("check", str(tmp_path / "b.txt"), str(tmp_path / "a.txt"))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:-1] == sorted(lines[:-1])
    assert lines[0] == f"{tmp_path.as_posix()}/a.txt:1:3: MFL107 `{{{{custom}}}}` names a namespace without a field, as in `{{{{custom.code}}}}`"
    assert lines[-1] == "2 files checked: 3 errors, 0 warnings (2 fixable with --fix)."


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Hi {{ contact.name }}")
    result = run("check", str(tmp_path / "t.txt"))
    assert result.exit_code == 0
    assert "MFL111" in result.output


def test_json_format_is_exactly_one_object(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Hi {{contcat.name}}")
    result = run("check", "--format", "json", str(tmp_path / "t.txt"))
    report = json.loads(result.output)
    assert set(report) == {"diagnostics", "summary"}
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}
    (diagnostic,) = report["diagnostics"]
    assert list(diagnostic) == ["path", "line", "column", "endLine", "endColumn", "code", "severity", "message"]
    assert (diagnostic["line"], diagnostic["column"], diagnostic["endLine"], diagnostic["endColumn"]) == (1, 6, 1, 18)
    assert diagnostic["code"] == "MFL105" and diagnostic["severity"] == "error"


def test_stdin_dash_reads_standard_input() -> None:
    result = run("check", "-", stdin=b"Hello {{contact.firstname}}")
    assert result.exit_code == 1
    assert result.output.startswith("<stdin>:1:9: MFL106")


def test_stdin_json_is_detected_by_content() -> None:
    assert run("check", "-", stdin=VALID_SEND.encode()).exit_code == 0
    result = run("check", "--kind", "campaign", "-", stdin=VALID_SEND.encode())
    assert result.exit_code == 1 and "MFL201" in result.output


def test_usage_errors_exit_two() -> None:
    assert run("check", "--kind", "sms", "x.json").exit_code == 2
    assert run("check", "--select", "MFX9", "x.json").exit_code == 2
    assert run("check", "--fail-level", "info", "x.json").exit_code == 2
    assert run("check", "--format", "xml", "x.json").exit_code == 2
    assert run("rules", "MFL999").exit_code == 2


def test_bad_inputs_become_findings_and_other_files_are_still_checked(tmp_path: Path) -> None:
    (tmp_path / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "latin1.txt").write_bytes(b"Caf\xe9")
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "broken.json").write_text('{\n  "to": "+33612345678",\n}')
    (tmp_path / "huge.json").write_bytes(b'{"text": "' + b"x" * (10 * 1024 * 1024) + b'"}')
    (tmp_path / "dangling.json").symlink_to(tmp_path / "nowhere.json")
    (tmp_path / "ok.txt").write_text("Hello {{contact.firstName}} {{contcat.x}}")
    result = run("check", "--format", "json", str(tmp_path), str(tmp_path / "missing.json"))
    report = json.loads(result.output)
    by_file = {Path(d["path"]).name: (d["code"], d["line"], d["column"]) for d in report["diagnostics"]}
    assert by_file == {
        "binary.json": ("MFL002", 1, 1),
        "latin1.txt": ("MFL003", 1, 4),
        "empty.json": ("MFL004", 1, 1),
        "broken.json": ("MFL005", 3, 1),
        "huge.json": ("MFL006", 1, 1),
        "dangling.json": ("MFL001", 1, 1),
        "missing.json": ("MFL001", 1, 1),
        "ok.txt": ("MFL105", 1, 31),
    }
    assert report["summary"]["files"] == 8
    assert result.exit_code == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    target = tmp_path / "secret.json"
    target.write_text(VALID_SEND)
    target.chmod(0)
    result = run("check", str(target))
    assert "MFL001" in result.output and "permission denied" in result.output


def test_directory_with_nothing_to_check_warns(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# nothing")
    result = run("check", str(tmp_path))
    assert result.exit_code == 0
    assert "MFL007" in result.output


def test_examples_show_real_findings() -> None:
    result = run("check", str(EXAMPLES))
    assert result.exit_code == 1
    codes = {line.split(": ")[1].split(" ")[0] for line in result.output.splitlines()[:-1]}
    assert {"MFL104", "MFL105", "MFL201", "MFL204", "MFL301", "MFL302"} <= codes
    assert "send-text.json" not in result.output


def test_rules_lists_every_rule_one_line_each() -> None:
    lines = run("rules").output.splitlines()
    assert [line.split(" ")[0] for line in lines] == [rule.code for rule in RULES]


def test_rules_shows_one_rule_in_full() -> None:
    output = run("rules", "MFL105").output
    assert output.startswith("MFL105 unknown-namespace (error)")
    assert "{{contcat.firstName}}" in output and "{{contact.firstName}}" in output
    assert run("rules", "unknown-namespace").output == output


def test_output_option_writes_the_report_to_a_file(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("{{custom}}")
    report = tmp_path / "report.json"
    result = run("check", "--format", "json", "--output", str(report), str(tmp_path / "t.txt"))
    # The report goes to the file; the console keeps the summary, so a CI log says what failed.
    assert result.stdout == ""
    assert result.stderr == f"1 file checked: 1 error, 0 warnings. Report written to {report}.\n"
    assert json.loads(report.read_text())["summary"]["errors"] == 1


def test_template_check_imports_neither_flask_nor_jsonschema(tmp_path: Path) -> None:
    """The hook's cold start: a template-only run must not pay for the payload or mock machinery."""
    (tmp_path / "t.txt").write_text("Hello {{contact.firstName}}")
    code = (
        "import sys\n"
        "from msgflash_lint.cli import main\n"
        f"sys.argv = ['msgflash-lint', 'check', {str(tmp_path / 't.txt')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('flask', 'jsonschema', 'werkzeug') if m in sys.modules))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.splitlines()[-1] == "[]"
