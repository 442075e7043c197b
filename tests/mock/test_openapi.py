"""GET /openapi.json: complete, resolvable, and the same contract as schemas/."""

from __future__ import annotations

import json

from hypothesis import given
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mock_server import create_app
from mock_server.openapi import component_name, data_component
from mock_server.web.operations import declared_operation
from msgflash_lint import api
from msgflash_lint.contract import SCHEMA_FILES, load_schema
from msgflash_lint.strategies import any_payload
from tests.mock.conftest import raw_request

DOCUMENT_URI = "urn:msgflash-mock:openapi"


def document(client) -> dict:
    reply = client.get("/openapi.json")
    assert reply.status_code == 200
    return reply.json


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(doc: dict, pointer: str):
    node = doc
    for part in pointer.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_every_route_is_documented(app, client) -> None:
    paths = document(client)["paths"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[path], (method, path)


def test_document_passes_the_openapi_3_1_validator(client) -> None:
    from openapi_spec_validator import validate

    validate(document(client))  # raises, naming the place, on anything the specification refuses


def test_document_is_openapi_3_1_and_every_ref_resolves(client) -> None:
    doc = document(client)
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["apiKey"] == {"type": "apiKey", "in": "header", "name": "x-api-key"}
    operation_ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    for ref in _refs(doc):
        assert ref.startswith("#/components/schemas/")
        _resolve(doc, ref)
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    mock_only = [op for path, item in doc["paths"].items() if path.startswith("/_mock/") for op in item.values()]
    assert mock_only and all(op["x-mock-only"] and op["tags"] == ["mock-only"] for op in mock_only)


def _validator(doc: dict, kind: str):
    registry = Registry().with_resource(DOCUMENT_URI, Resource(contents=doc, specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"{DOCUMENT_URI}#/components/schemas/{component_name(kind)}"},
                                registry=registry)


@given(any_payload())
def test_request_schemas_in_the_document_accept_the_strategy_payloads(kind_and_payload) -> None:
    kind, payload = kind_and_payload
    assert list(_validator(_DOC, kind).iter_errors(payload)) == []


def test_request_schemas_in_the_document_reject_what_schemas_reject() -> None:
    broken = {"instanceId": "x", "to": "0612", "type": "image"}
    assert {e.validator for e in _validator(_DOC, "send").iter_errors(broken)} >= {"pattern", "required"}


def test_every_schema_file_and_response_shape_is_a_component() -> None:
    components = set(_DOC["components"]["schemas"])
    # common.schema.json is definitions only: each is a component of its own (or, a scalar, copied where used).
    assert {component_name(name) for name in SCHEMA_FILES if name not in ("responses", "common")} <= components
    assert {data_component(name) for name in load_schema("responses")["$defs"] if name != "error"} <= components
    assert "Error" in components


def test_every_api_route_has_typed_responses_a_summary_its_errors_and_request_schema(app) -> None:
    """Every route of the URL map: a documented operation, its success data typed (never `{}`),
    an example from the docs where they give one, every documented error status, its body schema."""
    documented = api.operations()
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            key = f"{method} {api.route_key(rule.rule)}"
            served.add(key)
            operation, spec = _DOC["paths"][path][method.lower()], documented[key]
            assert operation["summary"] == spec.summary
            for status, definition in spec.responses.items():
                media = operation["responses"][status]["content"]["application/json"]
                assert media["schema"]["properties"]["data"] == {"$ref": f"#/components/schemas/{data_component(definition)}"}
            for code in spec.errors:
                status = str(api.error_codes()[code][0])
                assert code in operation["responses"][status]["description"], (key, code)
            takes_body = declared_operation(app.view_functions[rule.endpoint]).body
            assert ("requestBody" in operation) == bool(takes_body), key
    assert served == set(documented), "documented operations the mock lacks, or routes the docs lack"
    examples = [op["responses"][s]["content"]["application/json"].get("example")
                for item in _DOC["paths"].values() for op in item.values() for s in op["responses"] if s < "3"]
    assert sum(e is not None for e in examples) >= 40


def _load_document() -> dict:
    return json.loads(json.dumps(create_app().test_client().get("/openapi.json").json))


_DOC = _load_document()


def test_the_document_is_built_once_per_app(monkeypatch) -> None:
    from mock_server import openapi

    calls = []
    real = openapi.openapi_document
    monkeypatch.setattr(openapi, "openapi_document", lambda app, url: calls.append(url) or real(app, url))
    client = create_app().test_client()
    first, second = client.get("/openapi.json").json, client.get("/openapi.json").json
    assert first == second and len(calls) == 1
    assert first["servers"] == [{"url": "http://localhost"}]




def test_openapi_servers_never_echo_a_foreign_host(api) -> None:
    status, _, payload = raw_request(api.base_url, "GET", "/openapi.json", headers={"Host": "evil.example"})
    assert status == 200 and json.loads(payload)["servers"] == [{"url": "/"}]
    _, _, payload = raw_request(api.base_url, "GET", "/openapi.json")
    assert json.loads(payload)["servers"] == [{"url": api.base_url}]


def test_the_webhooks_section_types_every_event_and_what_the_mock_delivers(api, client) -> None:
    """OpenAPI 3.1 `webhooks`: one entry per documented event, with the signature header; a delivery
    the mock makes fits the body the document declares for its event."""
    from jsonschema import Draft202012Validator

    document = client.get("/openapi.json").get_json()
    events = document["webhooks"]
    assert set(events) == {"instance.connected", "instance.disconnected", "message.sent", "message.delivered",
                           "message.read", "message.failed", "message.received"}
    sent = events["message.sent"]["post"]
    headers = {p["name"]: p for p in sent["parameters"]}
    assert headers["X-MsgFlash-Signature"]["schema"]["pattern"] == "^sha256=[0-9a-f]{64}$"
    assert "HMAC-SHA256" in headers["X-MsgFlash-Signature"]["description"]
    api.post("/api/v1/webhooks", {"url": "https://hooks.example/in", "events": ["message.sent"]})
    message = api.post("/api/v1/messages/send", {"instanceId": "0b1e7a52-5c2f-4d7e-9a1b-3f6c2d8e4a10",
                                                 "to": "+33612345678", "type": "text", "text": "Hi"}).data
    api.post(f"/_mock/messages/{message['id']}/advance", key=None)
    (delivery,) = api.get("/_mock/webhook-deliveries", key=None).data
    schema = sent["requestBody"]["content"]["application/json"]["schema"]
    schema = {"$ref": schema["$ref"].replace("#/components", "#/$defs/components"),
              "$defs": {"components": document["components"]}}
    assert list(Draft202012Validator(schema).iter_errors(delivery["body"])) == []


def test_every_operation_has_a_description_and_a_declared_tag_and_control_bodies_are_typed(client) -> None:
    document = client.get("/openapi.json").get_json()
    declared = {tag["name"] for tag in document["tags"]}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["description"] and set(operation["tags"]) <= declared, (method, path)
    fault = document["paths"]["/_mock/faults"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert fault == {"$ref": "#/components/schemas/MockFaultBody"}
    assert "route" in document["components"]["schemas"]["MockFaultBody"]["properties"]
    assert '"#/$defs/' not in json.dumps(document["components"]["schemas"]["MockFaultBody"])


def test_path_ids_are_uuids_and_answers_declare_what_the_mock_returns(client) -> None:
    document = client.get("/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for parameter in operation["parameters"]:
                if parameter["in"] == "path":
                    assert parameter["schema"] == {"type": "string", "format": "uuid"}, path
    schemas = document["components"]["schemas"]
    details = schemas["Error"]["properties"]["error"]["properties"]["details"]["items"]["properties"]
    assert {"field", "message", "code", "pointer"} <= set(details)
    message_meta = json.dumps(schemas)
    assert '"usedVariables"' in message_meta and '"missingVariables"' in message_meta and '"groupId"' in message_meta


def test_every_example_in_the_document_is_valid_against_its_schema() -> None:
    """Component `examples` and each answer's `example`, checked against the schema beside them."""
    registry = Registry().with_resource(DOCUMENT_URI, Resource(contents=_DOC, specification=DRAFT202012))

    def problems(schema: dict, example) -> list[str]:
        located = json.loads(json.dumps(schema).replace('"#/components/', f'"{DOCUMENT_URI}#/components/'))
        return [error.message for error in Draft202012Validator(located, registry=registry).iter_errors(example)]

    checked, found = 0, {}
    for name, schema in _DOC["components"]["schemas"].items():
        for index, example in enumerate(schema.get("examples", [])):
            checked += 1
            found.update({f"{name} example {index}": p for p in [problems(schema, example)] if p})
    for path, item in _DOC["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                media = answer.get("content", {}).get("application/json", {})
                if "example" in media:
                    checked += 1
                    found.update({f"{method} {path} {status}": p for p in [problems(media["schema"], media["example"])]
                                  if p})
    assert checked > 100 and found == {}
