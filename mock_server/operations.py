"""What each view declares once: its request schema and its success status.

The view reads its body through `json_body()` and answers through `answer()`, both from its
declaration, and `/openapi.json` documents the same declaration: the schema, the status and
the body cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, jsonify, request


@dataclass(frozen=True)
class Operation:
    body: str | None = None  # schemas/<body>.schema.json, checked before the view runs its logic
    status: int = 200  # the success status
    body_optional: bool = False  # the request may carry no body at all
    other_statuses: tuple[int, ...] = ()  # further success statuses (202 for large member changes)
    # None: a workspace route (team keys welcome, a personal key must not send X-Team-Id);
    # True: the personal account's own reads (a team key gets TEAM_KEY_NOT_ALLOWED);
    # False: not a workspace route, any key (the plan catalogue).
    personal_key: bool | None = None


NO_DECLARATION = Operation()


def operation(**declared) -> callable:
    """Declare a view's request schema and success status (read by `answer`, `json_body`, openapi)."""
    def mark(view):
        view.operation = Operation(**declared)
        return view
    return mark


def declared_operation(view=None) -> Operation:
    view = view or current_app.view_functions.get(request.endpoint)
    return getattr(view, "operation", NO_DECLARATION)


def answer(payload: dict, status: int | None = None):
    """The JSON response with the view's declared success status (or one of its declared others)."""
    declared = declared_operation()
    status = status or declared.status
    if status not in (declared.status, *declared.other_statuses):
        raise AssertionError(f"{request.endpoint} answers {status}, which it does not declare")
    response = jsonify(payload)
    response.status_code = status
    return response
