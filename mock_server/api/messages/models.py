"""Sending: a validated send or schedule payload → a stored message, or the documented error."""

from __future__ import annotations

import heapq

from mock_server.api.instances.safety import worker_safety
from mock_server.api.templates.rendering import invalid_template_details, render
from mock_server.state.errors import ApiError
from mock_server.state.records import Message
from mock_server.state.store import MESSAGE_FLOW, Account, Store, parse_timestamp
from msgflash_lint import api


def check_subscription(account: Account) -> None:
    if not account.config["subscriptionActive"]:
        raise ApiError("SUBSCRIPTION_INACTIVE")


def check_content_features(account: Account, message_type: str | None) -> None:
    """What the content itself needs from the account (403): WhatsApp Business, voice notes."""
    if message_type == "buttons" and not account.config["whatsappBusiness"]:
        raise ApiError("UNSUPPORTED_FEATURE", "Button messages need a WhatsApp Business account")
    if message_type == "voice_note" and not account.features.get("voiceNotes"):
        raise ApiError("FEATURE_NOT_AVAILABLE_ON_PLAN", "Voice notes are not available on your plan")


def check_destination(account: Account, to: str) -> None:
    """A well-formed number the fixture lists as invalid (`numbers.invalid`): 422 INVALID_DESTINATION."""
    if to in account.config["numbers"]["invalid"]:
        raise ApiError("INVALID_DESTINATION", f"{to} is not a valid WhatsApp destination",
                       [{"field": "to", "message": "invalid recipient number"}])


def check_outbound_quota(account: Account, count: int = 1) -> None:
    quota = account.limits.get("monthlyOutboundQuota")
    if quota is not None and account.usage.outbound + count > quota:
        raise ApiError("MONTHLY_OUTBOUND_QUOTA_EXCEEDED")


def render_template(account: Account, template: dict, instance: dict | None, contact: dict | None,
                    variables: dict, kind: str, payload: dict) -> tuple[str, list[str]]:
    """(rendered body, used variables) or TEMPLATE_INVALID / _CONTEXT_UNAVAILABLE / _VARIABLES_MISSING."""
    details = invalid_template_details(template.body, "templateId")
    if template.type != "text" and not template.mediaUrl:
        details.append({"field": "templateId", "message": "media templates need a mediaUrl"})
    if details:
        raise ApiError("TEMPLATE_INVALID", details[0]["message"], details)
    body = template.body or ""
    # The linter's own cross-file rule decides it (MFL302): contact.* without a contact.
    context = [f for f in api.send_time_findings(kind, payload, template.id, template.name, body)
               if f.api_error == "TEMPLATE_CONTEXT_UNAVAILABLE"]
    if context:
        raise ApiError("TEMPLATE_CONTEXT_UNAVAILABLE", context[0].message, api.error_details(context))
    rendered = render(body, contact, account.user, instance, variables)
    if rendered.missing:
        raise ApiError("TEMPLATE_VARIABLES_MISSING", "Missing template variables: " + ", ".join(rendered.missing),
                       [{"field": v, "message": "no value for this variable"} for v in rendered.missing])
    return rendered.text, rendered.used


def create_message(store: Store, account: Account, payload: dict, scheduled: bool) -> Message:
    template_mode = "templateId" in payload
    # Decision D16: subscription and plan checks (403) before any lookup.
    check_subscription(account)
    check_content_features(account, None if template_mode else payload["type"])
    instance = account.find("instances", payload["instanceId"])
    check_destination(account, payload["to"])
    template = account.find("templates", payload["templateId"]) if template_mode else None
    contact = None
    if payload.get("type") == "contact":
        contact = account.find("contacts", payload["contactId"])
    elif "contactId" in payload:
        contact = account.context("contacts", payload["contactId"], "contactId")
    meta: dict = {"providerResult": {}, "workerSafety": worker_safety(instance)}
    if template is not None:
        body, used = render_template(account, template, instance, contact, payload.get("variables", {}),
                                     "schedule" if scheduled else "send", payload)
        message_type, media_url = template.type, template.mediaUrl
        meta.update(templateId=template.id, usedVariables=used, missingVariables=[])
    else:
        message_type, media_url = payload["type"], payload.get("mediaUrl")
        body = payload.get("text")
        if message_type == "contact":
            body = contact.name
        elif message_type == "buttons":
            body = payload.get("title")
    check_outbound_quota(account)
    account.usage.messages += 1
    moment = parse_timestamp(payload["scheduledAt"]) if scheduled else None
    when = (moment.timestamp() if moment else store.clock.time()) if scheduled else None
    message = new_message(store, account, instance, payload["to"], message_type, body, media_url,
                          contact_id=contact.id if contact else None, meta=meta, goes_out_at=when)
    if scheduled:
        message.scheduledAt = payload["scheduledAt"]
        heapq.heappush(account.scheduled, (when, message.seq, message.id))
    return message


def progress_due(store: Store, account: Account) -> None:
    """The automatic lifecycle: messages whose next status is due move to it (never backwards,
    never out of `failed`)."""
    now = store.clock.time()
    while account.lifecycle and account.lifecycle[0][0] <= now:
        _, _, message_id, status = heapq.heappop(account.lifecycle)
        message = account.messages.get(message_id)
        if message is None or message.status == "failed":
            continue
        if message.status in MESSAGE_FLOW and MESSAGE_FLOW.index(message.status) < MESSAGE_FLOW.index(status):
            store.advance(account, message, status)


def send_due(store: Store, account: Account) -> None:
    """Scheduled messages whose `scheduledAt` the mock's clock has reached go out: `sent`, or
    `failed` when their instance is not connected then (guides_schedule-message)."""
    now = store.clock.time()
    while account.scheduled and account.scheduled[0][0] <= now:
        _, _, message_id = heapq.heappop(account.scheduled)
        message = account.messages.get(message_id)
        if message is not None and message.status == "queued":
            store.advance(account, message, "sent")


def new_message(store: Store, account: Account, instance: dict, to: str, message_type: str, body, media_url,
                *, contact_id: str | None = None, campaign_id: str | None = None, meta: dict | None = None,
                goes_out_at: float | None = None) -> Message:
    """Store a queued outbound message (the caller has counted it against the quota); with the
    automatic lifecycle on (/_mock/lifecycle), plan its next statuses from when it goes out."""
    now = store.now_iso()
    message = Message(
        id=store.new_id(), userId=account.user["id"], instanceId=instance.id, contactId=contact_id,
        campaignId=campaign_id, direction="outbound", type=message_type, from_=instance.waNumber, to=to,
        body=body, mediaUrl=media_url, status="queued", error=None,
        meta=meta or {"providerResult": {}, "workerSafety": worker_safety(instance)},
        providerMessageId=None, createdAt=now, updatedAt=now, seq=store.next_sequence())
    account.messages.add(message)
    if store.lifecycle:
        start = store.clock.time() if goes_out_at is None else max(goes_out_at, store.clock.time())
        for status, delay in store.lifecycle.items():
            heapq.heappush(account.lifecycle, (start + delay, message.seq, message.id, status))
    return message


def schedule_extras(store: Store, message: Message, instance: dict) -> dict:
    """What POST /messages/schedule adds to the message: warnings (never blocking) and safety."""
    warnings = []
    when = parse_timestamp(message.scheduledAt)
    if when is not None and when <= store.clock.now():
        warnings.append("scheduledAt is in the past: the message is sent at once")
    if instance.status != "connected":
        warnings.append(f"The instance is {instance.status}: the message fails if it is still "
                        "disconnected at sending time")
    return {"warnings": warnings, "safety": worker_safety(instance)}

