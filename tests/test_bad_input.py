"""One odd file never breaks a run: every input gets a finding, every report stays well formed.

Each test names the odd input it proves harmless; the properties at the end
try the same classes with generated inputs (bigger budgets: benchmarks/fuzz.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from msgflash_lint.cli import cli
from msgflash_lint.formatters import FORMATS, render
from msgflash_lint.linter import lint_paths

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
SARIF = Draft4Validator(SARIF_SCHEMA)
HEAD = '{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "type": "text", '


def lint_process(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command in its own process: encoding errors happen only when stdout is written."""
    return subprocess.run([sys.executable, "-c", "from msgflash_lint.cli import main; main()", "check", *args],
                          cwd=cwd, capture_output=True, timeout=timeout)


def assert_well_formed(output_format: str, report: bytes, findings: int | None = None) -> None:
    """The report is valid UTF-8 and valid in its own format, one text line per finding."""
    text = report.decode("utf-8")  # strict: a lone surrogate or a raw file-name byte fails here
    if output_format in ("json", "sarif"):
        data = json.loads(text)
        if output_format == "sarif":
            SARIF.validate(data)
    elif output_format == "junit":
        ElementTree.fromstring(report)
    elif findings is not None:
        lines = text.splitlines()
        assert len(lines) == findings + 1, lines  # one line per finding, then the summary
        if output_format == "github":
            assert all(line.startswith("::") for line in lines[:-1])


# lone surrogates in keys and echoed values; file names that are not UTF-8.

