"""The one place that turns what a view returned, or an error, into the HTTP answer.

A view returns the value of `data`, or `(data, status)` for one of its declared other statuses;
every error becomes {"error": {"code", "message", "details"}} with its documented status.
"""

from __future__ import annotations

from flask import Flask, Response, current_app

from mock_server.state.errors import ApiError
from mock_server.web.operations import ViewDeclaration


def view_answer(app: Flask, operation: ViewDeclaration, result) -> Response:
    """The declared status and the envelope: a status the view does not declare is a bug of ours."""
    data, status = result if isinstance(result, tuple) else (result, operation.status)
    if not operation.allows(status):
        raise AssertionError(f"a view answers {status}, which it does not declare")
    response = app.json.response({"data": data} if operation.envelope else data)
    response.status_code = status
    return response


def error_answer(error: ApiError) -> Response:
    response = current_app.json.response(error.envelope())
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


try:  # waitress closes the connection, writing nothing, when the app raises its own disconnect
    from waitress.channel import ClientDisconnected as _Disconnect
except ImportError:  # pragma: no cover - waitress is a dependency; other servers see a reset
    _Disconnect = ConnectionResetError


class DropConnection(_Disconnect, ConnectionResetError):
    """Raised where the answer would be written: the server closes the connection, no answer sent
    (a Flask test client sees this exception, as a client sees a reset connection)."""


class DroppedResponse(Response):
    """Written by no one: the server gets DropConnection where it would send the answer."""

    def __call__(self, environ, start_response):
        raise DropConnection("connection dropped (mock-only fault)")


class Dropped(Exception):
    """A fault rule drops this request's connection: nothing is written, the journal says status 0."""

    def __init__(self) -> None:
        super().__init__("connection dropped (mock-only fault)")
        self.response = DroppedResponse(b"", status=500)
