"""Async bulk contact jobs: large member changes and bulk deletes, worked through as time passes.

A change of ASYNC_THRESHOLD ids or more answers 202 with a job instead of its result. The job
handles JOB_IDS_PER_SECOND ids per second of the mock's clock (so a frozen clock holds it
and `/_mock/clock/advance` moves it), its effect lands id by id as it goes, and it can be
cancelled while pending or processing: what was done stays done, as the documented cancel
example's partial summary shows.
"""

from __future__ import annotations

from mock_server.api.contacts.models import delete_contacts
from mock_server.state.clock import done_by
from mock_server.state.errors import ApiError
from mock_server.state.records import BulkJob
from mock_server.state.store import Account, Store

ASYNC_THRESHOLD = 100  # ids; fewer are changed at once and answered 200 (bulk-delete page)
JOB_IDS_PER_SECOND = 500  # not documented; the documented example did 4,900 ids in 12 s
ADD, REMOVE, DELETE = "add_to_group", "remove_from_group", "bulk_delete_contacts"
FINISHED = ("done", "failed", "cancelled")
_SUMMARY_KEYS = {ADD: ("added", "alreadyInGroup", "notFound"), REMOVE: ("removed", "notInGroup"),
                 DELETE: ("deleted", "notFound")}


def add_members(account: Account, group: dict, ids: list[str]) -> dict:
    """Add the ids that are contacts of the account; the documented counts."""
    members = group.contactIds
    known = [i for i in ids if i in account.contacts]
    new = [i for i in known if i not in members]
    members.extend(new)
    return {"added": len(new), "alreadyInGroup": len(known) - len(new), "notFound": len(ids) - len(known)}


def remove_members(group: dict, ids: list[str]) -> dict:
    members = group.contactIds
    present = [i for i in ids if i in members]
    for i in present:
        members.remove(i)
    return {"removed": len(present), "notInGroup": len(ids) - len(present)}


def start(store: Store, account: Account, operation: str, ids: list[str], group_id: str | None = None) -> dict:
    now = store.now_iso()
    job = BulkJob(id=store.new_id(), operation=operation, status="pending", requestedCount=len(ids), processedCount=0,
                  progress=0, groupId=group_id, summary=dict.fromkeys(_SUMMARY_KEYS[operation], 0), error=None,
                  createdAt=now, updatedAt=now, completedAt=None, ids=ids, started=store.clock.time(),
                  seq=store.next_sequence())
    account.jobs[job.id] = job
    return job


def accepted_json(job: BulkJob) -> dict:
    """The 202 body that announces a job (bulk-delete and group member pages)."""
    body = {"mode": "async", "jobId": job.id, "status": job.status, "operation": job.operation,
            "requestedCount": job.requestedCount, "progress": job.progress,
            "message": f"Bulk operation queued. Check status via GET /api/v1/contacts/bulk-jobs/{job.id}"}
    if job.groupId is not None:
        body["groupId"] = job.groupId
    return body



def work_due(store: Store, account: Account) -> None:
    """Bring every running job up to the mock's clock."""
    now = store.clock.time()
    for job in account.jobs.values():
        if job.status in FINISHED:
            continue
        target = min(job.requestedCount, done_by(job.started, now, JOB_IDS_PER_SECOND))
        work(store, account, job, target - job.processedCount)


def work(store: Store, account: Account, job: BulkJob, count: int | None = None) -> None:
    """Handle the next `count` ids of a job (all that are left when None)."""
    done = job.processedCount
    batch = job.ids[done:] if count is None else job.ids[done:done + max(count, 0)]
    if not batch:
        return
    if job.operation == DELETE:
        missing = delete_contacts(account, batch)
        delta = {"deleted": len(batch) - len(missing), "notFound": len(missing)}
    else:
        group = account.groups.get(job.groupId)
        if group is None:
            _finish(store, job, "failed", error="The group was deleted while the job ran")
            return
        delta = add_members(account, group, batch) if job.operation == ADD else remove_members(group, batch)
    for key, value in delta.items():
        job.summary[key] += value
    job.processedCount = done + len(batch)
    job.progress = job.processedCount * 100 // job.requestedCount
    job.updatedAt = store.now_iso()
    if job.processedCount == job.requestedCount:
        _finish(store, job, "done")
    else:
        job.status = "processing"


def cancel(store: Store, job: BulkJob) -> None:
    if job.status in FINISHED:
        # Not documented; as for campaigns (decision D8) a state that forbids it is BAD_REQUEST.
        raise ApiError("BAD_REQUEST", f"A `{job.status}` job cannot be cancelled")
    _finish(store, job, "cancelled")


def _finish(store: Store, job: BulkJob, status: str, error: str | None = None) -> None:
    job.status, job.error = status, error
    job.updatedAt = job.completedAt = store.now_iso()
