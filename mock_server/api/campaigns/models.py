"""Campaigns: recipients, the safety report, processing into messages, and their counters."""

from __future__ import annotations

from datetime import datetime, timedelta

from mock_server.api.instances.safety import campaign_safety
from mock_server.api.messages.models import (
    check_content_features,
    check_outbound_quota,
    check_subscription,
    render_template,
)
from mock_server.state.errors import ApiError
from mock_server.state.records import Campaign
from mock_server.state.store import Account, Store, parse_timestamp

PAUSABLE = ("scheduled", "running")
# `repeat` (decision D7): a round of messages at `schedule`, then every day or week after it.
REPEAT_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
PAUSED = ("paused", "paused_quota", "paused_plan")


def check_can_create(account: Account, payload: dict) -> None:
    """403s in the order of decision D16: subscription, plan, then the content's features."""
    check_subscription(account)
    if not account.features.get("campaigns"):
        raise ApiError("CAMPAIGNS_NOT_AVAILABLE_ON_PLAN")
    check_content_features(account, payload.get("type"))


def recipients_of(account: Account, selector: dict) -> list[dict]:
    """The contacts a selector names; unknown groups or contact ids are VALIDATION_ERROR (decision D19)."""
    kind = selector["type"]
    if kind == "all":
        return list(account.contacts.values())
    if kind == "tags":
        wanted = set(selector["value"])
        return [c for c in account.contacts.values() if wanted & set(c.tags or [])]
    if kind == "explicit":
        ids = list(dict.fromkeys(i.lower() for i in selector["value"]))
        unknown = [i for i in ids if i not in account.contacts]
        if unknown:
            raise ApiError("VALIDATION_ERROR", "Invalid recipients: unknown contact ids",
                           [{"field": "recipients.value", "message": f"no contact {i}"} for i in unknown])
        return [account.contacts[i] for i in ids]
    group = account.groups.get(selector["groupId"].lower())
    if group is None:
        raise ApiError("VALIDATION_ERROR", "Invalid recipients: unknown group",
                       [{"field": "recipients.groupId", "message": "no such group in this account"}])
    return [account.contacts[i] for i in group.contactIds if i in account.contacts]


def create_campaign(store: Store, account: Account, payload: dict) -> dict:
    check_can_create(account, payload)
    instance = account.find("instances", payload["instanceId"])
    if "templateId" in payload:
        account.find("templates", payload["templateId"])
    audience = recipients_of(account, payload["recipients"])
    check_outbound_quota(account)
    messaged = account.messages.recipients  # kept up to date as messages are stored, never rebuilt
    cold = sum(contact.phone not in messaged for contact in audience)
    now = store.now_iso()
    campaign = Campaign(
        id=store.new_id(), userId=account.user["id"], instanceId=instance.id, name=payload["name"],
        status="scheduled", templateId=payload.get("templateId"), type=payload.get("type"), body=payload.get("body"),
        mediaUrl=payload.get("mediaUrl"), schedule=payload["schedule"], repeat=payload.get("repeat", "none"),
        recipients=payload["recipients"], createdAt=now, updatedAt=now, variables=payload.get("variables", {}),
        content={k: payload[k] for k in ("title", "description", "footer", "buttons") if k in payload},
        safety=campaign_safety(instance, len(audience), cold),
        timeline={"processingStartedAt": None, "lastEnqueuedAt": None, "completedAt": None, "cancelledAt": None,
                  "lastActivityAt": None})
    account.campaigns[campaign.id] = campaign
    return campaign


def counters(account: Account, campaign: Campaign) -> dict:
    """planned, queued, sent, delivered, read, failed, cancelled; sent ⊇ delivered ⊇ read, as documented."""
    statuses = [account.messages[i].status for i in campaign.message_ids if i in account.messages]
    return {"planned": campaign.planned, "queued": statuses.count("queued"),
            "sent": sum(s in ("sent", "delivered", "read") for s in statuses),
            "delivered": sum(s in ("delivered", "read") for s in statuses), "read": statuses.count("read"),
            "failed": statuses.count("failed"), "cancelled": 0}


def campaign_json(account: Account, campaign: Campaign, *, with_safety: bool) -> dict:
    public = campaign.to_json()
    # The request's `variables` for a template campaign; null for direct content (whole-API issue).
    public["templateVariables"] = campaign.variables if campaign.templateId else None
    stats = counters(account, campaign)
    if with_safety:
        return {**public, "stats": stats, "safety": campaign.safety}
    timeline = campaign.timeline
    return {**public, "stats": {**stats, **{k: timeline[k] for k in ("processingStartedAt", "lastEnqueuedAt",
                                                                    "completedAt", "cancelledAt")}}}


