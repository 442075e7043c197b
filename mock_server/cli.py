"""msgflash-mock serve | proxy | fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """A stateful mock of the MsgFlash API for integration tests."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--fixtures", "fixtures_path", type=click.Path(dir_okay=False), default=None,
              help="Fixture file (JSON); `msgflash-mock fixtures` prints the default one.")
@click.option("--server", "server_name", type=click.Choice(["waitress", "granian"]), default="waitress",
              show_default=True,
              help="HTTP server: granian (pip install 'msgflash-lint[granian]') answers about twice the requests "
                   "a second, but cannot drop connections (BENCHMARKS.md, mock_server/granian_serving.py).")
@click.option("--threads", default=None, type=click.IntRange(1, 64),
              help="Threads running requests: default 4 under waitress, 1 under granian (measured best on 2 cores).")
@click.option("--webhook-retry-base", default=1.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Mock-only: seconds before the first webhook retry, doubled for each next one.")
@click.option("--max-messages", default=50_000, show_default=True, type=click.IntRange(1),
              help="Mock-only: messages kept per account; past it the oldest are dropped (retention).")
@click.option("--quiet", is_flag=True, help="No access-log line per request.")
def serve(host: str, port: int, fixtures_path: str | None, server_name: str, threads: int | None,
          webhook_retry_base: float, max_messages: int, quiet: bool) -> None:
    """Serve the mock API until interrupted (Ctrl-C or SIGTERM)."""
    fixtures = _load_fixtures_or_exit(fixtures_path)
    if server_name == "granian":
        _serve_with_granian(host, port, threads or 1, fixtures, {
            "fixtures_path": str(Path(fixtures_path).resolve()) if fixtures_path else None,
            "webhook_retry_base": webhook_retry_base, "max_messages": max_messages, "quiet": quiet})
        return
    app = serving_app(fixtures, webhook_retry_base, max_messages, quiet)
    serving = _listen(app, host, port, threads or 4)
    _run_until_signalled(serving)
    app.extensions["msgflash_mock_webhooks"].close()
    _say(f"msgflash-mock stopped after {app.extensions['msgflash_mock'].requests_served} requests")


def serving_app(fixtures: dict, webhook_retry_base: float, max_messages: int, quiet: bool):
    """The app `serve` runs behind either server: logging on stderr, and the GC freezes that only
    a process serving and nothing else may use (mock_server/serving.py)."""
    from mock_server import create_app
    from mock_server.serving import with_gc_freezes

    _log_to_stderr(quiet)
    return with_gc_freezes(create_app(fixtures, webhook_retry_base=webhook_retry_base, max_messages=max_messages))


def _serve_with_granian(host: str, port: int, threads: int, fixtures: dict, options: dict) -> None:
    from mock_server import granian_serving

    if not granian_serving.available():
        click.echo(f"msgflash-mock: --server granian needs granian: {granian_serving.INSTALL_HINT}", err=True)
        sys.exit(2)
    try:
        port = granian_serving.claim_port(host, port)
    except OSError as error:
        _cannot_listen(host, port, error)
    app = serving_app(fixtures, options["webhook_retry_base"], options["max_messages"], options["quiet"])
    granian_serving.serve(host, port, threads=threads, app=app, options=options)
    _say("msgflash-mock stopped (granian)")


def _cannot_listen(host: str, port: int, error: OSError) -> None:
    click.echo(f"msgflash-mock: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
    sys.exit(2)


def _announce(host: str, port: int) -> None:
    shown_host = f"[{host}]" if ":" in host else host
    click.echo(f"msgflash-mock listening on http://{shown_host}:{port}")
    sys.stdout.flush()


def _listen(app, host: str, port: int, threads: int):
    """A waitress loop for `app` on host:port, announced on stdout once it accepts connections
    (the line test suites wait for), or exit 2 with one line when the port cannot be had."""
    from mock_server.serving import Serving

    try:
        serving = Serving(app, host=host, port=port, threads=threads)
    except OSError as error:
        _cannot_listen(host, port, error)
    _announce(host, serving.port)
    return serving


def _load_fixtures_or_exit(fixtures_path: str | None) -> dict:
    from mock_server.fixtures import FixtureError, load_fixtures

    try:
        text = Path(fixtures_path).read_text(encoding="utf-8") if fixtures_path else None
        return load_fixtures(text, fixtures_path or "default fixtures")
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"msgflash-mock: cannot read {fixtures_path}: {getattr(error, 'strerror', None) or error}", err=True)
        sys.exit(2)
    except FixtureError as error:
        click.echo(f"msgflash-mock: {error}", err=True)
        sys.exit(2)


def _log_to_stderr(quiet: bool) -> None:
    """One access-log line per request on stderr (unless --quiet), and the mock's own warnings,
    written so that a stderr pipe nobody reads never stalls the server (mock_server/stderr_log.py)."""
    import logging

    from mock_server.stderr_log import STDERR

    handler = logging.StreamHandler(STDERR)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name, level in (("msgflash_mock", logging.WARNING), ("msgflash_mock.access", logging.INFO)):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.CRITICAL + 1 if quiet and name.endswith("access") else level)
        logger.propagate = False


def _say(line: str) -> None:
    """A status line on stderr, through the same never-blocking writer as the log."""
    from mock_server.stderr_log import STDERR

    STDERR.write(line + "\n")


def _run_until_signalled(serving) -> None:
    import signal

    signal.signal(signal.SIGTERM, lambda *_: serving.stop(timeout=0))
    try:
        serving.run()
    except KeyboardInterrupt:  # Ctrl-C lands in the loop: drain and close from here
        serving.stop(timeout=0)
        serving.run()


@cli.command()
@click.option("--upstream", required=True, metavar="URL",
              help="Base URL to forward to: a real MsgFlash (https://srv.msgflash.com) or any compatible API.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8788, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@click.option("--quiet", is_flag=True, help="No access-log line per request (violations are still logged).")
def proxy(upstream: str, host: str, port: int, threads: int, quiet: bool) -> None:
    """Forward every request unchanged to UPSTREAM and report what breaks the contract.

    The one msgflash-mock command that talks to a network. Requests are checked with the
    linter's rules, answers with the response schemas; violations are logged on stderr and
    served at GET /_proxy/violations. API keys pass through untouched and are never logged.
    """
    from mock_server.proxy import UpstreamError, ValidationProxy

    _log_to_stderr(quiet)
    try:
        app = ValidationProxy(upstream)
    except UpstreamError as error:
        click.echo(f"msgflash-mock: {error}", err=True)
        sys.exit(2)
    serving = _listen(_access_logged(app), host, port, threads)
    _say(f"msgflash-mock proxy: forwarding to {app.upstream}; checking requests and answers")
    _run_until_signalled(serving)
    _say(f"msgflash-mock proxy stopped; {len(app.violations)} violations")


def _access_logged(app):
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


@cli.command()
def fixtures() -> None:
    """Print the bundled default fixture file, to copy and edit."""
    from mock_server.fixtures import bundled_fixtures_text

    click.echo(bundled_fixtures_text(), nl=False)


def main() -> None:
    cli(prog_name="msgflash-mock")
