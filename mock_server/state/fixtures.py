"""Fixture files (mock-only): read, check against fixtures.schema.json, fill in defaults."""

from __future__ import annotations

import json
import random
import uuid
from functools import partial
from importlib import resources
from typing import Any

from msgflash_lint import api

# Plans, newest table (decision D10). None means unlimited.
PLANS: dict[str, dict[str, Any]] = {
    "free": {"name": "Free", "limits": {"maxInstances": 1, "maxApiKeys": 1, "maxWebhookEndpoints": 3,
                                        "monthlyOutboundQuota": 500, "monthlyApiRequestQuota": 500,
                                        "maxContactGroups": 10}},
    "pro": {"name": "Pro", "limits": {"maxInstances": 5, "maxApiKeys": 5, "maxWebhookEndpoints": 15,
                                      "monthlyOutboundQuota": 50000, "monthlyApiRequestQuota": 150000,
                                      "maxContactGroups": 50}},
    "max": {"name": "MAX", "limits": {"maxInstances": 20, "maxApiKeys": 10, "maxWebhookEndpoints": 50,
                                      "monthlyOutboundQuota": 150000, "monthlyApiRequestQuota": 500000,
                                      "maxContactGroups": None}},
}
# Monthly prices in euros (newest plans page).
PLAN_PRICES_EUR = {"free": 0, "pro": 19, "max": 39}
# The plans page prices its example in both currencies (9 € = 7,200 FCFA, 800 FCFA a euro) and
# gives no other FCFA price: the mock derives them at that rate (docs/decisions.md).
FCFA_PER_EUR = 800
# Statuses are no longer sold (docs/decisions.md §5); campaigns, webhooks and voice notes are on every plan.
DEFAULT_FEATURES = {"campaigns": True, "webhooks": True, "voiceNotes": True, "statuses": False}


class FixtureError(ValueError):
    """A fixture file the mock refuses, with the field that is wrong in the message."""


def bundled_fixtures_text() -> str:
    return resources.files("mock_server").joinpath("default_fixtures.json").read_text(encoding="utf-8")


