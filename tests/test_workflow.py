"""The hook and the CI check keep every promise: selections, fail levels, baselines that travel,
walking, cross-file checks at commit time, autofix and the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from msgflash_lint.cli import cli

BAD_TEMPLATE = "Hi {{contcat.name}} {{ custom.code }}\n"
SEND = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "type": "text", "text": "Hi"}


def run(*args: str, cwd: Path | None = None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# No silent passes.

@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("value, hint", [("MFX9", ""), ("unknown-namespce", "did you mean `unknown-namespace`?"),
                                          ("MFL9", ""), ("MFL10x", ""), ("E501", "")])
def test_selection_that_selects_no_rule_exits_2(tmp_path: Path, option: str, value: str, hint: str) -> None:
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    result = CliRunner().invoke(cli, ["check", option, value, str(tmp_path / "t.txt")])
    assert result.exit_code == 2
    assert f"`{value}` selects no rule" in result.output and hint in result.output


def test_selection_takes_codes_prefixes_and_rule_names_alike(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    by_name = run("check", "--format", "json", "--select", "unknown-namespace", str(tmp_path / "t.txt"))
    by_code = run("check", "--format", "json", "--select", "mfl105", str(tmp_path / "t.txt"))
    assert by_name.output == by_code.output
    assert [d["code"] for d in json.loads(by_name.output)["diagnostics"]] == ["MFL105"]
    ignored = run("check", "--ignore", "spaces-inside-braces,MFL1", str(tmp_path / "t.txt"))
    assert ignored.exit_code == 0


def test_the_same_value_in_the_configuration_is_refused_the_same_way(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.msgflash-lint]\nselect = ["unknown-namespce"]\n')
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "t.txt")])
    assert result.exit_code == 2 and "did you mean `unknown-namespace`?" in result.output


def test_fail_level_warning_fails_on_a_warning_and_the_summary_says_when_it_does_not(tmp_path: Path) -> None:
    (tmp_path / "p.send.json").write_text(json.dumps({**SEND, "caption": "lost"}))
    passing = run("check", str(tmp_path / "p.send.json"))
    assert passing.exit_code == 0
    assert passing.output.splitlines()[-1] == ("1 file checked: 0 errors, 1 warning. "
                                               "Warnings do not fail the run (--fail-level warning makes them).")
    failing = run("check", "--fail-level", "warning", str(tmp_path / "p.send.json"))
    assert failing.exit_code == 1 and failing.output.splitlines()[-1] == "1 file checked: 0 errors, 1 warning."
    (tmp_path / "pyproject.toml").write_text('[tool.msgflash-lint]\nfail-level = "warning"\n')
    assert run("check", str(tmp_path / "p.send.json")).exit_code == 1
    assert run("check", "--fail-level", "error", str(tmp_path / "p.send.json")).exit_code == 0


# Baselines that travel.

def _repository(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "msgflash" / "templates").mkdir(parents=True)
    (tmp_path / "msgflash" / "templates" / "a.txt").write_text(BAD_TEMPLATE)
    (tmp_path / "msgflash" / "templates" / "b.txt").write_text("{{contact.nme}}\n")
    return tmp_path


def test_baseline_written_at_the_root_holds_from_a_subfolder_and_with_absolute_paths(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    root = _repository(tmp_path)
    baseline = root / "baseline.json"
    assert run("check", "--write-baseline", str(baseline), "msgflash", cwd=root, monkeypatch=monkeypatch).exit_code == 0
    assert {f["path"] for f in json.loads(baseline.read_text())["findings"]} == {
        "msgflash/templates/a.txt", "msgflash/templates/b.txt"}
    from_subfolder = run("check", "--baseline", str(baseline), "a.txt", "b.txt",
                         cwd=root / "msgflash" / "templates", monkeypatch=monkeypatch)
    assert from_subfolder.exit_code == 0 and "no problems found" in from_subfolder.output
    absolute = run("check", "--baseline", str(baseline), str(root / "msgflash"), cwd=Path("/"), monkeypatch=monkeypatch)
    assert absolute.exit_code == 0 and "no problems found" in absolute.output


def test_stale_entries_are_counted_and_update_baseline_drops_them(tmp_path: Path, monkeypatch) -> None:
    root = _repository(tmp_path)
    baseline = root / "baseline.json"
    run("check", "--write-baseline", str(baseline), "msgflash", cwd=root, monkeypatch=monkeypatch)
    (root / "msgflash" / "templates" / "b.txt").write_text("{{contact.name}}\n")  # fixed
    (root / "msgflash" / "templates" / "c.txt").write_text("{{contcat.x}}\n")  # new
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "--baseline", str(baseline), "msgflash"])
    assert result.exit_code == 1
    assert "1 baseline entry is stale (fixed, or the file is gone); --update-baseline drops them." in result.stderr
    assert "c.txt:1:3: MFL105" in result.stdout and "a.txt" not in result.stdout
    updated = runner.invoke(cli, ["check", "--baseline", str(baseline), "--update-baseline", "msgflash"])
    assert updated.exit_code == 0 and "dropped 1 stale entry, kept 2" in updated.stderr
    paths = [f["path"] for f in json.loads(baseline.read_text())["findings"]]
    assert "msgflash/templates/b.txt" not in paths and "msgflash/templates/c.txt" not in paths
    assert runner.invoke(cli, ["check", "--update-baseline", "msgflash"]).exit_code == 2


# Walking is for payloads.

def test_walked_json_without_payload_fields_is_skipped_and_counted(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "shop", "version": "1.0.0", "scripts": {"test": "jest"}}')
    (tmp_path / "ids.json").write_text('{"welcome": "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"}')
    (tmp_path / "order.json").write_text(json.dumps(SEND))
    result = run("check", str(tmp_path))
    assert result.exit_code == 0
    assert result.output == "1 file checked, no problems found; 2 files skipped: not MsgFlash payloads.\n"
    named = run("check", str(tmp_path / "package.json"))
    assert named.exit_code == 1 and "MFL008" in named.output


def test_walked_json_with_a_payload_field_is_still_flagged(tmp_path: Path) -> None:
    (tmp_path / "half.json").write_text('{"text": "Hi", "buttons": []}')
    result = run("check", str(tmp_path))
    assert result.exit_code == 1 and "half.json:1:1: MFL008" in result.output


def test_check_with_no_path_walks_what_the_hooks_would_check(tmp_path: Path, monkeypatch) -> None:
    """A Go `templates/page.tmpl` or a stray `notes.txt` is not MsgFlash's: only `include` is walked."""
    (tmp_path / "msgflash" / "templates").mkdir(parents=True)
    (tmp_path / "msgflash" / "templates" / "t.txt").write_text(BAD_TEMPLATE)
    (tmp_path / "welcome.msgflash.txt").write_text(BAD_TEMPLATE)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.tmpl").write_text("{{ .Title }}")
    (tmp_path / "notes.txt").write_text(BAD_TEMPLATE)
    (tmp_path / "package.json").write_text('{"name": "shop", "type": "module"}')
    result = run("check", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert list(dict.fromkeys(line.split(":")[0] for line in result.output.splitlines()[:-1])) == \
        ["msgflash/templates/t.txt", "welcome.msgflash.txt"]
    assert result.output.splitlines()[-1].startswith("2 files checked")


def test_include_decides_what_check_with_no_path_walks(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "msgflash-lint.toml").write_text('include = ["copy/*.txt"]\n')
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "relance.txt").write_text(BAD_TEMPLATE)
    (tmp_path / "welcome.msgflash.txt").write_text(BAD_TEMPLATE)
    result = run("check", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1 and result.output.startswith("copy/relance.txt:1:6: MFL105")
    assert "welcome" not in result.output
    # A path on the command line is checked whatever `include` says.
    named = run("check", "welcome.msgflash.txt", cwd=tmp_path, monkeypatch=monkeypatch)
    assert named.output.startswith("welcome.msgflash.txt:1:6: MFL105")


def test_check_with_no_path_and_nothing_included_says_so(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "page.tmpl").write_text(BAD_TEMPLATE)
    result = run("check", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert result.output.startswith(".:1:1: MFL007 [warning] no file here matches `include` (*.msgflash.json,")


def test_default_include_is_the_hooks_patterns() -> None:
    """The globs `check` walks with no path and the regular expressions of the hooks pick the same files."""
    import re

    from msgflash_lint.counterparts import DEFAULT_INCLUDE, PAYLOAD_FILES, TEMPLATE_TEXT_FILES
    from msgflash_lint.paths import path_matches

    for path in ("a.msgflash.json", "x/y/a.msgflash.json", "msgflash/send.json", "app/msgflash/c/d.json",
                 "a.msgflash.txt", "msgflash/templates/t.txt", "src/msgflash/templates/x/t.txt",
                 "msgflash/t.txt", "templates/page.tmpl", "notmsgflash/a.json", "package.json",
                 "msgflash/templates/t.tmpl", "a.msgflash.json.txt", "msgflashy/templates/t.txt"):
        hooks = bool(re.search(PAYLOAD_FILES, path) or re.search(TEMPLATE_TEXT_FILES, path))
        assert path_matches(path, DEFAULT_INCLUDE) == hooks, path


# Safe autofix.

FIXABLE_TEMPLATE = ('{\n  "name": "Caf\\u00e9 \\"Relance\\"",\t"type": "text",\n'
                    '  "body": "H\\u00e9 {{ contcat.name }}\\n\\"{{firstname}}\\" {{contact.firstname}} {{usr.email}}"\n}\n')
FIXED_TEMPLATE = ('{\n  "name": "Caf\\u00e9 \\"Relance\\"",\t"type": "text",\n'
                  '  "body": "H\\u00e9 {{contact.name}}\\n\\"{{contact.firstName}}\\" {{contact.firstName}} {{user.email}}"\n}\n')
FIXABLE_CAMPAIGN = ('{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "name": "N",\r\n'
                    ' "schedule": "2026-04-15T09:00:00Z",   "repeat": "noe", "recipients": {"type": "all"},\r\n'
                    ' "type": "text", "body": "Promo",\r\n'
                    ' "buttons": [ {"title": "url", "displayText": "Go", "url": "https://x.example/a"} ]}\r\n')


def test_fix_makes_the_fixable_mistakes_clean_and_leaves_every_other_byte(tmp_path: Path) -> None:
    template = tmp_path / "relance.template.json"
    template.write_bytes(FIXABLE_TEMPLATE.encode())
    campaign = tmp_path / "promo.campaign.json"
    campaign.write_bytes(b"\xef\xbb\xbf" + FIXABLE_CAMPAIGN.encode())
    text = tmp_path / "welcome.txt"
    text.write_bytes(b"Hi {{ contact.name }}, {{firstName}}\r\nBye {{phone}}\r\n")
    result = run("check", "--fix", str(template), str(campaign), str(text))
    assert template.read_bytes() == FIXED_TEMPLATE.encode()
    assert campaign.read_bytes() == b"\xef\xbb\xbf" + FIXABLE_CAMPAIGN.replace('"noe"', '"none"').replace(
        '{"title": "url"', '{"type": "url"').encode()
    assert text.read_bytes() == b"Hi {{contact.name}}, {{contact.firstName}}\r\nBye {{phone}}\r\n"
    # `{{phone}}` could be contact.phone or user.phone: no single right answer, so it stays.
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "3 files checked: 1 error, 0 warnings; 9 fixed, 1 remaining."
    assert "welcome.txt:2:7: MFL104" in result.output
    again = run("check", str(template), str(campaign))
    assert again.exit_code == 0 and "no problems found" in again.output


def test_diff_shows_the_edits_and_writes_nothing(tmp_path: Path) -> None:
    text = tmp_path / "welcome.txt"
    text.write_text("Hi {{ contact.name }}\n")
    result = CliRunner().invoke(cli, ["check", "--diff", str(text)])
    assert result.exit_code == 1
    assert "-Hi {{ contact.name }}\n+Hi {{contact.name}}\n" in result.stdout
    assert "1 fix would be applied to 1 file; --fix writes them." in result.stderr
    assert text.read_text() == "Hi {{ contact.name }}\n"
    (tmp_path / "clean.txt").write_text("Hi {{contact.name}}\n")
    assert CliRunner().invoke(cli, ["check", "--diff", str(tmp_path / "clean.txt")]).exit_code == 0


def test_fix_respects_the_selection(tmp_path: Path) -> None:
    text = tmp_path / "welcome.txt"
    text.write_text("Hi {{ contcat.name }}\n")
    run("check", "--fix", "--ignore", "MFL111", str(text))
    assert text.read_text() == "Hi {{ contact.name }}\n"


def test_fixable_rules_are_marked_in_the_registry_rules_command_and_sarif(tmp_path: Path) -> None:
    from jsonschema import Draft4Validator

    from msgflash_lint.registry import RULES

    fixable = {rule.code for rule in RULES if rule.fixable}
    assert fixable == {"MFL104", "MFL105", "MFL106", "MFL111", "MFL203", "MFL208"}
    listed = run("rules").output.splitlines()
    assert {line.split()[0] for line in listed if line.endswith("(fixable with --fix)")} == fixable
    text = tmp_path / "welcome.txt"
    text.write_text("Hi {{contcat.name}} {{phone}}\n")
    log = json.loads(run("check", "--format", "sarif", str(text)).output)
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    Draft4Validator(schema).validate(log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    replacement = results["MFL105"]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "contact.name"
    assert replacement["deletedRegion"] == results["MFL105"]["locations"][0]["physicalLocation"]["region"]
    assert "fixes" not in results["MFL104"]


def test_fix_refuses_standard_input() -> None:
    assert CliRunner().invoke(cli, ["check", "--fix", "-"], input="Hi").exit_code == 2


# A terminal worth reading.

def _on_a_terminal(tmp_path: Path, *args: str, env: dict | None = None) -> str:
    """Run the real command with its standard output on a pseudo-terminal, and read what it shows."""
    import os
    import subprocess
    import sys

    controller, terminal = os.openpty()
    try:
        process = subprocess.run([sys.executable, "-c", "from msgflash_lint.cli import main; main()", "check", *args],
                                 cwd=tmp_path, stdout=terminal, stderr=subprocess.PIPE, timeout=60,
                                 env={k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None})
        assert process.returncode == 1, process.stderr
        os.close(terminal)
        terminal = -1
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode().replace("\r\n", "\n")
    finally:
        os.close(controller)
        if terminal != -1:
            os.close(terminal)


def test_terminal_output_is_coloured_with_the_source_line_and_a_caret(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Hi {{contcat.name}}\n")
    shown = _on_a_terminal(tmp_path, "t.txt", env={"NO_COLOR": None})
    assert "\x1b[1;31mMFL105\x1b[0m" in shown
    assert "1 |\x1b[0m Hi {{contcat.name}}" in shown
    assert "\x1b[1;31m^^^^^^^^^^^^\x1b[0m" in shown


def test_no_color_keeps_the_excerpt_without_colour(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Hi {{contcat.name}}\n")
    shown = _on_a_terminal(tmp_path, "t.txt", env={"NO_COLOR": "1"})
    assert shown.splitlines()[:3] == ["t.txt:1:6: MFL105 unknown namespace `contcat`; did you mean `contact`?",
                                      "1 | Hi {{contcat.name}}", "  |      ^^^^^^^^^^^^"]
    assert "\x1b[" not in shown
    assert "\x1b[" not in _on_a_terminal(tmp_path, "--color", "never", "t.txt", env={"NO_COLOR": None})


def test_piped_output_keeps_one_line_per_finding_and_color_always_forces_colour(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Hi {{contcat.name}}\n")
    piped = run("check", str(tmp_path / "t.txt")).output
    assert len(piped.splitlines()) == 2 and "\x1b[" not in piped
    forced = run("check", "--color", "always", str(tmp_path / "t.txt")).output
    assert "\x1b[1;31mMFL105\x1b[0m" in forced and "^^^^" in forced


# Large runs on both cores, with the same report.

def test_jobs_give_the_same_report_as_a_serial_run(tmp_path: Path) -> None:
    from msgflash_lint.linter import lint_paths

    template_id = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"
    (tmp_path / "relance.template.json").write_text(json.dumps(
        {"id": template_id, "name": "Relance", "type": "text", "body": "{{custom.code}} {{contcat.x}}"}))
    for n in range(40):
        payload = dict(SEND, text=f"m{n}") if n % 4 else {**SEND, "to": "06"}
        if n % 5 == 0:
            payload = {k: v for k, v in SEND.items() if k not in ("type", "text")} | {"templateId": template_id}
        (tmp_path / f"p{n:02d}.send.json").write_text(json.dumps(payload))
    (tmp_path / "broken.json").write_bytes(b"\x00\x01")
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1"}')
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    serial = lint_paths([str(tmp_path)], jobs=1)
    parallel = lint_paths([str(tmp_path)], jobs=2)
    assert parallel == serial
    assert {d.code for d in serial.diagnostics} >= {"MFL002", "MFL105", "MFL204", "MFL301"}
    assert serial.skipped == (f"{tmp_path.as_posix()}/package.json",)
    import subprocess
    import sys

    for output_format in ("text", "json", "sarif"):  # the real command: a single-threaded process that forks
        outputs = {subprocess.run([sys.executable, "-c", "from msgflash_lint.cli import main; main()", "check",
                                   "--format", output_format, "--jobs", jobs, str(tmp_path)],
                                  capture_output=True, timeout=60).stdout for jobs in "120"}
        assert len(outputs) == 1 and len(next(iter(outputs))) > 1000


# Cross-file checks at commit time (the hooks themselves: tests/test_precommit.py).

def test_a_template_checked_alone_is_held_against_the_repositorys_payloads_but_not_excluded_ones(
        tmp_path: Path, monkeypatch) -> None:
    template_id = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"
    (tmp_path / ".git").mkdir()
    (tmp_path / "msgflash" / "templates").mkdir(parents=True)
    template = tmp_path / "msgflash" / "templates" / f"relance.{template_id}.txt"
    template.write_text("Use {{custom.code}} and {{custom.extra}}\n")
    payload = {**{k: v for k, v in SEND.items() if k not in ("type", "text")},
               "templateId": template_id, "variables": {"code": "X"}}
    for folder in ("msgflash/payloads", "fixtures/msgflash"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "order.json").write_text(json.dumps(payload))
    result = run("check", "--kind", "template-body", str(template.relative_to(tmp_path)), cwd=tmp_path,
                 monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert {line.split(":")[0] for line in result.output.splitlines()[:-1]} == {
        "fixtures/msgflash/order.json", "msgflash/payloads/order.json"}
    (tmp_path / "pyproject.toml").write_text('[tool.msgflash-lint]\nexclude = ["fixtures/"]\n')
    result = run("check", "--kind", "template-body", str(template.relative_to(tmp_path)))
    assert [line.split(":")[0] for line in result.output.splitlines()[:-1]] == ["msgflash/payloads/order.json"]
    assert "needs `custom.extra`" in result.output


def test_a_named_pipe_in_a_terminal_run_is_never_opened_for_its_excerpt(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "t.txt").write_text("Hi {{contcat.name}}\n")
    shown = _on_a_terminal(tmp_path, "pipe.json", "t.txt", env={"NO_COLOR": "1"})  # would hang on open()
    assert "pipe.json:1:1: MFL001 not a regular file (a named pipe)" in shown and "1 | Hi {{contcat.name}}" in shown


def test_a_payload_on_stdin_and_one_in_a_file_are_placed_alike_by_cross_file_checks(tmp_path: Path, monkeypatch) -> None:
    # A payload read from a file is kept as a few fields and read again to place a finding;
    # one from stdin has no file to read again and keeps its document: both land on `variables`.
    template_id = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"
    (tmp_path / "relance.template.json").write_text(json.dumps(
        {"id": template_id, "name": "Relance", "type": "text", "body": "Code {{custom.code}}"}))
    payload = json.dumps({"instanceId": SEND["instanceId"], "to": SEND["to"], "templateId": template_id,
                          "variables": {"cod": "X"}}, indent=2)
    (tmp_path / "p.send.json").write_text(payload)
    monkeypatch.chdir(tmp_path)
    from_file = CliRunner().invoke(cli, ["check", "relance.template.json", "p.send.json"])
    from_stdin = CliRunner().invoke(cli, ["check", "relance.template.json", "-"], input=payload)
    assert from_file.output.splitlines()[0] == (
        "p.send.json:5:3: MFL301 template `Relance` needs `custom.code`; add `code` to `variables`")
    assert from_stdin.output.splitlines()[0] == from_file.output.splitlines()[0].replace("p.send.json", "<stdin>")


def test_a_baseline_never_records_a_missing_path_and_says_what_it_hid(tmp_path: Path, monkeypatch) -> None:
    """A baseline written where `msgflash/` does not exist must not pass forever having checked nothing."""
    baseline = tmp_path / "baseline.json"
    written = run("check", "--write-baseline", str(baseline), "msgflash", cwd=tmp_path, monkeypatch=monkeypatch)
    assert written.exit_code == 0 and json.loads(baseline.read_text())["findings"] == []
    checked = run("check", "--baseline", str(baseline), "msgflash", cwd=tmp_path, monkeypatch=monkeypatch)
    assert checked.exit_code == 1 and "MFL001" in checked.output and "no problems found" not in checked.output
    (tmp_path / "repo").mkdir()
    root = _repository(tmp_path / "repo")
    run("check", "--write-baseline", str(baseline), "msgflash", cwd=root, monkeypatch=monkeypatch)
    hidden = CliRunner().invoke(cli, ["check", "--baseline", str(baseline), "msgflash"])
    assert hidden.exit_code == 0 and "the baseline" in hidden.stderr and "hid 3 findings." in hidden.stderr
