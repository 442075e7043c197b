"""Templates: list, create, get, update, delete, preview."""

from __future__ import annotations

import copy

from flask import Blueprint

import mock_server.api.templates.models as library
from mock_server.api.templates.models import reject_invalid_body
from mock_server.api.templates.rendering import render
from mock_server.web.context import account, store
from mock_server.web.operations import operation
from mock_server.web.paging import page_numbered
from mock_server.web.queries import PAGE, TEMPLATE_LIMIT, takes
from msgflash_lint import api

bp = Blueprint("templates", __name__)


@bp.get("/templates")
@takes(PAGE, TEMPLATE_LIMIT)
def list_templates():
    page, limit = PAGE.read(), TEMPLATE_LIMIT.read()
    with store().lock:
        items = sorted(account().templates.values(), key=lambda t: (t.createdAt, t.id), reverse=True)
        chunk = [copy.copy(t) for t in page_numbered(items, page, limit)]  # to_json parses bodies: outside the lock
    return {"templates": [template.to_json() for template in chunk], "total": len(items)}


@bp.post("/templates")
@operation(body="template", status=201)
def create_template(body: dict):
    reject_invalid_body(body.get("body"))
    with store().lock:
        template = library.create(store(), account(), body)
    return template.to_json()


@bp.get("/templates/<template_id>")
def get_template(template_id: str):
    with store().lock:
        template = copy.copy(account().find("templates", template_id))
    return template.to_json()


@bp.put("/templates/<template_id>")
@operation(body="template-update")
def update_template(template_id: str, body: dict):
    reject_invalid_body(body.get("body"))
    with store().lock:
        template = library.update(store(), account().find("templates", template_id), body)
    return template.to_json()


@bp.delete("/templates/<template_id>")
def delete_template(template_id: str):
    with store().lock:
        template = account().find("templates", template_id)
        del account().templates[template.id]
        return {"deleted": True}


@bp.post("/templates/<template_id>/preview")
@operation(body="template-preview", body_optional=True)
def preview_template(template_id: str, body: dict):
    with store().lock:
        template = copy.copy(account().find("templates", template_id))
        instance = account().context("instances", body["instanceId"], "instanceId") \
            if "instanceId" in body else None
        contact = account().context("contacts", body["contactId"], "contactId") \
            if "contactId" in body else None
        instance, contact = copy.deepcopy((instance, contact))
    # Parsing and rendering read copies: a large body never holds the lock other accounts wait on.
    reject_invalid_body(template.body)
    text = template.body or ""
    rendered = render(text, contact, account().user, instance, body.get("variables", {}))
    # Decision D6: unresolved placeholders stay verbatim; preview never fails on them.
    return {"rendered": rendered.text, "variables": api.template_variables(text),
            "missingVariables": rendered.missing, "valid": not rendered.missing}
