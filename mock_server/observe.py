"""What the mock tells about its traffic: one access-log line per request, and the journal.

The access log goes to the `msgflash_mock.access` logger (`msgflash-mock serve` prints it on
stderr unless `--quiet`; in-process apps print nothing unless you configure logging). Only
API requests (`/api/…`) enter the journal: the control API and `/openapi.json` are not what
the code under test sent.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from mock_server.faults import DROP_FLAG

access_log = logging.getLogger("msgflash_mock.access")
STARTED = "msgflash_mock.started"  # perf_counter() when the request came in, in the WSGI environ


def register(app: Flask) -> None:
    @app.before_request
    def start_clock() -> None:
        request.environ[STARTED] = time.perf_counter()

    @app.after_request
    def observe(response):
        # Read once: `request` is a context-local proxy, and `path` is decoded on every access.
        current = request._get_current_object()
        environ = current.environ
        store = app.extensions["msgflash_mock"]
        started = environ.get(STARTED)
        duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        store.requests_served += 1
        dropped = bool(environ.get(DROP_FLAG))  # a connection dropped by a fault rule
        path = current.path
        if path.startswith("/api/"):
            headers = current.headers
            store.journal.record(
                at=store.clock.time(), method=current.method, path=path,
                query=current.query_string.decode("latin-1"), api_key=headers.get("x-api-key"),
                team=headers.get("X-Team-Id"), request_body=_request_body(current),
                request_type=current.mimetype, status=0 if dropped else response.status_code,
                response_body=b"" if dropped else response.get_data(), response_type=response.mimetype,
                duration_ms=duration_ms)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info('%s "%s %s" %s %.1f ms', current.remote_addr or "-", current.method,
                            current.full_path.rstrip("?"), "dropped" if dropped else response.status_code,
                            duration_ms)
        return response


def _request_body(current) -> bytes:
    """The body as the view read it; none for one the server refused to read (over 2 MiB)."""
    try:
        return current.get_data(cache=True)
    except HTTPException:
        return b""
