"""`msgflash-mock serve` and `fixtures` as a user runs them: logs, shutdown, bad fixture files."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.cli import cli
from mock_server.state.fixtures import bundled_fixtures_text, load_fixtures
from tests.mock.conftest import ALPHA, FIXTURES, INSTANCE

_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=False), st.text(max_size=8),
                    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


@st.composite
def broken_fixtures(draw) -> dict:
    """The bundled fixture file with a few of its values replaced or removed, anywhere in it."""
    fixtures = json.loads(bundled_fixtures_text())
    for _ in range(draw(st.integers(1, 3))):
        node, key = fixtures, None
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
            parent, node = node, node[key]
        if key is None:
            continue
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[key]
        else:
            parent[key] = draw(_VALUES)
    return fixtures


def _serve(*options: str) -> tuple[subprocess.Popen, str]:
    installed = Path(sys.executable).with_name("msgflash-mock")
    command = [str(installed)] if installed.exists() else [sys.executable, "-c", "from mock_server.cli import main; main()"]
    process = subprocess.Popen([*command, "serve", "--port", "0", "--fixtures", str(FIXTURES), *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("msgflash-mock listening on http://127.0.0.1:"), line
    return process, line.rsplit(" ", 1)[1]


def _get(base: str, path: str) -> int:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", path, headers={"x-api-key": ALPHA})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_logs_each_request_and_a_line_on_shutdown(stop) -> None:
    process, base = _serve()
    assert _get(base, "/api/v1/instances") == 200 and _get(base, "/nowhere") == 404
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=15)
    assert process.returncode == 0
    lines = stderr.splitlines()
    assert any('"GET /api/v1/instances" 200' in line for line in lines), stderr
    assert any('"GET /nowhere" 404' in line for line in lines), stderr
    assert lines[-1] == "msgflash-mock stopped after 2 requests"
    assert "Traceback" not in stderr and ALPHA not in stderr


def test_serve_quiet_logs_no_requests() -> None:
    process, base = _serve("--quiet")
    assert _get(base, "/api/v1/instances") == 200
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=15)
    assert stderr.splitlines() == ["msgflash-mock stopped after 1 request"]


def test_a_stderr_pipe_nobody_reads_never_stalls_the_server() -> None:
    """Suites often start the server with stderr=PIPE and never read it: the access log fills
    the pipe after a thousand-odd lines, and a blocking write would hang every request."""
    installed = Path(sys.executable).with_name("msgflash-mock")
    command = [str(installed)] if installed.exists() else [sys.executable, "-c", "from mock_server.cli import main; main()"]
    process = subprocess.Popen([*command, "serve", "--port", "0", "--fixtures", str(FIXTURES)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = process.stdout.readline().strip().rsplit(" ", 1)[1]
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        for _ in range(3000):  # some 150 KB of access log, twice a pipe's buffer
            connection.request("GET", "/api/v1/instances/" + "x" * 20, headers={"x-api-key": ALPHA})
            assert connection.getresponse().read()
        connection.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
    assert process.returncode == 0
    process.stderr.close()
    process.stdout.close()


def test_version_option_names_the_package_version() -> None:
    from msgflash_lint import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert (result.exit_code, result.output) == (0, f"msgflash-mock, version {__version__}\n")


def test_fixtures_command_prints_the_bundled_file() -> None:
    result = CliRunner().invoke(cli, ["fixtures"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(bundled_fixtures_text())
    load_fixtures(result.output)


@pytest.mark.parametrize(("content", "message"), [
    ('{"accounts": [{"plan": "pro"}]}', "'apiKeys' is a required property"),
    ('{"accounts": [{"apiKeys": ["k"], "instances": [{"id": "inst_1"}]}]}', "`accounts[0].instances[0].id`"),
    ('{"accounts": [', "invalid JSON at line 1"),
    # What json itself cannot read, or nesting that would break every later step (issue 25, item 14).
    ("[" * 100_000 + "]" * 100_000, "values nest too deep to read"),
    ('{"accounts": [{"apiKeys": ["k"], "rateLimitPerSecond": ' + "9" * 5000 + "}]}",
     "a number has more digits than can be read"),
    ('{"accounts": [{"apiKeys": ["k"], "contacts": [{"phone": "+33612345678", "meta": '
     + '{"a": ' * 40 + "1" + "}" * 40 + "}]}]}", "values nest more than 32 levels deep here"),
])
def test_bad_fixture_file_is_refused_with_exit_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "fixtures.json"
    path.write_text(content)
    result = subprocess.run([sys.executable, "-c", "from mock_server.cli import main; main()", "serve",
                             "--port", "0", "--fixtures", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_fixture_file_is_refused_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--fixtures", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "cannot read" in result.output


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_fixtures())
def test_the_fast_fixture_check_and_jsonschema_give_the_same_verdict(raw: dict) -> None:
    # jsonschema-rs decides a valid fixture file alone (no jsonschema import at start-up); it must
    # never pass a file that jsonschema, which explains refusals, would refuse, nor the reverse.
    from importlib import resources

    from jsonschema import Draft202012Validator

    from msgflash_lint import api

    schema = json.loads(resources.files("mock_server").joinpath("fixtures.schema.json").read_text("utf-8"))
    assert api.fast_verdict(schema, raw) == Draft202012Validator(schema).is_valid(raw)



def test_idle_connections_lock_nobody_out() -> None:
    """Bounds (issue 25, item 12): 150 idle sockets — past waitress's default limit of 100 — and a
    new client is still answered at once."""
    import socket
    import time

    process, base = _serve("--quiet")
    parts = urlsplit(base)
    idle = []
    try:
        for _ in range(150):
            idle.append(socket.create_connection((parts.hostname, parts.port), timeout=5))
        started = time.monotonic()
        assert _get(base, "/") == 200
        assert time.monotonic() - started < 3
    finally:
        for connection in idle:
            connection.close()
        _stop(process)


def test_sigterm_ends_the_server_within_seconds_whatever_clients_and_endpoints_do() -> None:
    """Item 12: a client holding half a body, a client holding a latency fault, and a webhook
    endpoint trickling its answer; SIGTERM still ends `serve` within its drain (5 s) and the
    deliveries' close (2 s)."""
    import socket
    import threading
    import time

    from tests.mock.test_webhooks import TricklingEndpoint

    process, base = _serve("--quiet")
    parts = urlsplit(base)
    endpoint = TricklingEndpoint()
    half = socket.create_connection((parts.hostname, parts.port), timeout=5)
    try:
        def call(method: str, path: str, body: dict | None = None, key: str | None = ALPHA) -> dict:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            headers = {"Content-Type": "application/json", **({"x-api-key": key} if key else {})}
            connection.request(method, path, json.dumps(body) if body is not None else None, headers)
            answer = json.loads(connection.getresponse().read() or b"{}")
            connection.close()
            return answer

        call("POST", "/api/v1/webhooks", {"url": endpoint.url, "events": ["message.sent"]})
        message = call("POST", "/api/v1/messages/send", {"instanceId": INSTANCE, "to": "+33612345678",
                                                         "type": "text", "text": "x"})["data"]
        call("POST", f"/_mock/messages/{message['id']}/advance", key=None)
        assert endpoint.trickling.wait(5)
        call("POST", "/_mock/faults", {"route": "GET /api/v1/instances", "latencyMs": 60000}, key=None)
        def held() -> None:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            try:
                connection.request("GET", "/api/v1/instances", headers={"x-api-key": ALPHA})
                connection.getresponse().read()
            except OSError:  # the server going away under it: the point
                pass
            finally:
                connection.close()

        threading.Thread(target=held, daemon=True).start()
        half.sendall(b"POST /api/v1/messages/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
        time.sleep(0.3)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        assert time.monotonic() - started < 9
        assert process.returncode == 0
    finally:
        half.close()
        endpoint.close()
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def _resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_the_journal_holds_what_it_shows_of_large_bodies() -> None:
    """Item 12: 150 unauthenticated bodies of 2 MB each (300 MB in all) leave the server holding the
    64 KiB of each its journal shows, not the bodies: it grows by far less than they weigh."""
    process, base = _serve("--quiet")
    parts = urlsplit(base)
    body = json.dumps({"text": "x" * 2_000_000}).encode()
    try:
        assert _get(base, "/") == 200
        before = _resident_bytes(process.pid)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        for _ in range(150):
            connection.request("POST", "/api/v1/messages/send", body, headers={"Content-Type": "application/json"})
            connection.getresponse().read()
        grown = _resident_bytes(process.pid) - before
        assert grown < 100 * 1024 * 1024, f"grew by {grown // 2**20} MiB"
        connection.request("GET", "/_mock/requests?limit=1")
        shown = json.loads(connection.getresponse().read())["data"][0]
        connection.close()
        assert shown["response"]["status"] == 401
        assert len(shown["body"].encode()) == 64 * 1024  # cut JSON is shown as its text
    finally:
        _stop(process)


def _answer_to_headers_only(base: str, head: bytes) -> tuple[bytes, dict]:
    """What the server answers to a request whose body is never sent (status line, JSON body)."""
    import socket

    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(head)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return status_line, json.loads(rest.partition(b"\r\n\r\n")[2])


@pytest.mark.parametrize("declared", [2 * 1024 * 1024 + 1, 3 * 1024 * 1024, 1 << 30])
def test_a_body_over_the_limit_is_refused_from_its_length_before_it_is_read(declared: int) -> None:
    """Item 12: the documented envelope answers from the Content-Length alone (the body is never sent)."""
    process, base = _serve("--quiet")
    try:
        status, body = _answer_to_headers_only(base, (
            "POST /api/v1/messages/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"x-api-key: {ALPHA}\r\nContent-Length: {declared}\r\n\r\n").encode())
        assert status == b"HTTP/1.1 400 Bad Request"
        assert body == {"error": {"code": "BAD_REQUEST", "message": "Request body too large", "details": []}}
    finally:
        _stop(process)


def test_a_request_the_server_cannot_parse_gets_the_envelope_not_a_text_page() -> None:
    process, base = _serve("--quiet")
    try:
        status, body = _answer_to_headers_only(
            base, b"POST /api/v1/messages/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: twelve\r\n\r\n")
        assert status == b"HTTP/1.1 400 Bad Request"
        assert body["error"]["code"] == "BAD_REQUEST"
        assert body["error"]["message"].startswith("Malformed HTTP request: Bad Request:"), body
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)
    process.stdout.close()
    process.stderr.close()


def test_allow_host_lets_a_named_host_register_a_loopback_webhook() -> None:
    """`serve --allow-host msgflash`: a compose service reaching the mock as `msgflash:PORT` may register one."""
    process, base = _serve("--quiet", "--allow-host", "msgflash")
    parts = urlsplit(base)
    try:
        answers = []
        for host in ("msgflash", "other"):
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            connection.request("POST", "/api/v1/webhooks", json.dumps({"url": "http://127.0.0.1:9/h",
                                                                      "events": ["message.sent"]}),
                               headers={"x-api-key": ALPHA, "Content-Type": "application/json",
                                        "Host": f"{host}:{parts.port}"})
            answers.append(connection.getresponse().status)
            connection.close()
        assert answers == [201, 403]
    finally:
        _stop(process)
