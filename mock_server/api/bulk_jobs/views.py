"""Bulk contact work: POST /contacts/bulk-delete and the async bulk jobs (list, get, progress, cancel)."""

from __future__ import annotations

from flask import Blueprint

import mock_server.api.bulk_jobs.models as jobs
from mock_server.api.contacts.models import delete_contacts
from mock_server.state.records import BulkJob
from mock_server.web.context import account, store
from mock_server.web.operations import operation
from mock_server.web.paging import newest_first_list
from mock_server.web.queries import CURSOR, JOB_LIMIT, takes

bp = Blueprint("bulk_jobs", __name__)


@bp.post("/contacts/bulk-delete")
@operation(body="contact-bulk-delete", other_statuses=(202,))
def bulk_delete(body: dict):
    """Delete contacts: fewer than 100 ids at once (200), more through a bulk job (202)."""
    ids = list(dict.fromkeys(i.lower() for i in body["contactIds"]))
    with store().lock:
        if len(body["contactIds"]) >= jobs.ASYNC_THRESHOLD:
            job = jobs.start(store(), account(), jobs.DELETE, ids)
            return jobs.accepted_json(job), 202
        missing = delete_contacts(account(), ids)
        return {"requested": len(ids), "deleted": len(ids) - len(missing), "notFound": missing}


@bp.get("/contacts/bulk-jobs")
@takes(JOB_LIMIT, CURSOR)
def list_jobs():
    """The account's bulk jobs, newest first."""
    limit = JOB_LIMIT.read()
    with store().lock:
        return newest_first_list(account().jobs.values(), "jobs", limit, BulkJob.to_json)


@bp.get("/contacts/bulk-jobs/<job_id>")
@bp.get("/contacts/bulk-jobs/<job_id>/progress")
def get_job(job_id: str):
    """One bulk job; its progress route answers the same body (poll until done, failed or cancelled)."""
    with store().lock:
        return account().find("jobs", job_id).to_json()


@bp.post("/contacts/bulk-jobs/<job_id>/cancel")
def cancel_job(job_id: str):
    """Cancel a pending or processing job; what it did so far stays."""
    with store().lock:
        job = account().find("jobs", job_id)
        jobs.cancel(store(), job)
        return job.to_json()
