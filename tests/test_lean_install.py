"""`pip install msgflash-lint` brings what linting needs; the mock comes with the `mock` extra, and
without it `msgflash-mock` and the pytest fixtures say in one line how to get it."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

from packaging.requirements import Requirement

MOCK_ONLY = {"flask", "waitress", "werkzeug", "jinja2", "granian"}


def test_the_core_requirements_carry_no_web_server() -> None:
    core, mock = set(), set()
    for line in importlib.metadata.requires("msgflash-lint"):
        requirement = Requirement(line)
        marker = str(requirement.marker or "")
        if "extra" not in marker:
            core.add(requirement.name.lower())
        elif 'extra == "mock"' in marker:
            mock.add(requirement.name.lower())
    assert not core & MOCK_ONLY, core
    assert {"flask", "waitress"} <= mock


def _without_flask(*args: str) -> subprocess.CompletedProcess:
    code = "import sys; sys.modules['flask'] = None; from mock_server.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)


def test_msgflash_mock_without_the_extra_says_how_to_get_it() -> None:
    for command in (["serve", "--port", "0"], ["proxy", "--upstream", "https://api.example"]):
        run = _without_flask(*command)
        assert run.returncode == 2 and run.stdout == ""
        assert run.stderr == ("msgflash-mock: the mock server needs flask, which comes with the mock extra: "
                              "pip install 'msgflash-lint[mock]'\n")
    assert _without_flask("fixtures").returncode == 0  # printing the bundled fixtures needs no server


def test_the_fixtures_without_the_extra_fail_with_the_hint(pytester) -> None:
    pytester.makeconftest("import sys\nsys.modules['flask'] = None\n")
    pytester.makepyfile(test_x="def test_send(msgflash_mock):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")
    result.assert_outcomes(errors=1)
    assert "pip install 'msgflash-lint[mock]'" in result.stdout.str()


def test_linting_imports_nothing_of_the_mock() -> None:
    code = ("import sys; [sys.modules.__setitem__(m, None) for m in ('flask', 'waitress', 'werkzeug')];"
            "from msgflash_lint.cli import main; main()")
    run = subprocess.run([sys.executable, "-c", code, "check", "-"], input='{"to": "+33612345678"}',
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "MFL2" in run.stdout, run.stderr
