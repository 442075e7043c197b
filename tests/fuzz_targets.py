"""What "never breaks" means, as checks over generated inputs, shared by the suite and benchmarks/fuzz.py.

Each `*_problem` function takes one generated input and returns None when the tool behaved,
or a one-line description of how it misbehaved. The tests run them with modest budgets and
fail on the first problem; benchmarks/fuzz.py runs large budgets and counts.
"""

from __future__ import annotations

import json
import os
import re
import string
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

from hypothesis import strategies as st

from msgflash_lint.formatters import FORMATS, render
from msgflash_lint.linter import lint_paths

KINDS = ("send", "schedule", "campaign", "template")
SUFFIXES = (".json", ".txt", ".tmpl", ".send.json", ".schedule.json", ".campaign.json", ".template.json")

# --- the linter -------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec=None), max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@st.composite
def linter_inputs(draw) -> tuple[bytes, bytes]:
    """(file name, file content): raw bytes, any unicode, or a payload with any value in any field."""
    name = draw(st.binary(min_size=1, max_size=24).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                          and b not in (b".", b"..")))
    suffix = draw(st.sampled_from(SUFFIXES)).encode()
    shape = draw(st.sampled_from(["bytes", "unicode", "payload", "deep"]))
    if shape == "bytes":
        content = draw(st.binary(max_size=400))
    elif shape == "unicode":
        text = draw(st.text(st.characters(codec=None), max_size=200))
        content = (json.dumps({"name": text, "type": "text", "body": text, text: text}).encode()
                   if suffix.endswith(b".json") else text.encode("utf-8", "surrogatepass"))
    elif shape == "deep":
        depth = draw(st.integers(1, 1200))
        content = (b'{"to": ' + b"[" * depth + b"]" * depth + b"}")
    else:
        from msgflash_lint.contract import declared_properties
        from msgflash_lint.strategies import payloads

        kind = draw(st.sampled_from(KINDS))
        payload = draw(payloads(kind))
        payload[draw(st.sampled_from(sorted(declared_properties(kind))))] = draw(JSON_VALUES)
        content = json.dumps(payload).encode()
        suffix = f".{kind}.json".encode()
    return name + suffix, content


def report_problem(output_format: str, report: str, findings: int) -> str | None:
    """Why a report is not well formed, or None."""
    try:
        data = report.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"{output_format}: not encodable as UTF-8 ({error.reason})"
    try:
        if output_format in ("json", "sarif"):
            json.loads(data)
        elif output_format == "junit":
            ElementTree.fromstring(data)
        elif len(report.splitlines()) != findings + 1:
            return f"{output_format}: {len(report.splitlines())} lines for {findings} findings"
    except (ValueError, ElementTree.ParseError) as error:
        return f"{output_format}: not well formed ({error})"
    return None


def linter_problem(folder: Path, name: bytes, content: bytes) -> str | None:
    """Lint one generated file (by name and through its folder) and render every format."""
    path = folder / os.fsdecode(name)
    path.write_bytes(content)
    try:
        result = lint_paths([str(path), str(folder)])
        if result.internal_errors:
            return f"internal error: {result.internal_errors[0]}"
        for output_format in FORMATS:
            problem = report_problem(output_format, render(output_format, result), len(result.diagnostics))
            if problem:
                return problem
        return None
    except Exception as error:  # the very thing the property is about
        return f"raised {type(error).__name__}: {error}"
    finally:
        path.unlink()


# --- the mock ---------------------------------------------------------------------------

_ID_TEXT = st.one_of(
    st.uuids().map(str),
    st.text(st.characters(codec=None), max_size=30),
    st.sampled_from(["0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10", "3c9d8e7f-1a2b-4c5d-8e9f-0a1b2c3d4e5f",
                     "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90", "%", "..", "%2F", "%00"]),
)
_QUERY_NAMES = st.sampled_from(["limit", "page", "cursor", "search", "sort", "status", "instanceId", "x"])
_QUERY_VALUES = st.one_of(st.text(st.characters(codec=None), max_size=20), st.integers().map(str),
                          st.sampled_from(["²", "٣", "9" * 5000, "-1", "0", "1e3", "", "createdAt_desc"]))


