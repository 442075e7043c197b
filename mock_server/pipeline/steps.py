"""Every request the mock answers, as one list of steps in the order of decision (digest D16).

    1. route          unknown path or method, or OPTIONS → 404 NOT_FOUND (D3)
    2. caller         /api/: the key (401), its team (401/403), a fault rule, the rate limit and
                      the monthly API quota (429), work the clock made due, a forced error;
                      /_mock/: loopback callers only (403), JSON or no Content-Type (400)
    3. body           JSON (400 BAD_REQUEST), storable (400), against the view's schema (400)
    4. view           the resource's own rules (403, 404, 409, 422, …) and state change
    5. answer         the declared status, in the {"data": …} envelope, through one responder
    6. journal        /api/ requests and their answers; one access-log line for every request

Each step either lets the request go on or raises ApiError; whatever is raised becomes the
documented error envelope in `handle_request`, the one place that answers.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Request, Response, g
from werkzeug.exceptions import HTTPException

from mock_server.api.due_work import run_due_work
from mock_server.control.state import Controls
from mock_server.pipeline import api_access, control_access
from mock_server.pipeline.responder import Dropped, DroppedResponse, error_answer, view_answer
from mock_server.state.errors import ApiError
from mock_server.web.bodies import request_body
from mock_server.web.operations import ViewDeclaration, declared_operation

access_log = logging.getLogger("msgflash_mock.access")
log = logging.getLogger("msgflash_mock")


def handle_request(app: Flask, request: Request) -> Response:
    """The answer to one request, from its first step to the journal."""
    started = time.perf_counter()
    try:
        response = _answer(app, request)
    except Dropped as dropped:
        response = dropped.response
    except ApiError as error:
        response = error_answer(error)
    except HTTPException as error:
        response = error_answer(ApiError.from_http(error))
    except Exception as error:  # a bug of ours: the envelope, never a traceback or an HTML page
        log.exception("unexpected error", exc_info=error)
        response = error_answer(ApiError("INTERNAL_ERROR"))
    _journal(app, request, response, started)
    return response


def _answer(app: Flask, request: Request) -> Response:
    """Steps 1 to 5: each lets the request go on or raises the documented error."""
    store, controls = app.extensions["msgflash_mock"], app.extensions["msgflash_mock_controls"]
    area, operation, view = _route(app, request)  # 1 route
    if area == API:  # 2 caller
        account = api_access.authenticate(store, request)  # key: 401
        api_access.check_team_context(request, account, operation)  # team: 401, 403
        api_access.apply_fault(request, controls.faults.decide(request.method, request.path, account))  # mock-only
        with store.lock:
            api_access.check_rate_limit(store, account)  # 429
            api_access.count_api_request(account)  # monthly API quota: 429
            run_due_work(store, account)  # scheduled sends, campaigns, jobs the clock made due
        api_access.force_error(request)  # mock-only X-Mock-Error
        g.account = account
    elif area == CONTROL:
        control_access.admit(request)  # loopback callers only: 403; JSON only: 400
    arguments = dict(request.view_args or {})
    if operation.takes_body:  # 3 body: JSON, storable, against its schema (400)
        arguments["body"] = request_body(request, operation)
    result = view(**arguments)  # 4 view: the resource's own rules and state change
    # 5 answer: the declared status and envelope, under the store's lock: what a view returns
    # may share lists and dicts with stored records, which must not change while the JSON is
    # written (the view itself decides what it does under the lock: parsing a large template,
    # say, is done outside it).
    with store.lock:
        return view_answer(app, operation, result)


API, CONTROL, DOCUMENT = "api", "control", "document"


def _route(app: Flask, request: Request) -> tuple[str, ViewDeclaration, object]:
    """Which view answers, what it declares, and which part of the server it is in."""
    if request.routing_exception is not None:
        raise request.routing_exception
    if request.method == "OPTIONS":  # MsgFlash documents no OPTIONS (D3: 404)
        raise ApiError("NOT_FOUND", "No such route: check the method and the path")
    rule = request.url_rule
    area = API if rule.rule.startswith("/api/") else CONTROL if rule.rule.startswith("/_mock/") else DOCUMENT
    view = app.view_functions[rule.endpoint]
    return area, declared_operation(view), view


def _journal(app: Flask, request: Request, response: Response, started: float) -> None:
    duration_ms = (time.perf_counter() - started) * 1000
    controls: Controls = app.extensions["msgflash_mock_controls"]
    controls.requests_served += 1
    dropped = isinstance(response, DroppedResponse)
    path = request.path
    if path.startswith("/api/"):
        headers = request.headers
        controls.journal.record(
            at=app.extensions["msgflash_mock"].clock.time(), method=request.method, path=path,
            query=request.query_string.decode("latin-1"), api_key=headers.get("x-api-key"),
            team=headers.get("X-Team-Id"), request_body=_body_as_read(request), request_type=request.mimetype,
            status=0 if dropped else response.status_code,
            response_body=b"" if dropped else response.get_data(), response_type=response.mimetype,
            duration_ms=duration_ms)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info('%s "%s %s" %s %.1f ms', request.remote_addr or "-", request.method,
                        request.full_path.rstrip("?"), "dropped" if dropped else response.status_code, duration_ms)


def _body_as_read(request: Request) -> bytes:
    """The body as the view read it; none for one the server refused to read (over 2 MiB)."""
    try:
        return request.get_data(cache=True)
    except HTTPException:
        return b""
