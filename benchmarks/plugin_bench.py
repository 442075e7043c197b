"""What the installed pytest plugin adds to a pytest run that never uses the mock.

    python benchmarks/plugin_bench.py

Times `pytest` on a one-test file with the plugin loaded (as every run in the environment
loads it) and with `-p no:msgflash_mock`, alternating, medians of 30 pairs. Installs nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from _timing import best_of


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_plain.py").write_text("def test_nothing():\n    assert 1 + 1 == 2\n")
        base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_plain.py"]
        import subprocess

        if subprocess.run(base, cwd=folder, capture_output=True).returncode != 0:
            print("pytest must be installed beside the project: pip install . pytest", file=sys.stderr)
            return 2
        pairs = []
        for _ in range(args.repeat):  # alternate, so both runs of a pair see the same machine
            pairs.append((best_of(base, 1, cwd=folder), best_of([*base, "-p", "no:msgflash_mock"], 1, cwd=folder)))
    # Medians, and the median of the paired differences: on a busy machine the minima of two
    # series can land a dozen milliseconds apart either way, which would drown a small cost.
    with_plugin = statistics.median(w for w, _ in pairs)
    without = statistics.median(wo for _, wo in pairs)
    added = statistics.median(w - wo for w, wo in pairs)
    print(f"| pytest, one test, plugin installed (medians of {args.repeat} pairs) | {with_plugin * 1000:.0f} ms | "
          f"{without * 1000:.0f} ms (`-p no:msgflash_mock`) | {added * 1000:+.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
