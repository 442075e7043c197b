"""One odd request never breaks the mock: each item of the robustness issue, over real HTTP."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from urllib.parse import urlsplit

import pytest

from mock_server import create_app
from mock_server.web.loopback import is_loopback_host, is_loopback_url
from tests.mock.conftest import ALPHA, send_body
from tests.mock.test_mock_campaigns_webhooks import Receiver, wait_for


def raw_request(base_url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """Exactly the request given: no client-side normalisation of paths or headers."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def assert_envelope(status: int, content_type: str, payload: bytes, code: str) -> dict:
    assert content_type.startswith("application/json"), (status, payload[:200])
    error = json.loads(payload)["error"]
    assert error["code"] == code and isinstance(error["message"], str) and isinstance(error["details"], list)
    return error


# Item 7: query integers.

@pytest.mark.parametrize("query", ["limit=%C2%B2", "limit=%D9%A3", "page=" + "9" * 5000, "limit=" + "1" * 40,
                                   "page=-1", "limit=1e3"])
def test_query_integers_that_int_refuses_are_validation_errors(api, query: str) -> None:
    path = "/api/v1/templates" if query.startswith("page") else "/api/v1/contacts"
    status, content_type, payload = raw_request(api.base_url, "GET", f"{path}?{query}", headers={"x-api-key": ALPHA})
    assert status == 400
    assert_envelope(status, content_type, payload, "VALIDATION_ERROR")


# Item 8: bodies that cannot be stored and served back are refused up front.

@pytest.mark.parametrize("body, pointer", [
    ('{"name": "\\ud800", "phone": "+33600000001"}', "/name"),
    ('{"name": "Ana", "phone": "+33600000001", "meta": {"\\udc00x": 1}}', "/meta/\\udc00x"),
    ('{"name": "Ana", "phone": "+33600000001", "meta": {"a": ' + "[" * 975 + "]" * 975 + "}}", "/meta/a" + "/0" * 30),
])
def test_contacts_that_cannot_be_served_back_are_refused_and_the_list_still_works(api, body: str, pointer: str) -> None:
    reply = api.post("/api/v1/contacts", raw=body.encode())
    assert reply.status == 400 and reply.error_code == "VALIDATION_ERROR"
    assert reply.body["error"]["details"][0]["code"] == "MFL009"
    assert reply.body["error"]["details"][0]["pointer"] == pointer
    listed = api.get("/api/v1/contacts")
    assert listed.status == 200
    assert all("\\ud800" not in json.dumps(c) for c in listed.data["contacts"])


def test_send_with_to_nested_978_deep_is_a_validation_error(api) -> None:
    body = json.dumps(send_body(type="text", text="x")).replace('"+33612345678"', "[" * 978 + "]" * 978)
    reply = api.post("/api/v1/messages/send", raw=body.encode())
    assert reply.status == 400 and reply.error_code == "VALIDATION_ERROR"


def test_integer_too_long_to_read_is_bad_request(api) -> None:
    reply = api.post("/api/v1/contacts", raw=b'{"name": "A", "phone": "+33600000001", "meta": {"n": ' + b"9" * 5000 + b"}}")
    assert reply.status == 400 and reply.error_code == "BAD_REQUEST"


# Item 9: webhook URLs are validated on create.

@pytest.mark.parametrize("url", ["https://[x/h", "http://127.0.0.1:99999/x", "http://[::1/x", "https://:80/x"])
def test_webhook_url_that_cannot_be_called_is_refused_and_status_changes_keep_working(api, url: str) -> None:
    reply = api.post("/api/v1/webhooks", {"url": url, "events": ["message.sent"]})
    assert reply.status == 400 and reply.error_code == "VALIDATION_ERROR"
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    assert api.post(f"/_mock/messages/{message['id']}/advance", key=None).status == 200


# Item 10: only literal loopback addresses and localhost are ever contacted.

