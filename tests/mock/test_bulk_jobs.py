"""Bulk contact work: bulk delete and large member changes as jobs that progress with the clock."""

from __future__ import annotations

from tests.mock.conftest import BETA, CARLA, CONTACT, VIP_GROUP, unknown_ids


def test_bulk_delete_under_100_ids_answers_at_once(api) -> None:
    missing = unknown_ids(1)[0]
    reply = api.post("/api/v1/contacts/bulk-delete", {"contactIds": [CARLA, missing]})
    assert reply.status == 200 and reply.data == {"requested": 2, "deleted": 1, "notFound": [missing]}
    assert api.get(f"/api/v1/contacts/{CARLA}").status == 404
    assert api.get(f"/api/v1/contacts/groups/{VIP_GROUP}").data["contactCount"] == 1
    assert api.post("/api/v1/contacts/bulk-delete", {"contactIds": []}).error_code == "VALIDATION_ERROR"


def test_bulk_delete_of_100_ids_is_a_job_that_progresses_with_the_clock(api, frozen) -> None:
    ids = [CONTACT, CARLA, *unknown_ids(148)]
    accepted = api.post("/api/v1/contacts/bulk-delete", {"contactIds": ids})
    assert accepted.status == 202
    assert (accepted.data["mode"], accepted.data["operation"], accepted.data["requestedCount"]) == (
        "async", "bulk_delete_contacts", 150)
    job = f"/api/v1/contacts/bulk-jobs/{accepted.data['jobId']}"
    assert api.get(job).data["status"] == "pending" and api.get(f"/api/v1/contacts/{CONTACT}").status == 200
    frozen(0.1)  # 500 ids a second: 50 of them
    progress = api.get(f"{job}/progress").data
    assert (progress["status"], progress["processedCount"], progress["progress"]) == ("processing", 50, 33)
    assert progress["summary"] == {"deleted": 2, "notFound": 48} and progress["completedAt"] is None
    frozen(1)
    done = api.get(job).data
    assert (done["status"], done["processedCount"], done["progress"]) == ("done", 150, 100)
    assert done["summary"] == {"deleted": 2, "notFound": 148} and done["completedAt"]
    assert api.post(f"{job}/cancel").error_code == "BAD_REQUEST"
    assert api.get(job, key=BETA).status == 404


def test_large_member_changes_run_as_jobs_with_the_documented_operation_names(api, frozen) -> None:
    group = api.post("/api/v1/contacts/groups", {"name": "Everyone"}).data["id"]
    ids = [CONTACT, CARLA, *unknown_ids(98)]
    added = api.post(f"/api/v1/contacts/groups/{group}/members", {"contactIds": ids})
    assert added.status == 202 and added.data["operation"] == "add_to_group" and added.data["groupId"] == group
    assert api.get(f"/api/v1/contacts/groups/{group}").data["contactCount"] == 0
    frozen(1)
    summary = api.get(f"/api/v1/contacts/bulk-jobs/{added.data['jobId']}").data["summary"]
    assert summary == {"added": 2, "alreadyInGroup": 0, "notFound": 98}
    assert api.get(f"/api/v1/contacts/groups/{group}").data["contactCount"] == 2
    removed = api.call("DELETE", f"/api/v1/contacts/groups/{group}/members", {"contactIds": ids})
    assert removed.status == 202 and removed.data["operation"] == "remove_from_group"
    frozen(1)
    assert api.get(f"/api/v1/contacts/groups/{group}").data["contactCount"] == 0


def test_a_job_cancelled_midway_keeps_what_it_did(api, frozen) -> None:
    accepted = api.post("/api/v1/contacts/bulk-delete", {"contactIds": [*unknown_ids(400), CONTACT]}).data
    frozen(0.5)
    cancelled = api.post(f"/api/v1/contacts/bulk-jobs/{accepted['jobId']}/cancel").data
    assert cancelled["status"] == "cancelled" and cancelled["processedCount"] == 250 and cancelled["completedAt"]
    frozen(5)
    assert api.get(f"/api/v1/contacts/bulk-jobs/{accepted['jobId']}").data["processedCount"] == 250
    assert api.get(f"/api/v1/contacts/{CONTACT}").status == 200


def test_bulk_jobs_list_newest_first_with_cursor_paging(api) -> None:
    first = api.post("/api/v1/contacts/bulk-delete", {"contactIds": unknown_ids(100)}).data["jobId"]
    second = api.post("/api/v1/contacts/bulk-delete", {"contactIds": unknown_ids(120)}).data["jobId"]
    page = api.get("/api/v1/contacts/bulk-jobs?limit=1").data
    assert [j["id"] for j in page["jobs"]] == [second] and page["hasMore"] is True
    rest = api.get(f"/api/v1/contacts/bulk-jobs?limit=1&cursor={page['nextCursor']}").data
    assert [j["id"] for j in rest["jobs"]] == [first] and rest["hasMore"] is False and rest["nextCursor"] is None
    assert api.get("/api/v1/contacts/bulk-jobs", key=BETA).data["jobs"] == []
    assert api.get("/api/v1/contacts/bulk-jobs?limit=101").error_code == "VALIDATION_ERROR"
