"""Cold start of `msgflash-lint check` on one small file, next to `python -c pass`, same run.

    python benchmarks/cold_start_bench.py

This is what a pre-commit hook pays on every commit. Prints Markdown rows for BENCHMARKS.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _timing import best_of, installed_linter, repeat_option

PAYLOAD = ('{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", '
           '"type": "text", "text": "Hello"}')
TEMPLATE = "Hello {{contact.firstName}}, code {{custom.code}}\n"


def main() -> int:
    repeat = repeat_option(__doc__, 15)
    linter = installed_linter()
    with tempfile.TemporaryDirectory() as folder:
        payload = Path(folder, "send.json")
        payload.write_text(PAYLOAD, encoding="utf-8")
        template = Path(folder, "welcome.txt")
        template.write_text(TEMPLATE, encoding="utf-8")
        # One warm-up each: Lark writes its grammar cache on the very first run of a machine.
        best_of([linter, "check", str(template)], 1)
        baseline = best_of([sys.executable, "-c", "pass"], repeat)
        on_template = best_of([linter, "check", str(template)], repeat)
        on_payload = best_of([linter, "check", str(payload)], repeat)
    for label, seconds in (("one template file", on_template), ("one payload file", on_payload)):
        print(f"| `msgflash-lint check` on {label} | {seconds * 1000:.0f} ms | "
              f"{baseline * 1000:.0f} ms | {seconds / baseline:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
