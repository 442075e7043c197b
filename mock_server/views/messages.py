"""POST /messages/send, /messages/schedule; GET /messages/{id}, /messages."""

from __future__ import annotations

from flask import Blueprint, jsonify

from mock_server.errors import ApiError
from mock_server.messaging import create_message, schedule_extras
from mock_server.pipeline import account, json_body, page_after, public, store
from mock_server.queries import CURSOR, INSTANCE_FILTER, LIMIT, MESSAGE_STATUS, takes

bp = Blueprint("messages", __name__)


@bp.post("/messages/send")
def send():
    payload = json_body("send")
    with store().lock:
        message = create_message(store(), account(), payload, scheduled=False)
        return jsonify({"data": public(message)}), 201


@bp.post("/messages/schedule")
def schedule():
    payload = json_body("schedule")
    with store().lock:
        message = create_message(store(), account(), payload, scheduled=True)
        extras = schedule_extras(message, account().instances[message["instanceId"]])
        return jsonify({"data": {**public(message), **extras}}), 201


@bp.get("/messages/<message_id>")
def get_message(message_id: str):
    with store().lock:
        message = account().messages.get(message_id.lower())
        if message is None:
            raise ApiError("NOT_FOUND", "Message not found")
        return jsonify({"data": public(message)})


@bp.get("/messages")
@takes(LIMIT, CURSOR, INSTANCE_FILTER, MESSAGE_STATUS)
def list_messages():
    limit, status, instance_id = LIMIT.read(), MESSAGE_STATUS.read(), INSTANCE_FILTER.read()
    with store().lock:
        items = sorted(account().messages.values(), key=lambda m: -m["_seq"])
        if status:
            items = [m for m in items if m["status"] == status]
        if instance_id:
            items = [m for m in items if m["instanceId"] == instance_id.lower()]
        paged = page_after(items, "messages", limit)
        return jsonify({"data": {"messages": [public(m) for m in paged["page"]],
                                 "nextCursor": paged["nextCursor"], "hasMore": paged["hasMore"]}})
