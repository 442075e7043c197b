"""msgflash-mock serve | fixtures."""

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
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads (4 measured best on 2 cores: BENCHMARKS.md).")
@click.option("--webhook-retry-base", default=1.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Mock-only: seconds before the first webhook retry, doubled for each next one.")
@click.option("--max-messages", default=50_000, show_default=True, type=click.IntRange(1),
              help="Mock-only: messages kept per account; past it the oldest are dropped (retention).")
def serve(host: str, port: int, fixtures_path: str | None, threads: int, webhook_retry_base: float,
          max_messages: int) -> None:
    """Serve the mock API with waitress until interrupted."""
    from mock_server import create_app
    from mock_server.fixtures import FixtureError, load_fixtures

    try:
        text = Path(fixtures_path).read_text(encoding="utf-8") if fixtures_path else None
        fixtures = load_fixtures(text, fixtures_path or "default fixtures")
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"msgflash-mock: cannot read {fixtures_path}: {getattr(error, 'strerror', None) or error}", err=True)
        sys.exit(2)
    except FixtureError as error:
        click.echo(f"msgflash-mock: {error}", err=True)
        sys.exit(2)

    from waitress.server import create_server

    try:
        app = create_app(fixtures, webhook_retry_base=webhook_retry_base, max_messages=max_messages)
        server = create_server(app, host=host, port=port, threads=threads, ident="msgflash-mock")
    except OSError as error:
        click.echo(f"msgflash-mock: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        sys.exit(2)
    shown_host = f"[{host}]" if ":" in host else host
    click.echo(f"msgflash-mock listening on http://{shown_host}:{server.effective_port}")
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@cli.command()
def fixtures() -> None:
    """Print the bundled default fixture file, to copy and edit."""
    from mock_server.fixtures import bundled_fixtures_text

    click.echo(bundled_fixtures_text(), nl=False)


def main() -> None:
    cli(prog_name="msgflash-mock")
