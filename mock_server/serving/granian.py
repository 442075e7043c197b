"""`msgflash-mock serve --server granian`: the same app behind granian, a Rust HTTP server.

Why a second server: under load the mock spends most of each request in Python, and waitress's
own share (its channels, its task queue, its threads passing the GIL) is the larger part of
the rest; granian parses HTTP and queues requests in Rust, so the same Flask app answers about
twice as many requests a second at a third of the tail latency (BENCHMARKS.md, same run).

The design stays one stateful process: `serve` builds the app, then granian forks exactly one
worker, which inherits it and runs every request on `threads` Python threads (1 by default:
measured fastest, since the GIL runs one request at a time anyway) once its body is read
(mock_server/serving/wsgi_over_rsgi.py: RSGI, so a slow client holds no thread); granian's main process
only watches the worker and forwards signals, and its copy of the app never serves. What
differs from waitress, and says so where it shows:
- a fault with `"drop": true` is refused (400): granian answers any WSGI error with a 500, it
  cannot close a connection unanswered;
- with one thread, a latency fault holds back the requests queued behind it too;
- `--port 0` picks a free port by binding it once and letting it go, then granian binds it:
  another program could take it in between (waitress binds port 0 itself, with no gap);
- the worker knows it is ready by asking `GET /` itself: that one request shows in the access
  log (not in the journal, which keeps /api/ requests only).
The pytest fixture keeps waitress: it runs the server inside the test process.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time

# Mock-only: how `serve` passes its options to the worker process granian starts.
OPTIONS_VARIABLE = "MSGFLASH_MOCK_SERVE_OPTIONS"
INSTALL_HINT = "pip install 'msgflash-lint[granian]'"
# On SIGTERM granian lets requests in flight finish; past this many seconds it kills its worker,
# so a request that never ends (a latency fault, a webhook endpoint that trickles) cannot keep
# the server up.
KILL_SECONDS = 5


def available() -> bool:
    try:
        import granian  # noqa: F401
    except ImportError:
        return False
    return True


def claim_port(host: str, port: int) -> int:
    """The port to give granian: `port` itself once it is known to be free, or a free one for 0.
    Raises OSError (as waitress would) when the address cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, port))
        return probe.getsockname()[1]


# The app `serve` built before granian forks its worker: the fork inherits it ready, imports
# done and fixtures loaded, so the worker answers at once (a spawned worker builds its own).
_BUILT = None
_MAIN_PID: int | None = None  # granian's main process, which the worker outlives only if it is killed


def serve(host: str, port: int, *, threads: int, app, options: dict) -> None:
    """Run `app` behind granian on host:port until SIGINT or SIGTERM; the worker announces itself
    once it answers. `options` are `serve`'s, for a worker that must build the app itself."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    global _BUILT, _MAIN_PID
    _MAIN_PID = os.getpid()
    _BUILT = _cannot_drop(app)  # no thread of ours runs yet: forking after this is safe
    os.environ[OPTIONS_VARIABLE] = json.dumps({**options, "host": host, "port": port, "threads": threads})
    server = Granian(f"{__name__}:app_from_environment", address=host, port=port, interface=Interfaces.RSGI,
                     workers=1, runtime_threads=1, websockets=False, log_level=LogLevels.warning, log_access=False,
                     workers_kill_timeout=KILL_SECONDS)
    server.serve(target_loader=_worker_app)


def _worker_app(target: str):
    """What granian's worker serves: the app built before the fork, or one built here, its
    bodies read before it runs (mock_server/serving/wsgi_over_rsgi.py)."""
    from mock_server.serving.wsgi_over_rsgi import WsgiOverRsgi

    app = _BUILT if _BUILT is not None else app_from_environment()
    options = json.loads(os.environ[OPTIONS_VARIABLE])
    # Started in the worker, never in granian's main process: a thread running in the parent
    # when it forks could hold a lock (an import's, say) the child would then wait on forever.
    threading.Thread(target=_announce_when_answering, args=(options["host"], options["port"]),
                     name="msgflash-mock-announce", daemon=True).start()
    threading.Thread(target=_end_with_parent, args=(_MAIN_PID or os.getppid(),), name="msgflash-mock-parent",
                     daemon=True).start()
    return WsgiOverRsgi(app, options["threads"])


def _end_with_parent(parent: int) -> None:
    """granian's main process stops its worker on SIGINT or SIGTERM; killed outright (SIGKILL, a
    crash) it cannot, and the worker would go on serving alone, holding the port, after the test
    suite that started it moved on. So the worker ends itself once its parent is gone."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


def app_from_environment():
    """The app from the options `serve` left in the environment: granian's import-by-name target,
    for a worker that did not inherit the one `serve` built."""
    from mock_server.serving.launch import serving_app
    from mock_server.state.fixtures import load_fixtures

    options = json.loads(os.environ[OPTIONS_VARIABLE])
    path = options["fixtures_path"]
    text = None
    if path:
        with open(path, encoding="utf-8") as file:  # read and checked once already by `serve`
            text = file.read()
    fixtures = load_fixtures(text, path or "default fixtures")
    return _cannot_drop(serving_app(fixtures, options["webhook_retry_base"], options["max_messages"], options["quiet"],
                                    tuple(options["cors"]), tuple(options["allow_host"])))


def _cannot_drop(app):
    app.config["MSGFLASH_MOCK_CAN_DROP"] = False  # control.add_fault refuses drop rules, saying why
    return app


def _announce_when_answering(host: str, port: int, timeout: float = 60.0) -> None:
    """Print the listening line once `GET /` answers: the line test suites wait for means "ready"."""
    import http.client

    from mock_server.serving.console import announce

    target = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection(target, port, timeout=1)
        try:
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                announce(host, port)
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.005)
    print(f"msgflash-mock: granian did not answer on {host}:{port} within {timeout:.0f} s", file=sys.stderr)