def stats_json(account: Account, campaign: Campaign) -> dict:
    stats = counters(account, campaign)
    planned = stats["planned"]
    timeline = campaign.timeline
    return {
        "campaignId": campaign.id, "status": campaign.status, "stats": {"total": planned, **stats},
        # Decision D8: matches the documented example (85 for 150 queued of 1000).
        "progressPercent": round(100 * (planned - stats["queued"]) / planned) if planned else 0,
        "timeline": {"scheduledFor": campaign.schedule, **timeline},
        "startedAt": timeline["processingStartedAt"], "estimatedCompletionAt": None,
    }


def is_due(campaign: Campaign, now: datetime) -> bool:
    start = parse_timestamp(campaign.schedule)
    return start is None or start <= now


def process_due(store: Store, account: Account, now: datetime | None = None, force: str | None = None) -> None:
    """Start every scheduled campaign whose time has come (or the one forced), then settle statuses."""
    now = now or store.clock.now()
    for campaign in account.campaigns.values():
        if campaign.status == "scheduled" and (campaign.id == force or is_due(campaign, now)):
            _start(store, account, campaign)
        next_run = campaign.next_run
        if next_run is not None and campaign.status in ("running", "completed") and next_run <= now:
            _repeat(store, account, campaign, now)
        if campaign.status == "running" and campaign.planned and counters(account, campaign)["queued"] == 0:
            campaign.status = "completed"
            campaign.timeline["completedAt"] = campaign.timeline["completedAt"] or store.now_iso()
            campaign.updatedAt = store.now_iso()


def _start(store: Store, account: Account, campaign: Campaign) -> None:
    from mock_server.api.messages.models import new_message

    timeline = campaign.timeline
    timeline["processingStartedAt"] = store.now_iso()
    instance = account.instances.get(campaign.instanceId)
    template = account.templates.get(campaign.templateId or "")
    if campaign.next_run is None:  # the first round: a repeating campaign plans its next one
        period = REPEAT_PERIODS.get(campaign.repeat)
        start = parse_timestamp(campaign.schedule)
        if period is not None and start is not None:
            campaign.next_run = start + period
    # Who this round has reached: a resumed campaign goes on with the others, a repeat starts afresh.
    this_round = campaign.message_ids[campaign.round_start:]
    already = {account.messages[i].contactId for i in this_round if i in account.messages}
    campaign.status = "running"
    audience = [c for c in _audience(account, campaign) if c.id not in already]
    for contact in audience:
        quota = account.limits.get("monthlyOutboundQuota")
        if quota is not None and account.usage.outbound >= quota:
            campaign.status = "paused_quota"  # documented automatic pause
            break
        error = None
        body, message_type, media_url = campaign.body, campaign.type, campaign.mediaUrl
        if template is not None:
            message_type, media_url = template.type, template.mediaUrl
            try:
                body, _ = render_template(account, template, instance, contact, campaign.variables, "campaign",
                                          {"variables": campaign.variables})
            except ApiError as problem:
                # In a campaign a recipient that cannot be rendered fails alone; the campaign goes on.
                body, error = template.body, problem.message
        elif message_type == "buttons":
            body = campaign.content.get("title")
        account.usage.messages += 1
        message = new_message(store, account, instance, contact.phone, message_type, body, media_url,
                              contact_id=contact.id, campaign_id=campaign.id)
        campaign.message_ids.append(message.id)
        campaign.planned += 1
        if error is not None:
            store.set_status(account, message, "failed", error)
        timeline["lastEnqueuedAt"] = timeline["lastActivityAt"] = store.now_iso()
    campaign.updatedAt = store.now_iso()


def _repeat(store: Store, account: Account, campaign: Campaign, now: datetime) -> None:
    """A daily or weekly campaign's next round: every recipient again, at each period's start."""
    period = REPEAT_PERIODS[campaign.repeat]
    while campaign.next_run <= now:  # a clock moved by a week runs a daily campaign's round once
        campaign.next_run += period
    campaign.round_start = len(campaign.message_ids)
    campaign.status = "running"
    campaign.timeline["completedAt"] = None
    _start(store, account, campaign)


def _audience(account: Account, campaign: Campaign) -> list[dict]:
    try:
        return recipients_of(account, campaign.recipients)
    except ApiError:
        return []  # a group or contact deleted since creation: nobody left to send to


def pause(store: Store, campaign: Campaign) -> None:
    if campaign.status not in PAUSABLE:
        raise ApiError("BAD_REQUEST", f"A `{campaign.status}` campaign cannot be paused")
    campaign.status = "paused"
    campaign.updatedAt = store.now_iso()


def resume(store: Store, account: Account, campaign: Campaign) -> None:
    if campaign.status not in PAUSED:
        raise ApiError("BAD_REQUEST", f"A `{campaign.status}` campaign cannot be resumed")
    started = campaign.timeline["processingStartedAt"] is not None
    if not started and not is_due(campaign, store.clock.now()):
        campaign.status = "scheduled"  # decision D8: the start is still ahead
    else:
        campaign.status = "running"
        _start(store, account, campaign)  # sends to whoever was not reached before the pause
    campaign.updatedAt = store.now_iso()
