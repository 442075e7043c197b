"""The pytest plugin, exercised the way a user's suite uses it (pytester): fixtures, options, markers,
the documented example suite, near misses, clean session ends."""

from __future__ import annotations

import json
import re
from pathlib import Path

USER_TEST = '''
import json, urllib.request

BODY = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "type": "text", "text": "Hi"}

def send(server):
    request = urllib.request.Request(server.url("/api/v1/messages/send"), data=json.dumps(BODY).encode(),
                                     headers={"Content-Type": "application/json", "x-api-key": server.api_key})
    return json.loads(urllib.request.urlopen(request).read())["data"]

def listed(server):
    request = urllib.request.Request(server.url("/api/v1/messages"), headers={"x-api-key": server.api_key})
    return json.loads(urllib.request.urlopen(request).read())["data"]["messages"]

def test_first(msgflash_mock):
    message = send(msgflash_mock)
    assert msgflash_mock.advance(message["id"])["status"] == "sent"
    assert msgflash_mock.advance(message["id"], "read")["status"] == "read"
    assert msgflash_mock.deliveries() == []
    assert len(listed(msgflash_mock)) == 1

def test_second_starts_from_a_reset_server(msgflash_mock):
    assert listed(msgflash_mock) == []

def test_one_server_per_session(msgflash_mock, msgflash_mock_server):
    assert msgflash_mock is msgflash_mock_server and msgflash_mock.base_url.startswith("http://127.0.0.1:")

def test_in_process_client(msgflash_mock_client):
    reply = msgflash_mock_client.post("/api/v1/messages/send", json=BODY, headers={"x-api-key": "msgf_live_alpha"})
    assert reply.status_code == 201
'''


def test_plugin_fixtures_work_with_no_setup(pytester) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_plugin_reads_a_fixture_file_option(pytester) -> None:
    fixtures = {"accounts": [{"apiKeys": ["msgf_live_custom"], "instances": [{"name": "Only"}]}]}
    pytester.makefile(".json", fixtures=json.dumps(fixtures))
    pytester.makepyfile(test_keys='''
def test_keys(msgflash_mock):
    assert msgflash_mock.api_keys == ["msgf_live_custom"]
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--msgflash-fixtures", "fixtures.json")
    result.assert_outcomes(passed=1)


def test_plugin_refuses_a_bad_fixture_file_clearly(pytester) -> None:
    pytester.makefile(".json", fixtures='{"accounts": [{}]}')
    pytester.makepyfile(test_keys="def test_keys(msgflash_mock):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--msgflash-fixtures", "fixtures.json")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*msgflash-mock: fixtures.json*'apiKeys' is a required property*"])


def test_loading_the_plugin_imports_neither_flask_nor_an_http_client() -> None:
    """Every pytest run in an environment with the package installed loads the plugin."""
    import subprocess
    import sys

    probe = ("import sys, pytest, mock_server.pytest_plugin; "
             "print(sorted(m for m in ('flask', 'werkzeug', 'waitress', 'urllib.request', 'jsonschema') "
             "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


# --- a team's suite, as the docs show it ---------------------------------------------------

PLUGIN_DOC = Path(__file__).resolve().parents[2] / "docs" / "pytest-plugin.md"
_EXAMPLE = re.compile(r"<!-- pytest-example:start -->\n```python\n(.*?)```\n<!-- pytest-example:end -->", re.S)


def readme_example() -> str:
    match = _EXAMPLE.search(PLUGIN_DOC.read_text(encoding="utf-8"))
    assert match, "docs/pytest-plugin.md lost its pytest example markers"
    return match.group(1)


def test_the_readmes_suite_passes_a_test_per_capability(pytester) -> None:
    example = readme_example()
    for capability in ("msgflash_account", "configure(", "assert_requested", "sent_messages", ".fault(",
                       "freeze_time", "advance_time", "lifecycle(", "msgflash_webhook_receiver",
                       "wait_for_delivery", "MockError"):
        assert capability in example, capability
    pytester.makepyfile(test_notifications=example)
    # pytest-asyncio (installed for the language server's tests) warns about its own unset option
    # under -W error; these suites use no asyncio.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio", "-W", "error")
    result.assert_outcomes(passed=example.count("\ndef test_"))
    assert "Bad file descriptor" not in result.stdout.str() + result.stderr.str()


def test_a_near_miss_prints_the_closest_requests_with_a_field_diff(pytester) -> None:
    pytester.makepyfile(test_miss='''
import json, urllib.request

def send(mock, to, kind):
    body = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": to, "type": kind, "text": "Hi"}
    request = urllib.request.Request(mock.url("/api/v1/messages/send"), json.dumps(body).encode(),
                                     {"Content-Type": "application/json", "x-api-key": mock.api_key})
    urllib.request.urlopen(request).read()

def test_miss(msgflash_mock):
    send(msgflash_mock, "+33612345678", "text")
    msgflash_mock.assert_requested("POST", "/api/v1/messages/send", json={"to": "+33699999999", "type": "text"},
                                   status=201)
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*no request matched POST /api/v1/messages/send with {'to': '+33699999999', 'type': 'text'}*",
        "*#1 POST /api/v1/messages/send → 201:*",
        "*/to: expected '+33699999999', got '+33612345678'*",
    ])
    assert "/type" not in result.stdout.str()  # what matched is not listed


def test_fifty_session_starts_end_cleanly(pytester) -> None:
    """The teardown race: 50 sessions, each starting the server, serving and stopping it."""
    pytester.makepyfile(test_session='''
import threading, urllib.request
import pytest

RESULTS, THREADS = [], []

@pytest.fixture(scope="session")
def in_flight():
    """Set up before the server, so torn down after it: every request in flight got its answer."""
    yield
    for thread in THREADS:
        thread.join(10)
    assert RESULTS == [200] * len(THREADS)

def test_requests_still_in_flight_at_teardown(in_flight, msgflash_mock):
    msgflash_mock.fault("GET /api/v1/instances", latency_ms=150)
    def hit():
        request = urllib.request.Request(msgflash_mock.url("/api/v1/instances"), headers={"x-api-key": "msgf_live_alpha"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            RESULTS.append(reply.status)
    THREADS.extend(threading.Thread(target=hit) for _ in range(3))
    for thread in THREADS:
        thread.start()
    while len(msgflash_mock.faults()) and msgflash_mock.faults()[0]["matched"] < 3:
        pass  # the three requests have reached the server; the session ends while they wait
''')
    failures = []
    for run in range(50):
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:asyncio", "-W", "error", "-q")
        output = result.stdout.str() + result.stderr.str()
        if result.ret != 0 or "Bad file descriptor" in output or "Exception" in output:
            failures.append((run, output[-1500:]))
    assert failures == [], failures[:2]


def test_fifty_in_process_tests_leave_no_thread(pytester) -> None:
    pytester.makepyfile(test_threads='''
import threading, time
import pytest

BEFORE = []

def webhook_then_status(client):
    key = {"x-api-key": "msgf_live_alpha"}
    client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["message.sent"]}, headers=key)
    body = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678", "type": "text", "text": "Hi"}
    message = client.post("/api/v1/messages/send", json=body, headers=key).get_json()["data"]
    client.post(f"/_mock/messages/{message['id']}/advance")  # a delivery: its worker starts

def test_0_count_before():
    BEFORE.append(threading.active_count())

@pytest.mark.parametrize("n", range(50))
def test_in_process(msgflash_mock_client, n):
    webhook_then_status(msgflash_mock_client)

def test_z_count_after():
    deadline = time.monotonic() + 5
    while threading.active_count() > BEFORE[0] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == BEFORE[0], [t.name for t in threading.enumerate()]
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=52)


def test_markers_and_configure_change_only_their_test(pytester) -> None:
    pytester.makepyfile(test_setup='''
import json, urllib.request, urllib.error
import pytest
from mock_server.pytest_plugin import MockError

def usage(mock):
    request = urllib.request.Request(mock.url("/api/v1/billing/usage"), headers={"x-api-key": mock.api_key})
    return json.loads(urllib.request.urlopen(request).read())["data"]

@pytest.mark.msgflash_account(plan="free", features={"campaigns": False}, monthlyOutboundQuota=3)
def test_marked(msgflash_mock):
    data = usage(msgflash_mock)
    assert data["plan"]["code"] == "free" and data["features"]["campaigns"] is False
    assert data["limits"]["monthlyOutboundQuota"] == 3

def test_next_test_has_the_fixtures_back(msgflash_mock):
    data = usage(msgflash_mock)
    assert data["plan"]["code"] == "pro" and data["features"]["campaigns"] is True

def test_configure_refuses_what_the_fixture_format_refuses(msgflash_mock):
    with pytest.raises(MockError) as error:
        msgflash_mock.configure(plan="gold")
    assert error.value.code == "VALIDATION_ERROR" and "plan" in error.value.message
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=3)
