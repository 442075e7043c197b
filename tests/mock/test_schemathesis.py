"""Schemathesis against the real server on a loopback port, with the checks the robustness issue names.

Every check is on. The one finding class a run can still produce by design is excluded by
construction, not by name: unknown body fields are accepted (decision D3), so the OpenAPI
document leaves objects open (mock_server/openapi/) and `negative_data_rejection` does not
expect them to be refused. The mock-only controls are left out: they change how the server
answers by design (a typed fault body makes sends answer 502), and have tests of their own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mock.conftest import ALPHA

CHECKS = ("not_a_server_error", "response_schema_conformance", "status_code_conformance",
          "content_type_conformance", "negative_data_rejection")


def _schemathesis() -> list[str]:
    installed = Path(sys.executable).with_name("schemathesis")
    if installed.exists():
        return [str(installed)]
    found = shutil.which("schemathesis") or shutil.which("st")
    if found is None:
        pytest.fail("schemathesis is a test dependency: pip install '.[test]'")
    return [found]


def test_schemathesis_finds_nothing_on_a_real_loopback_server(server_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [*_schemathesis(), "run", f"{server_url}/openapi.json", "-H", f"x-api-key: {ALPHA}",
         "--checks", ",".join(CHECKS), "--exclude-tag", "mock-only", "--max-examples", "12", "--seed", "20261201", "--workers", "2",
         "--continue-on-failure", "--no-color", "--report-dir", str(tmp_path), "--wait-for-schema", "10"],
        capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "generated" in result.stdout
