"""The schemas: well formed, documented, and in agreement with the documentation's examples."""

import json
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from msgflash_lint import contract
from msgflash_lint.contract import PAYLOAD_KINDS
from msgflash_lint.diagnostics import Severity
from msgflash_lint.linter import lint_text
from msgflash_lint.strategies import any_payload, payloads

DOCUMENTED = json.loads((Path(__file__).parent / "contract" / "documented_requests.json").read_text("utf-8"))
# Documented facts (docs/decisions.md §3), restated here on purpose: the tests check the schemas against them.
REQUIRED_BY_TYPE = {
    "text": {"text"}, "image": {"mediaUrl"}, "video": {"mediaUrl"}, "audio": {"mediaUrl"},
    "voice_note": {"mediaUrl"}, "document": {"mediaUrl"}, "location": {"latitude", "longitude"},
    "contact": {"contactId"}, "buttons": {"title", "description", "buttons"},
}
CAMPAIGN_REQUIRED_BY_TYPE = {**REQUIRED_BY_TYPE, "text": {"body"}}
ALWAYS_REQUIRED = {
    "send": {"instanceId", "to"}, "schedule": {"instanceId", "to", "scheduledAt"},
    "campaign": {"instanceId", "name", "schedule", "recipients"}, "template": {"name", "type"},
}


# Files of `$defs` only: shared request parts, and the response shapes (tests/test_responses.py).
DEFINITIONS_ONLY = ("common", "responses")


@pytest.mark.parametrize("name", contract.SCHEMA_FILES)
def test_schema_is_valid_2020_12_with_title_and_descriptions(name: str) -> None:
    schema = contract.load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # No $id: references resolve next to the file, so tools and editors follow them offline.
    assert "$id" not in schema
    assert schema["title"] and schema["description"]
    if name not in DEFINITIONS_ONLY:
        assert schema["examples"]
        for prop, sub in schema.get("properties", {}).items():
            assert "description" in sub or "$ref" in sub, f"{name}: {prop} has no description"


@pytest.mark.parametrize("name", [n for n in contract.SCHEMA_FILES if n not in DEFINITIONS_ONLY])
def test_schema_examples_are_valid(name: str) -> None:
    for example in contract.load_schema(name)["examples"]:
        assert contract.schema_errors(name, example) == []


@pytest.mark.parametrize("request_", DOCUMENTED["requests"], ids=lambda r: r["source"])
def test_documented_request_has_no_error(request_) -> None:
    found = lint_text(json.dumps(request_["body"], ensure_ascii=False), kind=request_["kind"])
    assert [d for d in found if d.severity is Severity.ERROR] == []


def test_schema_dir_holds_every_schema() -> None:
    assert {p.name for p in contract.schema_dir().glob("*.schema.json")} == {
        f"{name}.schema.json" for name in contract.SCHEMA_FILES}


@given(any_payload())
def test_strategy_payloads_pass_with_no_finding(kind_and_payload) -> None:
    kind, payload = kind_and_payload
    note(json.dumps(payload))
    assert lint_text(json.dumps(payload), kind=kind) == []


def _required_fields(kind: str, payload: dict) -> set[str]:
    required = set(ALWAYS_REQUIRED[kind])
    kind_type = payload.get("type")
    if kind == "template":
        required |= {"body"} if kind_type == "text" else {"mediaUrl"}
    elif kind_type is not None:
        required |= (CAMPAIGN_REQUIRED_BY_TYPE if kind == "campaign" else REQUIRED_BY_TYPE)[kind_type]
    return required


@given(any_payload(), st.data())
def test_removing_a_required_field_is_reported_as_missing(kind_and_payload, data) -> None:
    kind, payload = kind_and_payload
    field = data.draw(st.sampled_from(sorted(_required_fields(kind, payload))))
    broken = {k: v for k, v in payload.items() if k != field}
    codes = [d.code for d in lint_text(json.dumps(broken), kind=kind)]
    assert "MFL201" in codes, codes


@given(any_payload(), st.data())
def test_removing_type_or_template_id_is_a_content_mode_error(kind_and_payload, data) -> None:
    kind, payload = kind_and_payload
    if kind == "template":
        return
    field = "type" if "type" in payload else "templateId"
    broken = {k: v for k, v in payload.items() if k != field}
    assert "MFL206" in [d.code for d in lint_text(json.dumps(broken), kind=kind)]


_WRONG = {str: 12345, int: "12", float: "1.5", list: {"not": "a list"}, dict: "not an object"}


@given(any_payload(), st.data())
def test_breaking_a_field_type_is_reported_at_that_field(kind_and_payload, data) -> None:
    kind, payload = kind_and_payload
    field = data.draw(st.sampled_from(sorted(payload)))
    broken = dict(payload, **{field: _WRONG[type(payload[field])]})
    text = json.dumps(broken, indent=2)
    found = lint_text(text, kind=kind)
    expected = "MFL203" if field in ("type", "repeat") else "MFL202"
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.startswith(f'  "{field}":'))
    assert (expected, line) in [(d.code, d.line) for d in found], found


@given(any_payload(), st.dictionaries(st.sampled_from(["caption", "text", "body", "scheduledAt", "schedule", "id", "zz"]),
                                      st.just("x"), max_size=2))
def test_unknown_properties_agree_with_the_full_schema(kind_and_payload, extra) -> None:
    """The compiled validators skip the root `unevaluatedProperties`; our check must answer alike."""
    kind, payload = kind_and_payload
    data = {**payload, **{k: v for k, v in extra.items() if k not in payload}}
    full = Draft202012Validator(contract.load_schema(kind), registry=contract.schema_registry())
    flagged_by_schema = any(e.validator == "unevaluatedProperties" for e in full.iter_errors(data))
    assert flagged_by_schema == bool(contract.unknown_properties(kind, data))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PAYLOAD_KINDS).flatmap(lambda kind: payloads(kind).map(lambda p: (kind, p))), st.data())
