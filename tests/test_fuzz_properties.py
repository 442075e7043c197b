"""Generated inputs against both promises: the linter never raises and always writes a
well-formed report; the mock never answers 5xx or outside the envelope, and no request
breaks an account. Modest budgets here; `python benchmarks/fuzz.py --examples N` for more."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings

from tests.fuzz_targets import api_routes, fuzz_app, linter_inputs, linter_problem, mock_problem, mock_requests

_APP = None


def _app():
    global _APP  # one app for the whole module: building one per example would dominate the run
    if _APP is None:
        _APP = fuzz_app()
    return _APP


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=linter_inputs())
def test_linter_never_raises_and_every_report_is_well_formed(tmp_path: Path, generated) -> None:
    name, content = generated
    note(repr((name, content[:300])))
    assert linter_problem(tmp_path, name, content) is None


@pytest.mark.parametrize("shard", range(2))
@settings(max_examples=250, deadline=None)
@given(data=__import__("hypothesis").strategies.data())
def test_mock_never_answers_5xx_or_outside_the_envelope(shard: int, data) -> None:
    app = _app()
    request = data.draw(mock_requests(api_routes(app)))
    note(repr(request)[:500])
    assert mock_problem(app.test_client(), request) is None
