"""`msgflash-mock proxy --upstream URL`: a validation proxy for staging (the one part that talks to a network).

Each request is forwarded unchanged to the upstream (a real MsgFlash, or any compatible base
URL) and its answer passed back untouched; on the side, the request body is checked with the
linter's rules (the schema the mock's route declares: same contract, same engine) and the
answer with the response schemas (`check_response`). Every violation is logged as one line —
direction, rule code or response check, JSON pointer, message — and kept for
`GET /_proxy/violations` (newest 1000; `DELETE` clears). API keys pass through untouched and
are never logged or kept: a violation records the method, path and status only.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
from collections import deque
from urllib.parse import urlsplit

from msgflash_lint import api

log = logging.getLogger("msgflash_mock.proxy")
# Hop-by-hop headers (RFC 9110 §7.6.1) are the connection's, not the message's: never forwarded.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "proxy-connection"}
MAX_VIOLATIONS = 1000
TIMEOUT_SECONDS = 30.0


class UpstreamError(ValueError):
    """The --upstream value is not an http(s) base URL."""


class ValidationProxy:
    def __init__(self, upstream: str, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urlsplit(upstream)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UpstreamError(f"--upstream must be an http(s) URL such as https://srv.msgflash.com, not {upstream!r}")
        # Shown in logs without any user:password@ it holds; the Host header never carries them either.
        self.upstream = shown_url(upstream).rstrip("/")
        host = parts.netloc.rpartition("@")[2]
        self._scheme, self._netloc, self._prefix = parts.scheme, host, parts.path.rstrip("/")
        self._host, self._port = parts.hostname, parts.port
        self.timeout = timeout
        self.violations: deque[dict] = deque(maxlen=MAX_VIOLATIONS)
        self._lock = threading.Lock()
        self._bodies = _request_kinds()

    # --- WSGI ---------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "") or "/"
        if path.startswith("/_proxy/"):
            return self._own_route(method, path, start_response)
        body = _read_body(environ)
        headers = _request_headers(environ, self._netloc)
        try:
            status, reason, answer_headers, answer = self._forward(method, _raw_target(environ), headers, body)
        except (OSError, http.client.HTTPException) as error:
            # The proxy's own failure, not the upstream's answer: the documented envelope, 502.
            problem = api.printable(f"{type(error).__name__}: {error}")
            log.warning("msgflash-mock proxy: %s %s: upstream unreachable or not HTTP: %s", method, path, problem)
            return self._send(start_response, 502, {"error": {
                "code": "PROVIDER_UNAVAILABLE",
                "message": f"msgflash-mock proxy: upstream unreachable or not HTTP ({problem})", "details": []}})
        try:
            self._check(method, path, body, environ.get("CONTENT_TYPE", ""), status, answer, answer_headers)
        except Exception as error:  # a bug in a check never costs the client its answer
            log.error("msgflash-mock proxy: internal error while checking %s %s: %s", method, path,
                      api.printable(f"{type(error).__name__}: {error}"))
        start_response(f"{status} {reason}", answer_headers)
        return [answer]

    def _forward(self, method, raw_target, headers, body):
        connection_class = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self._host, self._port, timeout=self.timeout)
        try:
            target = self._prefix + raw_target
            connection.request(method, target, body=body or None, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            kept = [(name, value) for name, value in response.getheaders()
                    if name.lower() not in HOP_BY_HOP and name.lower() != "content-length"]
            kept.append(("Content-Length", str(len(answer))))
            return response.status, response.reason, kept, answer
        finally:
            connection.close()

    # --- checks ---------------------------------------------------------------------------------
    def _check(self, method, path, body: bytes, content_type: str, status: int, answer: bytes, headers) -> None:
        if not path.startswith("/api/"):
            return
        kind = self._bodies.get((method, api.route_of(method, path)))
        if kind and body and content_type.split(";")[0].strip() == "application/json":
            try:
                data = json.loads(body)
            except ValueError:
                self._report(method, path, status, "request", "MFL005", "", "the body is not JSON")
            else:
                for finding in api.check_payload(kind, data):
                    if finding.is_error:
                        self._report(method, path, status, "request", finding.code, finding.pointer, finding.message)
        answer_type = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        try:
            parsed = json.loads(answer) if answer_type.startswith("application/json") else None
        except ValueError:
            parsed = None
        if parsed is None:
            self._report(method, path, status, "response", "response-shape", "", "the answer is not JSON")
            return
        for finding in api.check_response(method, path, status, parsed):
            self._report(method, path, status, "response", "response-shape", finding.pointer, finding.message)

    def _report(self, method, path, status, direction, code, pointer, message) -> None:
        # A body's lone surrogates or control characters end up in messages: escaped, so the log
        # line and the JSON of /_proxy/violations stay valid UTF-8.
        path, pointer, message = api.printable(path), api.printable(pointer), api.printable(message)
        entry = {"method": method, "path": path, "status": status, "direction": direction, "code": code,
                 "pointer": pointer, "message": message}
        with self._lock:
            self.violations.append(entry)
        log.warning("msgflash-mock proxy: %s %s → %s: %s %s %s: %s", method, path, status, direction, code,
                    pointer or "/", message)

    # --- /_proxy/ (mock-only) ---------------------------------------------------------------------
    def _own_route(self, method, path, start_response):
        if path.rstrip("/") == "/_proxy/violations":
            if method == "GET":
                with self._lock:
                    return self._send(start_response, 200, {"data": list(self.violations)})
            if method == "DELETE":
                with self._lock:
                    self.violations.clear()
                return self._send(start_response, 200, {"data": {"cleared": True}})
        return self._send(start_response, 404, {"error": {"code": "NOT_FOUND", "message": "No such proxy route",
                                                          "details": []}})

    @staticmethod
    def _send(start_response, status: int, payload: dict):
        body = json.dumps(payload, ensure_ascii=False).encode()
        reasons = {200: "OK", 404: "Not Found", 502: "Bad Gateway"}
        start_response(f"{status} {reasons[status]}", [("Content-Type", "application/json"),
                                                       ("Content-Length", str(len(body)))])
        return [body]


def shown_url(url: str) -> str:
    """`url` without the user:password@ it may hold: what a log may print."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]).geturl()


def _raw_target(environ) -> str:
    """The request-target exactly as the client sent it (`%2F` stays `%2F`), query included; the
    decoded PATH_INFO would change what the upstream is asked."""
    raw = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if raw:
        if "://" in raw.split("?", 1)[0]:  # absolute form: keep the path and query only
            parts = urlsplit(raw)
            return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return raw
    from urllib.parse import quote

    query = environ.get("QUERY_STRING", "")
    return quote(environ.get("PATH_INFO", "") or "/", safe="/:@!$&'()*+,;=-._~") + (f"?{query}" if query else "")


def _read_body(environ) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _request_headers(environ, upstream_netloc: str) -> dict:
    """The client's headers as sent (keys included), Host set to the upstream's."""
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").title()
            if name.lower() not in HOP_BY_HOP and name.lower() != "host":
                headers[name] = value
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    headers["Host"] = upstream_netloc
    return headers


def _request_kinds() -> dict[tuple[str, str], str]:
    """(method, documented route) → the request schema the mock's own view declares for it."""
    from mock_server import create_app
    from mock_server.web.operations import declared_operation

    app = create_app()
    app.extensions["msgflash_mock_webhooks"].close()
    kinds = {}
    for rule in app.url_map.iter_rules():
        body = declared_operation(app.view_functions[rule.endpoint]).body
        if body and rule.rule.startswith("/api/"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                kinds[(method, api.route_key(rule.rule))] = body
    return kinds
