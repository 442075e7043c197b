"""Per-test account changes (mock-only): POST /_mock/accounts and the plugin's `configure()`.

A test changes one account for itself — plan, features, WhatsApp Business, quotas, rate
limit, instances' status, contacts, templates — on top of the session's fixtures; the next
reset restores the fixtures. The changes are checked against the fixture format
(fixtures.schema.json, every field optional) and applied to the live account, so what the
test did before (messages sent, campaigns) stays.
"""

from __future__ import annotations

import copy
import difflib
import json
from functools import cache
from importlib import resources

from mock_server.state.errors import ApiError
from mock_server.state.fixtures import PLANS, with_defaults
from mock_server.state.records import Contact, Group, Instance, Template
from mock_server.state.store import Account, Store

CHANGEABLE = ("plan", "subscriptionActive", "whatsappBusiness", "features", "limits", "monthlyOutboundQuota",
              "outboundUsed", "apiRequestsUsed", "rateLimitPerSecond", "user", "instances", "contacts", "groups",
              "templates", "numbers")
_RESOURCES = ("instances", "contacts", "groups", "templates")
_RECORDS = {"instances": Instance, "contacts": Contact, "groups": Group, "templates": Template}


def changes_schema() -> dict:
    """The body of POST /_mock/accounts: the fixture format's account, every field optional (an
    item of a resource list may name an existing one by id alone), and the `apiKey` it changes."""
    schema = json.loads(resources.files("mock_server").joinpath("fixtures.schema.json").read_text("utf-8"))
    account = copy.deepcopy(schema["$defs"]["account"])
    account.pop("required", None)
    account["properties"] = {k: v for k, v in account["properties"].items() if k in CHANGEABLE}
    # Resource items are merged by id: a change may name an existing item by id alone.
    for kind in _RESOURCES:
        item = copy.deepcopy(schema["$defs"][kind]["items"])
        item.pop("required", None)
        account["properties"][kind] = {"type": "array", "items": item}
    account["properties"]["apiKey"] = {"type": "string", "description": "The account to change, by one of its "
                                       "keys; the first account of the fixtures when absent."}
    return {**account, "$defs": schema["$defs"]}


@cache
def _changes_validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(changes_schema())


def configure(store: Store, account: Account, changes: dict) -> None:
    from jsonschema.exceptions import best_match

    error = best_match(_changes_validator().iter_errors(changes))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path)
        message = error.message + _did_you_mean(error)
        raise ApiError("VALIDATION_ERROR", f"{where or 'changes'}: {message}",
                       [{"field": where.replace("/", "."), "message": message}])
    config = account.config
    if "plan" in changes:
        config["plan"] = changes["plan"]
        account.limits.update(PLANS[changes["plan"]]["limits"])
    for key in ("subscriptionActive", "whatsappBusiness", "rateLimitPerSecond"):
        if key in changes:
            config[key] = changes[key]
    account.features.update(changes.get("features", {}))
    account.limits.update(changes.get("limits", {}))
    if "monthlyOutboundQuota" in changes:
        account.limits["monthlyOutboundQuota"] = changes["monthlyOutboundQuota"]
    if "outboundUsed" in changes:
        account.usage.messages, account.usage.statuses = changes["outboundUsed"], 0
    if "apiRequestsUsed" in changes:
        account.usage.api_requests = changes["apiRequestsUsed"]
    account.user.update(changes.get("user", {}))
    if "numbers" in changes:
        config["numbers"] = {**config["numbers"], **changes["numbers"]}
    now = store.now_iso()
    for kind in _RESOURCES:
        for item in changes.get(kind, []):
            _merge(store, account, kind, item, now)


def _did_you_mean(error) -> str:
    """For a misspelled field (`plann`), the field it most likely meant: a typo in a marker or a
    configure() call must say what it should have been, not only that it was wrong."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return ""
    known = list(error.schema.get("properties", {}))
    hints = [f"`{name}` → `{close[0]}`" for name in error.instance if name not in known
             for close in [difflib.get_close_matches(name, known, n=1, cutoff=0.6)] if close]
    return f"; did you mean {', '.join(hints)}?" if hints else f"; known fields: {', '.join(sorted(known))}"


def _merge(store: Store, account: Account, kind: str, item: dict, now: str) -> None:
    collection = getattr(account, kind)
    item = copy.deepcopy(item)
    item_id = item.pop("id", None)
    existing = collection.get(item_id.lower()) if item_id else None
    if existing is not None:
        existing.change(item)
        if kind == "groups" and "contactIds" in item:
            existing.contactIds = [c.lower() for c in item["contactIds"]]
        if kind != "groups":
            existing.updatedAt = now
        return
    for required in {"contacts": ("phone",), "groups": ("name",), "instances": (), "templates": ("name",)}[kind]:
        if required not in item:
            raise ApiError("VALIDATION_ERROR", f"a new {kind[:-1]} needs `{required}`",
                           [{"field": f"{kind}.{required}", "message": "required for a new item"}])
    new_id = (item_id or store.new_id()).lower()
    stamps = {"createdAt": now} if kind == "groups" else {"createdAt": now, "updatedAt": now}
    record = {**stamps, **with_defaults(kind, item, len(collection)), "id": new_id}
    if kind == "contacts":
        record["seq"] = store.next_sequence()
    elif kind == "templates":
        record["userId"] = account.user["id"]
    collection[new_id] = _RECORDS[kind].from_fixture(record)
