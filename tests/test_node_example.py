"""examples/node, a Node team's suite (node:test, the built-in fetch), passes against the real
`msgflash-mock serve --port 0`: it doubles as the README's example for non-Python teams.

Skipped with a reason where Node is absent; on CI (the CI variable set) a missing Node fails
instead, so the suite can never pass there without having run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_tool

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "node"


def _node() -> str:
    node = shutil.which("node")
    require_tool(node is not None, "Node.js is not installed: examples/node needs node 18 or newer")
    return node


def test_the_node_example_suite_passes_against_the_mock() -> None:
    node = _node()
    mock = Path(sys.executable).with_name("msgflash-mock")
    assert mock.exists(), "the project is not installed in this environment"
    run = subprocess.run([node, "--test", "--test-reporter=tap"], cwd=EXAMPLE, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "MSGFLASH_MOCK": str(mock)})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 8" in run.stdout, run.stdout[-2000:]
