"""[tool.msgflash-lint]: discovery, every key, errors, and CLI over file over defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from msgflash_lint.cli import cli

BAD_TEMPLATE = "Hi {{contcat.name}} {{ custom.code }} {{contact.meta.city}} {{custom.coupon}}\n"
PAYLOAD = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "type": "text",
           "text": "Hi", "caption": "unknown field"}


def project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n\n[tool.msgflash-lint]\n" + config)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "welcome.txt").write_text(BAD_TEMPLATE)
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.json").write_text(json.dumps(PAYLOAD))
    return tmp_path


def codes(tmp_path: Path, *args: str) -> list[str]:
    result = CliRunner().invoke(cli, ["check", "--format", "json", *args, str(tmp_path)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return sorted(d["code"] for d in json.loads(result.output)["diagnostics"])


def usage_error(tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["check", *args, str(tmp_path)])
    assert result.exit_code == 2
    return result.output


def test_defaults_without_configuration(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    assert codes(tmp_path) == ["MFL105", "MFL111"]


def test_configuration_is_found_walking_up_from_the_files(tmp_path: Path) -> None:
    project(tmp_path, 'ignore = ["MFL111"]\n')
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "templates" / "welcome.txt")])
    assert "MFL105" in result.output and "MFL111" not in result.output


def test_select_ignore_and_cli_precedence(tmp_path: Path) -> None:
    project(tmp_path, 'select = ["MFL1"]\nignore = ["MFL105"]\n')
    assert codes(tmp_path) == ["MFL111"]
    assert codes(tmp_path, "--select", "MFL2") == ["MFL207"]  # the command line's select wins
    assert codes(tmp_path, "--ignore", "MFL111") == []  # ignores add up


def test_severity_override_turns_a_warning_into_an_error(tmp_path: Path) -> None:
    project(tmp_path, 'select = ["MFL111"]\nseverity = {"MFL111" = "error"}\n')
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1


def test_exclude_and_per_file_ignores(tmp_path: Path) -> None:
    project(tmp_path, 'exclude = ["templates"]\nper-file-ignores = {"legacy/*.json" = ["MFL207"]}\n')
    assert codes(tmp_path) == []
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(tmp_path)])
    assert json.loads(result.output)["summary"]["files"] == 1


def test_kinds_map_file_names_to_a_kind(tmp_path: Path) -> None:
    project(tmp_path, 'kinds = {"legacy/*.json" = "campaign"}\n')
    assert "MFL201" in codes(tmp_path)  # checked as a campaign, it lacks `name`, `schedule`…


def test_known_keys_close_custom_and_meta(tmp_path: Path) -> None:
    project(tmp_path, 'known-keys = {"custom" = ["code"], "contact.meta" = ["zip"]}\n')
    found = CliRunner().invoke(cli, ["check", str(tmp_path / "templates")]).output
    assert "`custom.coupon` is not among the configured custom keys" in found
    assert "`contact.meta.city` is not among the configured meta keys" in found
    assert "custom.code`" not in found.replace("{{custom.code}}", "")


@pytest.mark.parametrize(("config", "message"), [
    ('selct = ["MFL1"]\n', "unknown key `selct`; did you mean `select`?"),
    ('select = "MFL1"\n', "select must be a list of strings"),
    ('ignore = ["XYZ"]\n', "`XYZ` selects no rule"),
    ('severity = {"MFL111" = "fatal"}\n', '`MFL111` must be "error" or "warning"'),
    ('kinds = {"*.json" = "sms"}\n', "maps to `sms`"),
    ('known-keys = {"user" = ["x"]}\n', "`user` cannot be closed"),
    ('select = [\n', "invalid TOML"),
])
def test_bad_configuration_is_a_clear_usage_error(tmp_path: Path, config: str, message: str) -> None:
    project(tmp_path, config)
    assert message in usage_error(tmp_path)


def test_explicit_config_option(tmp_path: Path) -> None:
    project(tmp_path, "")
    elsewhere = tmp_path / "ci.toml"
    elsewhere.write_text('[tool.msgflash-lint]\nselect = ["MFL105"]\n')
    assert codes(tmp_path, "--config", str(elsewhere)) == ["MFL105"]
    other = tmp_path / "other.toml"
    other.write_text("[tool.black]\nline-length = 100\n")
    assert "no [tool.msgflash-lint] table" in usage_error(tmp_path, "--config", str(other))
    assert "cannot read" in usage_error(tmp_path, "--config", str(tmp_path / "missing.toml"))


def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    baseline = tmp_path / "baseline.json"
    written = CliRunner().invoke(cli, ["check", "--write-baseline", str(baseline), str(tmp_path / "t.txt")])
    assert written.exit_code == 0 and "Recorded 2 findings" in written.output
    clean = CliRunner().invoke(cli, ["check", "--baseline", str(baseline), str(tmp_path / "t.txt")])
    assert clean.exit_code == 0 and "no problems found" in clean.output
    (tmp_path / "t.txt").write_text("new line {{firstName}}\n" + BAD_TEMPLATE)  # old findings move down a line
    fresh = CliRunner().invoke(cli, ["check", "--format", "json", "--baseline", str(baseline), str(tmp_path / "t.txt")])
    assert [d["code"] for d in json.loads(fresh.output)["diagnostics"]] == ["MFL104"]


def test_bad_baseline_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    (tmp_path / "b.json").write_text('{"version": 9}')
    assert "not a msgflash-lint baseline" in usage_error(tmp_path, "--baseline", str(tmp_path / "b.json"))


# Configuration outside pyproject.toml: msgflash-lint.toml and .msgflash-lint.toml.

@pytest.mark.parametrize("name", ["msgflash-lint.toml", ".msgflash-lint.toml"])
def test_msgflash_lint_toml_holds_the_keys_at_the_top_level(tmp_path: Path, name: str) -> None:
    """A JS or PHP repository has no pyproject.toml: the same keys, no [tool] header, found walking up."""
    (tmp_path / name).write_text('ignore = ["MFL105"]\n')
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "welcome.txt").write_text(BAD_TEMPLATE)
    assert "MFL105" not in codes(tmp_path / "copy")
    assert codes(tmp_path / "copy") == ["MFL111"]


def test_the_tools_own_file_wins_over_pyproject_in_one_folder(tmp_path: Path) -> None:
    project(tmp_path, 'select = ["MFL111"]\n')
    assert codes(tmp_path) == ["MFL111"]
    (tmp_path / "msgflash-lint.toml").write_text('select = ["MFL105"]\n')
    assert codes(tmp_path) == ["MFL105"]
    (tmp_path / ".msgflash-lint.toml").write_text('select = ["MFL2"]\n')
    found = codes(tmp_path)
    assert found and all(code.startswith("MFL2") for code in found)


def test_unknown_key_in_msgflash_lint_toml_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "msgflash-lint.toml").write_text('ignroe = ["MFL105"]\n')
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    message = usage_error(tmp_path)
    assert "msgflash-lint.toml: unknown key `ignroe`; did you mean `ignore`?" in message
    (tmp_path / "msgflash-lint.toml").write_text('[tool.msgflash-lint]\nignore = ["MFL105"]\nfail-level = 3\n')
    assert "must be" in usage_error(tmp_path)


def test_a_misspelled_pyproject_table_is_named_not_ignored(tmp_path: Path) -> None:
    """[tool.msgflash_lint] would switch the configuration off without a word: a warning names the right table."""
    (tmp_path / "pyproject.toml").write_text('[tool.msgflash_lint]\nignore = ["MFL105"]\n[tool.black]\nx = 1\n')
    (tmp_path / "t.txt").write_text(BAD_TEMPLATE)
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert (f"msgflash-lint: {tmp_path / 'pyproject.toml'}: [tool.msgflash_lint] is not read; "
            "did you mean [tool.msgflash-lint]?") in result.stderr
    assert "black" not in result.stderr and "MFL105" in result.stdout
    # Named with --config, the same file is a usage error with the same hint.
    assert "did you mean [tool.msgflash-lint]?" in usage_error(tmp_path, "--config", str(tmp_path / "pyproject.toml"))
