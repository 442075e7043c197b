"""POST /messages/send, /messages/schedule; GET /messages/{id}, /messages."""

from __future__ import annotations

from flask import Blueprint, request

from mock_server.api.messages.models import create_message, schedule_extras
from mock_server.state.errors import ApiError
from mock_server.web.bodies import invalid
from mock_server.web.context import account, store
from mock_server.web.operations import operation
from mock_server.web.paging import decode_cursor, encode_cursor
from mock_server.web.queries import CURSOR, INSTANCE_FILTER, LIMIT, MESSAGE_STATUS, takes

bp = Blueprint("messages", __name__)


@bp.post("/messages/send")
@operation(body="send", status=201)
def send(body: dict):
    with store().lock:
        message = create_message(store(), account(), body, scheduled=False)
        return message.to_json()


@bp.post("/messages/schedule")
@operation(body="schedule", status=201)
def schedule(body: dict):
    with store().lock:
        message = create_message(store(), account(), body, scheduled=True)
        extras = schedule_extras(store(), message, account().instances[message.instanceId])
        return {**message.to_json(), **extras}


@bp.get("/messages/<message_id>")
def get_message(message_id: str):
    with store().lock:
        message = account().messages.get(message_id.lower())
        if message is None:
            raise ApiError("NOT_FOUND", "Message not found")
        return message.to_json()


@bp.get("/messages")
@takes(LIMIT, CURSOR, INSTANCE_FILTER, MESSAGE_STATUS)
def list_messages():
    limit, status, instance_id = LIMIT.read(), MESSAGE_STATUS.read(), INSTANCE_FILTER.read()
    after = _cursor_message()
    with store().lock:
        log = account().messages
        if after is not None and after not in log:
            raise invalid("cursor", "`cursor` points at an item that no longer exists")
        # From the newest end, stopping one past the page: the cost is the page's, not the log's.
        page: list[dict] = []
        has_more = False
        for message in log.newest_first(after):
            if (status and message.status != status) or (instance_id and message.instanceId != instance_id.lower()):
                continue
            if len(page) == limit:
                has_more = True
                break
            page.append(message.to_json())
    return {"messages": page,
            "nextCursor": encode_cursor("messages", page[-1]["id"]) if has_more and page else None,
            "hasMore": has_more}


def _cursor_message() -> str | None:
    raw = request.args.get("cursor")
    if not raw:
        return None
    parts = decode_cursor(raw)
    if len(parts) != 2 or parts[0] != "messages":
        raise invalid("cursor", "`cursor` is not a cursor of this list and sort order")
    return parts[1]
