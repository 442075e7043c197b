"""GET /openapi.json: an OpenAPI 3.1 document of every route, built from schemas/ and the URL map.

Request bodies are the schema files themselves (as components, `$ref`s rewritten); responses
are schemas/responses.schema.json's `data` shapes (each its own `…Data` component), with the
operation's summary, its documented errors by status and an example from the documentation;
the paths come from the app's own routes and each operation's body from the view's own
declaration (mock_server.web.operations), so the document cannot drift from what is served.
"""

from __future__ import annotations

import copy
import json
import re
from importlib import resources

from flask import Blueprint, Flask, current_app, request

from mock_server.openapi.flat import flat_document
from mock_server.web.loopback import host_of_header, is_loopback_host
from mock_server.web.operations import declared_operation, operation
from msgflash_lint import api

bp = Blueprint("documents", __name__)

_CLOSING_KEYWORDS = ("additionalProperties", "unevaluatedProperties")


def component_name(schema_file: str) -> str:
    return "".join(part.capitalize() for part in schema_file.split("-"))


def _rewrite(node, own: str):
    """Schema-file `$ref`s → `#/components/schemas/...` pointers."""
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                target, _, fragment = value.partition("#")
                name = component_name(target.removesuffix(".schema.json")) if target else own
                result[key] = f"#/components/schemas/{name}{fragment}"
            elif key in _CLOSING_KEYWORDS and value is False:
                # Decision D3: MsgFlash ignores unknown fields, so the API accepts them; the
                # closed objects in schemas/ only drive the linter's MFL207 warning.
                continue
            elif key not in ("$id", "$schema"):
                result[key] = _rewrite(value, own)
        return result
    if isinstance(node, list):
        return [_rewrite(item, own) for item in node]
    return node


RESPONSES = "responses"


def data_component(definition: str) -> str:
    """The component of a response `data` shape: `sentMessage` → `SentMessageData`."""
    return definition[0].upper() + definition[1:] + "Data"


def _rewrite_response_refs(node):
    """`#/components/schemas/Responses/$defs/x` → the hoisted `XData` component."""
    prefix = f"#/components/schemas/{component_name(RESPONSES)}/$defs/"
    if isinstance(node, dict):
        return {key: (_ref_to_component(value, prefix) if key == "$ref" else _rewrite_response_refs(value))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_response_refs(item) for item in node]
    return node


def _ref_to_component(ref: str, prefix: str) -> str:
    if not ref.startswith(prefix):
        return ref
    name = ref[len(prefix):]
    return "#/components/schemas/" + ("Error" if name == "error" else data_component(name))


