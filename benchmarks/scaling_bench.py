"""Cost against the number of files: 1,000 / 10,000 / 100,000 send payloads (10 % invalid).

    python benchmarks/scaling_bench.py [--sizes 1000 10000 100000]

For each size, one `msgflash-lint check` run (automatic --jobs) timed, with the peak memory
of the whole process tree (the linter and its workers, from the kernel's rusage of children).
Time per file and memory should stay flat. Installs nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import installed_linter
from lint_bench import make_payloads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    linter = installed_linter()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            for index, payload in enumerate(make_payloads(size, 0.1, 7)):
                Path(folder, f"p{index:06d}.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
            # Each size in its own interpreter, so the peak of one run is not the peak of the last.
            probe = ("import resource, subprocess, sys, time; started = time.perf_counter(); "
                     "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
                     "print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
            out = subprocess.run([sys.executable, "-c", probe, linter, "check", "--kind", "send", folder],
                                 capture_output=True, text=True, check=True).stdout.split()
            seconds, peak_kb = float(out[0]), int(out[1])
        print(f"| {size:,} files | {seconds:.2f} s | {seconds / size * 1e6:.0f} µs | {peak_kb / 1024:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
