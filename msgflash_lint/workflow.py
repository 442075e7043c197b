"""`msgflash-lint check` as a workflow: a CheckRequest in, a CheckOutcome out.

The command (msgflash_lint/cli.py) only fills the request from its options; everything a run
decides lives here, in order: configuration, baseline, lint, the fix loop (fix, show or write,
lint again), baseline writes, the report, the exit code. Lines for the console go through the
request's `say` callback in the order they happen; nothing here prints or exits. A problem
with the run itself (a bad configuration, a file that cannot be written) raises UsageProblem:
exit 2 with its one line.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, NamedTuple

from msgflash_lint.diagnostics import plural

_BOM = "\ufeff"


class UsageProblem(Exception):
    """The run cannot be done as asked: the message is the whole explanation (exit 2)."""


class Say(NamedTuple):
    """One piece of console output, in order: a report or diff on stdout, a note on stderr."""

    text: str
    err: bool = True
    nl: bool = True
    color: bool | None = None  # True: keep colour codes even on a pipe (--color always)
    # What -q keeps ("report", "summary") and --silent too ("problem": the run went wrong); "note": neither.
    kind: str = "note"


class CheckRequest(NamedTuple):
    paths: tuple[str, ...]
    say: Callable[[Say], None]
    kind: str = "auto"
    output_format: str = "text"
    color_mode: str = "auto"
    output: str | None = None
    config_path: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_level: str | None = None
    baseline_path: str | None = None
    write_baseline_path: str | None = None
    update_baseline: bool = False
    jobs: int = 0
    apply_fix: bool = False
    show_diff: bool = False
    unsafe_fixes: bool = False  # --fix and --diff also apply the guesses (Diagnostic.unsafe_fix)
    stdin: BinaryIO | None = None
    terminal: bool = False  # standard output is a terminal (and no --output)
    no_color: bool = False  # NO_COLOR is set
    exit_zero: bool = False  # findings never fail the run (a broken run still exits 2)
    statistics: bool = False  # a count per code instead of the findings (text format)
    quiet: bool = False  # the summary line instead of the text report; no notes
    silent: bool = False  # nothing on the console: the exit code (and --output) only


class FileFix(NamedTuple):
    """What the fix loop does to one file: its byte order mark, its text before and after, how many
    fixes, the path it was read from and how it stood then (size, modification time)."""

    bom: str
    before: str
    after: str
    count: int
    path: str = ""
    stamp: tuple[int, int] = (0, 0)


class CheckOutcome(NamedTuple):
    result: object  # the LintResult the report shows (after fixes and the baseline)
    fixes: dict[str, FileFix]
    baseline_written: str | None
    exit_code: int


def run_check(request: CheckRequest) -> CheckOutcome:
    """One `check` run, start to finish."""
    from msgflash_lint.diagnostics import sort_diagnostics
    from msgflash_lint.linter import keep_selected, lint_paths
    from msgflash_lint.roots import project_root

    _refuse_impossible(request)
    options, found_config, known = _settings(request)
    if request.silent or request.quiet:
        request = request._replace(say=_notes_dropped(request.say, keep_stdout=request.quiet))
    paths = list(request.paths) or ["."]
    root = project_root(paths, found_config)  # where baselines are relative to; what --fix stays inside
    result = lint_paths(paths, options, stdin=request.stdin, jobs=request.jobs)
    fixes: dict[str, FileFix] = {}
    if request.apply_fix or request.show_diff:
        fixes = fixed_files(result, options, request.unsafe_fixes)
        if request.show_diff:
            _say_diff(request.say, fixes, request.unsafe_fixes)
            return CheckOutcome(result, fixes, None, 1 if fixes else 0)
        refused = write_fixes(fixes, root)
        result = lint_paths(paths, options, jobs=request.jobs)
        result = result._replace(fixed=sum(f.count for path, f in fixes.items() if path not in refused),
                                 diagnostics=sort_diagnostics([*result.diagnostics,
                                                               *keep_selected(_not_written(refused), options)]))
    for path, problem in result.internal_errors:
        request.say(Say(f"msgflash-lint: internal error while checking {path}: {problem}", kind="problem"))
    baseline = _apply_baseline(request, result, known, root)
    if baseline.written is not None:
        return CheckOutcome(result, fixes, baseline.written, 0)
    result = baseline.result
    _report(request, result)
    failed = result.failed and not request.exit_zero
    return CheckOutcome(result, fixes, None, 2 if result.internal_errors else 1 if failed else 0)


def _notes_dropped(say: Callable[[Say], None], keep_stdout: bool) -> Callable[[Say], None]:
    """`say` for -q (the report, which is then the summary, and the summary of a report written to a
    file) and --silent (nothing): a line about the run going wrong (an internal error) is never dropped."""
    kept = ("report", "summary", "problem") if keep_stdout else ("problem",)

    def quieter(line: Say) -> None:
        if line.kind in kept:
            say(line)

    return quieter


def _refuse_impossible(request: CheckRequest) -> None:
    if request.update_baseline and not request.baseline_path:
        raise UsageProblem("--update-baseline needs --baseline FILE: the baseline to rewrite")
    if (request.apply_fix or request.show_diff) and "-" in request.paths:
        raise UsageProblem("--fix and --diff work on files; standard input cannot be rewritten")
    if request.unsafe_fixes and not (request.apply_fix or request.show_diff):
        raise UsageProblem("--unsafe-fixes goes with --fix or --diff: it lets them apply the guesses too")
    if request.statistics and request.output_format != "text":
        raise UsageProblem(f"--statistics is a text table; it cannot be combined with --format {request.output_format}")
    if request.quiet and request.silent:
        raise UsageProblem("-q/--quiet prints the summary and --silent prints nothing: choose one")


def _settings(request: CheckRequest):
    """(LintOptions, the configuration file used or None, the baseline's counts or None)."""
    from msgflash_lint.baseline import BaselineError, parse_baseline
    from msgflash_lint.config import ConfigError, FoundConfig, apply_config, find_config, load_config
    from msgflash_lint.linter import LintOptions
    from msgflash_lint.roots import repository_root

    paths = list(request.paths) or ["."]
    options = LintOptions(kind=request.kind, select=request.select, ignore=request.ignore)
    try:
        found = FoundConfig(Path(request.config_path)) if request.config_path else find_config(paths)
        for warning in found.warnings:
            request.say(Say(warning))
        if found.path is not None:
            options = apply_config(load_config(found.path), options, cli_select=request.select,
                                   cli_ignore=request.ignore)
        if request.fail_level is not None:
            options = options._replace(fail_level=request.fail_level)
        if options.cross_file is None:
            from msgflash_lint.counterparts import CrossFileSettings

            repository = repository_root(paths, found.path)
            if repository is not None:  # outside a repository, nothing says how far to look
                options = options._replace(cross_file=CrossFileSettings(repository))
        known = parse_baseline(read_text(request.baseline_path), request.baseline_path) \
            if request.baseline_path else None
    except (ConfigError, BaselineError) as error:
        raise UsageProblem(str(error)) from None
    if not request.paths:
        options = _walk_included(options)
    return options, found.path, known


def _walk_included(options):
    """`check` with no path: the current folder, only the files `include` names."""
    from msgflash_lint.paths import path_matches

    excluded, include, root = options.excluded, options.include, options.path_root
    return options._replace(
        excluded=lambda path: excluded(path) or not path_matches(path, include, root),
        nothing_found=f"no file here matches `include` ({', '.join(include)}); name the files to check, "
                      "or set `include` in the configuration")


class _Baselined(NamedTuple):
    result: object
    written: str | None  # the baseline file this run wrote (the run ends there), or None


def _apply_baseline(request: CheckRequest, result, known, root: Path) -> _Baselined:
    """Record the findings, rewrite the baseline, or hide what it knows (saying what is stale)."""
    from msgflash_lint.baseline import baseline_text, new_findings, recordable, stale_entries, updated_baseline_text

    if request.write_baseline_path:
        write_text(request.write_baseline_path, baseline_text(result.diagnostics, root))
        recorded = sum(map(recordable, result.diagnostics))  # input problems are never recorded
        request.say(Say(f"Recorded {plural(recorded, 'finding')} in {request.write_baseline_path}."))
        return _Baselined(result, request.write_baseline_path)
    if known is None:
        return _Baselined(result, None)
    stale = stale_entries(result.diagnostics, known, root)
    if request.update_baseline:
        write_text(request.baseline_path, updated_baseline_text(result.diagnostics, known, root))
        request.say(Say(f"Updated {request.baseline_path}: dropped {plural(stale, 'stale entry', 'stale entries')}, "
                        f"kept {sum(known.values()) - stale}."))
        return _Baselined(result, request.baseline_path)
    if stale:
        entries = "1 baseline entry is" if stale == 1 else f"{stale} baseline entries are"
        request.say(Say(f"msgflash-lint: {entries} stale (fixed, or the file is gone); --update-baseline drops them."))
    shown = new_findings(result.diagnostics, known, root)
    hidden = len(result.diagnostics) - len(shown)
    if request.output_format == "text":  # machine formats keep their stream to themselves
        request.say(Say(f"msgflash-lint: the baseline {request.baseline_path} hid {plural(hidden, 'finding')}."))
    return _Baselined(result._replace(diagnostics=shown), None)


def _report(request: CheckRequest, result) -> None:
    from msgflash_lint.formatters import render
    from msgflash_lint.formatters.text_format import statistics, summary

    if request.output_format == "text" and (request.quiet or request.statistics):
        report = summary(result) + "\n" if request.quiet else statistics(result)
    elif request.output_format == "text" and (request.terminal or request.color_mode == "always"):
        from msgflash_lint.formatters.text_format import render_for_terminal

        color = request.color_mode == "always" or (request.color_mode == "auto" and not request.no_color)
        report = render_for_terminal(result, source_texts(result), color)
    else:
        report = render(request.output_format, result)
    if request.output:
        write_text(request.output, report)
        # The CI log still shows what happened, and where the report went.
        request.say(Say(f"{summary(result)} Report written to {request.output}.", kind="summary"))
    else:
        # click strips colour codes off a pipe unless told: --color always means always.
        request.say(Say(report, err=False, nl=False, color=True if request.color_mode == "always" else None,
                        kind="report"))


def regular_file_text(path: str) -> str | None:
    """A file's text as written (line endings kept), or None: never opens a pipe or a device."""
    read = _read_regular(path)
    return read[0] if read is not None else None


def _read_regular(path: str) -> tuple[str, tuple[int, int]] | None:
    """(text as written, line endings kept; (size, modification time)) of a regular UTF-8 file, or None."""
    from msgflash_lint.sources import read_regular

    read = read_regular(path)
    if read is None:
        return None
    data, info = read
    try:
        return data.decode("utf-8"), (info.st_size, info.st_mtime_ns)
    except UnicodeDecodeError:
        return None


def source_texts(result) -> dict[str, str]:
    """The text of each file with findings, for the excerpts under them (unreadable ones have none)."""
    texts = {}
    for path in dict.fromkeys(d.path for d in result.diagnostics):
        text = regular_file_text(result.read_from.get(path, path))
        if text is not None:
            texts[path] = text.removeprefix(_BOM)
    return texts


def fixed_files(result, options, unsafe: bool = False) -> dict[str, FileFix]:
    """The fix loop over every file with a fixable finding: path → FileFix, for files a fix changes
    (safe fixes only, unless `unsafe`)."""
    from msgflash_lint.fixes import fix_of, fix_until_stable
    from msgflash_lint.linter import lint_text

    changes = {}
    for path in dict.fromkeys(d.path for d in result.diagnostics if fix_of(d, unsafe) is not None):
        real = result.read_from.get(path, path)  # the file that was read, not one named like the report
        read = _read_regular(real)
        if read is None:
            continue
        original, stamp = read
        bom = _BOM if original.startswith(_BOM) else ""
        text = original[len(bom):]
        fixed, count = fix_until_stable(text, lambda t, path=path: lint_text(t, kind=options.kind, path=path,
                                                                             options=options), unsafe)
        if count:
            changes[path] = FileFix(bom, text, fixed, count, real, stamp)
    return changes


def _say_diff(say: Callable[[Say], None], changes: dict[str, FileFix], unsafe: bool = False) -> None:
    import difflib

    for path, change in changes.items():
        say(Say("".join(difflib.unified_diff(change.before.splitlines(keepends=True),
                                             change.after.splitlines(keepends=True), f"a/{path}", f"b/{path}")),
                err=False, nl=False, kind="report"))
    fixes = sum(change.count for change in changes.values())
    how = "--fix --unsafe-fixes writes them, guesses included" if unsafe else "--fix writes them"
    say(Say(f"{plural(fixes, 'fix', 'fixes')} would be applied to {plural(len(changes), 'file')}; {how}.",
            kind="summary"))


def write_fixes(changes: dict[str, FileFix], project: Path) -> dict[str, str]:
    """Write every fixed file that can be written safely; the others keep their text, and come
    back as {reported path: why it was not written}. Each write is atomic: a new file beside
    the old one, flushed to disk, then renamed over it with the old one's mode, so a crash or a
    full disk leaves the old text or the new one, never part of either."""
    refused = {}
    for path, change in changes.items():
        problem = _refusal(change, project)
        if problem is None:
            problem = _write_atomically(change)
        if problem is not None:
            refused[path] = problem
    return refused


def _refusal(change: FileFix, project: Path) -> str | None:
    """Why a fix must not be written: its file changed since it was read, or it links out of the project."""
    target = os.path.realpath(change.path)
    if os.path.islink(change.path) and os.path.commonpath([target, os.path.realpath(project)]) != \
            os.path.realpath(project):
        return f"not written: {change.path} is a link to {target}, outside the project"
    read = _read_regular(change.path)
    if read is None or read[1] != change.stamp or read[0] != change.bom + change.before:
        return "not written: the file changed since it was read (run --fix again)"
    return None


def _write_atomically(change: FileFix) -> str | None:
    """Replace the fixed file's content in one rename; None when done, else why not (the file is untouched)."""
    try:
        target = os.path.realpath(change.path)  # a link inside the project keeps being a link
        replace_file(target, change.bom + change.after, stat.S_IMODE(os.stat(target).st_mode))
    except OSError as error:
        return f"not written: {error.strerror or error}"
    return None


def replace_file(target: str, text: str, mode: int | None = None) -> None:
    """Write `text` to `target` atomically: a new file beside it, flushed to disk, then renamed over
    it (with `mode`, else the old file's, else the default), so a crash or a full disk leaves the old
    content or the new one, never part of either. Raises OSError; the target is then untouched."""
    import tempfile

    folder, name = os.path.split(os.path.abspath(target))
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".msgflash-tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as written:
            written.write(text)
            written.flush()
            os.fsync(written.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        temporary = None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _not_written(refused: dict[str, str]) -> list:
    """One MFL010 finding per fixed file that kept its old text."""
    from msgflash_lint.diagnostics import Diagnostic
    from msgflash_lint.registry import FIX_NOT_WRITTEN

    return [Diagnostic(path, 1, 1, 1, 1, FIX_NOT_WRITTEN.code, FIX_NOT_WRITTEN.severity,
                       f"--fix {message}", FIX_NOT_WRITTEN.name) for path, message in refused.items()]


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageProblem(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None


def write_text(path: str, text: str) -> None:
    """A report or a baseline, written atomically (a killed run leaves the old file whole); a
    device or a pipe (`-o /dev/stdout`) is written as it is, since it cannot be replaced."""
    try:
        try:
            special = not stat.S_ISREG(os.stat(path).st_mode)
        except FileNotFoundError:
            special = False
        if special:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            replace_file(path, text)
    except OSError as error:
        raise UsageProblem(f"cannot write {path}: {error.strerror or error}") from None
