"""Diagnostics latency of `msgflash-lint server` after a change, against the same check through the CLI.

A 300-line payload (a campaign sending a template to 280 explicit contacts, pretty-printed) in a
workspace that also holds its template. The script is the editor: it starts the server over
stdio, opens the file, then sends `--changes` whole-document changes, each renaming the campaign
and making or mending one mistake (`"repeat": "noe"`), and
times each from the `didChange` written to the `publishDiagnostics` read for that version's text.
The alternative is what an editor plugin without a server would do: run `msgflash-lint check FILE`
on each save, timed from start to exit.

    python benchmarks/language_server_bench.py --changes 200 --repeat 15
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import installed_linter  # noqa: E402

TEMPLATE_ID = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"


def _payload(name: str, repeat: str = "none") -> str:
    recipients = [f"{index:08x}-5b4d-4f8e-a6c1-7d2b9e0f4a15" for index in range(280)]
    payload = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "name": name, "templateId": TEMPLATE_ID,
               "schedule": "2030-04-15T09:00:00Z", "repeat": repeat,
               "recipients": {"type": "explicit", "value": recipients}, "variables": {"code": "PROMO10"}}
    return json.dumps(payload, indent=2) + "\n"


class Client:
    """The smallest LSP client: Content-Length framing over the server's pipes."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, method: str, params, request: bool = False) -> None:
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while True:
            line = self.process.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def until(self, test) -> dict:
        while True:
            message = self.receive()
            if test(message):
                return message


def _published(uri: str):
    return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri


def server_latencies(root: Path, payload: Path, changes: int) -> list[float]:
    client = Client([installed_linter(), "server"])
    client.send("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}, request=True)
    client.until(lambda m: m.get("id") == 1)
    client.send("initialized", {})
    uri = payload.as_uri()
    client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1,
                                                          "text": payload.read_text()}})
    client.until(_published(uri))
    latencies = []
    for version in range(2, changes + 2):
        text = _payload(f"Relance {version}", "noe" if version % 2 else "none")  # a finding every other change
        started = time.perf_counter()
        client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})
        client.until(_published(uri))
        latencies.append(time.perf_counter() - started)
    client.send("shutdown", None, request=True)
    client.until(lambda m: m.get("id") == 2)
    client.send("exit", None)
    client.process.wait(timeout=10)
    return latencies


def cli_latencies(payload: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([installed_linter(), "check", str(payload)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200, help="changes timed through the server")
    parser.add_argument("--repeat", type=int, default=15, help="CLI runs timed")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        (root / "msgflash" / "templates").mkdir(parents=True)
        (root / "msgflash" / "templates" / f"relance.{TEMPLATE_ID}.txt").write_text("Bonjour, code {{custom.code}}\n")
        payload = root / "msgflash" / "relance.campaign.json"
        payload.write_text(_payload("Relance"))
        lines = payload.read_text().count("\n")
        server = server_latencies(root, payload, options.changes)
        cli = cli_latencies(payload, options.repeat)
    server_ms = statistics.median(server) * 1000
    cli_ms = statistics.median(cli) * 1000
    print(f"payload: {lines} lines; {options.changes} changes through the server, {options.repeat} CLI runs")
    print(f"server, change → diagnostics: median {server_ms:.1f} ms, p90 "
          f"{statistics.quantiles(server, n=10)[-1] * 1000:.1f} ms, max {max(server) * 1000:.1f} ms")
    print(f"CLI `msgflash-lint check FILE`: median {cli_ms:.1f} ms")
    print(f"ratio: the server answers {cli_ms / server_ms:.1f}x sooner than a CLI run")


if __name__ == "__main__":
    main()