def load_fixtures(text: str | None = None, source: str = "default fixtures") -> dict:
    """Parsed, checked and completed fixtures; raises FixtureError naming the bad field."""
    try:
        raw = json.loads(bundled_fixtures_text() if text is None else text)
    except json.JSONDecodeError as error:
        raise FixtureError(f"{source}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise FixtureError(f"{source}: values nest too deep to read; a fixture file is a few levels deep") from None
    except ValueError:  # a number past Python's 4,300-digit limit for reading integers
        raise FixtureError(f"{source}: a number has more digits than can be read (4,300 at most)") from None
    # Deep nesting that parses would still break every later step (the schema check recurses).
    problem = api.storage_problem(raw, text)
    if problem is not None:
        raise FixtureError(f"{source}: `{problem.field or 'the file'}`: {problem.message}")
    _check_schema(raw, source)
    return _complete(raw, source)


def _check_schema(raw: Any, source: str) -> None:
    from msgflash_lint import api

    schema = json.loads(resources.files("mock_server").joinpath("fixtures.schema.json").read_text("utf-8"))
    if api.fast_verdict(schema, raw) is True:
        return  # most fixture files are fine: the server starts without importing jsonschema (40 ms)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(schema).iter_errors(raw))
    if error is not None:
        where = f" `{api.field_label(error.absolute_path)}`:" if error.absolute_path else ""
        raise FixtureError(f"{source}:{where} {error.message}")


def _complete(raw: dict, source: str) -> dict:
    completer = _Completer()
    return {"accounts": [completer.account(account, f"{source}: `accounts[{index}]")
                         for index, account in enumerate(raw["accounts"])]}


class _Completer:
    """Fills in what a fixture file leaves out, refusing an id or a key given twice in the file."""

    def __init__(self) -> None:
        # Generated ids are the same on every start, and drawn from their own stream so that
        # they differ from the store's (which also skips every fixture id, see Store.new_id).
        self.rng = random.Random("msgflash-mock fixture ids")
        self.seen_ids: set[str] = set()
        self.seen_keys: set[str] = set()

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def keys(self, keys: list[str], where: str) -> list[str]:
        for key in keys:
            if key in self.seen_keys:
                raise FixtureError(f"{where}.apiKeys`: key {key!r} is used twice")
            self.seen_keys.add(key)
        return list(keys)

    def ids(self, items: list, kind: str, where: str) -> list[dict]:
        completed = []
        for position, item in enumerate(items):
            item = dict(item)
            item["id"] = (item["id"] if "id" in item else self.new_id()).lower()
            if item["id"] in self.seen_ids:
                raise FixtureError(f"{where}.{kind}[{position}].id`: id {item['id']} is used twice")
            self.seen_ids.add(item["id"])
            completed.append(item)
        return completed

    def team(self, team: dict, position: int, where: str) -> dict:
        team_where = f"{where}.teams[{position}]"
        keys = self.keys(team["apiKeys"], team_where)
        return {"id": self.ids([team], "teams", where)[0]["id"], "name": team.get("name", f"Team {position + 1}"),
                "apiKeys": keys, **_workspace(team, partial(self.ids, where=team_where), team_where)}

    def account(self, account: dict, where: str) -> dict:
        plan = account.get("plan", "pro")
        limits = {**PLANS[plan]["limits"], **account.get("limits", {})}
        if "monthlyOutboundQuota" in account:
            limits["monthlyOutboundQuota"] = account["monthlyOutboundQuota"]
        keys = self.keys(account["apiKeys"], where)
        workspace = _workspace(account, partial(self.ids, where=where), where)
        teams = [self.team(team, position, where) for position, team in enumerate(account.get("teams", []))]
        user = {"fullName": "Mock User", "email": "user@example.com", "phone": None, **account.get("user", {})}
        user["id"] = user.get("id", self.new_id())
        return {
            "apiKeys": keys,
            "plan": plan,
            "subscriptionActive": account.get("subscriptionActive", True),
            "whatsappBusiness": account.get("whatsappBusiness", True),
            "features": {**DEFAULT_FEATURES, **account.get("features", {})},
            "limits": limits,
            "outboundUsed": account.get("outboundUsed", 0),
            "apiRequestsUsed": account.get("apiRequestsUsed", 0),
            "rateLimitPerSecond": account.get("rateLimitPerSecond", 10),
            "user": user,
            **workspace,
            "teams": teams,
            "payments": [self.payment(payment, plan) for payment in account.get("payments", [])],
            "numbers": {"notOnWhatsApp": [], "invalid": [], **account.get("numbers", {})},
            "subscription": {"scheduledPlan": None, "scheduledPlanAt": None, "scheduledAction": None,
                             **account.get("subscription", {})},
        }

    def payment(self, payment: dict, plan: str) -> dict:
        return {"id": payment.get("id", self.new_id()).lower(), "provider": "dodo", "planCode": plan,
                "planName": PLANS[plan]["name"], "currency": "EUR", "status": "succeeded",
                "createdAt": payment["periodStart"], **payment}


def _workspace(raw: dict, ids, where: str) -> dict:
    """The resources of a personal account or a team: instances, contacts, groups, templates."""
    contacts = ids(raw.get("contacts", []), "contacts")
    contact_ids = {c["id"] for c in contacts}
    groups = ids(raw.get("groups", []), "groups")
    for position, group in enumerate(groups):
        group["contactIds"] = [c.lower() for c in group.get("contactIds", [])]
        for contact_id in group["contactIds"]:
            if contact_id not in contact_ids:
                raise FixtureError(f"{where}.groups[{position}].contactIds`: no contact {contact_id} in this workspace")
    templates = [with_defaults("templates", t, n) for n, t in enumerate(ids(raw.get("templates", []), "templates"))]
    for position, template in enumerate(templates):
        if template["type"] == "text" and not template["body"]:
            raise FixtureError(f"{where}.templates[{position}].body`: text templates need a body")
    return {
        "instances": [with_defaults("instances", item, n)
                      for n, item in enumerate(ids(raw.get("instances", []), "instances"))],
        "contacts": [with_defaults("contacts", c, n) for n, c in enumerate(contacts)],
        "groups": [with_defaults("groups", g, n) for n, g in enumerate(groups)],
        "templates": templates,
    }


def with_defaults(kind: str, item: dict, position: int) -> dict:
    """An instance, contact, group or template with the value every field left out takes: one
    rule for fixture files and for per-test changes (mock_server/control/accounts.py). `position` is the
    item's place among its kind (an unnamed instance is "Instance <n>")."""
    if kind == "instances":
        return {"name": f"Instance {position + 1}", "status": "connected", "phone": None, "safetyState": "stable",
                **item}
    if kind == "contacts":
        return {"name": item.get("name", item["phone"]), "tags": [], "meta": {}, "temperature": None, **item}
    if kind == "groups":
        return {"description": None, "color": None, **item,
                "contactIds": [c.lower() for c in item.get("contactIds", [])]}
    return {"type": "text", "body": None, "mediaUrl": None, **item}
