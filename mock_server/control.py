"""Mock-only control API under /_mock/ — not part of MsgFlash, no API key needed.

POST /_mock/reset                      back to the fixture state
POST /_mock/messages/{id}/advance      queued → sent → delivered → read, or {"status": "failed"}
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from mock_server.errors import ApiError
from mock_server.pipeline import json_body, public, store
from mock_server.store import FAILED, MESSAGE_FLOW

bp = Blueprint("mock_control", __name__)


@bp.post("/reset")
def reset():
    store().reset()
    return jsonify({"data": {"reset": True}})


@bp.post("/messages/<message_id>/advance")
def advance(message_id: str):
    body = json_body(None, optional=True)
    target = body.get("status")
    if target is not None and target not in (*MESSAGE_FLOW, FAILED):
        raise ApiError("VALIDATION_ERROR", f"`status` must be one of {', '.join((*MESSAGE_FLOW[1:], FAILED))}",
                       [{"field": "status", "message": "unknown status"}])
    with store().lock:
        found = store().find_message(message_id)
        if found is None:
            raise ApiError("NOT_FOUND", "Message not found")
        account, message = found
        store().advance(account, message, target)
        return jsonify({"data": public(message)})
