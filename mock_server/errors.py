"""ApiError, the documented error codes, and the one handler that renders every error.

Every error leaves the server as {"error": {"code", "message", "details": []}} with the
documented status: API errors, unknown routes, wrong methods, bad JSON, oversized bodies
and, last, anything unexpected (500 INTERNAL_ERROR, never a traceback or an HTML page).
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from msgflash_lint import api

# Every documented code: its status (contract digest §7) and, where the documentation words
# one, its default message, from the contract (schemas/responses.schema.json) — one table.
# Every code can be forced with the mock-only X-Mock-Error header; most also happen where the
# documentation says. EMAIL_NOT_VERIFIED is not there: a dashboard code with no documented status.
ERRORS: dict[str, tuple[int, str]] = api.error_codes()
ERROR_STATUS: dict[str, int] = {code: status for code, (status, _) in ERRORS.items()}

log = logging.getLogger("msgflash_mock")


class ApiError(Exception):
    def __init__(self, code: str, message: str | None = None, details: list | None = None,
                 headers: dict | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.status, default = ERRORS[code]
        self.message = message or default
        self.details = details or []
        self.headers = headers or {}


def error_response(code: str, message: str | None = None, details: list | None = None,
                   headers: dict | None = None):
    error = ApiError(code, message, details, headers)
    response = jsonify({"error": {"code": error.code, "message": error.message, "details": error.details}})
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.code, error.message, error.details, error.headers)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Decision D3: unknown routes and methods answer 404 NOT_FOUND; transport errors 400.
        if error.code in (404, 405):
            return error_response("NOT_FOUND", "No such route: check the method and the path")
        if error.code == 413:
            return error_response("BAD_REQUEST", "Request body too large")
        if error.code and 400 <= error.code < 500:
            return error_response("BAD_REQUEST", error.description or "Bad request")
        log.exception("unexpected HTTP error", exc_info=error)
        return error_response("INTERNAL_ERROR")

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error", exc_info=error)
        return error_response("INTERNAL_ERROR")
