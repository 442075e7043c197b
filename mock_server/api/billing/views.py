"""The account's own reads: GET /me, /usage, /billing/usage, /billing/subscription, /billing/payments,
and the plan catalogue GET /billing/plans.

All but the catalogue need a personal key (403 TEAM_KEY_NOT_ALLOWED for a team key), and all
of them describe the personal account: they are not workspace routes.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint

from mock_server.state.fixtures import FCFA_PER_EUR, PLAN_PRICES_EUR, PLANS
from mock_server.state.store import Account
from mock_server.web.context import account, store
from mock_server.web.operations import operation
from mock_server.web.paging import page_numbered
from mock_server.web.queries import PAGE, TEMPLATE_LIMIT, takes

bp = Blueprint("usage", __name__)
LIMIT_KEYS = ("maxInstances", "maxApiKeys", "maxWebhookEndpoints", "monthlyOutboundQuota", "monthlyApiRequestQuota")
FEATURE_KEYS = ("campaigns", "statuses", "voiceNotes", "webhooks")


def period() -> dict:
    """The calendar month of the mock's clock, as the documented example shows it (…T23:59:59.999Z)."""
    now = store().clock.now()
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = start.replace(year=start.year + (start.month == 12), month=start.month % 12 + 1)
    end = following - timedelta(milliseconds=1)
    return {"start": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "end": end.strftime("%Y-%m-%dT%H:%M:%S.999Z")}


def counters(current: Account) -> dict:
    usage = current.usage
    return {"messagesCount": usage.messages, "statusesCount": usage.statuses,
            "effectiveOutboundUsage": usage.outbound, "apiRequestsCount": usage.api_requests,
            "activeInstancesCount": sum(i.status == "connected" for i in current.instances.values()),
            "activeApiKeysCount": len(current.api_keys)}


def plan_json(limits: dict, features: dict) -> dict:
    """The documented `limits` and `features` of a plan or an account (null: unlimited)."""
    return {"limits": {key: limits.get(key) for key in LIMIT_KEYS},
            "features": {key: bool(features.get(key, False)) for key in FEATURE_KEYS}}


def usage_json(current: Account) -> dict:
    plan = current.config["plan"]
    return {
        "plan": {"code": plan, "name": PLANS[plan]["name"]},
        **plan_json(current.limits, current.features),
        "usage": counters(current),
        "period": period(),
    }


@bp.get("/usage")
@bp.get("/billing/usage")
@operation(personal_key=True)
def usage():
    """Plan, limits, features, this month's usage and period (GET /usage is the legacy alias, D20)."""
    with store().lock:
        return usage_json(account())


@bp.get("/billing/subscription")
@operation(personal_key=True)
def subscription():
    """The current subscription, its usage and period."""
    with store().lock:
        current = account()
        plan = current.config["plan"]
        scheduled = current.config["subscription"]
        return {
            "subscription": {
                "plan": {"code": plan, "name": PLANS[plan]["name"], **plan_json(current.limits, current.features)},
                **scheduled,
            },
            "usage": counters(current),
            "period": period(),
        }


@bp.get("/billing/plans")
@operation(personal_key=False)
def plans():
    """The plan catalogue (allowed with a team key)."""
    from mock_server.state.fixtures import DEFAULT_FEATURES

    return [
        {"code": code, "name": plan["name"], "priceEur": PLAN_PRICES_EUR[code],
         "priceFcfa": PLAN_PRICES_EUR[code] * FCFA_PER_EUR,
         **plan_json(plan["limits"], DEFAULT_FEATURES)}
        for code, plan in PLANS.items()]


@bp.get("/billing/payments")
@operation(personal_key=True)
@takes(PAGE, TEMPLATE_LIMIT)
def payments():
    """The account's payment history, page by page."""
    page, limit = PAGE.read(), TEMPLATE_LIMIT.read()
    with store().lock:
        history = account().config["payments"]
        return {"payments": page_numbered(history, page, limit), "total": len(history),
                "page": page, "totalPages": -(-len(history) // limit)}


@bp.get("/me")
@operation(personal_key=True)
def me():
    """The key owner's account (shape not documented: the user fields templates read, and the plan)."""
    with store().lock:
        current = account()
        return {**current.user, "plan": {"code": current.config["plan"],
                                                          "name": PLANS[current.config["plan"]]["name"]}}
