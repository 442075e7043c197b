"""The mock under load, beside Prism on the mock's own OpenAPI document, and beside the floor.

    python benchmarks/mock_bench.py [--duration 10] [--prism PATH]

Needs, and says so when one is missing (installs nothing): `wrk` (Debian: apt-get install wrk)
and Prism 5.14.2 (`npm install @stoplight/prism-cli@5.14.2`, then --prism node_modules/.bin/prism).
For each route, `wrk -t2 -c8 --latency` against: msgflash-mock serve behind waitress and
behind granian (`--server granian`, needs `pip install '.[granian]'`; `--servers waitress` to
skip it); Prism `mock -v silent` on the document the mock serves; and, as the floor, a Flask
hello route behind waitress and behind granian, and a bare WSGI hello behind waitress. Also: the
time from starting `msgflash-mock serve` to its first answer, and its memory per stored message
after a run of sends. Prints Markdown rows for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "msgf_live_alpha"
INSTANCE = "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10"
SEND_LUA = (
    'wrk.method = "POST"\n'
    f'wrk.body = \'{{"instanceId": "{INSTANCE}", "to": "+33612345678", "type": "text", "text": "Bonjour"}}\'\n'
    'wrk.headers["Content-Type"] = "application/json"\n'
    f'wrk.headers["x-api-key"] = "{KEY}"\n'
)
GET_LUA = f'wrk.headers["x-api-key"] = "{KEY}"\n'
# The Flask hello, as a module (granian imports it by name) and as a script behind waitress.
HELLO_FLASK_APP = """
from flask import Flask, jsonify
app = Flask(__name__)
@app.route("/api/v1/messages/send", methods=["POST"])
@app.route("/api/v1/instances")
def hello():
    return jsonify({"data": {"hello": "world"}})
