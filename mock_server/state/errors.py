"""ApiError and the documented error codes: what every refusal of the mock is made of.

The pipeline's responder (mock_server/pipeline/responder.py) renders each as
{"error": {"code", "message", "details": []}} with the documented status: API errors, unknown
routes, wrong methods, bad JSON, oversized bodies and, last, anything unexpected (500
INTERNAL_ERROR, never a traceback or an HTML page).
"""

from __future__ import annotations

import logging

from msgflash_lint import api

# Every documented code: its status (docs/decisions.md §7) and, where the documentation words
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

    def envelope(self) -> dict:
        """The documented error body."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}

    @classmethod
    def body_too_large(cls) -> ApiError:
        """A body over the mock's limit, refused by Flask or by the server from its Content-Length."""
        return cls("BAD_REQUEST", "Request body too large")

    @classmethod
    def from_http(cls, error) -> ApiError:
        """A werkzeug HTTPException as the documented error (D3: unknown routes and methods are
        404 NOT_FOUND; transport errors 400); a 5xx one is a bug of ours, logged."""
        if error.code in (404, 405):
            return cls("NOT_FOUND", "No such route: check the method and the path")
        if error.code == 413:
            return cls.body_too_large()
        if error.code and 400 <= error.code < 500:
            return cls("BAD_REQUEST", error.description or "Bad request")
        log.exception("unexpected HTTP error", exc_info=error)
        return cls("INTERNAL_ERROR")
