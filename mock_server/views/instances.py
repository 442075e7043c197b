"""Instances (read only): list, get, state, health."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Blueprint, jsonify

from mock_server.messaging import find
from mock_server.pipeline import account, store

bp = Blueprint("instances", __name__)
# Only "open" is documented; the others follow WhatsApp Web connection states.
PROVIDER_STATE = {"connected": "open", "connecting": "connecting", "disconnected": "close"}
# Warm-up guidance per safety state. The documentation shows the `warming` row only; the
# other rows are the mock's own, so tests can see each state's shape.
WARMUP = {
    "new": (0.2, 10, 40, 10, 40, 20, 0.3, ["Send to previously engaged contacts only for a few days."]),
    "warming": (1.4, 25, 100, 25, 100, 100, 0.4, ["Start with previously engaged contacts before scaling volume."]),
    "stable": (45.0, 200, 1000, 200, 1000, 1000, 0.6, []),
    "at_risk": (30.0, 20, 80, 20, 80, 50, 0.2, ["Pause campaigns and answer inbound messages first."]),
    "restricted": (30.0, 5, 20, 5, 20, 0, 0.0, ["Stop bulk sending until the number recovers."]),
}


def instance_json(instance: dict) -> dict:
    return {"id": instance["id"], "name": instance["name"], "waNumber": instance.get("phone"),
            "status": instance["status"], "webhook": None, "meta": None, "deletedAt": None,
            "createdAt": instance["createdAt"], "updatedAt": instance["updatedAt"]}


@bp.get("/instances")
def list_instances():
    with store().lock:
        return jsonify({"data": [instance_json(i) for i in account().instances.values()]})


@bp.get("/instances/<instance_id>")
def get_instance(instance_id: str):
    with store().lock:
        return jsonify({"data": instance_json(find(account().instances, instance_id, "Instance"))})


@bp.get("/instances/<instance_id>/state")
def instance_state(instance_id: str):
    with store().lock:
        instance = find(account().instances, instance_id, "Instance")
        return jsonify({"data": {"instanceId": instance["id"], "status": instance["status"],
                                 "providerState": PROVIDER_STATE[instance["status"]]}})


@bp.get("/instances/<instance_id>/health")
def instance_health(instance_id: str):
    from mock_server.messaging import worker_safety

    with store().lock:
        instance = find(account().instances, instance_id, "Instance")
        state = instance.get("safetyState", "stable")
        age, hourly, daily, hourly_unique, daily_unique, max_recipients, cold, advice = WARMUP[state]
        now = datetime.now(timezone.utc)
        sent = [m for m in account().messages.values() if m["instanceId"] == instance["id"]]

        def within(hours: float) -> list[dict]:
            cutoff = (now - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S")
            return [m for m in sent if m["createdAt"] >= cutoff]

        first = (now - timedelta(days=age)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return jsonify({"data": {
            "instanceId": instance["id"], "safetyState": state, "safetyScore": worker_safety(instance)["score"],
            "firstConnectedAt": first if instance["status"] == "connected" else None,
            "warmupPolicy": {"state": state, "instanceAgeDays": age, "hourlyOutboundCap": hourly,
                             "dailyOutboundCap": daily, "hourlyUniqueRecipientsCap": hourly_unique,
                             "dailyUniqueRecipientsCap": daily_unique, "maxCampaignRecipients": max_recipients,
                             "maxColdRatio": cold},
            "usageWindowSummary": {"outbound1h": len(within(1)), "outbound24h": len(within(24)),
                                   "uniqueRecipients1h": len({m["to"] for m in within(1)}),
                                   "uniqueRecipients24h": len({m["to"] for m in within(24)}),
                                   "inboundReplies24h": 0, "inboundReplies7d": 0},
            "recommendations": advice,
        }})

