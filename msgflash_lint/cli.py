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
@click.option("--update-baseline", is_flag=True,
              help="With --baseline: rewrite it keeping only the findings that still occur (then exit 0).")
def check(paths: tuple[str, ...], kind: str, output_format: str, color_mode: str, output: str | None,
          config_path: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], fail_level: str | None, baseline_path: str | None,
          write_baseline_path: str | None, jobs: int, apply_fix: bool, show_diff: bool,
          update_baseline: bool) -> None:
    """Check PATHS: files, directories (walked for .json, .txt and .tmpl files) or - for stdin.

    With no PATH, the current directory is checked.
    """
    paths = paths or (".",)
    from pathlib import Path

    from msgflash_lint.baseline import (
        BaselineError,
        baseline_text,
        new_findings,
        parse_baseline,
        stale_entries,
        updated_baseline_text,
    )
    from msgflash_lint.config import ConfigError, apply_config, find_config, load_config
    from msgflash_lint.formatters import render
    from msgflash_lint.linter import LintOptions, lint_paths
    from msgflash_lint.roots import project_root, repository_root

    if update_baseline and not baseline_path:
        raise click.UsageError("--update-baseline needs --baseline FILE: the baseline to rewrite")
    if (apply_fix or show_diff) and "-" in paths:
        raise click.UsageError("--fix and --diff work on files; standard input cannot be rewritten")

    options = LintOptions(kind=kind, select=select, ignore=ignore)
    try:
        found_config = Path(config_path) if config_path else find_config(list(paths))
        if found_config is not None:
            options = apply_config(load_config(found_config), options, cli_select=select, cli_ignore=ignore)
        if fail_level is not None:
            options = options._replace(fail_level=fail_level)
        if options.cross_file is None:
            from msgflash_lint.counterparts import CrossFileSettings

            repository = repository_root(list(paths), found_config)
            if repository is not None:  # outside a repository, nothing says how far to look
                options = options._replace(cross_file=CrossFileSettings(repository))
        known = None
        if baseline_path:
            known = parse_baseline(_read(baseline_path), baseline_path)
    except (ConfigError, BaselineError) as error:
        raise click.UsageError(str(error)) from None

    result = lint_paths(list(paths), options, stdin=sys.stdin.buffer, jobs=jobs)
    if apply_fix or show_diff:
        changes = _fixed_files(result, options)
        if show_diff:
            _show_diff(changes)
        _write_fixes(changes)
        result = lint_paths(list(paths), options, jobs=jobs)._replace(
            fixed=sum(count for *_, count in changes.values()))
    for path, problem in result.internal_errors:
        click.echo(f"msgflash-lint: internal error while checking {path}: {problem}", err=True)
    root = project_root(list(paths), found_config)
    if write_baseline_path:
        _write(write_baseline_path, baseline_text(result.diagnostics, root))
        click.echo(f"Recorded {len(result.diagnostics)} findings in {write_baseline_path}.", err=True)
        sys.exit(0)
    if known is not None:
        stale = stale_entries(result.diagnostics, known, root)
        if update_baseline:
            _write(baseline_path, updated_baseline_text(result.diagnostics, known, root))
            click.echo(f"Updated {baseline_path}: dropped {stale} stale entr{'y' if stale == 1 else 'ies'}, "
                       f"kept {sum(known.values()) - stale}.", err=True)
            sys.exit(0)
        if stale:
            entries = "1 baseline entry is" if stale == 1 else f"{stale} baseline entries are"
            click.echo(f"msgflash-lint: {entries} stale (fixed, or the file is gone); "
                       "--update-baseline drops them.", err=True)
        result = result._replace(diagnostics=new_findings(result.diagnostics, known, root))
    terminal = output is None and sys.stdout.isatty()
    if output_format == "text" and (terminal or color_mode == "always"):
        from msgflash_lint.formatters.text_format import render_for_terminal

        color = color_mode == "always" or (color_mode == "auto" and not os.environ.get("NO_COLOR"))
        report = render_for_terminal(result, _source_texts(result), color)
    else:
        report = render(output_format, result)
    if output:
        _write(output, report)
    else:
        # click strips colour codes off a pipe unless told: --color always means always.
        click.echo(report, nl=False, color=True if color_mode == "always" else None)
    sys.exit(2 if result.internal_errors else 1 if result.failed else 0)


_BOM = "\ufeff"


def _regular_file_text(path: str) -> str | None:
    """A file's text as written (line endings kept), or None: never opens a pipe or a device."""
    import stat

    from msgflash_lint.sources import MAX_BYTES

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeError, ValueError):
        return None  # a name escaped for the report, a file gone since: no excerpt, no fix


def _source_texts(result) -> dict[str, str]:
    """The text of each file with findings, for the excerpts under them (unreadable ones have none)."""
    texts = {}
    for path in dict.fromkeys(d.path for d in result.diagnostics):
        text = _regular_file_text(path)
        if text is not None:
            texts[path] = text.removeprefix(_BOM)
    return texts


def _fixed_files(result, options) -> dict[str, tuple[str, str, str, int]]:
    """path → (byte order mark, original text, fixed text, fixes applied), for files a fix changes."""
    from msgflash_lint.fixes import fix_until_stable
    from msgflash_lint.linter import lint_text

    changes = {}
    for path in dict.fromkeys(d.path for d in result.diagnostics if d.fix is not None):
        original = _regular_file_text(path)
        if original is None:
            continue
        bom = _BOM if original.startswith(_BOM) else ""
        text = original[len(bom):]
        fixed, count = fix_until_stable(text, lambda t, path=path: lint_text(t, kind=options.kind, path=path,
                                                                             options=options))
        if count:
            changes[path] = (bom, text, fixed, count)
    return changes


def _show_diff(changes: dict) -> None:
    import difflib

    for path, (_, before, after, _count) in changes.items():
        click.echo("".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                                f"a/{path}", f"b/{path}")), nl=False)
    fixes = sum(count for *_, count in changes.values())
    click.echo(f"{fixes} fix{'es' if fixes != 1 else ''} would be applied to {len(changes)} "
               f"file{'s' if len(changes) != 1 else ''}; --fix writes them.", err=True)
    sys.exit(1 if changes else 0)


def _write_fixes(changes: dict) -> None:
    for path, (bom, _, fixed, _count) in changes.items():
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(bom + fixed)
        except OSError as error:
            raise click.UsageError(f"cannot write {path}: {error.strerror or error}") from None


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise click.UsageError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise click.UsageError(f"cannot write {path}: {error.strerror or error}") from None


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List every rule, or show one rule (CODE such as MFL104, or its name) in full."""
    from msgflash_lint.registry import RULES, RULES_BY_CODE, RULES_BY_NAME

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
    label = f" ({rule.example_kind})" if rule.example_kind else ""
    click.echo(f"\nFails{label}:\n    {rule.bad or '(an empty file)'}\nPasses{label}:\n    {rule.good}")


def main() -> None:
    try:
        cli(prog_name="msgflash-lint")
    except Exception as error:  # a bug outside any one file's checks: one line and exit 2, never a traceback
        from msgflash_lint.diagnostics import printable

        click.echo(f"msgflash-lint: internal error: {printable(f'{type(error).__name__}: {error}')}", err=True)
        sys.exit(2)
