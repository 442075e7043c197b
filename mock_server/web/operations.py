"""What each view declares once: its request schema, its success statuses, who may call it.

The pipeline (mock_server/pipeline/steps.py) reads the declaration to check the body before
the view runs and to answer with the declared status; `/openapi.json` documents the same
declaration: the schema, the status and the body cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViewDeclaration:
    body: str | None = None  # schemas/<body>.schema.json, checked before the view runs its logic
    status: int = 200  # the success status
    body_optional: bool = False  # the request may carry no body at all
    other_statuses: tuple[int, ...] = ()  # further success statuses (202 for large member changes)
    # None: a workspace route (team keys welcome, a personal key must not send X-Team-Id);
    # True: the personal account's own reads (a team key gets TEAM_KEY_NOT_ALLOWED);
    # False: not a workspace route, any key (the plan catalogue).
    personal_key: bool | None = None
    # False: the view answers a whole document (`/openapi.json`), not the {"data": …} envelope.
    envelope: bool = True
    # A mock-only route's body schema: mock_server/control/schemas/<mock_body>.schema.json.
    mock_body: str | None = None
    # The view checks its body against that schema itself (POST /_mock/accounts: for its "did you
    # mean"); the pipeline does not, and the schema only documents the body.
    checked_by_view: bool = False
    # A mock-only route's answer (inside `data`, unless `envelope` is False): a MsgFlash shape,
    # `answer` in schemas/responses.schema.json's $defs, or one of the mock's own, `mock_answer` in
    # mock_server/control/schemas/answers.schema.json's. API routes' answers are the contract's.
    answer: str | None = None
    mock_answer: str | None = None

    @property
    def takes_body(self) -> bool:
        """The view is called with `body=`, the request's JSON object, checked before it runs."""
        return self.body is not None or self.body_optional or self.mock_body is not None

    def allows(self, status: int) -> bool:
        return status == self.status or status in self.other_statuses


NO_DECLARATION = ViewDeclaration()


def operation(**declared) -> callable:
    """Declare a view's request schema and success status (read by the pipeline and openapi)."""
    def mark(view):
        view.operation = ViewDeclaration(**declared)
        return view
    return mark


def declared_operation(view) -> ViewDeclaration:
    return getattr(view, "operation", NO_DECLARATION)