@pytest.mark.parametrize("output_format", FORMATS)
def test_lone_surrogate_in_a_key_or_value_gives_a_valid_report(tmp_path: Path, output_format: str) -> None:
    (tmp_path / "key.send.json").write_text(HEAD + '"text": "Hi", "\\ud800": 1}')
    (tmp_path / "value.send.json").write_text(HEAD + '"text": "Hi \\udfff"}')
    result = lint_process("--format", output_format, "key.send.json", "value.send.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    assert_well_formed(output_format, result.stdout, findings=2)
    assert b"MFL009" in result.stdout
    assert b"ud800" in result.stdout and b"udfff" in result.stdout


@pytest.mark.parametrize("output_format", FORMATS)
def test_file_name_that_is_not_utf8_gives_a_valid_report(tmp_path: Path, output_format: str) -> None:
    name = os.fsdecode(b"bad\xff\x1b.txt")
    (tmp_path / name).write_text("Hi {{contcat.name}}")
    result = lint_process("--format", output_format, "--output", os.fsdecode(b"out\xfe.report"), ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = (tmp_path / os.fsdecode(b"out\xfe.report")).read_bytes()
    assert_well_formed(output_format, report, findings=1)
    assert b"bad" in report and b"xff" in report and b"x1b" in report  # escaped as each format escapes `\\`


# ordinary bad payloads that crashed.

@pytest.mark.parametrize("buttons", ["true", "5", '"x"', "null", '{"a": 1}'])
def test_buttons_of_the_wrong_type_are_a_finding(tmp_path: Path, buttons: str) -> None:
    (tmp_path / "p.send.json").write_text(HEAD + f'"text": "Hi", "buttons": {buttons}}}')
    result = lint_process("p.send.json", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == b""
    assert b"MFL202 `buttons` must be a list" in result.stdout


def test_integer_beyond_pythons_digit_limit_is_invalid_json_at_its_position(tmp_path: Path) -> None:
    (tmp_path / "p.send.json").write_text(HEAD + '"text": "Hi",\n  "n": ' + "7" * 4301 + "}")
    result = lint_process("p.send.json", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == b""
    assert result.stdout.startswith(b"p.send.json:2:8: MFL005 invalid JSON: a number of 4301 digits")


@pytest.mark.parametrize("field", ["text", "buttons", "n"])
def test_value_nested_975_deep_is_a_finding_at_its_line_and_column(tmp_path: Path, field: str) -> None:
    deep = "[" * 975 + "]" * 975
    (tmp_path / "p.send.json").write_text(HEAD.replace('"type"', '\n"type"') + f'"{field}": {deep}}}')
    result = lint_process("p.send.json", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == b""
    column = len(f'"type": "text", "{field}": ') + 1 + 31  # the 33rd level, counting the payload itself
    assert result.stdout.startswith(f"p.send.json:2:{column}: MFL009 values nest more than 32 levels".encode())


# paths.

def test_symlink_loop_given_as_path_is_mfl001_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "ok.txt").write_text("Hi {{contact.name}}")
    result = lint_process("loop", "ok.txt", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == b""
    assert result.stdout.decode().splitlines() == [
        "loop:1:1: MFL001 cannot read the file: Too many levels of symbolic links",
        "2 files checked: 1 error, 0 warnings."]


def test_fifo_in_a_walked_directory_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "ok.txt").write_text("Hi {{contact.name}}")
    result = lint_process(".", cwd=tmp_path, timeout=20)  # opening the pipe would hang until the timeout
    assert result.returncode == 1
    assert b"pipe.json:1:1: MFL001 not a regular file (a named pipe)" in result.stdout


def test_fifo_named_on_the_command_line_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.msgflash.json")
    result = lint_process("pipe.msgflash.json", cwd=tmp_path, timeout=20)
    assert result.returncode == 1
    assert b"MFL001 not a regular file (a named pipe)" in result.stdout


def _deny(monkeypatch, denied: Path) -> None:
    """Make `denied` behave as a folder this user may not enter (root ignores chmod 000)."""
    real_stat, real_scandir = os.stat, os.scandir

    def guarded(path, *args, **kwargs):
        if Path(os.fsdecode(path)).absolute().is_relative_to(denied) and Path(os.fsdecode(path)).absolute() != denied:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_stat(path, *args, **kwargs)

    def guarded_scandir(path="."):
        if Path(os.fsdecode(path)).absolute() == denied:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "stat", guarded)
    monkeypatch.setattr(os, "scandir", guarded_scandir)


def test_file_inside_an_unreadable_directory_is_mfl001_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("x")
    (tmp_path / "ok.txt").write_text("Hi {{contact.name}}")
    monkeypatch.chdir(tmp_path)
    _deny(monkeypatch, tmp_path / "locked")
    result = CliRunner().invoke(cli, ["check", "locked/a.txt", "ok.txt"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "locked/a.txt:1:1: MFL001 cannot read the file: permission denied",
        "2 files checked: 1 error, 0 warnings."]


def test_unreadable_subdirectory_in_a_walk_is_reported_not_skipped(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "ok.txt").write_text("Hi {{contact.name}}")
    monkeypatch.chdir(tmp_path)
    _deny(monkeypatch, tmp_path / "locked")
    result = CliRunner().invoke(cli, ["check", "."], catch_exceptions=False)
    assert result.exit_code == 1
    assert "locked:1:1: MFL001 cannot list the directory: Permission denied" in result.output.splitlines()[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root enters folders whatever their mode; the test above simulates it")
def test_unreadable_subdirectory_for_real(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = lint_process(".", cwd=tmp_path)
        assert b"MFL001 cannot list the directory" in result.stdout
    finally:
        locked.chmod(0o755)


# large template bodies stay linear.

def test_megabyte_of_open_braces_maps_string_offsets_once(tmp_path: Path, monkeypatch) -> None:
    from msgflash_lint import linter, positions

    calls = []
    real = positions.string_offsets
    monkeypatch.setattr(linter, "string_offsets", lambda text, node: calls.append(node) or real(text, node))
    (tmp_path / "big.template.json").write_text(json.dumps({"name": "t", "type": "text", "body": "{{" * 500_000}))
    result = lint_paths([str(tmp_path / "big.template.json")])
    assert len(result.diagnostics) == 501  # 500 capped syntax findings, plus the long-text warning
    assert sum("the rest of this template is not checked" in d.message for d in result.diagnostics) == 1
    assert len(calls) == 1


def test_many_placeholder_findings_are_capped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("{{contact.nme}}\n" * 5000)
    result = lint_paths([str(tmp_path / "t.txt")])
    assert len(result.diagnostics) == 500
    assert result.diagnostics[-1].message.endswith(
        "(the rest of this template is not checked: 500 findings is the most reported per template)")


# control characters and line breaks.

@pytest.mark.parametrize("output_format", FORMATS)
def test_control_characters_and_line_breaks_never_break_a_report(tmp_path: Path, output_format: str) -> None:
    (tmp_path / "t.txt").write_text("{{contact.\x07bell}} {{cont\x1bact.x}} {{contact.\u2028sep}}")
    (tmp_path / "p.send.json").write_text(HEAD + '"text": "Hi", "line\\r\\nbreak\\u0000": 1, "\\u0085": 2}')
    result = lint_process("--format", output_format, "t.txt", "p.send.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert_well_formed(output_format, result.stdout, findings=5)
    assert b"\x07" not in result.stdout and b"\x1b" not in result.stdout and b"\r" not in result.stdout


# internal errors exit 2, with one line naming the file.

def test_an_internal_error_exits_2_with_one_line_naming_the_file(tmp_path: Path, monkeypatch) -> None:
    from msgflash_lint.rules import payloads

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(payloads, "payload_violations", broken)
    (tmp_path / "a.send.json").write_text(HEAD + '"text": "Hi"}')
    (tmp_path / "b.txt").write_text("Hi {{contcat.name}}")
    result = CliRunner(mix_stderr=False).invoke(cli, ["check", str(tmp_path)], catch_exceptions=False) \
        if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else \
        CliRunner().invoke(cli, ["check", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"msgflash-lint: internal error while checking {tmp_path.as_posix()}/a.send.json: ZeroDivisionError: a bug"]
    assert "b.txt:1:6: MFL105" in result.stdout  # the other file is still checked and reported


# Properties: whatever the input, no exception and a well-formed report in every format.

def _all_reports_well_formed(paths: list[str]) -> None:
    result = lint_paths(paths)
    assert result.internal_errors == ()
    for output_format in FORMATS:
        assert_well_formed(output_format, render(output_format, result).encode("utf-8"),
                           findings=len(result.diagnostics))


_PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_PROPERTY
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".json", ".txt", ".send.json", ".template.json"]))
def test_property_any_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    _all_reports_well_formed([str(path)])


@_PROPERTY
@given(text=st.text(alphabet=st.characters(codec=None), max_size=200),
       suffix=st.sampled_from([".json", ".txt", ".campaign.json"]))
def test_property_any_unicode_including_surrogates_as_escapes(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"f{suffix}"
    # JSON files hold surrogates as `\\ud800` escapes; a template holds them raw (so not valid UTF-8).
    path.write_bytes(json.dumps({"name": text, "type": "text", "body": text, text: text}).encode()
                     if suffix != ".txt" else text.encode("utf-8", "surrogatepass"))
    _all_reports_well_formed([str(path)])


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec=None), max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@_PROPERTY
@given(kind=st.sampled_from(["send", "schedule", "campaign", "template"]), value=_JSON, data=st.data())
def test_property_any_json_value_in_any_field_of_any_kind(tmp_path: Path, kind: str, value, data) -> None:
    from msgflash_lint.contract import declared_properties
    from msgflash_lint.strategies import payloads

    payload = data.draw(payloads(kind))
    field = data.draw(st.sampled_from(sorted(declared_properties(kind))))
    payload[field] = value
    path = tmp_path / f"p.{kind}.json"
    path.write_text(json.dumps(payload))
    _all_reports_well_formed([str(path)])


@_PROPERTY
@given(name=st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                      and b not in (b".", b"..")))
def test_property_any_file_name(tmp_path: Path, name: bytes) -> None:
    folder = tmp_path / "names"
    folder.mkdir(exist_ok=True)
    path = folder / os.fsdecode(name + b".txt")
    path.write_text("Hi {{contcat.name}}")
    try:
        _all_reports_well_formed([str(path), str(folder)])
    finally:
        path.unlink()
