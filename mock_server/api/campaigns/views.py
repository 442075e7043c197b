"""Campaigns: create, get, pause, resume, stats (no list: it is not documented)."""

from __future__ import annotations

from flask import Blueprint

import mock_server.api.campaigns.models as campaigns
from mock_server.api.instances.safety import worker_safety
from mock_server.web.context import account, store
from mock_server.web.operations import operation

bp = Blueprint("campaigns", __name__)


@bp.post("/campaigns")
@operation(body="campaign", status=201)
def create(body: dict):
    with store().lock:
        campaign = campaigns.create_campaign(store(), account(), body)
        return campaigns.campaign_json(account(), campaign, with_safety=True)


@bp.get("/campaigns/<campaign_id>")
def get(campaign_id: str):
    with store().lock:
        campaign = account().find("campaigns", campaign_id)
        return campaigns.campaign_json(account(), campaign, with_safety=False)


@bp.post("/campaigns/<campaign_id>/pause")
def pause(campaign_id: str):
    with store().lock:
        campaign = account().find("campaigns", campaign_id)
        campaigns.pause(store(), campaign)
        body = campaigns.campaign_json(account(), campaign, with_safety=False)
        body["stats"] = campaigns.counters(account(), campaign)  # the 7 counters, as documented
        return body


@bp.post("/campaigns/<campaign_id>/resume")
def resume(campaign_id: str):
    with store().lock:
        campaign = account().find("campaigns", campaign_id)
        campaigns.resume(store(), account(), campaign)
        body = campaigns.campaign_json(account(), campaign, with_safety=False)
        body.pop("stats")
        report = campaign.safety
        instance = account().instances.get(campaign.instanceId)
        body["safety"] = {**worker_safety(instance), "reasons": report["reasons"],
                          "recommendations": report["recommendations"]}
        return body


@bp.get("/campaigns/<campaign_id>/stats")
def stats(campaign_id: str):
    with store().lock:
        campaign = account().find("campaigns", campaign_id)
        return campaigns.stats_json(account(), campaign)