def _quoted(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def mock_requests(draw, routes: list[tuple[str, tuple[str, ...]]]) -> dict:
    """One request to any route of the app: any method it has, any ids, query, headers and body."""
    rule, methods = draw(st.sampled_from(routes))
    path = re.sub(r"<(?:[^:<>]+:)?[^<>]+>", lambda _: _quoted(draw(_ID_TEXT)), rule)
    query = "&".join(f"{_quoted(draw(_QUERY_NAMES))}={_quoted(draw(_QUERY_VALUES))}"
                     for _ in range(draw(st.integers(0, 3))))
    body_shape = draw(st.sampled_from(["none", "json", "bytes", "deep", "surrogate"]))
    if body_shape == "json":
        body = json.dumps(draw(JSON_VALUES)).encode()
    elif body_shape == "bytes":
        body = draw(st.binary(max_size=200))
    elif body_shape == "deep":
        depth = draw(st.integers(1, 1500))
        body = b'{"name": "a", "phone": "+33600000001", "to": ' + b"[" * depth + b"]" * depth + b"}"
    elif body_shape == "surrogate":
        body = ('{"name": "\\ud800", "phone": "+33600000001", "url": "https://[x/h", "events": ["message.sent"], '
                f'"{draw(st.sampled_from(["meta", "to", "text", "body"]))}": "\\udfff"}}').encode()
    else:
        body = None
    return {
        "method": draw(st.sampled_from([*methods, "OPTIONS", "PATCH"])),
        "path": path + (f"?{query}" if query else ""),
        "body": body,
        "content_type": draw(st.sampled_from(["application/json", "text/plain", "application/json; charset=utf-8",
                                              "application/x-www-form-urlencoded", ""])),
        "key": draw(st.sampled_from(["msgf_live_alpha", "msgf_live_beta", "", "msgf_live_" + string.ascii_lowercase])),
    }


def fuzz_app():
    """The bundled fixtures with limits out of the way: a 429 would hide what a request does."""
    from mock_server import create_app
    from mock_server.state.fixtures import load_fixtures

    fixtures = load_fixtures()
    for account in fixtures["accounts"]:
        account["rateLimitPerSecond"] = 10**9
        account["limits"].pop("monthlyApiRequestQuota", None)
        account["limits"].pop("monthlyOutboundQuota", None)
    return create_app(fixtures, webhook_retry_base=0.01)


def api_routes(app) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((rule.rule, tuple(sorted(rule.methods - {"HEAD", "OPTIONS"})))
                  for rule in app.url_map.iter_rules() if rule.endpoint != "static")


# Reads that must keep working after any request: one request never breaks an account.
HEALTH_READS = ("/api/v1/contacts", "/api/v1/templates", "/api/v1/webhooks", "/api/v1/messages",
                "/api/v1/contacts/groups", "/api/v1/instances")


def envelope_problem(status: int, content_type: str, payload: bytes) -> str | None:
    if status >= 500:
        return f"answered {status}: {payload[:200]!r}"
    if not content_type.startswith("application/json"):
        return f"answered {status} as {content_type!r}"
    try:
        body = json.loads(payload)
    except ValueError:
        return f"answered {status} with a body that is not JSON"
    if status >= 400:
        error = body.get("error") if isinstance(body, dict) else None
        if not (isinstance(error, dict) and isinstance(error.get("code"), str)
                and isinstance(error.get("message"), str) and isinstance(error.get("details"), list)):
            return f"answered {status} outside the error envelope: {payload[:200]!r}"
    elif not (isinstance(body, dict) and ("data" in body or "openapi" in body)):  # /openapi.json is the document
        return f"answered {status} without `data`: {payload[:200]!r}"
    return None


def mock_problem(client, request: dict) -> str | None:
    """Send one request in-process; then the account's lists must still answer 200."""
    headers = {"x-api-key": request["key"]}
    if request["content_type"]:
        headers["Content-Type"] = request["content_type"]
    try:
        reply = client.open(request["path"], method=request["method"], data=request["body"], headers=headers)
    except Exception as error:
        return f"{request['method']} {request['path'][:80]} raised {type(error).__name__}: {error}"
    problem = envelope_problem(reply.status_code, reply.content_type or "", reply.get_data())
    if problem:
        return f"{request['method']} {request['path'][:80]}: {problem}"
    if request["method"] == "HEAD":
        return None
    for read in HEALTH_READS:
        after = client.get(read, headers={"x-api-key": "msgf_live_alpha"})
        if after.status_code != 200:
            return f"after {request['method']} {request['path'][:80]}: GET {read} answered {after.status_code}"
    return None
