"""Number lookups (create, list, get, progress, cancel, import as contacts) and WhatsApp statuses."""

from __future__ import annotations

from flask import Blueprint, jsonify

from mock_server import lookups
from mock_server.bodies import json_body
from mock_server.context import account, store
from mock_server.errors import ApiError
from mock_server.messaging import check_outbound_quota, check_subscription
from mock_server.operations import answer, operation
from mock_server.paging import newest_first_page
from mock_server.queries import CURSOR, LIMIT, takes

bp = Blueprint("lookups", __name__)


@bp.post("/number-lookups")
@operation(body="number-lookup", other_statuses=(202,))
def create_lookup():
    """Check numbers on WhatsApp: fewer than 100 at once (200), more as an async lookup (202)."""
    payload = json_body()
    with store().lock:
        lookup = lookups.create(store(), account(), payload)
        return answer({"data": lookups.created_json(lookup)}, 202 if lookups.is_async(lookup) else 200)


@bp.get("/number-lookups")
@takes(LIMIT, CURSOR)
def list_lookups():
    """The account's lookups, newest first."""
    limit = LIMIT.read()
    with store().lock:
        paged = newest_first_page(account().lookups.values(), "lookups", limit)
        return jsonify({"data": {"lookups": [lookups.progress_json(item) for item in paged["page"]],
                                 "nextCursor": paged["nextCursor"], "hasMore": paged["hasMore"]}})


@bp.get("/number-lookups/<lookup_id>")
def get_lookup(lookup_id: str):
    """One lookup with its result lists."""
    with store().lock:
        return jsonify({"data": lookups.detail_json(account().find("lookups", lookup_id))})


@bp.get("/number-lookups/<lookup_id>/progress")
def lookup_progress(lookup_id: str):
    """A lookup's counters (poll until done, failed or cancelled)."""
    with store().lock:
        return jsonify({"data": lookups.progress_json(account().find("lookups", lookup_id))})


@bp.post("/number-lookups/<lookup_id>/cancel")
def cancel_lookup(lookup_id: str):
    """Cancel an async lookup that is still running."""
    with store().lock:
        lookup = account().find("lookups", lookup_id)
        lookups.cancel(store(), lookup)
        return jsonify({"data": lookups.progress_json(lookup)})


@bp.post("/number-lookups/<lookup_id>/import-contacts")
@operation(body="number-lookup-import", body_optional=True)
def import_contacts(lookup_id: str):
    """Create or update contacts from the numbers a completed lookup found on WhatsApp."""
    payload = json_body()
    with store().lock:
        lookup = account().find("lookups", lookup_id)
        return jsonify({"data": lookups.import_contacts(store(), account(), lookup, payload)})


@bp.post("/statuses")
@operation(body="status", status=201)
def publish_status():
    """Publish a WhatsApp status (story); it counts against the monthly outbound quota."""
    payload = json_body()
    with store().lock:
        current = account()
        check_subscription(current)
        if not current.features.get("statuses"):
            raise ApiError("STATUSES_NOT_AVAILABLE_ON_PLAN")
        instance = current.find("instances", payload["instanceId"])
        check_outbound_quota(current)
        current.usage.statuses += 1
        return answer({"data": {"instanceId": instance["id"],
                                "providerMessageId": f"{store().random_bits(64):016X}"}})