"""
HELLO_FLASK = HELLO_FLASK_APP + """
import sys
from waitress import serve
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, _quiet=True)
"""
HELLO_WSGI = """
import sys
from waitress import serve
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "17")])
    return [b'{"data": "hello"}']
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, _quiet=True)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30.0, headers: dict | None = None) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=1).read()
            return time.perf_counter() - started
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error is an answer: the server is up
                return time.perf_counter() - started
            time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def wrk(url: str, script: str, duration: int) -> tuple[float, float]:
    """(requests per second, p99 latency in ms) from `wrk --latency`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", "-s", handle.name, url],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        print(f"  ({url}: {non_2xx.group(1)} answers were not 2xx)", file=sys.stderr)
    return rate, p99


def start(command: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--prism", default=shutil.which("prism"))
    parser.add_argument("--sends", type=int, default=100_000, help="sends before measuring memory")
    parser.add_argument("--servers", nargs="+", default=["waitress", "granian"], choices=["waitress", "granian"],
                        help="the HTTP servers to measure the mock behind (granian: pip install '.[granian]')")
    args = parser.parse_args()
    mock = shutil.which("msgflash-mock")
    missing = [name for name, found in (("msgflash-mock (pip install .)", mock), ("wrk", shutil.which("wrk")),
                                        ("prism (--prism PATH)", args.prism)) if not found]
    if "granian" in args.servers and importlib.util.find_spec("granian") is None:
        missing.append("granian (pip install '.[granian]', or --servers waitress)")
    if missing:
        print("needs: " + ", ".join(missing), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        fixtures = json.loads(subprocess.run([mock, "fixtures"], capture_output=True, text=True, check=True).stdout)
        for account in fixtures["accounts"]:  # the bench measures the server, not the rate limit
            account["rateLimitPerSecond"] = 10**9
            account["monthlyOutboundQuota"] = 10**9
            account.setdefault("limits", {})["monthlyApiRequestQuota"] = 10**9
        fixture_file = Path(folder, "fixtures.json")
        fixture_file.write_text(json.dumps(fixtures))
        measured = {}
        for server_name in args.servers:
            port = free_port()
            launched = time.perf_counter()
            server = start([mock, "serve", "--server", server_name, "--port", str(port), "--fixtures",
                            str(fixture_file), "--quiet"])
            try:
                base = f"http://127.0.0.1:{port}"
                wait_until_up(f"{base}/api/v1/instances", headers={"x-api-key": KEY})
                ready = time.perf_counter() - launched
                document = Path(folder, "openapi.json")
                document.write_bytes(urllib.request.urlopen(f"{base}/openapi.json").read())
                measured[server_name] = ({"send": wrk(f"{base}/api/v1/messages/send", SEND_LUA, args.duration),
                                          "instances": wrk(f"{base}/api/v1/instances", GET_LUA, args.duration)},
                                         ready)
            finally:
                server.terminate()
                server.wait()
        prism_port = free_port()
        prism = start([args.prism, "mock", "-h", "127.0.0.1", "-p", str(prism_port), "--errors", "false",
                       "-v", "silent", str(document)])
        try:
            prism_base = f"http://127.0.0.1:{prism_port}"
            prism_ready = wait_until_up(f"{prism_base}/api/v1/instances", timeout=60, headers={"x-api-key": KEY})
            prism_rows = {"send": wrk(f"{prism_base}/api/v1/messages/send", SEND_LUA, args.duration),
                          "instances": wrk(f"{prism_base}/api/v1/instances", GET_LUA, args.duration)}
        finally:
            prism.terminate()
            prism.wait()
        floors = {}
        Path(folder, "hello_app.py").write_text(HELLO_FLASK_APP)
        floor_commands = [("Flask hello", lambda port: [sys.executable, "-c", HELLO_FLASK, str(port)]),
                          ("WSGI hello", lambda port: [sys.executable, "-c", HELLO_WSGI, str(port)])]
        if "granian" in args.servers:
            floor_commands.append(("Flask hello, granian", lambda port: [
                sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "1", "--blocking-threads", "1",
                "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "hello_app:app"]))
        for label, command in floor_commands:
            floor_port = free_port()
            process = start(command(floor_port), cwd=folder)
            try:
                wait_until_up(f"http://127.0.0.1:{floor_port}/api/v1/instances")
                floors[label] = {route: wrk(f"http://127.0.0.1:{floor_port}/api/v1/{path}", lua, args.duration)
                                 for route, path, lua in (("send", "messages/send", SEND_LUA),
                                                          ("instances", "instances", GET_LUA))}
            finally:
                process.terminate()
                process.wait()
        # Memory per stored message: a fresh server, N sends through one connection, RSS before and after.
        port = free_port()
        server = start([mock, "serve", "--port", str(port), "--fixtures", str(fixture_file), "--quiet",
                        "--max-messages", str(args.sends + 1)])
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/api/v1/instances", headers={"x-api-key": KEY})
            empty = rss_mb(server.pid)
            script = Path(folder, "bounded.lua")
            script.write_text(SEND_LUA + _stop_after(args.sends))
            subprocess.run(["wrk", "-t1", "-c4", "-d120s", "-s", str(script), f"{base}/api/v1/messages/send"],
                           capture_output=True, text=True)
            stored = json.loads(urllib.request.urlopen(urllib.request.Request(
                f"{base}/api/v1/usage", headers={"x-api-key": KEY})).read())
            full = rss_mb(server.pid)
            count = max(1, stored["data"]["usage"]["messagesCount"])
        finally:
            server.terminate()
            server.wait()
    for server_name, (rows, ready) in measured.items():
        for route, label in (("send", "`POST /api/v1/messages/send`"), ("instances", "`GET /api/v1/instances`")):
            ours, theirs = rows[route], prism_rows[route]
            print(f"| {label}, 8 connections, {server_name} | {ours[0]:,.0f} req/s, p99 {ours[1]:.1f} ms | "
                  f"Prism {theirs[0]:,.0f} req/s, p99 {theirs[1]:.1f} ms ({ours[0] / theirs[0]:.2f}x) | "
                  f"{_floor_cell(floors, route, server_name)} |")
        print(f"| ready after `serve --server {server_name}` | {ready * 1000:.0f} ms | Prism {prism_ready * 1000:.0f} ms | |")
    print(f"| RSS, empty → after {count:,} stored messages | {empty:.0f} → {full:.0f} MB "
          f"({(full - empty) * 1024 * 1024 / count:,.0f} bytes per message) | | |")
    return 0


def _floor_cell(floors: dict, route: str, server_name: str) -> str:
    if server_name == "granian":
        return f"Flask hello behind granian {floors['Flask hello, granian'][route][0]:,.0f}"
    return f"Flask hello {floors['Flask hello'][route][0]:,.0f}, WSGI hello {floors['WSGI hello'][route][0]:,.0f}"


def _stop_after(count: int) -> str:
    return f"""
local sent = 0
request = function()
  sent = sent + 1
  if sent > {count} then wrk.thread:stop() end
  return wrk.format()
end
"""


if __name__ == "__main__":
    sys.exit(main())
