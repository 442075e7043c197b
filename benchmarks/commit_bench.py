"""A one-file commit in a 10,000-file repository: what cross-file discovery costs the hook.

    python benchmarks/commit_bench.py [--files 10000]

Builds a git repository (9,000 payloads under msgflash/, 400 text templates, the rest
unrelated JSON), then times the two commands the hooks run for a commit that stages one file:
a payload naming a template, and a template used by some payloads. The alternative, same run:
the same command on a copy of the file outside any repository, where nothing is discovered.
Prints Markdown rows for BENCHMARKS.md. Installs nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from _timing import best_of, installed_linter

HEAD = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678"}


def build(root: Path, files: int) -> tuple[Path, Path]:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    templates = [str(uuid.UUID(int=n + 1, version=4)) for n in range(400)]
    folder = root / "msgflash" / "templates"
    folder.mkdir(parents=True)
    for n, template_id in enumerate(templates):
        (folder / f"t{n}.{template_id}.txt").write_text(f"Hi {{{{contact.firstName}}}}, code {{{{custom.c{n}}}}}\n")
    payloads = root / "msgflash" / "payloads"
    payloads.mkdir()
    count = min(9000, files - 400)
    for n in range(count):
        body = {**HEAD, "type": "text", "text": f"Hello {n}"} if n % 10 else \
            {**HEAD, "contactId": "3c9d8e7f-1a2b-4c5d-8e9f-0a1b2c3d4e5f", "templateId": templates[n % 400],
             "variables": {f"c{n % 400}": "X"}}
        (payloads / f"p{n}.json").write_text(json.dumps(body))
    other = root / "fixtures"
    other.mkdir()
    for n in range(files - 400 - count):
        (other / f"f{n}.json").write_text(json.dumps({"id": n, "label": "unrelated"}))
    return payloads / "p0.json", folder / f"t0.{templates[0]}.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    linter = installed_linter()
    with tempfile.TemporaryDirectory() as repo_folder, tempfile.TemporaryDirectory() as alone_folder:
        root = Path(repo_folder)
        payload, template = build(root, args.files)
        alone_payload = Path(alone_folder, payload.name)
        alone_payload.write_bytes(payload.read_bytes())
        alone_template = Path(alone_folder, template.name)
        alone_template.write_bytes(template.read_bytes())
        rows = (
            ("payload naming a template", [linter, "check", str(payload.relative_to(root))],
             [linter, "check", str(alone_payload)]),
            ("template used by 23 payloads", [linter, "check", "--kind", "template-body", str(template.relative_to(root))],
             [linter, "check", "--kind", "template-body", str(alone_template)]),
        )
        best_of(rows[0][1], 1, cwd=root)  # warm the file system cache and Lark's grammar cache
        for label, in_repo, alone in rows:
            with_discovery = best_of(in_repo, args.repeat, cwd=root)
            without = best_of(alone, args.repeat, cwd=alone_folder)
            print(f"| one {label}, {args.files:,}-file repository | {with_discovery * 1000:.0f} ms | "
                  f"{without * 1000:.0f} ms | {with_discovery / without:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
