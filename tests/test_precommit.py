"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit tool on a temporary repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOOD_TEMPLATE = "Hello {{contact.firstName}}, your code is {{custom.code}}.\n"
BAD_TEMPLATE = "Hello {{contcat.firstName}}, your code is {{custom.code}}.\n"
GOOD_PAYLOAD = ('{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", '
                '"type": "text", "text": "Hello"}\n')
BAD_PAYLOAD = '{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "0612345678", "type": "text", "text": "Hello"}\n'
# pre-commit failing to build the hook's environment because no package index is reachable.
_OFFLINE = ("Could not find a version", "No matching distribution", "Failed to establish a new connection",
            "Temporary failure in name resolution", "Network is unreachable")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def precommit_env(tmp_path_factory):
    if subprocess.run(["git", "-C", str(REPO), "rev-parse", "--git-dir"], capture_output=True).returncode != 0:
        pytest.skip("the project is not a git checkout, and pre-commit try-repo needs one")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return env


def _user_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "user-repo"
    (repo / "msgflash" / "templates").mkdir(parents=True)
    _git(repo, "init", "-q")
    # Unrelated JSON the default filters must never touch.
    (repo / "package.json").write_text('{"name": "shop", "private": true}\n')
    _git(repo, "add", "package.json")
    return repo


def _try_repo(repo: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "--verbose"],
                            cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    if "An error has occurred" in output or "An unexpected error has occurred" in output:
        log = Path(env["PRE_COMMIT_HOME"], "pre-commit.log")
        detail = log.read_text() if log.exists() else output
        if any(marker in detail for marker in _OFFLINE):
            pytest.skip(f"pre-commit could not create the hook environment offline:\n{detail[-1500:]}")
        pytest.fail(f"pre-commit failed:\n{detail[-3000:]}")
    return result


def test_good_files_pass_the_hooks(precommit_env, tmp_path: Path) -> None:
    repo = _user_repo(tmp_path)
    (repo / "msgflash" / "templates" / "welcome.txt").write_text(GOOD_TEMPLATE)
    (repo / "order.msgflash.json").write_text(GOOD_PAYLOAD)
    _git(repo, "add", "-A")
    result = _try_repo(repo, precommit_env)
    assert result.returncode == 0, result.stdout
    assert "msgflash-lint (payloads)" in result.stdout and "msgflash-lint (templates)" in result.stdout
    assert "package.json" not in result.stdout


def test_bad_files_are_refused_with_the_findings_printed(precommit_env, tmp_path: Path) -> None:
    repo = _user_repo(tmp_path)
    (repo / "msgflash" / "templates" / "welcome.txt").write_text(BAD_TEMPLATE)
    (repo / "order.msgflash.json").write_text(BAD_PAYLOAD)
    _git(repo, "add", "-A")
    result = _try_repo(repo, precommit_env)
    assert result.returncode == 1
    assert "msgflash/templates/welcome.txt:1:9: MFL105 unknown namespace `contcat`" in result.stdout
    assert "order.msgflash.json:1:62: MFL204 `to` must be an E.164 number" in result.stdout
