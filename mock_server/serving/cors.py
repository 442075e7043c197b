"""`msgflash-mock serve --cors ORIGIN`: a browser app on ORIGIN may call the mock's API.

Mock-only and off by default: the live MsgFlash API documents no CORS, and a front-end that
works against the mock only because the mock allows it would fail in production. A team that
drives a browser test (a dashboard that calls MsgFlash through its own backend, or a prototype)
opts in per origin, as Prism does.

Only the API (`/api/...`) gets the headers. The controls under `/_mock/` never do: a page
open in the same browser must never be able to reset the state, add faults or move the clock
of a mock that a test suite is using, so a preflight there gets no permission and the browser
refuses the call. A preflight is answered here, before the API's pipeline (it carries no key).
"""

from __future__ import annotations

API_PREFIX = "/api/"
METHODS = "GET, POST, PUT, PATCH, DELETE"
# The answer headers a browser script may read besides the simple ones: the rate limit's.
EXPOSED = "Retry-After"
MAX_AGE = "600"


def with_cors(app, origins: tuple[str, ...]):
    """`app` (a Flask app) answering CORS for `origins` (`*` for any) on API routes; unchanged without origins."""
    if not origins:
        return app
    inner = app.wsgi_app
    allowed = frozenset(origins)

    def cors(environ, start_response):
        origin = environ.get("HTTP_ORIGIN")
        if origin is None or not environ.get("PATH_INFO", "").startswith(API_PREFIX):
            return inner(environ, start_response)
        granted = _granted(origin, allowed)
        if granted is None:
            return inner(environ, start_response)
        if environ.get("REQUEST_METHOD") == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ:
            headers = [*_origin_headers(granted), ("Access-Control-Allow-Methods", METHODS),
                       ("Access-Control-Max-Age", MAX_AGE), ("Content-Length", "0")]
            requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
            if requested:
                headers.append(("Access-Control-Allow-Headers", requested))
            start_response("204 No Content", headers)
            return [b""]

        def with_headers(status, headers, *exc_info):
            return start_response(status, [*headers, *_origin_headers(granted),
                                           ("Access-Control-Expose-Headers", EXPOSED)], *exc_info)

        return inner(environ, with_headers)

    app.wsgi_app = cors
    return app


def _granted(origin: str, allowed: frozenset[str]) -> str | None:
    """What Access-Control-Allow-Origin says for `origin`: `*`, the origin itself, or None (not allowed)."""
    if "*" in allowed:
        return "*"
    return origin if origin in allowed else None


def _origin_headers(granted: str) -> list[tuple[str, str]]:
    # An answer that depends on the Origin header says so, or a cache could serve it to another origin.
    return [("Access-Control-Allow-Origin", granted)] + ([] if granted == "*" else [("Vary", "Origin")])
