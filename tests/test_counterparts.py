"""Cross-file discovery reads only regular files inside the project: never a pipe, a device, or a link out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATE_ID = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"
PAYLOAD = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "templateId": TEMPLATE_ID}


def _check(repo: Path, *paths: str) -> subprocess.CompletedProcess:
    installed = Path(sys.executable).with_name("msgflash-lint")
    command = [str(installed)] if installed.exists() else [sys.executable, "-c",
                                                           "from msgflash_lint.cli import main; main()"]
    return subprocess.run([*command, "check", *paths], cwd=repo, capture_output=True, text=True, timeout=30)


def _repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "msgflash" / "templates").mkdir(parents=True)
    (tmp_path / "msgflash" / "payloads").mkdir(parents=True)
    (tmp_path / "msgflash" / "payloads" / "send.json").write_text(json.dumps(PAYLOAD))
    return tmp_path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_where_a_template_would_be_is_never_opened_for_reading(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    os.mkfifo(repo / "msgflash" / "templates" / f"relance.{TEMPLATE_ID}.txt")
    result = _check(repo, "msgflash/payloads/send.json")  # a hang here would fail on the timeout
    assert "Traceback" not in result.stderr and result.returncode in (0, 1)


def test_a_link_to_a_device_or_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = _repo(tmp_path / "repo")
    (repo / "msgflash" / "templates" / f"relance.{TEMPLATE_ID}.txt").symlink_to("/dev/zero")
    outside = tmp_path / f"elsewhere.{TEMPLATE_ID}.txt"
    outside.write_text("Hello {{custom.code}}\n")
    (repo / "msgflash" / "templates" / f"other.{TEMPLATE_ID}.txt").symlink_to(outside)
    result = _check(repo, "msgflash/payloads/send.json")
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr
    # Neither link is a counterpart: the outside template's custom.code is not asked of the payload.
    assert "MFL301" not in result.stdout, result.stdout
