"""ApiError, the documented error codes, and the one handler that renders every error.

Every error leaves the server as {"error": {"code", "message", "details": []}} with the
documented status: API errors, unknown routes, wrong methods, bad JSON, oversized bodies
and, last, anything unexpected (500 INTERNAL_ERROR, never a traceback or an HTML page).
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

# Every documented code: its status (contract digest §7) and, where the documentation words
# one, its default message. One table: a code cannot lack either. Every code can be forced
# with the mock-only X-Mock-Error header; most also happen where the documentation says.
ERRORS: dict[str, tuple[int, str]] = {
    "VALIDATION_ERROR": (400, "Invalid request body"),
    "BAD_REQUEST": (400, "Bad request"),
    "TEMPLATE_INVALID": (400, "Invalid template"),
    "TEMPLATE_VARIABLES_MISSING": (400, "Missing template variables"),
    "TEMPLATE_CONTEXT_UNAVAILABLE": (400, "Template context unavailable"),
    "UNAUTHORIZED": (401, "API key missing or invalid"),
    "SUBSCRIPTION_INACTIVE": (403, "Subscription not usable"),
    "UNSUPPORTED_FEATURE": (403, "Feature not supported (buttons need a WhatsApp Business account)"),
    "CAMPAIGNS_NOT_AVAILABLE_ON_PLAN": (403, "Campaigns are not available on your plan"),
    "WEBHOOKS_NOT_AVAILABLE_ON_PLAN": (403, "Webhooks are not available on your plan"),
    "MAX_WEBHOOK_ENDPOINTS_REACHED": (403, "Maximum number of webhook endpoints reached"),
    "MAX_CONTACT_GROUPS_REACHED": (403, "Maximum number of contact groups reached"),
    "FEATURE_NOT_AVAILABLE_ON_PLAN": (403, "Feature not available on your plan"),
    "STATUSES_NOT_AVAILABLE_ON_PLAN": (403, "WhatsApp statuses are not available on your plan"),
    "MAX_INSTANCES_REACHED": (403, "Instance limit reached"),
    "API_KEYS_NOT_AVAILABLE_ON_PLAN": (403, "API keys are not available on your plan"),
    "MAX_API_KEYS_REACHED": (403, "API key limit reached"),
    "FORBIDDEN": (403, "Resource not accessible with this key"),
    "INVALID_DESTINATION": (422, "Invalid recipient number"),
    "NOT_FOUND": (404, "Resource not found"),
    "CONFLICT": (409, "Conflict"),
    "API_RATE_LIMIT_EXCEEDED": (429, "Too many API requests"),
    "MONTHLY_API_REQUEST_QUOTA_EXCEEDED": (429, "Monthly API request quota exceeded"),
    "MONTHLY_OUTBOUND_QUOTA_EXCEEDED": (429, "Monthly quota exhausted"),
    "INTERNAL_ERROR": (500, "Internal server error"),
    "PROVIDER_TIMEOUT": (502, "WhatsApp provider timeout"),
    "PROVIDER_UNAVAILABLE": (502, "WhatsApp provider temporarily unavailable"),
    "PROVIDER_ERROR": (502, "Provider error"),
    # Teams and workspaces (error-codes page, #teams-workspaces). The console-only ones are
    # reachable through X-Mock-Error alone: the public API has no route where they happen.
    "TEAM_KEY_REQUIRED": (403, "A team API key is required with X-Team-Id"),
    "TEAM_KEY_NOT_ALLOWED": (403, "This route needs a personal API key"),
    "TEAM_NOT_FOUND": (404, "Team not found"),
    "TEAM_ACCESS_DENIED": (403, "Your role does not allow this action"),
    "TEAM_FEATURE_UNAVAILABLE": (403, "Teams are not available on your plan"),
    "TEAM_LIMIT_REACHED": (403, "Team limit reached for your plan"),
    "TEAM_SEAT_LIMIT_REACHED": (403, "The team has no free seat"),
    "INSTANCE_NOT_ASSIGNED": (403, "This instance is not assigned to you"),
    "INVITE_INVALID_OR_EXPIRED": (400, "Invitation invalid or expired"),
    "INVITE_EMAIL_MISMATCH": (403, "The invitation was sent to another address"),
    "INVITE_DUPLICATE_MEMBER": (409, "Already an active member of the team"),
    "PLAN_CHANGE_BLOCKED_ACTIVE_TEAMS": (409, "Plan change blocked by active teams"),
    "BILLING_PAYMENTS_TEAM_OWNER_ONLY": (403, "Only the team owner sees the team's payments"),
    "BILLING_TEAM_MUTATION_FORBIDDEN": (403, "Billing changes are reserved to the team owner"),
}
# EMAIL_NOT_VERIFIED is left out: a dashboard-login code whose status is not documented.
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
