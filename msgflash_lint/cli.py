"""msgflash-lint check | rules: options → core → formatter → exit 0 (clean), 1 (errors), 2 (usage).

Heavy imports (lark, jsonschema, formatters) happen inside the commands: a pre-commit
hook starts this program on every commit.
"""

from __future__ import annotations

import os
import sys

import click

from msgflash_lint import __version__
from msgflash_lint.diagnostics import FAIL_LEVELS
from msgflash_lint.formatters import FORMATS
from msgflash_lint.kinds import KINDS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="msgflash-lint")
def cli() -> None:
    """Offline checks for MsgFlash message, campaign and template payloads."""


def _selectors(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """Codes, code prefixes and rule names → code prefixes; anything else is a usage error (exit 2)."""
    from msgflash_lint.config import ConfigError, rule_selector

    try:
        return tuple(rule_selector(item, f"--{param.name}") for value in values
                     for item in value.split(",") if item.strip())
    except ConfigError as error:
        raise click.BadParameter(str(error).split(": ", 1)[1], ctx=ctx, param=param) from None


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--kind", type=click.Choice(KINDS), default="auto", show_default=True,
              help="What the files are; auto decides per file from its name and content.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Report format.")
@click.option("--color", "color_mode", type=click.Choice(("auto", "always", "never")), default="auto",
              show_default=True, help="Colour and source excerpts in text output: auto means on a terminal, "
                                      "unless NO_COLOR is set.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="pyproject.toml holding [tool.msgflash-lint]; default: the nearest one above the files.")
@click.option("--select", multiple=True, callback=_selectors, metavar="RULES",
              help="Report only these codes, code prefixes or rule names (MFL1,MFL201,unknown-namespace); "
                   "overrides the configuration.")
@click.option("--ignore", multiple=True, callback=_selectors, metavar="RULES",
              help="Never report these codes, prefixes or rule names; added to the configuration's.")
@click.option("--fail-level", type=click.Choice(FAIL_LEVELS), default=None,
              help="Lowest severity that makes the run exit 1 [default: error, or the configuration's].")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), default=None,
              help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False), default=None,
              help="Record today's findings in this file (then exit 0).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes that read and check files; 0 picks from the size of the run "
                   "(one below 1,000 files). The report is the same whatever the number.")
@click.option("--fix", "apply_fix", is_flag=True,
              help="Rewrite the mistakes that have exactly one right answer; every other byte stays as it was.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Show the edits --fix would make, as a unified diff, without writing (exit 1 if any).")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff: also apply the guesses, names that are the one close match but not "
                   "certainly a typo (lastName for firstName). Check what they change.")
@click.option("--update-baseline", is_flag=True,
              help="With --baseline: rewrite it keeping only the findings that still occur (then exit 0).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when findings fail the run (a run that breaks still exits 2).")
@click.option("--statistics", is_flag=True,
              help="Show how many findings each code has, most frequent first, instead of the findings.")
@click.option("--quiet", "-q", is_flag=True, help="Show only the summary line (and no notes).")
@click.option("--silent", is_flag=True, help="Show nothing: the exit code says it all (--output is still written).")
def check(paths: tuple[str, ...], kind: str, output_format: str, color_mode: str, output: str | None,
          config_path: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], fail_level: str | None, baseline_path: str | None,
          write_baseline_path: str | None, jobs: int, apply_fix: bool, show_diff: bool,
          update_baseline: bool, exit_zero: bool, statistics: bool, quiet: bool, silent: bool,
          unsafe_fixes: bool) -> None:
    """Check PATHS: files, directories (walked for .json, .txt and .tmpl files) or - for stdin.

    With no PATH, the current directory is walked for the files the configuration's `include`
    names (by default the pre-commit hooks' patterns: *.msgflash.json, msgflash/**/*.json,
    *.msgflash.txt, msgflash/templates/**/*.txt).
    """
    from msgflash_lint.workflow import CheckRequest, UsageProblem, run_check

    request = CheckRequest(
        paths=paths, say=_say, kind=kind, output_format=output_format, color_mode=color_mode,
        output=output, config_path=config_path, select=select, ignore=ignore, fail_level=fail_level,
        baseline_path=baseline_path, write_baseline_path=write_baseline_path, update_baseline=update_baseline,
        jobs=jobs, apply_fix=apply_fix, show_diff=show_diff, stdin=sys.stdin.buffer,
        terminal=output is None and sys.stdout.isatty(), no_color=bool(os.environ.get("NO_COLOR")),
        exit_zero=exit_zero, statistics=statistics, quiet=quiet, silent=silent, unsafe_fixes=unsafe_fixes)
    try:
        outcome = run_check(request)
    except UsageProblem as problem:
        raise click.UsageError(str(problem)) from None
    sys.exit(outcome.exit_code)


