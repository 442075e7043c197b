"""Number lookups (create, list, get, progress, cancel, import as contacts) and WhatsApp statuses."""

from __future__ import annotations

from flask import Blueprint

import mock_server.api.lookups.models as lookups
from mock_server.api.messages.models import check_outbound_quota, check_subscription
from mock_server.state.errors import ApiError
from mock_server.web.context import account, store
from mock_server.web.operations import operation
from mock_server.web.paging import newest_first_list
from mock_server.web.queries import CURSOR, LIMIT, takes

bp = Blueprint("lookups", __name__)


@bp.post("/number-lookups")
@operation(body="number-lookup", other_statuses=(202,))
def create_lookup(body: dict):
    """Check numbers on WhatsApp: fewer than 100 at once (200), more as an async lookup (202)."""
    with store().lock:
        lookup = lookups.create(store(), account(), body)
        return lookups.created_json(lookup), 202 if lookups.is_async(lookup) else 200


@bp.get("/number-lookups")
@takes(LIMIT, CURSOR)
def list_lookups():
    """The account's lookups, newest first."""
    limit = LIMIT.read()
    with store().lock:
        return newest_first_list(account().lookups.values(), "lookups", limit, lookups.progress_json)


@bp.get("/number-lookups/<lookup_id>")
def get_lookup(lookup_id: str):
    """One lookup with its result lists."""
    with store().lock:
        return lookups.detail_json(account().find("lookups", lookup_id))


@bp.get("/number-lookups/<lookup_id>/progress")
def lookup_progress(lookup_id: str):
    """A lookup's counters (poll until done, failed or cancelled)."""
    with store().lock:
        return lookups.progress_json(account().find("lookups", lookup_id))


@bp.post("/number-lookups/<lookup_id>/cancel")
def cancel_lookup(lookup_id: str):
    """Cancel an async lookup that is still running."""
    with store().lock:
        lookup = account().find("lookups", lookup_id)
        lookups.cancel(store(), lookup)
        return lookups.progress_json(lookup)


@bp.post("/number-lookups/<lookup_id>/import-contacts")
@operation(body="number-lookup-import", body_optional=True)
def import_contacts(lookup_id: str, body: dict):
    """Create or update contacts from the numbers a completed lookup found on WhatsApp."""
    with store().lock:
        lookup = account().find("lookups", lookup_id)
        return lookups.import_contacts(store(), account(), lookup, body)


@bp.post("/statuses")
@operation(body="status", status=201)
def publish_status(body: dict):
    """Publish a WhatsApp status (story); it counts against the monthly outbound quota."""
    with store().lock:
        current = account()
        check_subscription(current)
        if not current.features.get("statuses"):
            raise ApiError("STATUSES_NOT_AVAILABLE_ON_PLAN")
        instance = current.find("instances", body["instanceId"])
        check_outbound_quota(current)
        current.usage.statuses += 1
        return {"instanceId": instance.id,
                "providerMessageId": f"{store().random_bits(64):016X}"}
