"""waitress, driven by a loop we own, so the server stops cleanly from any thread.

waitress's own `run()` loops until its sockets close; closing them from another thread (what
a pytest fixture's teardown does) races the loop's `select()` and ends a green session with
`OSError: [Errno 9] Bad file descriptor`. Here `stop()` only sets a flag: the loop thread
stops accepting, lets requests in flight finish and their answers flush, then shuts the
worker threads down and closes every socket itself.
"""

from __future__ import annotations

import threading
import time

from mock_server.web.bodies import MAX_BODY_BYTES

# Bounds on what a client can make the server hold (waitress's defaults: a 1 GB body spooled to
# disk, 100 connections, 120 s before an idle one is closed). A body over the mock's limit is
# refused from its Content-Length, before a byte of it is read (a chunked one as soon as it
# passes the limit), with the documented envelope (see _EnvelopeErrorTask). Idle or slow clients
# are dropped after IDLE_SECONDS; the loop reads for every connection at once and hands a request
# to a worker thread only once it is whole, so a slow client holds no thread, and up to
# CONNECTIONS may be open, so a pool of a hundred idle sockets locks nobody out.
BODY_LIMIT = MAX_BODY_BYTES + 1  # waitress refuses a length equal to its limit; Flask allows it
IDLE_SECONDS = 30
CONNECTIONS = 1000


class Serving:
    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, threads: int = 4) -> None:
        from waitress.server import create_server

        self.server = create_server(app, host=host, port=port, threads=threads, ident="msgflash-mock",
                                    max_request_body_size=BODY_LIMIT, channel_timeout=IDLE_SECONDS,
                                    connection_limit=CONNECTIONS, cleanup_interval=5)
        self.server.channel_class = _channel_class()
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server.effective_port

    def run(self, drain_seconds: float = 5.0) -> None:
        """Serve on this thread until `stop()`; then drain and close."""
        try:
            while not self._stop.is_set():
                self._loop_once()
            self._drain(drain_seconds)
        finally:
            self._stopped.set()

    def start(self) -> Serving:
        """Serve on a daemon thread of its own."""
        self._thread = threading.Thread(target=self.run, name="msgflash-mock", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to stop and wait until it has closed everything (idempotent)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        elif not self._stopped.is_set():  # `run()` on another thread we did not start
            self._stopped.wait(timeout)

    def _loop_once(self) -> None:
        self.server.asyncore.loop(timeout=0.05, map=self.server._map, use_poll=True, count=1)

    def _drain(self, seconds: float) -> None:
        from waitress.channel import HTTPChannel
        from waitress.wasyncore import dispatcher

        server = self.server
        dispatcher.close(server)  # the listening socket only: the trigger still wakes the loop
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            tasks = server.task_dispatcher
            busy = tasks.queue or tasks.active_count or any(
                isinstance(channel, HTTPChannel) and (channel.requests or channel.total_outbufs_len)
                for channel in list(server._map.values()))
            if not busy:
                break
            self._loop_once()
        server.task_dispatcher.shutdown(timeout=max(0.0, deadline - time.monotonic()))
        for channel in list(server._map.values()):
            channel.close()


# After refusing a request it did not read (a body over the limit), the server does not close at
# once: unread bytes in a closed socket make the kernel send a reset, which can destroy the
# answer before the client reads it, so a client sending its 3 MiB body would see "connection
# reset" instead of "Request body too large". It ends its side instead and reads on, discarding,
# while the client goes on sending, up to LINGER_SECONDS or LINGER_BYTES (nginx's lingering
# close), then closes; a client that goes quiet is closed as any idle connection is.
LINGER_SECONDS = 5.0
LINGER_BYTES = 64 * 1024 * 1024


def _channel_class():
    """waitress's connection, answering what its parser refuses (a body over the limit, a header
    block too large, a malformed request line) with the mock's envelope instead of a text page
    (400 BAD_REQUEST as every transport error of the mock, decision D3), then closing lingeringly."""
    import json
    import socket

    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask
    from waitress.utilities import RequestEntityTooLarge

    from mock_server.state.errors import ApiError

    class _EnvelopeErrorTask(ErrorTask):
        def execute(self) -> None:
            error = self.request.error
            refusal = ApiError.body_too_large() if isinstance(error, RequestEntityTooLarge) else \
                ApiError("BAD_REQUEST", f"Malformed HTTP request: {error.reason}: {error.body}")
            body = json.dumps(refusal.envelope()).encode()
            self.status = "400 Bad Request"
            self.response_headers.append(("Content-Type", "application/json"))
            self.set_close_on_finish()
            self.content_length = len(body)
            self.channel.linger_after_answer = True
            self.write(body)

    class _EnvelopeChannel(HTTPChannel):
        error_task_class = _EnvelopeErrorTask
        linger_after_answer = False
        _lingering_until: float | None = None
        _discarded = 0

        def handle_close(self) -> None:
            if self.linger_after_answer and self._lingering_until is None and self.connected:
                try:
                    self.socket.shutdown(socket.SHUT_WR)  # the answer is out: end of our stream
                except OSError:
                    pass
                else:
                    self._lingering_until = time.monotonic() + LINGER_SECONDS
                    self.will_close = self.close_when_flushed = False
                    self.request = None
                    return
            super().handle_close()

        def received(self, data: bytes) -> bool:
            if self._lingering_until is None:
                return super().received(data)
            self._discarded += len(data)
            if self._discarded > LINGER_BYTES or time.monotonic() > self._lingering_until:
                self.will_close = True  # the loop closes it on its next turn
            return False

    return _EnvelopeChannel


# Past start-up, most objects a serving process holds are records it keeps (messages, the
# journal): each full collection of the cyclic GC walks them all, a pause that grows with the
# store (25 ms at the 99th percentile of a sustained send run). Freezing moves what survived so
# far out of the collector's sight; records dropped later (retention) are still freed by their
# reference counts, as none of them holds a cycle.
FREEZE_EVERY = 5000  # requests; measured: p99 of sends 25 ms → 4 ms under granian, same rate


def with_gc_freezes(app, every: int = FREEZE_EVERY):
    """`app`, its WSGI callable wrapped to freeze the GC's survivors every `every` requests.

    Only for a process that is the server and nothing else (`msgflash-mock serve`): freezing in
    a test process would hide its own cyclic garbage from the collector too."""
    import gc

    gc.collect()
    gc.freeze()  # start-up state: modules, schemas, validators, fixtures
    inner, served = app.wsgi_app, [0]

    def freezing(environ, start_response):
        served[0] += 1
        if served[0] % every == 0:
            gc.freeze()
        return inner(environ, start_response)

    app.wsgi_app = freezing
    return app
