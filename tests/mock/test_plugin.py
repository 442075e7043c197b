"""The pytest plugin, exercised the way a user's suite uses it (pytester)."""

from __future__ import annotations

import json

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
