"""The mock-only state beside the API's: fault rules, the request journal, how many requests were served.

Kept apart from the Store (the API's resources) so the control layer owns it; a reset clears
both. One per app, in `app.extensions["msgflash_mock_controls"]`.
"""

from __future__ import annotations

from flask import current_app

from mock_server.control.faults import Faults
from mock_server.control.journal import Journal


class Controls:
    def __init__(self) -> None:
        self.faults = Faults()  # rules that fail, slow or drop chosen requests
        self.journal = Journal()  # the API requests and their answers, newest 1000
        self.requests_served = 0

    def clear(self) -> None:
        self.faults.clear()
        self.journal.clear()


def controls() -> Controls:
    return current_app.extensions["msgflash_mock_controls"]
