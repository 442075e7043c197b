"""Time `msgflash-lint check` against `check-jsonschema` on the same generated payload files.

    pip install '.[bench]' && python benchmarks/lint_bench.py --files 2000

Both tools validate the same files against the same schemas/send.schema.json, in one process
each, in the same run; the script prints a Markdown row for BENCHMARKS.md. check-jsonschema is
given the schema's folder as base URI (so `$ref`s resolve offline) and --disable-formats '*'
(the schemas carry their formats as patterns, which both tools then apply alike).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

from _timing import best_of

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "send.schema.json"


def make_payloads(count: int, invalid_share: float, seed: int) -> list[dict]:
    rng = random.Random(seed)
    payloads = []
    for index in range(count):
        payload = {"instanceId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                   "to": f"+336{rng.randrange(10**7, 10**8)}"}
        kind = rng.choice(("text", "image", "location", "buttons", "template"))
        if kind == "text":
            payload.update(type="text", text=f"Bonjour, votre commande #{index} est prête.")
        elif kind == "image":
            payload.update(type="image", mediaUrl=f"https://cdn.example.com/{index}.jpg", text="Nouveau")
        elif kind == "location":
            payload.update(type="location", latitude=rng.uniform(-90, 90), longitude=rng.uniform(-180, 180))
        elif kind == "buttons":
            payload.update(type="buttons", title="Menu", description="Choisissez",
                           buttons=[{"type": "reply", "displayText": "Oui", "id": "yes"},
                                    {"type": "url", "displayText": "Site", "url": "https://example.com"}])
        else:
            payload.update(templateId=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                           variables={"code": f"PROMO{index}"})
        if rng.random() < invalid_share:
            breakage = rng.choice(("phone", "drop", "range"))
            if breakage == "phone":
                payload["to"] = "06" + payload["to"][4:]
            elif breakage == "drop":
                payload.pop("instanceId")
            else:
                payload["latitude"] = 123.0
        payloads.append(payload)
    return payloads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--invalid-share", type=float, default=0.3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    linter = shutil.which("msgflash-lint")
    other = shutil.which("check-jsonschema")
    if not linter or not other:
        print("needs msgflash-lint and check-jsonschema on PATH: pip install '.[bench]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, payload in enumerate(make_payloads(args.files, args.invalid_share, args.seed)):
            path = Path(folder, f"p{index:05d}.json")
            path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
            paths.append(str(path))
        ours = best_of([linter, "check", "--kind", "send", folder], args.repeat)
        theirs = best_of([other, "--schemafile", str(SCHEMA), "--base-uri", SCHEMA.as_uri(),
                          "--disable-formats", "*", *paths], args.repeat)
    print(f"| {args.files} send payloads ({args.invalid_share:.0%} invalid) | {ours:.2f} s | "
          f"{theirs:.2f} s | {theirs / ours:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
