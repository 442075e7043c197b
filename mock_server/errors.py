"""ApiError, the documented error codes, and the one handler that renders every error.

Every error leaves the server as {"error": {"code", "message", "details": []}} with the
documented status: API errors, unknown routes, wrong methods, bad JSON, oversized bodies
and, last, anything unexpected (500 INTERNAL_ERROR, never a traceback or an HTML page).
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

# Documented codes the mock can answer, with their statuses (contract digest §7).
ERROR_STATUS: dict[str, int] = {
    "VALIDATION_ERROR": 400,
    "BAD_REQUEST": 400,
    "TEMPLATE_INVALID": 400,
    "TEMPLATE_VARIABLES_MISSING": 400,
    "TEMPLATE_CONTEXT_UNAVAILABLE": 400,
    "UNAUTHORIZED": 401,
    "SUBSCRIPTION_INACTIVE": 403,
    "UNSUPPORTED_FEATURE": 403,
    "CAMPAIGNS_NOT_AVAILABLE_ON_PLAN": 403,
    "WEBHOOKS_NOT_AVAILABLE_ON_PLAN": 403,
    "MAX_WEBHOOK_ENDPOINTS_REACHED": 403,
    "MAX_CONTACT_GROUPS_REACHED": 403,
    "FEATURE_NOT_AVAILABLE_ON_PLAN": 403,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "API_RATE_LIMIT_EXCEEDED": 429,
    "MONTHLY_API_REQUEST_QUOTA_EXCEEDED": 429,
    "MONTHLY_OUTBOUND_QUOTA_EXCEEDED": 429,
    "INTERNAL_ERROR": 500,
}
# The documentation's own wording where it gives one.
DEFAULT_MESSAGES: dict[str, str] = {
    "VALIDATION_ERROR": "Invalid request body",
    "BAD_REQUEST": "Bad request",
    "TEMPLATE_INVALID": "Invalid template",
    "TEMPLATE_VARIABLES_MISSING": "Missing template variables",
    "TEMPLATE_CONTEXT_UNAVAILABLE": "Template context unavailable",
    "UNAUTHORIZED": "API key missing or invalid",
    "SUBSCRIPTION_INACTIVE": "Subscription not usable",
    "UNSUPPORTED_FEATURE": "Feature not supported (buttons need a WhatsApp Business account)",
    "CAMPAIGNS_NOT_AVAILABLE_ON_PLAN": "Campaigns are not available on your plan",
    "WEBHOOKS_NOT_AVAILABLE_ON_PLAN": "Webhooks are not available on your plan",
    "MAX_WEBHOOK_ENDPOINTS_REACHED": "Maximum number of webhook endpoints reached",
    "MAX_CONTACT_GROUPS_REACHED": "Maximum number of contact groups reached",
    "FEATURE_NOT_AVAILABLE_ON_PLAN": "Feature not available on your plan",
    "FORBIDDEN": "Forbidden",
    "NOT_FOUND": "Resource not found",
    "CONFLICT": "Conflict",
    "API_RATE_LIMIT_EXCEEDED": "Too many API requests",
    "MONTHLY_API_REQUEST_QUOTA_EXCEEDED": "Monthly API request quota exceeded",
    "MONTHLY_OUTBOUND_QUOTA_EXCEEDED": "Monthly quota exhausted",
    "INTERNAL_ERROR": "Internal server error",
}

log = logging.getLogger("msgflash_mock")


class ApiError(Exception):
    def __init__(self, code: str, message: str | None = None, details: list | None = None,
                 headers: dict | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.status = ERROR_STATUS[code]
        self.message = message or DEFAULT_MESSAGES[code]
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
