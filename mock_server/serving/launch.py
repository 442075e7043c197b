"""What `serve` and `proxy` do before and after their server runs, with no command-line parsing.

Each step that cannot go on raises CannotServe with the one line the command prints before it
exits with status 2; the command (mock_server/cli.py) only turns options into these calls.
"""

from __future__ import annotations

import signal
from pathlib import Path

from mock_server.serving import CannotServe

__all__ = ["CannotServe", "access_logged", "cannot_listen", "listen", "read_fixtures", "run_until_signalled",
           "serving_app"]


def read_fixtures(fixtures_path: str | None) -> dict:
    """The fixture file checked and completed (the bundled one without a path)."""
    from mock_server.state.fixtures import FixtureError, load_fixtures

    try:
        text = Path(fixtures_path).read_text(encoding="utf-8") if fixtures_path else None
        return load_fixtures(text, fixtures_path or "default fixtures")
    except (OSError, UnicodeDecodeError) as error:
        raise CannotServe(f"cannot read {fixtures_path}: {getattr(error, 'strerror', None) or error}") from None
    except FixtureError as error:
        raise CannotServe(str(error)) from None


def serving_app(fixtures: dict, webhook_retry_base: float, max_messages: int, quiet: bool,
                cors_origins: tuple[str, ...] = (), allowed_hosts: tuple[str, ...] = ()):
    """The app `serve` runs behind either server: logging on stderr, CORS for the origins asked
    (mock_server/serving/cors.py), and the GC freezes that only a process serving and nothing
    else may use (mock_server/serving/waitress.py)."""
    from mock_server import create_app
    from mock_server.serving.console import log_to_stderr
    from mock_server.serving.cors import with_cors
    from mock_server.serving.waitress import with_gc_freezes

    log_to_stderr(quiet)
    app = create_app(fixtures, webhook_retry_base=webhook_retry_base, max_messages=max_messages)
    app.config["MSGFLASH_MOCK_ALLOWED_HOSTS"] = tuple(host.lower() for host in allowed_hosts)
    return with_gc_freezes(with_cors(app, cors_origins))


def cannot_listen(host: str, port: int, error: OSError) -> CannotServe:
    return CannotServe(f"cannot listen on {host}:{port}: {error.strerror or error}")


def listen(app, host: str, port: int, threads: int):
    """A waitress loop for `app` on host:port, announced on stdout once it accepts connections
    (the line test suites wait for)."""
    from mock_server.serving.console import announce
    from mock_server.serving.waitress import Serving

    try:
        serving = Serving(app, host=host, port=port, threads=threads)
    except OSError as error:
        raise cannot_listen(host, port, error) from None
    announce(host, serving.port)
    return serving


def run_until_signalled(serving) -> None:
    signal.signal(signal.SIGTERM, lambda *_: serving.stop(timeout=0))
    try:
        serving.run()
    except KeyboardInterrupt:  # Ctrl-C lands in the loop: drain and close from here
        serving.stop(timeout=0)
        serving.run()


def access_logged(app):
    """One access-log line per proxied request (method, path, status, time) — never a header."""
    import logging
    import time

    access = logging.getLogger("msgflash_mock.access")

    def logged(environ, start_response):
        started, seen = time.perf_counter(), {}

        def recording_start(status, headers, *rest):
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, *rest)

        result = app(environ, recording_start)
        access.info('%s "%s %s" %s %.1f ms', environ.get("REMOTE_ADDR", "-"), environ["REQUEST_METHOD"],
                    environ.get("PATH_INFO", ""), seen.get("status", "-"), (time.perf_counter() - started) * 1000)
        return result

    return logged
