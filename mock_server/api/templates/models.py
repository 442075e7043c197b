"""Templates: their state changes (no HTTP here).

A template's JSON (Template.to_json) parses the body for `variables`: the views call it outside
the store lock on a copy, so a 2 MiB body never holds up the other accounts (the parse is
cached by body).
"""

from __future__ import annotations

import copy

from mock_server.api.templates.rendering import invalid_template_details
from mock_server.state.errors import ApiError
from mock_server.state.records import Template
from mock_server.state.store import Account, Store
from mock_server.web.bodies import check_contract


def reject_invalid_body(body: str | None) -> None:
    """TEMPLATE_INVALID for a body the linter's placeholder rules refuse."""
    details = invalid_template_details(body, "body")
    if details:
        raise ApiError("TEMPLATE_INVALID", details[0]["message"], details)


def create(store: Store, account: Account, payload: dict) -> Template:
    """The new template, and a copy of it to answer with outside the lock."""
    now = store.now_iso()
    template = Template(id=store.new_id(), userId=account.user["id"], name=payload["name"], type=payload["type"],
                        body=payload.get("body"), mediaUrl=payload.get("mediaUrl"), createdAt=now, updatedAt=now)
    account.templates[template.id] = template
    return copy.copy(template)


def update(store: Store, template: Template, payload: dict) -> Template:
    """`name`, `body` and `mediaUrl` change; `type` is immutable. The template as it would
    become must still meet the create contract (a body or mediaUrl as its type needs)."""
    changes = {k: payload[k] for k in ("name", "body", "mediaUrl") if k in payload}
    changed = {**template.to_json(), **changes}
    check_contract("template", {k: changed[k] for k in ("name", "type", "body", "mediaUrl")})
    template.change({**changes, "updatedAt": store.now_iso()})
    return copy.copy(template)
