"""Instances: list, get, state and health."""

from __future__ import annotations

from tests.mock.conftest import (
    INSTANCE,
)


def test_instances_list_get_state_health(api) -> None:
    listed = api.get("/api/v1/instances")
    assert listed.status == 200
    first = listed.data[0]
    assert {"id", "name", "waNumber", "status", "webhook", "meta", "deletedAt", "createdAt", "updatedAt"} <= set(first)
    assert api.get(f"/api/v1/instances/{INSTANCE}").data == first
    assert api.get(f"/api/v1/instances/{INSTANCE}/state").data == {
        "instanceId": INSTANCE, "status": "connected", "providerState": "open"}
    health = api.get(f"/api/v1/instances/{INSTANCE}/health").data
    assert health["safetyState"] in ("new", "warming", "stable", "at_risk", "restricted")
    assert set(health["warmupPolicy"]) == {"state", "instanceAgeDays", "hourlyOutboundCap", "dailyOutboundCap",
                                           "hourlyUniqueRecipientsCap", "dailyUniqueRecipientsCap",
                                           "maxCampaignRecipients", "maxColdRatio"}
    assert set(health["usageWindowSummary"]) == {"outbound1h", "outbound24h", "uniqueRecipients1h",
                                                 "uniqueRecipients24h", "inboundReplies24h", "inboundReplies7d"}