def _say(line) -> None:
    click.echo(line.text, err=line.err, nl=line.nl, color=line.color)


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List every rule, or show one rule (CODE such as MFL104, or its name) in full."""
    from msgflash_lint.registry import GUESSING_RULES, RULES, RULES_BY_CODE, RULES_BY_NAME

    if code is None:
        for rule in RULES:
            fixable = " (fixable with --fix)" if rule.fixable else ""
            click.echo(f"{rule.code} {rule.name} [{rule.severity.value}] {rule.summary}{fixable}")
        return
    rule = RULES_BY_CODE.get(code.upper()) or RULES_BY_NAME.get(code)
    if rule is None:
        raise click.UsageError(f"no rule {code!r}; run `msgflash-lint rules` for the list")
    click.echo(f"{rule.code} {rule.name} ({rule.severity.value})")
    click.echo(f"\n{rule.summary}\n\nWhy: {rule.rationale}\nFix: {rule.fix}")
    if rule.api_error:
        click.echo(f"MsgFlash answers: {rule.api_error}")
    if rule.fixable:
        click.echo("Fixable: `msgflash-lint check --fix` rewrites it when there is exactly one right answer.")
        if rule.code in GUESSING_RULES:
            click.echo("Safe when the name is certainly a typo (case, or one slip: a letter missing, added, replaced "
                       "or two swapped; two for names of 9 letters or more); a farther close name is a guess, "
                       "shown in the message and applied only with --unsafe-fixes.")
    label = f" ({rule.example_kind})" if rule.example_kind else ""
    click.echo(f"\nFails{label}:\n    {rule.bad or '(an empty file)'}\nPasses{label}:\n    {rule.good}")


@cli.command()
def server() -> None:
    """Serve editors over the Language Server Protocol on standard input and output.

    Diagnostics as you type (the same rules as `check`, cross-file ones included), quick fixes,
    completion of placeholders and payload fields, hover. Setup for Neovim, Helix and VS Code:
    docs/editors.md.
    """
    from msgflash_lint.language_server.server import serve

    serve()


@cli.command("associate-schemas")
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--print", "print_only", is_flag=True, help="Print the `json.schemas` entries instead of writing them.")
def associate_schemas(folder: str, print_only: bool) -> None:
    """Point VS Code's JSON support at the payload schemas: `json.schemas` in FOLDER/.vscode/settings.json.

    Payload files named by kind (*.send.json, *.campaign.json, ... and the configuration's `kinds`)
    then get the schemas' completion and checks in the editor, offline, from the installed files.
    """
    import json
    from pathlib import Path

    from msgflash_lint.config import ConfigError, apply_config, find_config, load_config
    from msgflash_lint.editor_settings import SettingsProblem, schema_associations, write_settings
    from msgflash_lint.linter import LintOptions

    options = LintOptions()
    try:
        found = find_config([folder])
        if found.path is not None:
            options = apply_config(load_config(found.path), options)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
    entries = schema_associations(options.kind_patterns)
    if print_only:
        click.echo(json.dumps({"json.schemas": entries}, indent=2))
        return
    try:
        written = write_settings(Path(folder), entries)
    except SettingsProblem as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"Wrote {len(entries)} schema associations to {written}.", err=True)


def main() -> None:
    try:
        cli(prog_name="msgflash-lint")
    except Exception as error:  # a bug outside any one file's checks: one line and exit 2, never a traceback
        from msgflash_lint.diagnostics import printable

        click.echo(f"msgflash-lint: internal error: {printable(f'{type(error).__name__}: {error}')}", err=True)
        sys.exit(2)
