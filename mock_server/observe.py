"""What the mock tells about its traffic: one access-log line per request, and the journal.

The access log goes to the `msgflash_mock.access` logger (`msgflash-mock serve` prints it on
stderr unless `--quiet`; in-process apps print nothing unless you configure logging). Only
API requests (`/api/…`) enter the journal: the control API and `/openapi.json` are not what
the code under test sent.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from mock_server.faults import DROP_FLAG

access_log = logging.getLogger("msgflash_mock.access")


def register(app: Flask) -> None:
    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def observe(response):
        store = app.extensions["msgflash_mock"]
        started = g.get("started")
        duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        store.requests_served += 1
        dropped = bool(request.environ.get(DROP_FLAG))  # a connection dropped by a fault rule
        if request.path.startswith("/api/"):
            store.journal.record(
                at=store.now_iso(), method=request.method, path=request.path,
                query=request.query_string.decode("latin-1"), api_key=request.headers.get("x-api-key"),
                team=request.headers.get("X-Team-Id"), request_body=_request_body(),
                request_type=request.mimetype, status=0 if dropped else response.status_code,
                response_body=b"" if dropped else response.get_data(), response_type=response.mimetype,
                duration_ms=duration_ms)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info('%s "%s %s" %s %.1f ms', request.remote_addr or "-", request.method,
                            request.full_path.rstrip("?"), "dropped" if dropped else response.status_code,
                            duration_ms)
        return response


def _request_body() -> bytes:
    """The body as the view read it; none for one the server refused to read (over 2 MiB)."""
    try:
        return request.get_data(cache=True)
    except HTTPException:
        return b""
