"""GET /openapi.json: an OpenAPI 3.1 document of every route, built from schemas/ and the URL map.

Request bodies are the schema files themselves (as components, `$ref`s rewritten), the paths
come from the app's own routes, and each operation's body and success status from the view's
own declaration (mock_server.operations), so the document cannot drift from what is served.
"""

from __future__ import annotations

import copy
import re

from flask import Flask

from mock_server.operations import declared_operation
from msgflash_lint import api

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
    declared = declared_operation(view)
    success = str(declared.status)
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
    for status in declared.other_statuses:
        operation["responses"][str(status)] = {"description": "Success", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Data"}}}}
    if declared.body:
        operation["requestBody"] = {"required": not declared.body_optional, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{component_name(declared.body)}"}}}}
    if mock_only:
        operation["security"] = []
        operation["x-mock-only"] = True
    return operation
