"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit tool on a temporary repository."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# pre-commit failing to build the hook's environment because no package index is reachable.
_OFFLINE = ("Could not find a version", "No matching distribution", "Failed to establish a new connection",
            "Temporary failure in name resolution", "Network is unreachable")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def precommit_env(tmp_path_factory):
    if subprocess.run(["git", "-C", str(REPO), "rev-parse", "--git-dir"], capture_output=True).returncode != 0:
        pytest.skip("the project is not a git checkout: its file list for the hooks repository comes from git")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return env


CASES = Path(__file__).resolve().parent / "precommit"


def _user_repo(tmp_path: Path, case: Path) -> Path:
    """A repository holding the case's `committed/` files in its history, its `staged/` files staged and
    the files `deleted.txt` names removed (staged as deletions)."""
    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    for part in ("committed", "staged"):
        folder = case / part
        if not folder.is_dir():
            continue
        for source in sorted(p for p in folder.rglob("*") if p.is_file()):
            target = repo / source.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            _git(repo, "add", str(target.relative_to(repo)))
        if part == "committed" and any(folder.rglob("*")):
            _git(repo, "commit", "-q", "-m", "history")
    deleted = case / "deleted.txt"  # committed files this commit deletes (git rm)
    if deleted.is_file():
        for name in deleted.read_text().split():
            _git(repo, "rm", "-q", name)
    return repo


def _pre_commit(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    """The real pre-commit, in the user's repository; a hook environment it cannot build offline skips."""
    result = subprocess.run([sys.executable, "-m", "pre_commit", *args],
                            cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    if "An error has occurred" in output or "An unexpected error has occurred" in output:
        log = Path(env["PRE_COMMIT_HOME"], "pre-commit.log")
        detail = log.read_text() if log.exists() else output
        if any(marker in detail for marker in _OFFLINE):
            pytest.skip(f"pre-commit could not create the hook environment offline:\n{detail[-1500:]}")
        pytest.fail(f"pre-commit failed:\n{detail[-3000:]}")
    return result


def _assert_expected(result: subprocess.CompletedProcess, case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    assert result.returncode == expected["exit"], result.stdout
    for line in expected["present"]:
        assert line in result.stdout, result.stdout
    for text in expected["absent"]:
        assert text not in result.stdout, result.stdout


@pytest.fixture(scope="module")
def hooks_repository(precommit_env, tmp_path_factory) -> tuple[str, str]:
    """This checkout as it stands (uncommitted changes included, as `pre-commit try-repo` takes it),
    committed once into a repository of its own: (its path, the commit). Every case's config points
    at that one commit, so pre-commit builds the hooks' environment once for all cases."""
    shadow = tmp_path_factory.mktemp("hooks-repo")
    _git(shadow, "init", "-q")
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (item.decode() for item in listed)):
        source = REPO / name
        if source.is_file():
            target = shadow / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    _git(shadow, "add", "-A")
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "hooks"],
                   cwd=shadow, check=True, capture_output=True)
    head = subprocess.run(["git", "-C", str(shadow), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    return str(shadow), head.strip()


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_hooks_on_a_repository_that_stages_these_files(precommit_env, hooks_repository, tmp_path: Path,
                                                       case: str) -> None:
    """Exactly the hooks and `files:` patterns of .pre-commit-hooks.yaml, on the staged files only,
    run by `pre-commit run` as in a user's repository (every hook the file declares, verbose)."""
    import yaml

    repo = _user_repo(tmp_path, CASES / case)
    declared = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    config = {"repos": [{"repo": hooks_repository[0], "rev": hooks_repository[1],
                         "hooks": [{"id": hook["id"], "verbose": True} for hook in declared]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _assert_expected(_pre_commit(repo, precommit_env, "run"), CASES / case)


def _readme_block(language: str, marker: str) -> str:
    text = (REPO / "docs" / "linter.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"```{language}\n(.*?)```", text, re.S)
    return next(block for block in blocks if marker in block)


def test_the_readme_pre_commit_configuration_refuses_a_payload_committed_alone(precommit_env, tmp_path: Path) -> None:
    """The documented `.pre-commit-config.yaml` (docs/linter.md), pointed at this checkout's HEAD, run by `pre-commit run`."""
    if subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                      capture_output=True, text=True).stdout.strip():
        pytest.skip("the documented configuration pins a commit: commit your changes to test it (CI always does)")
    import yaml

    config = yaml.safe_load(_readme_block("yaml", "msgflash-lint-payloads"))
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    config["repos"][0].update(repo=str(REPO), rev=head)
    case = CASES / "payload-alone-missing-a-variable"
    repo = _user_repo(tmp_path, case)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _assert_expected(_pre_commit(repo, precommit_env, "run"), case)


def test_the_readme_github_actions_command_annotates_findings(tmp_path: Path) -> None:
    """The `run:` line of the documented workflow (docs/linter.md) that checks files, on a repository with a broken payload."""
    workflow = _readme_block("yaml", "run: msgflash-lint check")
    command = next(line.split("run:", 1)[1].strip() for line in workflow.splitlines()
                   if "run:" in line and "msgflash-lint check" in line)
    repo = _user_repo(tmp_path, CASES / "bad-files-are-refused")
    installed = Path(sys.executable).with_name("msgflash-lint")
    argv = shlex.split(command)
    argv[0] = str(installed) if installed.exists() else argv[0]
    result = subprocess.run(argv, cwd=repo, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "::error file=msgflash/templates/welcome.txt,line=1,col=9," in result.stdout


def test_the_hook_patterns_and_counterpart_discovery_agree() -> None:
    import yaml

    from msgflash_lint.counterparts import PAYLOAD_FILES, TEMPLATE_TEXT_FILES

    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["msgflash-lint-payloads"]["files"] == PAYLOAD_FILES
    assert hooks["msgflash-lint-templates"]["files"] == TEMPLATE_TEXT_FILES