@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("LOCALHOST.", True), ("127.attacker.example", False), ("127.0.0.1.nip.io", False), ("localhost.evil", False),
    ("0.0.0.0", False), ("10.0.0.1", False), ("::ffff:8.8.8.8", False), ("", False), (None, False),
])
def test_loopback_classification_never_resolves_a_name(host, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_webhook_to_a_dns_name_that_looks_like_loopback_is_skipped(api) -> None:
    api.post("/api/v1/webhooks", {"url": "https://127.attacker.example/hook", "events": ["message.sent"]})
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    api.post(f"/_mock/messages/{message['id']}/advance", key=None)
    log = api.get("/_mock/webhook-deliveries", key=None).data
    assert [(d["url"], d["status"], d["attempts"]) for d in log] == [("https://127.attacker.example/hook", "skipped", 0)]
    assert not is_loopback_url("https://[x/h")


# Item 11: every answer under the API is JSON in the envelope.

@pytest.mark.parametrize("method, path", [
    ("GET", "/api//v1/instances"), ("GET", "/api/v1//instances"), ("OPTIONS", "/api/v1/instances"),
    ("OPTIONS", "/api/v1/messages/send"), ("OPTIONS", "/openapi.json"), ("OPTIONS", "/_mock/reset"),
    ("TRACE", "/api/v1/instances"), ("GET", "/api/v1/instances/%ff"), ("GET", "/api/v1/contacts/%00"),
])
def test_odd_paths_and_methods_answer_the_json_envelope(api, method: str, path: str) -> None:
    status, content_type, payload = raw_request(api.base_url, method, path, headers={"x-api-key": ALPHA})
    assert status == 404
    assert_envelope(status, content_type, payload, "NOT_FOUND")


# Item 12: the control API refuses cross-site and rebound callers.

@pytest.mark.parametrize("headers, code", [
    ({"Origin": "https://evil.example"}, "FORBIDDEN"),
    ({"Origin": "null"}, "FORBIDDEN"),
    ({"Host": "evil.example:80"}, "FORBIDDEN"),
    ({"Host": "127.attacker.example"}, "FORBIDDEN"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, "BAD_REQUEST"),
    ({"Content-Type": "text/plain"}, "BAD_REQUEST"),
])
def test_control_routes_refuse_foreign_callers(api, headers: dict, code: str) -> None:
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    body = b"status=failed" if "Content-Type" in headers else None
    for path in ("/_mock/reset", f"/_mock/messages/{message['id']}/advance"):
        status, content_type, payload = raw_request(api.base_url, "POST", path, body, headers)
        assert status == (403 if code == "FORBIDDEN" else 400)
        assert_envelope(status, content_type, payload, code)
    assert api.get(f"/api/v1/messages/{message['id']}").data["status"] == "queued"  # nothing was driven


def test_control_routes_accept_loopback_callers(api) -> None:
    for origin in ("http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:9000"):
        status, _, _ = raw_request(api.base_url, "POST", "/_mock/reset", headers={"Origin": origin})
        assert status == 200
    status, _, _ = raw_request(api.base_url, "POST", "/_mock/reset", b"{}", {"Content-Type": "application/json",
                                                                           "Host": "localhost"})
    assert status == 200


def test_openapi_servers_never_echo_a_foreign_host(api) -> None:
    status, _, payload = raw_request(api.base_url, "GET", "/openapi.json", headers={"Host": "evil.example"})
    assert status == 200 and json.loads(payload)["servers"] == [{"url": "/"}]
    _, _, payload = raw_request(api.base_url, "GET", "/openapi.json")
    assert json.loads(payload)["servers"] == [{"url": api.base_url}]


# Item 13: generated ids never collide with fixture ids.

def test_fixture_contact_without_id_is_never_replaced_by_an_api_contact() -> None:
    from mock_server.state.fixtures import load_fixtures

    fixtures = {"accounts": [{"apiKeys": ["msgf_live_a"], "contacts": [{"name": "Kept", "phone": "+33600000009"}],
                              "instances": [{"status": "connected"}]}]}
    app = create_app(load_fixtures(json.dumps(fixtures), "inline"))
    client = app.test_client()
    headers = {"x-api-key": "msgf_live_a"}
    created = client.post("/api/v1/contacts", json={"name": "New", "phone": "+33600000010"}, headers=headers).json
    listed = client.get("/api/v1/contacts", headers=headers).json["data"]["contacts"]
    assert sorted(c["name"] for c in listed) == ["Kept", "New"]
    assert len({c["id"] for c in listed}) == 2 and created["data"]["id"] in {c["id"] for c in listed}


# Item 14: one account cannot stall the others.

def test_large_template_bodies_are_parsed_outside_the_store_lock(monkeypatch) -> None:
    from msgflash_lint import api, templates

    app = create_app()
    store = app.extensions["msgflash_mock"]
    seen = []
    real = templates.parse_template

    def watched(body):
        if len(body) > 1000:
            seen.append(store.lock._is_owned())
        return real(body)

    monkeypatch.setattr(templates, "parse_template", watched)
    api.placeholders.cache_clear()
    client = app.test_client()
    key = next(iter(store._by_key))
    body = "Hi {{contact.name}} " * 90_000  # 1.9 MB
    assert client.post("/api/v1/templates", json={"name": "big", "type": "text", "body": body},
                       headers={"x-api-key": key}).status_code == 201
    for _ in range(3):
        assert client.get("/api/v1/templates", headers={"x-api-key": key}).status_code == 200
    assert seen and not any(seen)
    assert len(seen) == 1  # parsed once, however often it is listed


@pytest.fixture
def silent_endpoint():
    """Accepts connections and never answers: a webhook receiver that hangs until the timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    listener.close()


def test_an_endpoint_that_never_answers_does_not_delay_another_endpoints_deliveries(api, silent_endpoint) -> None:
    fast = Receiver(0)
    try:
        # The silent endpoint is subscribed first, so its delivery is queued first.
        api.post("/api/v1/webhooks", {"url": silent_endpoint, "events": ["message.sent"]})
        api.post("/api/v1/webhooks", {"url": fast.url, "events": ["message.sent"]})
        message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
        api.post(f"/_mock/messages/{message['id']}/advance", key=None)
        wait_for(lambda: len(fast.requests) == 1)
        log = {d["url"]: d for d in api.get("/_mock/webhook-deliveries", key=None).data}
        # The silent endpoint's first attempt is still waiting on its 5 s timeout.
        assert log[silent_endpoint]["status"] == "pending" and log[silent_endpoint]["attempts"] == 0
        assert log[fast.url]["status"] == "delivered"
    finally:
        fast.close()


def test_apps_start_no_thread_until_they_deliver() -> None:
    before = threading.active_count()
    apps = [create_app() for _ in range(20)]
    assert threading.active_count() == before
    for app in apps:
        app.extensions["msgflash_mock_webhooks"].close()


# The concurrency figures that hold: exact quotas under 8+ clients, nothing lost or duplicated, no leak.

def test_quotas_are_exact_and_nothing_leaks_under_concurrent_clients(api) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from tests.mock.conftest import METERED, TIGHT

    tight_body = send_body(instanceId="b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e", type="text", text="one")

    def request(n: int):
        if n % 3 == 0:
            return "metered", api.get("/api/v1/instances", key=METERED)
        if n % 3 == 1:
            return "tight", api.post("/api/v1/messages/send", dict(tight_body, text=f"t{n}"), key=TIGHT)
        return "alpha", api.post("/api/v1/messages/send", send_body(type="text", text=f"a{n}"))

    with ThreadPoolExecutor(max_workers=12) as pool:
        replies = list(pool.map(request, range(60)))
    by_account: dict[str, list] = {}
    for account, reply in replies:
        by_account.setdefault(account, []).append(reply)
    metered = by_account["metered"]
    assert sum(r.status == 200 for r in metered) == 3  # monthlyApiRequestQuota: 3, exactly
    assert {r.error_code for r in metered if r.status != 200} == {"MONTHLY_API_REQUEST_QUOTA_EXCEEDED"}
    tight = by_account["tight"]
    assert sum(r.status == 201 for r in tight) == 1  # monthlyOutboundQuota: 1, exactly
    assert {r.error_code for r in tight if r.status != 201} == {"MONTHLY_OUTBOUND_QUOTA_EXCEEDED"}
    alpha = [r.data for r in by_account["alpha"]]
    assert len(alpha) == 20 and all(r.status == 201 for r in by_account["alpha"])
    stored = api.get("/api/v1/messages?limit=100").data["messages"]
    assert sorted(m["id"] for m in stored) == sorted(m["id"] for m in alpha)  # none lost, none duplicated
    assert all(m["body"].startswith("a") for m in stored)  # nothing of another account


# Long sessions: retention keeps memory bounded; counters and paging do not scan the log.

def test_retention_drops_the_oldest_messages_and_paging_still_works() -> None:
    from mock_server.state.fixtures import load_fixtures
    from tests.mock.conftest import FIXTURES, INSTANCE

    app = create_app(load_fixtures(FIXTURES.read_text("utf-8"), str(FIXTURES)), max_messages=30)
    client = app.test_client()
    account = app.extensions["msgflash_mock"].account_for_key(ALPHA)
    instance = account.instances[INSTANCE]
    headers = {"x-api-key": ALPHA}
    sent = [client.post("/api/v1/messages/send", headers=headers, json={
        "instanceId": instance["id"], "to": f"+3361234{n:04d}", "type": "text", "text": f"m{n}"}).json["data"]["id"]
        for n in range(45)]
    assert len(account.messages) == 30 and account.messages.dropped == 15
    assert client.get(f"/api/v1/messages/{sent[0]}", headers=headers).status_code == 404
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/messages?limit=7" + (f"&cursor={cursor}" if cursor else ""), headers=headers).json
        seen += [m["id"] for m in page["data"]["messages"]]
        cursor = page["data"]["nextCursor"]
        if not page["data"]["hasMore"]:
            break
    assert seen == list(reversed(sent[15:]))
    health = client.get(f"/api/v1/instances/{instance['id']}/health", headers=headers).json["data"]
    # The usage windows count what was sent, retention or not.
    assert health["usageWindowSummary"]["outbound1h"] == 45
    assert health["usageWindowSummary"]["uniqueRecipients24h"] == 45


def test_filtered_pages_read_only_as_far_as_they_need(monkeypatch) -> None:
    from mock_server.state.message_log import MessageLog

    log = MessageLog()
    for n in range(1000):
        log.add({"id": f"m{n}", "to": "+33600000000", "instanceId": "i", "status": "queued"})
    read = 0
    for read, _ in enumerate(log.newest_first(), start=1):
        if read == 11:
            break
    assert read == 11
    assert [m["id"] for m in log.newest_first("m995")][:2] == ["m994", "m993"]


def test_a_campaign_parses_its_template_once_not_once_per_recipient(monkeypatch) -> None:
    from msgflash_lint import api, templates

    calls = []
    real = templates.parse_template
    monkeypatch.setattr(templates, "parse_template", lambda body: calls.append(body) or real(body))
    api.placeholders.cache_clear()
    api._template_findings.cache_clear()
    app = create_app()
    store = app.extensions["msgflash_mock"]
    key = next(iter(store._by_key))
    account = store.account_for_key(key)
    template = next(iter(account.templates.values()))
    instance = next(i for i in account.instances.values() if i["status"] == "connected")
    reply = app.test_client().post("/api/v1/campaigns", headers={"x-api-key": key}, json={
        "instanceId": instance["id"], "name": "N", "schedule": "2020-01-01T00:00:00Z", "templateId": template["id"],
        "recipients": {"type": "all"}, "variables": {"code": "X", "coupon": "Y"}})
    assert reply.status_code == 201, reply.json
    app.test_client().get("/api/v1/messages", headers={"x-api-key": key})  # the campaign runs here
    assert len(account.messages) > 1 and calls.count(template["body"]) == 1  # one message per recipient
