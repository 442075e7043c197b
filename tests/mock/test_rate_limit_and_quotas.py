"""The rate limit and the monthly quotas, alone and under concurrent clients."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tests.mock.conftest import (
    BURST,
    METERED,
    SLOW,
    TIGHT,
    send_body,
)


def test_rate_limit_answers_429_with_retry_after(api) -> None:
    replies = [api.get("/api/v1/instances", key=SLOW) for _ in range(4)]
    limited = [r for r in replies if r.status == 429]
    assert limited and all(r.error_code == "API_RATE_LIMIT_EXCEEDED" for r in limited)
    assert limited[0].headers["Retry-After"] == "1"


def test_monthly_api_request_quota(api) -> None:
    replies = [api.get("/api/v1/instances", key=METERED) for _ in range(4)]
    assert [r.status for r in replies] == [200, 200, 200, 429]
    assert replies[-1].error_code == "MONTHLY_API_REQUEST_QUOTA_EXCEEDED"


def test_the_rate_limit_window_follows_the_clock(api, frozen) -> None:
    key = "msgf_live_burst"  # rateLimitPerSecond 5 (tests/mock/fixtures.json)
    assert [api.get("/api/v1/instances", key=key).status for _ in range(6)] == [200] * 5 + [429]
    assert api.get("/api/v1/instances", key=key).status == 429  # a frozen clock: the window never passes
    frozen(1)
    assert api.get("/api/v1/instances", key=key).status == 200


def test_quotas_are_exact_and_nothing_leaks_under_concurrent_clients(api) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from tests.mock.conftest import METERED

    tight_body = send_body(instanceId="b8c9d0e1-f2a3-4b4c-9d5e-6f7a8b9c0d1e", type="text", text="one")

    def request(n: int):
        if n % 3 == 0:
            return "metered", api.get("/api/v1/instances", key=METERED)
        if n % 3 == 1:
            return "tight", api.post("/api/v1/messages/send", dict(tight_body, text=f"t{n}"), key=TIGHT)
        return "alpha", api.post("/api/v1/messages/send", send_body(type="text", text=f"a{n}"))

    with ThreadPoolExecutor(max_workers=12) as pool:
        replies = list(pool.map(request, range(60)))
    by_account: dict[str, list] = {}
    for account, reply in replies:
        by_account.setdefault(account, []).append(reply)
    metered = by_account["metered"]
    assert sum(r.status == 200 for r in metered) == 3  # monthlyApiRequestQuota: 3, exactly
    assert {r.error_code for r in metered if r.status != 200} == {"MONTHLY_API_REQUEST_QUOTA_EXCEEDED"}
    tight = by_account["tight"]
    assert sum(r.status == 201 for r in tight) == 1  # monthlyOutboundQuota: 1, exactly
    assert {r.error_code for r in tight if r.status != 201} == {"MONTHLY_OUTBOUND_QUOTA_EXCEEDED"}
    alpha = [r.data for r in by_account["alpha"]]
    assert len(alpha) == 20 and all(r.status == 201 for r in by_account["alpha"])
    stored = api.get("/api/v1/messages?limit=100").data["messages"]
    assert sorted(m["id"] for m in stored) == sorted(m["id"] for m in alpha)  # none lost, none duplicated
    assert all(m["body"].startswith("a") for m in stored)


def test_rate_limit_under_concurrent_clients_loses_and_duplicates_nothing(api) -> None:
    body = send_body(instanceId="c9d0e1f2-a3b4-4c5d-8e6f-7a8b9c0d1e2f", type="text", text="burst")
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda n: api.post("/api/v1/messages/send", dict(body, text=f"m{n}"), key=BURST),
                                range(24)))
    accepted = [r.data for r in replies if r.status == 201]
    limited = [r for r in replies if r.status == 429]
    assert len(accepted) + len(limited) == 24
    assert limited and all(r.error_code == "API_RATE_LIMIT_EXCEEDED" for r in limited)
    time.sleep(1.1)  # let the window pass before reading back
    stored = api.get("/api/v1/messages?limit=100", key=BURST).data["messages"]
    assert sorted(m["id"] for m in stored) == sorted(m["id"] for m in accepted)
    assert len({m["body"] for m in stored}) == len(stored)
