"""GET /openapi.json: an OpenAPI 3.1 document of every route, built from schemas/ and the URL map.

Request bodies are the schema files themselves (as components, `$ref`s rewritten), and the
paths come from the app's own routes, so the document cannot drift from what is served.
"""

from __future__ import annotations

import copy
import re

from flask import Flask

from msgflash_lint import api

# Which schema file each endpoint reads its body from, and its success status.
REQUEST_SCHEMAS = {
    "api.messages.send": "send", "api.messages.schedule": "schedule", "api.campaigns.create": "campaign",
    "api.templates.create_template": "template", "api.templates.update_template": "template-update",
    "api.templates.preview_template": "template-preview", "api.contacts.create_contact": "contact",
    "api.contacts.update_contact": "contact-update", "api.contacts.create_group": "group",
    "api.contacts.change_members": "group-members", "api.webhooks.create_webhook": "webhook",
}
CREATED = {"api.messages.send", "api.messages.schedule", "api.campaigns.create", "api.templates.create_template",
           "api.contacts.create_contact", "api.contacts.create_group", "api.webhooks.create_webhook"}
# Bodies that may be left out entirely.
OPTIONAL_BODY = {"api.templates.preview_template"}


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


def openapi_document(app: Flask, server_url: str) -> dict:
    schemas = {component_name(name): _rewrite(copy.deepcopy(api.schema(name)), component_name(name))
               for name in api.schema_names()}
    schemas["Error"] = {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "message", "details"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "object"}}}}},
    }
    schemas["Data"] = {"type": "object", "required": ["data"], "properties": {"data": {}}}
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or not rule.rule.startswith(("/api/", "/_mock/", "/openapi")):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        mock_only = rule.rule.startswith("/_mock/") or rule.rule.startswith("/openapi")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = _operation(app, rule, method, mock_only)
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "MsgFlash API (msgflash-mock)", "version": "v1",
                 "description": "The documented MsgFlash endpoints served by msgflash-mock. Operations tagged "
                                "`mock-only` (under /_mock/) are not part of MsgFlash."},
        "servers": [{"url": server_url.rstrip("/") or "/"}],
        "security": [{"apiKey": []}],
        "components": {"schemas": schemas,
                       "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}}},
        "paths": paths,
    }


def _operation(app: Flask, rule, method: str, mock_only: bool) -> dict:
    view = app.view_functions[rule.endpoint]
    summary = (view.__doc__ or f"{method} {rule.rule}").strip().splitlines()[0]
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in sorted(rule.arguments)]
    parameters += [{"name": query.name, "in": "query", "required": False, "schema": query.schema}
                   for query in getattr(view, "query_params", ())]
    success = "201" if rule.endpoint in CREATED else "200"
    operation: dict = {
        "operationId": method.lower() + re.sub(r"[^A-Za-z0-9]+", "_", rule.rule).rstrip("_"),
        "summary": summary,
        "tags": ["mock-only"] if mock_only else [rule.endpoint.split(".")[1]],
        "parameters": parameters,
        "responses": {
            success: {"description": "Success", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Data"}}}},
            "default": {"description": "The documented error envelope", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }
    if rule.endpoint == "api.contacts.change_members":
        operation["responses"]["202"] = {"description": "Accepted (100 ids or more)", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Data"}}}}
    schema_file = REQUEST_SCHEMAS.get(rule.endpoint)
    if schema_file:
        operation["requestBody"] = {"required": rule.endpoint not in OPTIONAL_BODY, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{component_name(schema_file)}"}}}}
    if mock_only:
        operation["security"] = []
        operation["x-mock-only"] = True
    return operation
