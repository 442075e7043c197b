"""Time-driven work of every resource: what the mock's clock has made due is done before answering.

Scheduled messages go out, the automatic lifecycle moves messages on, campaigns whose
`schedule` has come start, bulk jobs and number lookups progress — for every route, not only
the resource's own, as the live service does it in the background.
"""

from __future__ import annotations

import mock_server.api.bulk_jobs.models as bulk_jobs
import mock_server.api.campaigns.models as campaigns
import mock_server.api.lookups.models as lookups
import mock_server.api.messages.models as messages
from mock_server.state.store import Account, Store


def run_due_work(store: Store, account: Account) -> None:
    messages.send_due(store, account)
    messages.progress_due(store, account)
    campaigns.process_due(store, account)
    bulk_jobs.work_due(store, account)
    lookups.work_due(store, account)
