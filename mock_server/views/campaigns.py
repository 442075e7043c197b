"""Campaigns: create, get, pause, resume, stats (no list: it is not documented)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from mock_server import campaigns
from mock_server.bodies import json_body
from mock_server.context import account, store
from mock_server.operations import answer, operation
from mock_server.safety import worker_safety

bp = Blueprint("campaigns", __name__)


@bp.post("/campaigns")
@operation(body="campaign", status=201)
def create():
    payload = json_body()
    with store().lock:
        campaign = campaigns.create_campaign(store(), account(), payload)
        return answer({"data": campaigns.campaign_json(account(), campaign, with_safety=True)})


@bp.get("/campaigns/<campaign_id>")
def get(campaign_id: str):
    with store().lock:
        campaign = account().find("campaigns", campaign_id)
        return jsonify({"data": campaigns.campaign_json(account(), campaign, with_safety=False)})


@bp.post("/campaigns/<campaign_id>/pause")
def pause(campaign_id: str):
    with store().lock:
        campaign = account().find("campaigns", campaign_id)
        campaigns.pause(store(), campaign)
        body = campaigns.campaign_json(account(), campaign, with_safety=False)
        body["stats"] = campaigns.counters(account(), campaign)  # the 7 counters, as documented
        return jsonify({"data": body})


@bp.post("/campaigns/<campaign_id>/resume")
def resume(campaign_id: str):
    with store().lock:
        campaign = account().find("campaigns", campaign_id)
        campaigns.resume(store(), account(), campaign)
        body = campaigns.campaign_json(account(), campaign, with_safety=False)
        body.pop("stats")
        report = campaign["_safety"]
        instance = account().instances.get(campaign["instanceId"], {})
        body["safety"] = {**worker_safety(instance), "reasons": report["reasons"],
                          "recommendations": report["recommendations"]}
        return jsonify({"data": body})


@bp.get("/campaigns/<campaign_id>/stats")
def stats(campaign_id: str):
    with store().lock:
        campaign = account().find("campaigns", campaign_id)
        return jsonify({"data": campaigns.stats_json(account(), campaign)})
