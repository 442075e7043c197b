"""The worst files the linter accepts (close to 2 MiB, thousands of mistakes), whole process.

    python benchmarks/large_files_bench.py

Each row times `msgflash-lint check FILE` next to the floor measured in the same run: a
Python process that only reads the file and parses it (`json.loads` for JSON). Installs nothing.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from _timing import best_of, installed_linter, repeat_option

CASES = {
    "1 MB JSON template body of `{{`": ("big.template.json", lambda: json.dumps(
        {"name": "t", "type": "text", "body": "{{" * 500_000})),
    "1.9 MB JSON body, a finding per line, escapes": ("many.template.json", lambda: json.dumps(
        {"name": "t", "type": "text", "body": "{{contact.nme}} \\u00e9 \"x\" {{ custom.a }}\n" * 42_000})),
    "2 MB text template of `{{`": ("open.txt", lambda: "{{" * 1_000_000),
    "1.9 MB text template, mixed mistakes": ("mixed.txt", lambda: "{{contact.x}} hello }} {{ a | b }}\n" * 55_000),
}


def main() -> int:
    repeat = repeat_option(__doc__, 5)
    linter = installed_linter()
    with tempfile.TemporaryDirectory() as folder:
        for label, (name, make) in CASES.items():
            path = Path(folder, name)
            path.write_text(make(), encoding="utf-8")
            read = "json.loads(open(p).read())" if name.endswith(".json") else "open(p).read()"
            floor = best_of([sys.executable, "-c", f"import json, sys; p = sys.argv[1]; {read}", str(path)],
                            repeat)
            seconds = best_of([linter, "check", str(path)], repeat)
            size = path.stat().st_size / 1024 / 1024
            print(f"| {label} ({size:.1f} MiB) | {seconds * 1000:.0f} ms | {floor * 1000:.0f} ms | "
                  f"{seconds / floor:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
