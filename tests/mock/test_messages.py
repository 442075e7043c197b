"""Messages: send, schedule, read back, list, the status flow and retention."""

from __future__ import annotations

import json

from mock_server import create_app
from tests.mock.conftest import ALPHA, CONTACT, DISCONNECTED, INSTANCE, TEMPLATE, send_body

MESSAGE_KEYS = {"id", "instanceId", "contactId", "campaignId", "type", "to", "body", "mediaUrl", "status",
                "error", "providerMessageId", "createdAt", "updatedAt"}


def test_send_text_then_read_it_back_and_advance(api) -> None:
    sent = api.post("/api/v1/messages/send", send_body(type="text", text="Hello, your order is ready."))
    assert sent.status == 201
    assert MESSAGE_KEYS <= set(sent.data)
    assert (sent.data["status"], sent.data["body"], sent.data["providerMessageId"]) == (
        "queued", "Hello, your order is ready.", None)
    fetched = api.get(f"/api/v1/messages/{sent.data['id']}").data
    assert fetched["direction"] == "outbound" and "workerSafety" in fetched["meta"]
    for expected in ("sent", "delivered", "read"):
        advanced = api.post(f"/_mock/messages/{sent.data['id']}/advance", key=None)
        assert advanced.data["status"] == expected
    assert api.get(f"/api/v1/messages/{sent.data['id']}").data["providerMessageId"]
    past = api.post(f"/_mock/messages/{sent.data['id']}/advance", key=None)
    assert (past.status, past.error_code) == (409, "CONFLICT")


def test_advance_jumps_to_failed_and_failed_is_final(api) -> None:
    message = api.post("/api/v1/messages/send", send_body(type="text", text="x")).data
    failed = api.post(f"/_mock/messages/{message['id']}/advance", {"status": "failed"}, key=None)
    assert failed.data["status"] == "failed" and failed.data["error"]
    again = api.post(f"/_mock/messages/{message['id']}/advance", key=None)
    assert (again.status, again.error_code) == (409, "CONFLICT")


def test_template_send_renders_contact_user_instance_and_custom(api) -> None:
    sent = api.post("/api/v1/messages/send", send_body(
        contactId=CONTACT, templateId="2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"))
    assert sent.data["body"] == "Bienvenue Jean sur Support ! Awa Mensah"
    sent = api.post("/api/v1/messages/send", send_body(contactId=CONTACT, templateId=TEMPLATE,
                                                       variables={"code": 10}))
    assert sent.data["body"] == "Hello Jean, code 10"


def test_schedule_returns_warnings_and_safety(api) -> None:
    reply = api.post("/api/v1/messages/schedule", send_body(type="text", text="Rappel",
                                                            scheduledAt="2020-01-01T09:00:00.000Z"))
    assert reply.status == 201
    assert reply.data["status"] == "queued" and "scheduledAt" not in reply.data
    assert reply.data["warnings"] and set(reply.data["safety"]) == {"decision", "riskLevel", "state", "score"}


def test_messages_list_pages_with_cursor(api) -> None:
    ids = [api.post("/api/v1/messages/send", send_body(type="text", text=str(n))).data["id"] for n in range(5)]
    first = api.get("/api/v1/messages?limit=2").data
    assert [m["id"] for m in first["messages"]] == ids[::-1][:2] and first["hasMore"]
    second = api.get(f"/api/v1/messages?limit=2&cursor={first['nextCursor']}").data
    assert [m["id"] for m in second["messages"]] == ids[::-1][2:4]
    assert api.get("/api/v1/messages?status=read").data["messages"] == []
    assert api.get("/api/v1/messages?limit=500").error_code == "VALIDATION_ERROR"
    assert api.get("/api/v1/messages?cursor=zzz").error_code == "VALIDATION_ERROR"


