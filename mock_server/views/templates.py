"""Templates: list, create, get, update, delete, preview."""

from __future__ import annotations

import copy

from flask import Blueprint, jsonify

from mock_server import template_library as library
from mock_server.bodies import json_body
from mock_server.context import account, store
from mock_server.operations import answer, operation
from mock_server.paging import page_numbered
from mock_server.queries import PAGE, TEMPLATE_LIMIT, takes
from mock_server.rendering import render
from mock_server.template_library import reject_invalid_body, template_json
from msgflash_lint import api

bp = Blueprint("templates", __name__)


@bp.get("/templates")
@takes(PAGE, TEMPLATE_LIMIT)
def list_templates():
    page, limit = PAGE.read(), TEMPLATE_LIMIT.read()
    with store().lock:
        items = sorted(account().templates.values(), key=lambda t: (t["createdAt"], t["id"]), reverse=True)
        chunk = [dict(t) for t in page_numbered(items, page, limit)]
    return jsonify({"data": {"templates": [template_json(t, account().user["id"]) for t in chunk], "total": len(items)}})


@bp.post("/templates")
@operation(body="template", status=201)
def create_template():
    payload = json_body()
    reject_invalid_body(payload.get("body"))
    with store().lock:
        template = library.create(store(), account(), payload)
    return answer({"data": template_json(template, account().user["id"])})


@bp.get("/templates/<template_id>")
def get_template(template_id: str):
    with store().lock:
        template = dict(account().find("templates", template_id))
    return jsonify({"data": template_json(template, account().user["id"])})


@bp.put("/templates/<template_id>")
@operation(body="template-update")
def update_template(template_id: str):
    payload = json_body()
    reject_invalid_body(payload.get("body"))
    with store().lock:
        template = library.update(store(), account().find("templates", template_id), payload)
    return jsonify({"data": template_json(template, account().user["id"])})


@bp.delete("/templates/<template_id>")
def delete_template(template_id: str):
    with store().lock:
        template = account().find("templates", template_id)
        del account().templates[template["id"]]
        return jsonify({"data": {"deleted": True}})


@bp.post("/templates/<template_id>/preview")
@operation(body="template-preview", body_optional=True)
def preview_template(template_id: str):
    payload = json_body()
    with store().lock:
        template = dict(account().find("templates", template_id))
        instance = account().context("instances", payload["instanceId"], "instanceId") \
            if "instanceId" in payload else None
        contact = account().context("contacts", payload["contactId"], "contactId") \
            if "contactId" in payload else None
        instance, contact = copy.deepcopy((instance, contact))
    # Parsing and rendering read copies: a large body never holds the lock other accounts wait on.
    reject_invalid_body(template.get("body"))
    body = template.get("body") or ""
    rendered = render(body, contact, account().user, instance, payload.get("variables", {}))
    # Decision D6: unresolved placeholders stay verbatim; preview never fails on them.
    return jsonify({"data": {"rendered": rendered.text, "variables": api.template_variables(body),
                             "missingVariables": rendered.missing, "valid": not rendered.missing}})
