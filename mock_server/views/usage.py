"""GET /usage and GET /billing/usage (the same body, decision D20)."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, jsonify

from mock_server.context import account, store
from mock_server.fixtures import PLANS

bp = Blueprint("usage", __name__)


def usage_json() -> dict:
    current = account()
    now = datetime.now(timezone.utc)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + (start.month == 12), month=start.month % 12 + 1)
    return {
        "plan": {"code": current.config["plan"], "name": PLANS[current.config["plan"]]["name"]},
        "limits": {key: current.limits.get(key) for key in ("maxInstances", "maxApiKeys", "maxWebhookEndpoints",
                                                            "monthlyOutboundQuota", "monthlyApiRequestQuota")},
        "features": {key: current.features.get(key, False) for key in ("campaigns", "statuses", "voiceNotes", "webhooks")},
        "usage": {"messagesCount": current.outbound_used, "statusesCount": 0,
                  "effectiveOutboundUsage": current.outbound_used, "apiRequestsCount": current.api_requests_used,
                  "activeInstancesCount": sum(i["status"] == "connected" for i in current.instances.values()),
                  "activeApiKeysCount": len(current.config["apiKeys"])},
        "period": {"start": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "end": end.strftime("%Y-%m-%dT%H:%M:%S.000Z")},
    }


@bp.get("/usage")
@bp.get("/billing/usage")
def usage():
    with store().lock:
        return jsonify({"data": usage_json()})