def test_a_message_on_a_disconnected_instance_fails_when_it_goes_out(api) -> None:
    message = api.post("/api/v1/messages/send", send_body(instanceId=DISCONNECTED, type="text", text="Hi")).data
    moved = api.post(f"/_mock/messages/{message['id']}/advance", key=None).data
    assert moved["status"] == "failed" and "not connected" in moved["error"]
    assert api.get(f"/api/v1/messages/{message['id']}").data["status"] == "failed"


def test_scheduled_messages_go_out_at_their_time(api, frozen) -> None:
    now = api.get("/_mock/clock", key=None).data["now"]
    later = now[:11] + "23:59:59.000Z"  # later today, whatever the time
    on_time = api.post("/api/v1/messages/schedule", send_body(type="text", text="Rappel", scheduledAt=later)).data
    stranded = api.post("/api/v1/messages/schedule", send_body(instanceId=DISCONNECTED, type="text", text="Rappel",
                                                                scheduledAt=later)).data
    assert api.get(f"/api/v1/messages/{on_time['id']}").data["status"] == "queued"
    frozen(86400)
    assert api.get(f"/api/v1/messages/{on_time['id']}").data["status"] == "sent"
    assert api.get(f"/api/v1/messages/{stranded['id']}").data["status"] == "failed"


def test_an_invalid_destination_is_422(api) -> None:
    reply = api.post("/api/v1/messages/send", send_body(to="+33600000000", type="text", text="Hi"))
    assert (reply.status, reply.error_code) == (422, "INVALID_DESTINATION")


def test_send_with_to_nested_978_deep_is_a_validation_error(api) -> None:
    body = json.dumps(send_body(type="text", text="x")).replace('"+33612345678"', "[" * 978 + "]" * 978)
    reply = api.post("/api/v1/messages/send", raw=body.encode())
    assert reply.status == 400 and reply.error_code == "VALIDATION_ERROR"


def test_retention_drops_the_oldest_messages_and_paging_still_works() -> None:
    from mock_server.state.fixtures import load_fixtures
    from tests.mock.conftest import FIXTURES

    app = create_app(load_fixtures(FIXTURES.read_text("utf-8"), str(FIXTURES)), max_messages=30)
    client = app.test_client()
    account = app.extensions["msgflash_mock"].account_for_key(ALPHA)
    instance = account.instances[INSTANCE]
    headers = {"x-api-key": ALPHA}
    sent = [client.post("/api/v1/messages/send", headers=headers, json={
        "instanceId": instance.id, "to": f"+3361234{n:04d}", "type": "text", "text": f"m{n}"}).json["data"]["id"]
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
    health = client.get(f"/api/v1/instances/{instance.id}/health", headers=headers).json["data"]
    # The usage windows count what was sent, retention or not.
    assert health["usageWindowSummary"]["outbound1h"] == 45
    assert health["usageWindowSummary"]["uniqueRecipients24h"] == 45


def test_filtered_pages_read_only_as_far_as_they_need(app, monkeypatch) -> None:
    """GET /messages reads the log from its newest end and stops one past the page: the cost of a
    page is the page's, not the log's (1,000 stored messages, a page of 10 reads 11)."""
    from mock_server.api.messages.models import new_message
    from mock_server.state.message_log import MessageLog

    store = app.extensions["msgflash_mock"]
    account = store.account_for_key(ALPHA)
    for _ in range(1000):
        new_message(store, account, account.instances[INSTANCE], "+33600000000", "text", "Hi", None)
    read = []
    real = MessageLog.newest_first

    def counted(log, after=None):
        for message in real(log, after):
            read.append(message.id)
            yield message

    monkeypatch.setattr(MessageLog, "newest_first", counted)
    client = app.test_client()
    page = client.get("/api/v1/messages?limit=10&status=queued", headers={"x-api-key": ALPHA}).get_json()["data"]
    assert len(page["messages"]) == 10 and page["hasMore"] is True
    assert len(read) == 11
    read.clear()
    after = client.get(f"/api/v1/messages?limit=10&cursor={page['nextCursor']}",
                       headers={"x-api-key": ALPHA}).get_json()["data"]
    assert [m["id"] for m in after["messages"]][0] == read[0] and len(read) == 11