def test_the_fast_validity_check_agrees_with_jsonschema(kind_and_payload, data) -> None:
    """The compiled validator may only decide what jsonschema would: it can never hide a finding."""
    from tests.fuzz_targets import JSON_VALUES

    kind, payload = kind_and_payload
    how = data.draw(st.sampled_from(["valid", "drop", "replace", "add"]))
    if how == "drop" and payload:
        payload.pop(data.draw(st.sampled_from(sorted(payload))))
    elif how == "replace" and payload:
        payload[data.draw(st.sampled_from(sorted(payload)))] = data.draw(JSON_VALUES)
    elif how == "add":
        payload[data.draw(st.sampled_from(sorted(contract.declared_properties(kind))))] = data.draw(JSON_VALUES)
    verdict = contract.is_valid(kind, payload)
    assert verdict is not None, "jsonschema-rs is a dependency: the fast path must be there"
    assert verdict == (not list(contract.validator_for(kind).iter_errors(payload)))


@given(st.dictionaries(st.sampled_from(["to", "scheduledAt", "recipients", "schedule", "name", "body", "mediaUrl",
                                        "type", "text", "instanceId"]),
                       st.sampled_from(["text", "image", "location", "buttons", "x", 1, None]), max_size=6))
def test_kind_detection_rules_mean_what_jsonschema_says_they_mean(document) -> None:
    """The schemas' `x-msgflash-detect` rules, evaluated by the linter's small evaluator, give
    the verdicts jsonschema gives for the same rules."""
    from msgflash_lint.documents import kind_from_content

    expected = None
    for kind, when, _ in contract.detection_rules():
        # The rule's own `#/…` references point into its schema file: made absolute for jsonschema.
        absolute = json.loads(json.dumps(when).replace('"#/', f'"{kind}.schema.json#/'))
        if Draft202012Validator(absolute, registry=contract.schema_registry()).is_valid(document):
            expected = kind
            break
    assert kind_from_content(document) == expected


def test_every_payload_kind_can_be_detected_and_priorities_are_distinct() -> None:
    rules = contract.detection_rules()
    assert {kind for kind, _, _ in rules} == set(contract.PAYLOAD_KINDS)
    priorities = [contract.load_schema(kind)["x-msgflash-detect"]["priority"] for kind, _, _ in rules]
    assert priorities == sorted(set(priorities))


@pytest.mark.parametrize("content", [{"body": "News"}, {"mediaUrl": "https://cdn.example.com/a.jpg"},
                                     {"title": "T", "description": "D"}])
def test_a_campaign_with_a_template_and_direct_content_is_an_error_not_advice(content: dict) -> None:
    """One content mode per campaign (issue 25, item 7): the linter errs, and so does the mock (same schema)."""
    campaign = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "name": "April",
                "schedule": "2026-04-15T09:00:00.000Z", "recipients": {"type": "all"},
                "templateId": "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90", **content}
    findings = lint_text(json.dumps(campaign), kind="campaign")
    assert [(f.code, f.severity.value) for f in findings] == [("MFL206", "error")]
    if "body" not in content:  # a message's text field is `text`: `body` would be unknown there
        message = {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678",
                   "templateId": "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90", **content}
        assert {f.code for f in lint_text(json.dumps(message), kind="send")} == {"MFL209"}  # messages: advice


def _url_pattern(schema: str, *pointer: str) -> str:
    node = json.loads((Path(contract.schema_dir()) / schema).read_text())
    for key in pointer:
        node = node[key]
    return node["pattern"]


@pytest.mark.parametrize("where", [("common.schema.json", "$defs", "httpUrl"),
                                   ("webhook.schema.json", "properties", "url")])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_url_the_schemas_accept_is_one_an_http_client_can_call(where, data) -> None:
    """One URL rule: what the pattern lets through parses, with a bracketed address that is IPv6
    and a port from 1 to 65535 (an `http://[0` or `:809888` used to pass the schema)."""
    from urllib.parse import urlsplit

    url = data.draw(st.from_regex(_url_pattern(*where), fullmatch=True))
    note(url)
    parts = urlsplit(url)  # raises for a bracketed host that is no IP address
    assert parts.scheme in ("http", "https") and parts.hostname
    assert parts.port is None or 1 <= parts.port <= 65535


def test_check_jsonschema_follows_the_references_offline_with_no_base_uri(tmp_path: Path) -> None:
    """The schemas work from their files: a tool that knows nothing of ours resolves
    `common.schema.json` beside send.schema.json, with no network (run in `unshare -n` when it can)."""
    import shutil
    import subprocess
    import sys

    tool = Path(sys.executable).with_name("check-jsonschema")
    if not tool.exists():
        pytest.skip("check-jsonschema is in the bench extra")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "+33612345678",
                                "type": "text", "text": "Hi"}))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "to": "0612", "type": "text",
                               "text": "Hi"}))
    schema = str(Path(contract.schema_dir()) / "send.schema.json")
    isolated = ["unshare", "-rn"] if shutil.which("unshare") and subprocess.run(
        ["unshare", "-rn", "true"], capture_output=True).returncode == 0 else []
    ok = subprocess.run([*isolated, str(tool), "--schemafile", schema, str(good)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    refused = subprocess.run([*isolated, str(tool), "--schemafile", schema, str(bad)], capture_output=True, text=True)
    assert refused.returncode == 1 and "0612" in refused.stdout, refused.stdout + refused.stderr
