"""msgflash-mock serve | proxy | fixtures."""

from __future__ import annotations

from pathlib import Path

import click

from mock_server.serving import CannotServe
from msgflash_lint.api import __version__, plural


class _Commands(click.Group):
    """A command that cannot serve says why on one line and exits with status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CannotServe as error:
            click.echo(f"msgflash-mock: {error}", err=True)
            ctx.exit(2)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="msgflash-mock")
def cli() -> None:
    """A stateful mock of the MsgFlash API for integration tests."""


def _require_the_mock() -> None:
    """A lint-only install has this command but not the server: one line saying how to get it (exit 2)."""
    from mock_server import missing_extra

    problem = missing_extra("the mock server needs")
    if problem is not None:
        raise CannotServe(problem)


def _origins(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """`*` or scheme://host[:port], as a browser sends Origin: anything else could never match (exit 2)."""
    from urllib.parse import urlsplit

    for value in values:
        if value == "*":
            continue
        try:
            parts = urlsplit(value)
            well_formed = parts.scheme in ("http", "https") and parts.hostname and parts.port != 0 \
                and f"{parts.scheme}://{parts.netloc}" == value
        except ValueError:
            well_formed = False
        if not well_formed:
            raise click.BadParameter(f"{value!r} is not an origin: give scheme://host[:port] as a browser sends it "
                                     "(http://localhost:3000, no path or trailing slash), or *", ctx=ctx, param=param)
    return values


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--fixtures", "fixtures_path", type=click.Path(dir_okay=False), default=None,
              help="Fixture file (JSON); `msgflash-mock fixtures` prints the default one.")
@click.option("--server", "server_name", type=click.Choice(["waitress", "granian"]), default="waitress",
              show_default=True,
              help="HTTP server: granian (pip install 'msgflash-lint[granian]') answers about twice the requests "
                   "a second, but cannot drop connections (BENCHMARKS.md, mock_server/serving/granian.py).")
@click.option("--threads", default=None, type=click.IntRange(1, 64),
              help="Threads running requests: default 4 under waitress, 1 under granian (measured best on 2 cores).")
@click.option("--webhook-retry-base", default=1.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Mock-only: seconds before the first webhook retry, doubled for each next one.")
@click.option("--max-messages", default=50_000, show_default=True, type=click.IntRange(1),
              help="Mock-only: messages kept per account; past it the oldest are dropped (retention).")
@click.option("--quiet", is_flag=True, help="No access-log line per request.")
@click.option("--cors", "cors_origins", multiple=True, metavar="ORIGIN", callback=_origins,
              help="Mock-only: let browser pages on ORIGIN (http://localhost:3000; * for any) call the API "
                   "(/api/...). Repeatable. Never the /_mock/ controls. Off by default: the live API documents no CORS.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Mock-only: a Host name besides localhost and loopback addresses by which clients may register "
                   "webhooks to this machine (a compose service name such as msgflash). Repeatable.")
def serve(host: str, port: int, fixtures_path: str | None, server_name: str, threads: int | None,
          webhook_retry_base: float, max_messages: int, quiet: bool, cors_origins: tuple[str, ...],
          allowed_hosts: tuple[str, ...]) -> None:
    """Serve the mock API until interrupted (Ctrl-C or SIGTERM)."""
    _require_the_mock()
    from mock_server.serving import launch

    fixtures = launch.read_fixtures(fixtures_path)
    if server_name == "granian":
        _serve_with_granian(host, port, threads or 1, fixtures, {
            "fixtures_path": str(Path(fixtures_path).resolve()) if fixtures_path else None,
            "webhook_retry_base": webhook_retry_base, "max_messages": max_messages, "quiet": quiet,
            "cors": list(cors_origins), "allow_host": list(allowed_hosts)})
        return
    app = launch.serving_app(fixtures, webhook_retry_base, max_messages, quiet, cors_origins, allowed_hosts)
    serving = launch.listen(app, host, port, threads or 4)
    launch.run_until_signalled(serving)
    app.extensions["msgflash_mock_webhooks"].close()
    from mock_server.serving.console import say  # its writer takes over stderr: only once serving

    say(f"msgflash-mock stopped after {plural(app.extensions['msgflash_mock_controls'].requests_served, 'request')}")


def _serve_with_granian(host: str, port: int, threads: int, fixtures: dict, options: dict) -> None:
    import mock_server.serving.granian as granian_serving
    from mock_server.serving import launch

    if not granian_serving.available():
        raise launch.CannotServe(f"--server granian needs granian: {granian_serving.INSTALL_HINT}")
    try:
        port = granian_serving.claim_port(host, port)
    except OSError as error:
        raise launch.cannot_listen(host, port, error) from None
    app = launch.serving_app(fixtures, options["webhook_retry_base"], options["max_messages"], options["quiet"],
                             tuple(options["cors"]), tuple(options["allow_host"]))
    granian_serving.serve(host, port, threads=threads, app=app, options=options)
    from mock_server.serving.console import say

    say("msgflash-mock stopped (granian)")


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
    _require_the_mock()
    from mock_server.proxy import UpstreamError, ValidationProxy
    from mock_server.serving import launch
    from mock_server.serving.console import log_to_stderr, say

    log_to_stderr(quiet)
    try:
        app = ValidationProxy(upstream)
    except UpstreamError as error:
        raise launch.CannotServe(str(error)) from None
    serving = launch.listen(launch.access_logged(app), host, port, threads)
    say(f"msgflash-mock proxy: forwarding to {app.upstream}; checking requests and answers")
    launch.run_until_signalled(serving)
    say(f"msgflash-mock proxy stopped; {plural(len(app.violations), 'violation')}")


@cli.command()
def fixtures() -> None:
    """Print the bundled default fixture file, to copy and edit."""
    from mock_server.state.fixtures import bundled_fixtures_text

    click.echo(bundled_fixtures_text(), nl=False)


def main() -> None:
    cli(prog_name="msgflash-mock")