def openapi_document(app: Flask, server_url: str) -> dict:
    schemas = {component_name(name): _rewrite(copy.deepcopy(api.schema(name)), component_name(name))
               for name in api.schema_names() if name != RESPONSES}
    responses = _rewrite(copy.deepcopy(api.schema(RESPONSES)), component_name(RESPONSES))
    for name, definition in responses["$defs"].items():
        definition = _rewrite_response_refs(definition)
        definition.pop("x-msgflash-example-source", None)
        schemas["Error" if name == "error" else data_component(name)] = definition
    schemas.update(_control_components(app))
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or not (rule.rule == "/" or rule.rule.startswith(("/api/", "/_mock/", "/openapi"))):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        mock_only = not rule.rule.startswith("/api/")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = _operation(app, rule, method, mock_only, responses["$defs"])
            paths.setdefault(path, {})[method.lower()] = operation
    used_tags = sorted({tag for operations in paths.values() for op in operations.values() for tag in op["tags"]})
    return flat_document({
        "openapi": "3.1.0",
        "info": {"title": "MsgFlash API (msgflash-mock)", "version": "v1",
                 "description": "The documented MsgFlash endpoints served by msgflash-mock. Operations tagged "
                                "`mock-only` (under /_mock/) are not part of MsgFlash.",
                 "contact": {"name": "msgflash-lint", "url": "https://docs.msgflash.com"},
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "servers": [{"url": server_url.rstrip("/") or "/"}],
        "security": [{"apiKey": []}],
        "tags": [{"name": tag, "description": _TAG_DESCRIPTIONS.get(tag, f"The documented `{tag}` endpoints.")}
                 for tag in used_tags],
        "components": {"schemas": schemas,
                       "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}}},
        "paths": paths,
        "webhooks": _webhooks(),
    })


_TAG_DESCRIPTIONS = {"mock-only": "msgflash-mock's own controls under /_mock/ (reset, faults, clock, journal): "
                                  "not part of MsgFlash; never reachable from a browser."}
_SIGNATURE = ("`sha256=` followed by the lowercase hex HMAC-SHA256 of the raw request body, keyed with the "
              "endpoint's `secret` (returned once, by POST /api/v1/webhooks). Compare in constant time.")


def _webhooks() -> dict:
    """One entry per documented event: what MsgFlash POSTs to an endpoint, its headers, the answer it wants."""
    events = api.schema("webhook")["properties"]["events"]["items"]["enum"]
    shown = api.schema(RESPONSES)["$defs"]["webhookEvent"]["properties"]["event"]["enum"]
    entries = {}
    for event in events:
        body = ({"$ref": f"#/components/schemas/{data_component('webhookEvent')}"} if event in shown else
                {"type": "object", "required": ["event"], "properties": {"event": {"const": event}},
                 "description": "MsgFlash documents no payload for this event; msgflash-mock never sends it."})
        entries[event] = {"post": {
            "operationId": "webhook_" + event.replace(".", "_"),
            "summary": f"The `{event}` event, POSTed to each endpoint subscribed to it",
            "description": "Delivered off the request that caused it; an answer other than 2xx is retried (five "
                           "attempts in all, with exponential backoff). msgflash-mock delivers to loopback "
                           "addresses only.",
            "tags": ["webhooks"],
            "parameters": [
                {"name": "X-MsgFlash-Event", "in": "header", "required": True,
                 "schema": {"type": "string", "const": event}, "description": "The event name."},
                {"name": "X-MsgFlash-Signature", "in": "header", "required": True,
                 "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"}, "description": _SIGNATURE}],
            "requestBody": {"required": True, "content": _json(body)},
            "responses": {"200": {"description": "Any 2xx answer acknowledges the delivery."}},
        }}
    return entries


def _control_components(app: Flask) -> dict:
    """The control routes' request bodies (`Mock…Body`), from the schemas they are checked against,
    and their answers (`MockAnswers…`), from control/schemas/answers.schema.json."""
    from mock_server.control.accounts import changes_schema
    from mock_server.web.bodies import mock_body_schema

    declared = [declared_operation(view) for view in app.view_functions.values()]
    names = sorted({operation.mock_body for operation in declared if operation is not None and operation.mock_body})
    # A body its view checks itself has its schema from the view's module, not from a file.
    checked_by_views = {"accounts": changes_schema}
    bodies = {name: checked_by_views[name]() if name in checked_by_views else mock_body_schema(name)
              for name in names}
    components = {f"{_mock_component_prefix(name)}Body": schema for name, schema in bodies.items()}
    components[ANSWERS] = json.loads(resources.files("mock_server.control").joinpath("schemas", "answers.schema.json")
                                     .read_text(encoding="utf-8"))
    # Each file's `$defs` stay inside, its own references pointing there: flat_document makes each
    # definition a component of its own (`MockAnswersClock`), and leaves the emptied file out.
    return {name: _within(copy.deepcopy(schema), name) for name, schema in components.items()}


ANSWERS = "MockAnswers"  # mock_server/control/schemas/answers.schema.json, before flat_document


def _within(schema: dict, component: str) -> dict:
    """A schema file as the component `component`: its `#/$defs/…` references point inside it."""
    schema.pop("$schema", None)
    return json.loads(json.dumps(schema).replace('"#/$defs/', f'"#/components/schemas/{component}/$defs/'))


def _mock_component_prefix(name: str) -> str:
    """`MockClockAdvance` for control/schemas/clock-advance.schema.json: its components' common prefix."""
    return "Mock" + "".join(part.capitalize() for part in name.split("-"))


def _json(schema: dict, example=None) -> dict:
    media = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {"application/json": media}


def _operation(app: Flask, rule, method: str, mock_only: bool, definitions: dict) -> dict:
    view = app.view_functions[rule.endpoint]
    declared = declared_operation(view)
    documented = None if mock_only else api.operations().get(f"{method} {api.route_key(rule.rule)}")
    summary = documented.summary if documented else (view.__doc__ or f"{method} {rule.rule}").strip().splitlines()[0]
    # Every id MsgFlash hands out is a UUID (the docs say so of each path id).
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
                  for name in sorted(rule.arguments)]
    parameters += [{"name": query.name, "in": "query", "required": False, "schema": query.schema}
                   for query in getattr(view, "query_params", ())]
    operation: dict = {
        "operationId": method.lower() + re.sub(r"[^A-Za-z0-9]+", "_", rule.rule).rstrip("_"),
        "summary": summary,
        "description": _description(view, documented, mock_only),
        "tags": ["mock-only"] if mock_only else [rule.endpoint.split(".")[1]],
        "parameters": parameters,
        "responses": _responses(declared, documented, definitions),
    }
    if declared.body:
        operation["requestBody"] = {"required": not declared.body_optional, "content": _json(
            {"$ref": f"#/components/schemas/{component_name(declared.body)}"})}
    elif declared.mock_body:
        operation["requestBody"] = {"required": not declared.body_optional, "content": _json(
            {"$ref": f"#/components/schemas/{_mock_component_prefix(declared.mock_body)}Body"})}
    if mock_only:
        operation["security"] = []
        operation["x-mock-only"] = True
    return operation


