"""Large-budget fuzzing of both promises, with the generators and checks the suite uses.

    python benchmarks/fuzz.py --examples 100000            # split between linter and mock
    python benchmarks/fuzz.py --examples 20000 --only mock

Prints, per target, how many inputs were tried and how many misbehaved (with the first
few problems). Exits 1 if any did. Needs only the test dependencies (hypothesis); the mock
runs in-process through Flask's test client, so nothing touches the network.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from tests.fuzz_targets import api_routes, fuzz_app, linter_inputs, linter_problem, mock_problem, mock_requests  # noqa: E402


def run(name: str, examples: int, strategy, check) -> tuple[int, list[str]]:
    tried = 0
    problems: list[str] = []

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def target(value) -> None:
        nonlocal tried
        tried += 1
        problem = check(value)
        if problem:
            problems.append(problem)

    started = time.perf_counter()
    target()
    elapsed = time.perf_counter() - started
    print(f"{name}: {tried} inputs tried in {elapsed:.0f} s, {len(problems)} misbehaved")
    for problem in problems[:5]:
        print(f"  - {problem[:300]}")
    return tried, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs in all, split between the targets")
    parser.add_argument("--only", choices=("linter", "mock"), default=None)
    args = parser.parse_args()
    targets = [args.only] if args.only else ["linter", "mock"]
    share = max(1, args.examples // len(targets))
    failed = 0
    total = 0
    if "linter" in targets:
        with tempfile.TemporaryDirectory() as folder:
            tried, problems = run("linter", share, linter_inputs(),
                                  lambda generated: linter_problem(Path(folder), *generated))
            total += tried
            failed += len(problems)
    if "mock" in targets:
        app = fuzz_app()
        client = app.test_client()
        tried, problems = run("mock", share, mock_requests(api_routes(app)), lambda r: mock_problem(client, r))
        total += tried
        failed += len(problems)
    print(f"total: {total} inputs tried, {failed} misbehaved")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
