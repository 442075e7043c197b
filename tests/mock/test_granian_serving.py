"""`msgflash-mock serve --server granian`: the same API and state behind granian, for its speed."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mock.conftest import ALPHA, FIXTURES, INSTANCE, CheckedMockServer, mock_at, send_body

pytest.importorskip("granian", reason="granian is part of the test extra: pip install -e '.[test]'")


def _command() -> list[str]:
    installed = Path(sys.executable).with_name("msgflash-mock")
    return [str(installed)] if installed.exists() else [sys.executable, "-c", "from mock_server.cli import main; main()"]


@pytest.fixture(scope="module")
def granian_server():
    process = subprocess.Popen([*_command(), "serve", "--server", "granian", "--port", "0", "--fixtures", str(FIXTURES),
                                "--webhook-retry-base", "0.05"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("msgflash-mock listening on http://127.0.0.1:"):
        process.kill()
        pytest.fail(f"granian did not start: {line!r} {process.stderr.read()}")
    yield process, line.rsplit(" ", 1)[1]
    process.terminate()  # granian's main process stops its worker, which holds the pipes too
    process.communicate(timeout=20)


@pytest.fixture
def granian_api(granian_server) -> CheckedMockServer:
    client = mock_at(granian_server[1])
    assert client.post("/_mock/reset", key=None).status == 200
    return client


def test_the_api_and_its_state_are_the_same_behind_granian(granian_api) -> None:
    sent = granian_api.post("/api/v1/messages/send", send_body(type="text", text="Bonjour"))
    assert sent.status == 201 and sent.data["status"] == "queued"
    # Every answer is checked against the response schemas by Client.call, as behind waitress.
    assert granian_api.get(f"/api/v1/messages/{sent.data['id']}").data["id"] == sent.data["id"]
    assert [m["id"] for m in granian_api.get("/api/v1/messages?limit=10").data["messages"]] == [sent.data["id"]]
    refused = granian_api.post("/api/v1/messages/send", send_body(type="text", text="x", instanceId="nope"))
    assert refused.status == 400 and refused.error_code == "VALIDATION_ERROR"
    assert granian_api.get("/api/v1/instances", key="msgf_live_nobody").status == 401
    journal = granian_api.get("/_mock/requests?path=/api/v1/messages/send", key=None).data
    assert [entry["response"]["status"] for entry in journal] == [201, 400]


def test_the_clock_moves_messages_through_their_lifecycle_behind_granian(granian_api) -> None:
    granian_api.post("/_mock/clock", {"freeze": True}, key=None)
    granian_api.post("/_mock/lifecycle", {"sent": 1, "delivered": 3}, key=None)
    sent = granian_api.post("/api/v1/messages/send", send_body(type="text", text="Bonjour")).data
    granian_api.post("/_mock/clock/advance", {"seconds": 1}, key=None)
    assert granian_api.get(f"/api/v1/messages/{sent['id']}").data["status"] == "sent"
    granian_api.post("/_mock/clock/advance", {"seconds": 5}, key=None)
    assert granian_api.get(f"/api/v1/messages/{sent['id']}").data["status"] == "delivered"


def test_error_and_latency_faults_work_and_a_drop_is_refused_with_the_reason(granian_api) -> None:
    granian_api.post("/_mock/faults", {"route": "GET /api/v1/instances", "error": "PROVIDER_TIMEOUT", "times": 1},
                     key=None)
    assert granian_api.get("/api/v1/instances").error_code == "PROVIDER_TIMEOUT"
    assert granian_api.get("/api/v1/instances").status == 200
    refused = granian_api.post("/_mock/faults", {"route": "POST /api/v1/messages/send", "drop": True}, key=None)
    assert refused.status == 400 and refused.body["error"]["details"][0]["field"] == "drop"
    assert "granian" in refused.body["error"]["message"]


def test_sigterm_stops_the_worker_and_the_server_with_one_line() -> None:
    process = subprocess.Popen([*_command(), "serve", "--server", "granian", "--port", "0", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    client = mock_at(line.rsplit(" ", 1)[1])
    assert client.get("/api/v1/instances", key=ALPHA).data[0]["id"] == INSTANCE
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0
    assert stderr.splitlines() == ["msgflash-mock stopped (granian)"]


def test_a_taken_port_is_one_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([*_command(), "serve", "--server", "granian", "--port", str(port)],
                              capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr.startswith(f"msgflash-mock: cannot listen on 127.0.0.1:{port}:")
    assert "Traceback" not in done.stderr


def test_without_granian_the_command_says_how_to_get_it() -> None:
    hide_granian = ("import sys; sys.modules['granian'] = None; from mock_server.cli import main; "
                    "sys.argv = ['msgflash-mock', 'serve', '--server', 'granian', '--port', '0']; main()")
    done = subprocess.run([sys.executable, "-c", hide_granian], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr == "msgflash-mock: --server granian needs granian: pip install 'msgflash-lint[granian]'\n"


def test_killing_the_server_outright_ends_its_worker_too() -> None:
    import time
    import urllib.request

    process = subprocess.Popen([*_command(), "serve", "--server", "granian", "--port", "0", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = process.stdout.readline().strip().rsplit(" ", 1)[1]
    assert urllib.request.urlopen(f"{base}/", timeout=5).status == 200
    process.kill()  # SIGKILL: granian's main process cannot stop its worker itself
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/", timeout=1)
        except OSError:
            break  # nobody answers on the port any more
        time.sleep(0.1)
    else:
        pytest.fail("the worker went on serving after its server was killed")
    process.stdout.close()


def _granian(*options: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([*_command(), "serve", "--server", "granian", "--port", "0", "--quiet", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("msgflash-mock listening on http://127.0.0.1:"), line
    return process, int(line.rsplit(":", 1)[1])


def test_a_client_that_never_finishes_its_body_blocks_no_one_and_not_the_shutdown() -> None:
    """Bounds (issue 25, item 12): 1 byte of a 100-byte body, then silence. Other clients are
    answered at once, and SIGTERM still ends the server (within granian's 5 s kill timeout)."""
    import http.client
    import time

    process, port = _granian()
    slow = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        slow.sendall(b"POST /api/v1/messages/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     + f"x-api-key: {ALPHA}\r\nContent-Length: 100\r\n\r\n{{".encode())
        time.sleep(0.3)
        other = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        other.request("GET", "/api/v1/instances", headers={"x-api-key": ALPHA})
        assert other.getresponse().status == 200
        other.close()
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=15)
        assert time.monotonic() - started < 8
        assert process.returncode == 0
    finally:
        slow.close()
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_a_body_over_the_limit_is_refused_from_its_length_behind_granian_too() -> None:
    process, port = _granian()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(b"POST /api/v1/messages/send HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               + f"Content-Type: application/json\r\nx-api-key: {ALPHA}\r\n".encode()
                               + f"Content-Length: {3 * 1024 * 1024}\r\n\r\n".encode())
            answer = connection.recv(65536)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400"), head
        assert json.loads(body) == {"error": {"code": "BAD_REQUEST", "message": "Request body too large",
                                              "details": []}}
    finally:
        process.terminate()
        process.communicate(timeout=15)


def test_a_chunked_body_is_read_whole_and_one_over_the_limit_is_refused() -> None:
    import http.client

    process, port = _granian()
    try:
        def send_chunked(text: str) -> tuple[int, dict]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            pieces = (text[i:i + 1000].encode() for i in range(0, len(text), 1000))
            connection.request("POST", "/api/v1/messages/send", body=pieces, encode_chunked=True,
                               headers={"x-api-key": ALPHA, "Content-Type": "application/json"})
            response = connection.getresponse()
            answer = (response.status, json.loads(response.read()))
            connection.close()
            return answer

        status, body = send_chunked(json.dumps(send_body(type="text", text="Bonjour")))
        assert status == 201 and body["data"]["to"] == "+33612345678"
        status, body = send_chunked(json.dumps(send_body(type="text", text="x" * (3 * 1024 * 1024))))
        assert (status, body["error"]["message"]) == (400, "Request body too large")
    finally:
        process.terminate()
        process.communicate(timeout=15)