def _description(view, documented, mock_only: bool) -> str:
    """The view's own account of the route (its docstring), said to be mock-only where it is."""
    text = " ".join((view.__doc__ or "").split()) or (documented.summary if documented else "")
    if mock_only:
        return f"Mock-only (not part of MsgFlash). {text}".strip()
    return f"{text} Errors: see the responses; any documented error can be forced with the mock-only " \
           "X-Mock-Error header.".strip()


def _responses(declared, documented, definitions: dict) -> dict:
    error = {"$ref": "#/components/schemas/Error"}
    if documented is None:  # a mock-only route
        shape = {"$ref": "#/components/schemas/" + (data_component(declared.answer) if declared.answer else
                                                    f"{ANSWERS}/$defs/{declared.mock_answer}")}
        if declared.envelope:
            shape = {"type": "object", "required": ["data"], "properties": {"data": shape}}
        success = {str(s): {"description": "Success", "content": _json(shape)}
                   for s in (declared.status, *declared.other_statuses)}
        return {**success, "default": {"description": "The error envelope", "content": _json(error)}}
    answers: dict = {}
    for status, definition in documented.responses.items():
        examples = definitions[definition].get("examples")
        schema = {"type": "object", "required": ["data"],
                  "properties": {"data": {"$ref": f"#/components/schemas/{data_component(definition)}"}}}
        answers[status] = {"description": definitions[definition].get("description", "Success"),
                           "content": _json(schema, {"data": examples[0]} if examples else None)}
    codes = [*documented.errors, *api.common_errors()]
    if declared.personal_key is not None:  # not a workspace route: X-Team-Id is not refused there
        codes.remove("TEAM_KEY_REQUIRED")
    table = api.error_codes()
    by_status: dict[int, list[str]] = {}
    for code in dict.fromkeys(codes):
        by_status.setdefault(table[code][0], []).append(code)
    for status, listed in sorted(by_status.items()):
        example = {"error": {"code": listed[0], "message": table[listed[0]][1], "details": []}}
        answers[str(status)] = {"description": "Documented errors: " + ", ".join(listed),
                                "content": _json(error, example)}
    answers["default"] = {"description": "Any other documented error (the mock-only X-Mock-Error header "
                                         "forces any code on any route)", "content": _json(error)}
    return answers


@bp.get("/")
@operation(mock_answer="index")
def index():
    """What this server is (mock-only route): where its contract and controls are."""
    control = sorted({rule.rule for rule in current_app.url_map.iter_rules() if rule.rule.startswith("/_mock/")})
    return {"name": "msgflash-mock", "description": "A stateful mock of the MsgFlash API, for tests (not MsgFlash).",
            "api": "/api/v1", "openapi": "/openapi.json", "control": control}


@bp.get("/openapi.json")
@operation(envelope=False, mock_answer="document")
def openapi():
    """The OpenAPI 3.1 document of this server (mock-only route)."""
    # The Host header is the caller's to choose: echo it only when it names this machine.
    server = request.host_url if is_loopback_host(host_of_header(request.host)) else "/"
    # Built once per app (the routes do not change after start-up); only `servers` varies.
    cached = current_app.extensions.get("msgflash_mock_openapi")
    if cached is None:
        cached = current_app.extensions["msgflash_mock_openapi"] = openapi_document(current_app, "/")
    return {**cached, "servers": [{"url": server.rstrip("/") or "/"}]}
