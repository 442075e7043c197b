"""msgflash-lint check | rules: options → core → formatter → exit 0 (clean), 1 (errors), 2 (usage).

Heavy imports (lark, jsonschema, formatters) happen inside the commands: a pre-commit
hook starts this program on every commit.
"""

from __future__ import annotations

import sys

import click

from msgflash_lint import __version__

KIND_CHOICES = ("auto", "send", "schedule", "campaign", "template", "template-body")
FORMAT_CHOICES = ("text", "json", "github", "sarif", "junit")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="msgflash-lint")
def cli() -> None:
    """Offline checks for MsgFlash message, campaign and template payloads."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--kind", type=click.Choice(KIND_CHOICES), default="auto", show_default=True,
              help="What the files are; auto decides per file from its name and content.")
@click.option("--format", "output_format", type=click.Choice(FORMAT_CHOICES), default="text",
              show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
def check(paths: tuple[str, ...], kind: str, output_format: str, output: str | None) -> None:
    """Check PATHS: files, directories (walked for .json, .txt and .tmpl files) or - for stdin."""
    from msgflash_lint.formatters import render
    from msgflash_lint.linter import LintOptions, lint_paths

    result = lint_paths(list(paths), LintOptions(kind=kind), stdin=sys.stdin.buffer)
    report = render(output_format, result)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(report)
        except OSError as error:
            raise click.UsageError(f"cannot write {output}: {error.strerror or error}") from None
    else:
        click.echo(report, nl=False)
    sys.exit(1 if result.errors else 0)


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List every rule, or show one rule (CODE such as MFL104, or its name) in full."""
    from msgflash_lint.registry import RULES, RULES_BY_CODE, RULES_BY_NAME

    if code is None:
        for rule in RULES:
            click.echo(f"{rule.code} {rule.name} [{rule.severity.value}] {rule.summary}")
        return
    rule = RULES_BY_CODE.get(code.upper()) or RULES_BY_NAME.get(code)
    if rule is None:
        raise click.UsageError(f"no rule {code!r}; run `msgflash-lint rules` for the list")
    click.echo(f"{rule.code} {rule.name} ({rule.severity.value})")
    click.echo(f"\n{rule.summary}\n\nWhy: {rule.rationale}\nFix: {rule.fix}")
    if rule.api_error:
        click.echo(f"MsgFlash answers: {rule.api_error}")
    label = f" ({rule.example_kind})" if rule.example_kind else ""
    click.echo(f"\nFails{label}:\n    {rule.bad or '(an empty file)'}\nPasses{label}:\n    {rule.good}")


def main() -> None:
    cli(prog_name="msgflash-lint")
