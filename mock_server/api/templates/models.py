"""Templates: their state changes and their JSON (no HTTP here).

`template_json` parses the body (for `variables`) and is called outside the store lock on a
copy: a 2 MiB body never holds up the other accounts (the parse is cached by body).
"""

from __future__ import annotations

from mock_server.api.templates.rendering import invalid_template_details
from mock_server.state.errors import ApiError
from mock_server.state.store import Account, Store
from mock_server.web.bodies import check_contract
from msgflash_lint import api


def template_json(template: dict, user_id: str) -> dict:
    body = template.get("body")
    return {"id": template["id"], "userId": user_id, "name": template["name"],
            "type": template["type"], "body": body, "mediaUrl": template.get("mediaUrl"),
            "variables": api.template_variables(body or ""), "createdAt": template["createdAt"],
            "updatedAt": template["updatedAt"]}


def reject_invalid_body(body: str | None) -> None:
    """TEMPLATE_INVALID for a body the linter's placeholder rules refuse."""
    details = invalid_template_details(body, "body")
    if details:
        raise ApiError("TEMPLATE_INVALID", details[0]["message"], details)


def create(store: Store, account: Account, payload: dict) -> dict:
    now = store.now_iso()
    template = {"id": store.new_id(), "name": payload["name"], "type": payload["type"],
                "body": payload.get("body"), "mediaUrl": payload.get("mediaUrl"),
                "createdAt": now, "updatedAt": now}
    account.templates[template["id"]] = template
    return dict(template)


def update(store: Store, template: dict, payload: dict) -> dict:
    """`name`, `body` and `mediaUrl` change; `type` is immutable. The template as it would
    become must still meet the create contract (a body or mediaUrl as its type needs)."""
    changed = {**template, **{k: payload[k] for k in ("name", "body", "mediaUrl") if k in payload}}
    check_contract("template", {k: changed[k] for k in ("name", "type", "body", "mediaUrl")})
    template.update(changed, updatedAt=store.now_iso())
    return dict(template)
