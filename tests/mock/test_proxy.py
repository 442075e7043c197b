"""`msgflash-mock proxy`: the real command, with the mock itself (and a drifting stand-in) as upstream on loopback."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.mock.conftest import ALPHA, INSTANCE, send_body


def _command() -> list[str]:
    installed = Path(sys.executable).with_name("msgflash-mock")
    return [str(installed)] if installed.exists() else [sys.executable, "-c", "from mock_server.cli import main; main()"]


@pytest.fixture
def proxy(server_url, request):
    """A proxy in front of `upstream` (default: the session's mock server)."""
    started = []

    def start(upstream: str = server_url, *options: str) -> str:
        process = subprocess.Popen([*_command(), "proxy", "--upstream", upstream, "--port", "0", *options],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = process.stdout.readline().strip()
        assert line.startswith("msgflash-mock listening on http://127.0.0.1:"), (line, process.stderr.read())
        started.append(process)
        return line.rsplit(" ", 1)[1]

    yield start
    for process in started:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=15)


def call(base: str, method: str, path: str, body=None, headers: dict | None = None):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    data = None if body is None else json.dumps(body)
    connection.request(method, path, data, {"x-api-key": ALPHA, "Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def test_answers_pass_through_untouched_and_request_violations_are_reported(api, server_url, proxy) -> None:
    base = proxy()
    direct = call(server_url, "GET", f"/api/v1/instances/{INSTANCE}")
    through = call(base, "GET", f"/api/v1/instances/{INSTANCE}")
    assert through[0] == direct[0] == 200 and through[2] == direct[2]
    assert through[1]["Content-Type"] == direct[1]["Content-Type"]
    status, _, body = call(base, "POST", "/api/v1/messages/send", send_body(type="image", to="0612"))
    assert status == 400 and json.loads(body)["error"]["code"] == "VALIDATION_ERROR"  # the upstream's own answer
    sent = call(base, "POST", "/api/v1/messages/send", send_body(type="text", text="Hi"))
    assert sent[0] == 201
    assert api.get(f"/api/v1/messages/{json.loads(sent[2])['data']['id']}").status == 200  # it reached upstream
    violations = json.loads(call(base, "GET", "/_proxy/violations")[2])["data"]
    assert {(v["direction"], v["code"], v["pointer"]) for v in violations} == {
        ("request", "MFL204", "/to"), ("request", "MFL201", "")}
    assert all(v["path"] == "/api/v1/messages/send" and v["status"] == 400 for v in violations)
    assert json.loads(call(base, "DELETE", "/_proxy/violations")[2])["data"] == {"cleared": True}
    assert json.loads(call(base, "GET", "/_proxy/violations")[2])["data"] == []


class DriftingUpstream:
    """Answers GET /api/v1/instances with a body that is off its documented shape."""

    def __init__(self) -> None:
        self.seen_keys: list[str | None] = []
        outer = self

        self.seen_paths: list[str] = []
        self.seen_hosts: list[str | None] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.seen_keys.append(self.headers.get("x-api-key"))
                outer.seen_paths.append(self.path)
                outer.seen_hosts.append(self.headers.get("Host"))
                body = json.dumps({"data": [{"id": INSTANCE, "name": "Support", "status": "online"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_response_drift_is_reported_and_keys_pass_through_but_are_never_logged(proxy) -> None:
    upstream = DriftingUpstream()
    try:
        base = proxy(upstream.url)
        status, _, body = call(base, "GET", "/api/v1/instances")
        assert status == 200 and json.loads(body)["data"][0]["status"] == "online"  # untouched
        assert upstream.seen_keys == [ALPHA]
        violations = json.loads(call(base, "GET", "/_proxy/violations")[2])["data"]
        pointers = {v["pointer"] for v in violations if v["direction"] == "response"}
        assert {"/data/0", "/data/0/status"} <= pointers
    finally:
        upstream.close()


def test_the_log_names_violations_and_never_a_key(server_url) -> None:
    process = subprocess.Popen([*_command(), "proxy", "--upstream", server_url, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = process.stdout.readline().strip().rsplit(" ", 1)[1]
    call(base, "POST", "/api/v1/messages/send", send_body(type="text", text="Hi", to="12"))
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=15)
    assert "msgflash-mock proxy: forwarding to " + server_url in stderr
    assert "request MFL204 /to" in stderr and '"POST /api/v1/messages/send" 400' in stderr
    assert ALPHA not in stderr and "Traceback" not in stderr
    assert stderr.splitlines()[-1] == "msgflash-mock proxy stopped; 1 violation"


def test_an_unreachable_upstream_is_502_and_a_bad_upstream_is_refused(proxy) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    base = proxy(f"http://127.0.0.1:{closed}")
    status, _, body = call(base, "GET", "/api/v1/instances")
    assert status == 502 and json.loads(body)["error"]["code"] == "PROVIDER_UNAVAILABLE"
    refused = subprocess.run([*_command(), "proxy", "--upstream", "ftp://example"], capture_output=True, text=True,
                             timeout=30)
    assert refused.returncode == 2 and "--upstream must be an http(s) URL" in refused.stderr


def test_paths_are_forwarded_exactly_as_sent(proxy) -> None:
    """`%2F` and `%20` reach the upstream as the client wrote them, not decoded by the proxy."""
    upstream = DriftingUpstream()
    try:
        base = proxy(upstream.url)
        call(base, "GET", "/api/v1/instances/a%2Fb%20c?x=1%262")
        assert upstream.seen_paths == ["/api/v1/instances/a%2Fb%20c?x=1%262"]
    finally:
        upstream.close()


def test_credentials_in_the_upstream_url_are_never_printed(server_url) -> None:
    upstream = server_url.replace("http://", "http://user:s3cret@")
    process = subprocess.Popen([*_command(), "proxy", "--upstream", upstream, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = process.stdout.readline().strip().rsplit(" ", 1)[1]
    status, _, _ = call(base, "GET", f"/api/v1/instances/{INSTANCE}")
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=15)
    assert status == 200  # the Host header names the host only, not user:password@
    assert "s3cret" not in stderr and "forwarding to http://***@127.0.0.1:" in stderr


def test_an_upstream_that_does_not_speak_http_is_a_502_envelope(proxy) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def garbage() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"SSH-2.0-OpenSSH_9.0\r\n")
        connection.close()

    thread = threading.Thread(target=garbage, daemon=True)
    thread.start()
    try:
        base = proxy(f"http://127.0.0.1:{listener.getsockname()[1]}")
        status, _, body = call(base, "GET", "/api/v1/instances")
        assert status == 502 and json.loads(body)["error"]["code"] == "PROVIDER_UNAVAILABLE"
    finally:
        listener.close()


def test_lone_surrogates_in_a_body_leave_the_violations_valid_utf8(proxy) -> None:
    base = proxy()
    raw = b'{"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "\\ud800", "type": "text", "text": "Hi"}'
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("POST", "/api/v1/messages/send", raw, {"x-api-key": ALPHA, "Content-Type": "application/json"})
    connection.getresponse().read()
    connection.close()
    status, _, body = call(base, "GET", "/_proxy/violations")
    assert status == 200
    violations = json.loads(body.decode("utf-8"))["data"]
    assert violations and all("\ud800" not in v["message"] for v in violations)
