"""The mock and the linter agree: same verdicts, same codes, on generated payloads and templates."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from msgflash_lint.diagnostics import Severity
from msgflash_lint.linter import lint_text
from msgflash_lint.registry import RULES
from msgflash_lint.strategies import payloads
from tests.mock.conftest import ALPHA, CONTACT, INSTANCE, TEMPLATE

ENDPOINTS = {"send": "/api/v1/messages/send", "schedule": "/api/v1/messages/schedule",
             "template": "/api/v1/templates"}


def _with_known_ids(kind: str, payload: dict) -> dict:
    """Point the generated ids at fixture objects, so only the payload's shape is under test."""
    payload = dict(payload)
    if kind in ("send", "schedule"):
        payload["instanceId"] = INSTANCE
        if "templateId" in payload:
            payload.update(templateId=TEMPLATE, contactId=CONTACT, variables={"code": "PROMO10"})
        elif "contactId" in payload:
            payload["contactId"] = CONTACT
    return payload


_BREAKAGES = {
    "drop": lambda payload, field: {k: v for k, v in payload.items() if k != field},
    "retype": lambda payload, field: {**payload, field: {"wrong": "type"} if not isinstance(payload[field], dict) else "x"},
    "empty": lambda payload, field: {**payload, field: ""},
}


_PLACEHOLDERS = st.sampled_from([
    "{{contact.firstName}}", "{{contcat.name}}", "{{firstName}}", "{{custom}}", "{{custom.a-b}}", "{{}}",
    "{{contact.email}}", "{{custom.a.b}}", "{{ custom.code }}", "{{contact.name | upper}}", "{{{x}}}", "}}", "{{x",
])


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(sorted(ENDPOINTS)).flatmap(lambda k: payloads(k).map(lambda p: (k, p))))
def test_mock_accepts_every_strategy_payload(roomy_client, kind_and_payload) -> None:
    kind, payload = kind_and_payload
    payload = _with_known_ids(kind, payload)
    note(json.dumps(payload))
    assert lint_text(json.dumps(payload), kind=kind) == []
    reply = roomy_client.post(ENDPOINTS[kind], json=payload, headers={"x-api-key": ALPHA})
    assert reply.status_code == 201, reply.json


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(sorted(ENDPOINTS)).flatmap(lambda k: payloads(k).map(lambda p: (k, p))), st.data())
def test_what_the_linter_rejects_the_mock_rejects_with_the_same_codes(roomy_client, kind_and_payload, data) -> None:
    kind, payload = kind_and_payload
    payload = _with_known_ids(kind, payload)
    # contactId and variables of a template send are judged against the stored template: the
    # linter sees that only with the template file in the run (MFL301/302, tested elsewhere).
    fields = sorted(set(payload) - ({"contactId", "variables"} if "templateId" in payload else set()))
    field = data.draw(st.sampled_from(fields))
    broken = _BREAKAGES[data.draw(st.sampled_from(sorted(_BREAKAGES)))](payload, field)
    note(json.dumps(broken))
    errors = [d for d in lint_text(json.dumps(broken), kind=kind) if d.severity is Severity.ERROR]
    reply = roomy_client.post(ENDPOINTS[kind], json=broken, headers={"x-api-key": ALPHA})
    if not errors:
        assert reply.status_code == 201, reply.json
        return
    expected = {RULES[[r.code for r in RULES].index(d.code)].api_error for d in errors}
    assert reply.status_code == 400
    assert reply.json["error"]["code"] in expected
    if reply.json["error"]["code"] == "VALIDATION_ERROR":
        assert {d["code"] for d in reply.json["error"]["details"]} == {d.code for d in errors if d.code.startswith("MFL2")}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab ,\n", max_size=5), _PLACEHOLDERS), min_size=1, max_size=4))
def test_template_bodies_get_the_same_verdict_from_linter_and_mock(roomy_client, parts) -> None:
    body = "".join(free + placeholder for free, placeholder in parts)
    payload = {"name": "t", "type": "text", "body": body}
    note(body)
    errors = [d for d in lint_text(json.dumps(payload), kind="template") if d.severity is Severity.ERROR]
    invalid = {d.code for d in errors if RULES[[r.code for r in RULES].index(d.code)].api_error == "TEMPLATE_INVALID"}
    reply = roomy_client.post("/api/v1/templates", json=payload, headers={"x-api-key": ALPHA})
    if invalid:
        assert reply.json["error"]["code"] == "TEMPLATE_INVALID"
        assert {d["code"] for d in reply.json["error"]["details"]} == invalid
    else:
        # What is left (unknown fields, custom.a.b) is rejected at send time: TEMPLATE_VARIABLES_MISSING (D5).
        assert reply.status_code == 201, reply.json


# One URL rule: every URL field (send, templates, campaigns, webhooks) takes the same hosts and ports.

_URLS = [("http://[0", False), ("https://cdn.example.com:809888/a.jpg", False), ("https://cdn.example.com:0/a", False),
         ("https://cdn.example.com:/a", False), ("https://cdn.example.com:65535/a.jpg", True),
         ("https://[2001:db8::1]:8443/a.jpg", True), ("https://exämple.de/bannière.jpg", True)]


def _url_payloads(url: str) -> list[tuple[str, str, dict]]:
    """(kind, route, payload) for each URL field of a payload the linter knows."""
    return [
        ("send", ENDPOINTS["send"], {"instanceId": INSTANCE, "to": "+33612345678", "type": "image", "mediaUrl": url}),
        ("template", ENDPOINTS["template"], {"name": "Promo", "type": "image", "body": "Hi", "mediaUrl": url}),
        ("campaign", "/api/v1/campaigns", {"instanceId": INSTANCE, "name": "Promo", "type": "image",
                                          "mediaUrl": url, "recipients": {"type": "all"},
                                          "schedule": "2030-04-15T09:00:00Z"}),
    ]


def test_every_url_field_takes_the_same_urls_in_linter_and_mock(roomy_client) -> None:
    for url, valid in _URLS:
        for kind, route, payload in _url_payloads(url):
            found = [d.code for d in lint_text(json.dumps(payload), kind=kind) if d.severity is Severity.ERROR]
            reply = roomy_client.post(route, json=payload, headers={"x-api-key": ALPHA})
            assert (found == []) is valid, (url, kind, found)
            assert (reply.status_code < 300) is valid, (url, kind, reply.get_json())
    for url, valid in _URLS:  # the webhook rule is https (the mock also takes loopback http): same hosts and ports
        hook = {"url": url.replace("http://", "https://"), "events": ["message.sent"]}
        reply = roomy_client.post("/api/v1/webhooks", json=hook, headers={"x-api-key": ALPHA})
        assert (reply.status_code == 201) is valid, (url, reply.get_json())
    assert roomy_client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:809888/h", "events": ["message.sent"]},
                             headers={"x-api-key": ALPHA}).status_code == 400
