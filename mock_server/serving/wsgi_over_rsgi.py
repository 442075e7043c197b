"""The Flask app served through granian's RSGI interface, its request bodies read before the app runs.

Why not granian's WSGI interface: there the app's thread reads the body from the socket as the
app asks for it, so a client that sends 1 byte of a 100-byte body holds that thread, and with
the one thread the mock runs, every other request waits behind it, shutdown included. Here the
body is read on granian's event loop, where a slow client holds only its own coroutine, within
BODY_SECONDS and up to the mock's body limit (refused from the Content-Length: never stored,
its bytes read and dropped up to LINGER_BYTES so the client can read the refusal); only then
does a whole request reach the app. That is waitress's model too: its loop reads, its threads
only see complete requests.

With one thread (the default, measured fastest) the app runs on the event loop itself: a hop to
a thread of its own cost a third of the throughput (wrk, GET /api/v1/instances: 1,640 against
2,870 req/s inline, the same minutes), and the GIL runs one request at a time either way. What
that shares with the one-thread WSGI worker: a latency fault holds back the requests behind it.

What the app sees differs from a WSGI server in one place: granian gives the path already
percent-decoded as UTF-8, so an escape that is not UTF-8 (`%FF`) reaches the app as U+FFFD. No
route of the mock has such a path: the answer (404 NOT_FOUND) is the same.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from concurrent.futures import ThreadPoolExecutor

from granian.rsgi import ProtocolClosed, ProtocolError

from mock_server.serving.waitress import BODY_LIMIT, IDLE_SECONDS, LINGER_BYTES, LINGER_SECONDS
from mock_server.state.errors import ApiError

BODY_SECONDS = IDLE_SECONDS  # to receive a whole body, once the headers are in


def _refusal(error: ApiError) -> tuple[int, list[tuple[str, str]], bytes]:
    body = json.dumps(error.envelope()).encode()
    return error.status, [("content-type", "application/json"), ("content-length", str(len(body))),
                          ("connection", "close")], body


class WsgiOverRsgi:
    """An RSGI application running a WSGI one: on the event loop, or on `threads` threads of its own
    when there are more than one."""

    def __init__(self, app, threads: int = 1) -> None:
        self.app = app
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None

    def __rsgi_init__(self, loop) -> None:
        if self.threads > 1:
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="msgflash-mock")

    def __rsgi_del__(self, loop) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def __rsgi__(self, scope, protocol) -> None:
        if scope.proto != "http":  # websockets are off: nothing else reaches an HTTP-only server
            return
        declared = scope.headers.get("content-length")
        if declared is not None and not (declared.isascii() and declared.isdigit()):
            protocol.response_bytes(*_refusal(ApiError(  # hyper refuses most of these itself
                "BAD_REQUEST", "Malformed HTTP request: Content-Length is not a number")))
            return
        if declared is not None and int(declared) >= BODY_LIMIT:
            # Refused from its length, then read on, discarding, as waitress lingers: a client that
            # sends its whole body before reading (most do) would otherwise see a broken pipe.
            protocol.response_bytes(*_refusal(ApiError.body_too_large()))
            if int(declared) <= LINGER_BYTES:
                try:
                    async with _deadline(LINGER_SECONDS):
                        await self._discard(protocol)
                except (asyncio.TimeoutError, ProtocolClosed, ProtocolError):
                    pass
            return
        if declared == "0" or (declared is None and "transfer-encoding" not in scope.headers):
            body = b""  # nothing to wait for (most GETs): no timer either
        else:
            try:
                async with _deadline(BODY_SECONDS):
                    body = await self._body(protocol, declared is not None)
            except _TooLarge:
                protocol.response_bytes(*_refusal(ApiError.body_too_large()))
                return
            except asyncio.TimeoutError:
                protocol.response_bytes(*_refusal(ApiError(
                    "BAD_REQUEST", f"Request body not received within {BODY_SECONDS} s")))
                return
            except (ProtocolClosed, ProtocolError):  # the client went away mid-body: nobody to answer
                return
        environ = _environ(scope, body)
        if self._executor is None:
            status, headers, answer = self._call(environ)
        else:
            status, headers, answer = await asyncio.get_running_loop().run_in_executor(self._executor, self._call, environ)
        protocol.response_bytes(status, headers, answer)

    @staticmethod
    async def _body(protocol, length_known: bool) -> bytes:
        if length_known:  # under the limit (checked from the header): granian reads it whole
            return await protocol()
        chunks, size = [], 0
        async for chunk in protocol:  # chunked bodies have no length to refuse up front
            size += len(chunk)
            if size >= BODY_LIMIT:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    async def _discard(protocol) -> None:
        async for _ in protocol:
            pass

    def _call(self, environ: dict) -> tuple[int, list[tuple[str, str]], bytes]:
        started: dict = {}

        def start_response(status: str, headers: list, exc_info=None):
            started["status"], started["headers"] = int(status.split(" ", 1)[0]), headers
            return lambda data: None  # the legacy write(): Flask never calls it

        result = self.app(environ, start_response)
        try:
            answer = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return started["status"], started["headers"], answer


class _TooLarge(Exception):
    pass


if sys.version_info >= (3, 11):
    _deadline = asyncio.timeout  # a timer on the running task, not a task of its own (wait_for's)
else:  # pragma: no cover - Python 3.10
    import contextlib

    @contextlib.asynccontextmanager
    async def _deadline(seconds: float):
        task = asyncio.current_task()
        handle = asyncio.get_running_loop().call_later(seconds, task.cancel)
        try:
            yield
        except asyncio.CancelledError:
            raise asyncio.TimeoutError from None
        finally:
            handle.cancel()


def _environ(scope, body: bytes) -> dict:
    """The WSGI environ of an RSGI request (PEP 3333: native strings, latin-1 for bytes)."""
    host, _, port = scope.server.rpartition(":")
    client, _, client_port = scope.client.rpartition(":")
    environ = {
        "REQUEST_METHOD": scope.method, "SCRIPT_NAME": "",
        "PATH_INFO": scope.path.encode("utf-8").decode("latin-1"), "QUERY_STRING": scope.query_string,
        "SERVER_NAME": host.strip("[]"), "SERVER_PORT": port, "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": client.strip("[]"), "REMOTE_PORT": client_port,
        "wsgi.version": (1, 0), "wsgi.url_scheme": scope.scheme, "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
        "wsgi.input_terminated": True,
    }
    for name, value in scope.headers.items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
            continue
        key = f"HTTP_{key}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    if body and "CONTENT_LENGTH" not in environ:  # a chunked body, now whole
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ
