"""`msgflash-lint associate-schemas`: VS Code's `json.schemas` pointing at the installed schema files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from msgflash_lint.cli import cli
from msgflash_lint.contract import schema_dir


def _associate(folder: Path, *args: str):
    return CliRunner().invoke(cli, ["associate-schemas", *args, str(folder)])


def test_writes_one_entry_per_payload_kind_with_the_installed_files(tmp_path: Path) -> None:
    result = _associate(tmp_path)
    assert result.exit_code == 0, result.output
    entries = json.loads((tmp_path / ".vscode" / "settings.json").read_text())["json.schemas"]
    assert [e["fileMatch"] for e in entries] == [["**/*.send.json"], ["**/*.schedule.json"],
                                                 ["**/*.campaign.json"], ["**/*.template.json"]]
    for entry in entries:
        assert entry["url"].startswith("file://")
        assert Path(entry["url"].removeprefix("file://")).parent == schema_dir().resolve()
        assert Path(entry["url"].removeprefix("file://")).is_file()


def test_keeps_the_users_settings_and_replaces_only_its_own_entries(tmp_path: Path) -> None:
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    theirs = {"fileMatch": ["package.json"], "url": "https://json.schemastore.org/package.json"}
    settings.write_text(json.dumps({"editor.tabSize": 2, "json.schemas": [theirs]}))
    assert _associate(tmp_path).exit_code == 0
    assert _associate(tmp_path).exit_code == 0  # twice: still one entry per kind
    written = json.loads(settings.read_text())
    assert written["editor.tabSize"] == 2
    assert written["json.schemas"][0] == theirs and len(written["json.schemas"]) == 5


def test_the_configurations_kinds_are_associated_too(tmp_path: Path) -> None:
    (tmp_path / "msgflash-lint.toml").write_text('kinds = {"campaigns/*.json" = "campaign"}\n')
    assert _associate(tmp_path).exit_code == 0
    entries = json.loads((tmp_path / ".vscode" / "settings.json").read_text())["json.schemas"]
    assert entries[2]["fileMatch"] == ["campaigns/*.json", "**/*.campaign.json"]


def test_a_settings_file_with_comments_is_refused_untouched(tmp_path: Path) -> None:
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{\n  // my tab size\n  "editor.tabSize": 2,\n}\n')
    result = _associate(tmp_path)
    assert result.exit_code == 2 and "comments and trailing commas would be lost" in result.output
    assert settings.read_text() == '{\n  // my tab size\n  "editor.tabSize": 2,\n}\n'
    printed = _associate(tmp_path, "--print")
    assert printed.exit_code == 0 and len(json.loads(printed.output)["json.schemas"]) == 4
