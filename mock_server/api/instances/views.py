"""Instances (read only): list, get, state, health."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint

from mock_server.api.instances.safety import WARMUP, state_of
from mock_server.web.context import account, store

bp = Blueprint("instances", __name__)
# Only "open" is documented; the others follow WhatsApp Web connection states.
PROVIDER_STATE = {"connected": "open", "connecting": "connecting", "disconnected": "close"}


@bp.get("/instances")
def list_instances():
    with store().lock:
        return [instance.to_json() for instance in account().instances.values()]


@bp.get("/instances/<instance_id>")
def get_instance(instance_id: str):
    with store().lock:
        return account().find("instances", instance_id).to_json()


@bp.get("/instances/<instance_id>/state")
def instance_state(instance_id: str):
    with store().lock:
        instance = account().find("instances", instance_id)
        return {"instanceId": instance.id, "status": instance.status,
                "providerState": PROVIDER_STATE[instance.status]}


@bp.get("/instances/<instance_id>/health")
def instance_health(instance_id: str):
    with store().lock:
        instance = account().find("instances", instance_id)
        state = state_of(instance)
        warmup = WARMUP[state]
        now = store().clock.now()
        usage = account().messages.usage(instance.id)  # running counters: no scan of the messages
        first = (now - timedelta(days=warmup.age_days)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return {
            "instanceId": instance.id, "safetyState": state, "safetyScore": warmup.score,
            "firstConnectedAt": first if instance.status == "connected" else None,
            "warmupPolicy": {"state": state, "instanceAgeDays": warmup.age_days, "hourlyOutboundCap": warmup.hourly,
                             "dailyOutboundCap": warmup.daily, "hourlyUniqueRecipientsCap": warmup.hourly_unique,
                             "dailyUniqueRecipientsCap": warmup.daily_unique,
                             "maxCampaignRecipients": warmup.max_campaign_recipients,
                             "maxColdRatio": warmup.max_cold_ratio},
            "usageWindowSummary": {**usage, "inboundReplies24h": 0, "inboundReplies7d": 0},
            "recommendations": list(warmup.advice),
        }

