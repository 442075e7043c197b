"""lint_paths(): read → classify → run the rules → positions → sorted Diagnostics."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from msgflash_lint.counterparts import DEFAULT_INCLUDE, CrossFileSettings
from msgflash_lint.diagnostics import (
    ESCAPED_NOTE,
    Diagnostic,
    Severity,
    Span,
    printable,
    printable_path,
    sort_diagnostics,
)
from msgflash_lint.documents import (
    DEFAULT_KIND_PATTERNS,
    TEMPLATE_BODY,
    Document,
    NotAPayload,
    kind_from_content,
    load_document,
)
from msgflash_lint.positions import LineIndex, Target, json_source_map, node_offsets, pointer_of, string_offsets
from msgflash_lint.registry import NOTHING_TO_CHECK, UNKNOWN_TEMPLATE, Rule
from msgflash_lint.rules.placeholders import OPEN_KEYS, KnownKeys
from msgflash_lint.rules.template_text import check_template
from msgflash_lint.sources import FileToRead, Source, SourceProblem, iter_entries, source_from_text


class LintOptions(NamedTuple):
    kind: str = "auto"
    kind_patterns: tuple[tuple[str, str], ...] = DEFAULT_KIND_PATTERNS
    known_keys: KnownKeys = OPEN_KEYS
    # Code prefixes ("MFL1", "MFL207"); empty select means every rule.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity_overrides: dict[str, Severity] = {}  # never mutated: a frozen record
    # (glob, code prefixes) pairs: those codes are not reported for matching paths.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    excluded: Callable[[str], bool] = lambda path: False
    # Where configuration globs are relative to (the folder of the configuration file).
    path_root: Path | None = None
    # The lowest severity that fails the run (exit 1): "error" or "warning".
    fail_level: str = "error"
    # Where to find the other side of cross-file checks (None: only what the run holds).
    cross_file: CrossFileSettings | None = None
    # Globs of what `check` with no path walks (the configuration's `include`).
    include: tuple[str, ...] = DEFAULT_INCLUDE
    # What a walked directory with nothing to check is told (None: the plain "no .json… file").
    nothing_found: str | None = None


DEFAULT_OPTIONS = LintOptions()


class LintResult(NamedTuple):
    diagnostics: list[Diagnostic]
    # Every file looked at, in order, whether it could be read or not (JUnit lists them).
    checked: tuple[str, ...] = ()
    # (path, what went wrong) for files the linter itself failed on: a bug, reported apart
    # from findings so that CI can tell "errors found" (exit 1) from "linter broke" (exit 2).
    internal_errors: tuple[tuple[str, str], ...] = ()
    # JSON files met while walking a directory that hold no field of any MsgFlash payload.
    skipped: tuple[str, ...] = ()
    fail_level: str = "error"
    # How many fixes `--fix` applied before this result was computed.
    fixed: int = 0
    # The path each file was read from, for the few whose reported name differs from it (a name
    # escaped for display): --fix writes the file that was read, never one named like the report.
    read_from: dict[str, str] = {}

    @property
    def failed(self) -> bool:
        """Whether the run exits 1: errors, or warnings too under `fail-level = "warning"`."""
        return bool(self.errors or (self.fail_level == "warning" and self.warnings))

    @property
    def files(self) -> int:
        return len(self.checked)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)


def lint_paths(paths: list[str], options: LintOptions = DEFAULT_OPTIONS, stdin: BinaryIO | None = None,
               jobs: int = 1) -> LintResult:
    """Lint files and folders; `jobs` > 1 reads and checks files in that many processes, and 0
    picks a number from the size of the run. The result is the same whatever `jobs` is."""
    diagnostics: list[Diagnostic] = []
    documents: list[_Located | _PayloadRef] = []
    checked: list[str] = []
    internal: list[tuple[str, str]] = []
    skipped: list[str] = []
    # Streamed: neither the entries nor their outcomes are ever all held, only what is reported.
    read_from: dict[str, str] = {}
    for (path, counted, raw), outcome in _outcomes(iter_entries(paths, stdin, options.excluded, options.nothing_found), options, jobs):
        if raw is not None:
            read_from[path] = raw
        if counted:
            checked.append(path)
        if outcome.internal is not None:
            internal.append((path, outcome.internal))
        elif outcome.skipped:
            checked.pop()
            skipped.append(path)
        else:
            diagnostics.extend(outcome.diagnostics)
            if isinstance(outcome.document, _PayloadRef):
                documents.append(outcome.document)
            elif outcome.document is not None:
                documents.append(_Located(outcome.document))
    try:
        diagnostics.extend(_cross_file(documents, options))
    except Exception as error:
        internal.append(("<cross-file checks>", _described(error)))
    return LintResult(sort_diagnostics(keep_selected(diagnostics, options)), tuple(checked), tuple(internal),
                      tuple(skipped), options.fail_level, read_from=read_from)


class _Outcome(NamedTuple):
    """What checking one entry gave: findings, the document if cross-file checks need it, or why not."""

    diagnostics: tuple[Diagnostic, ...] = ()
    document: Document | _PayloadRef | None = None
    skipped: bool = False
    internal: str | None = None


def _outcome(entry, options: LintOptions) -> _Outcome:
    if isinstance(entry, SourceProblem):
        return _Outcome((_diagnostic(entry.path, entry.rule, entry.message, entry.span, options),))
    source = entry.read() if isinstance(entry, FileToRead) else entry
    if isinstance(source, SourceProblem):
        return _Outcome((_diagnostic(source.path, source.rule, source.message, source.span, options),))
    try:
        located, found = _lint_source(source, options)
    except Exception as error:  # a bug in a rule: the other files are still checked
        return _Outcome(internal=_described(error))
    if found is None:  # unrelated JSON met in a walk
        return _Outcome(skipped=True)
    if located is None or not _takes_part_in_cross_file(located.document, options):
        return _Outcome(tuple(found))
    document = located.document
    if isinstance(entry, FileToRead) and document.kind in PAYLOAD_KINDS_NAMING_TEMPLATES:
        from msgflash_lint.rules.crossfile import crossfile_fields

        return _Outcome(tuple(found), _PayloadRef(entry.shown, entry.path, document.kind,
                                                  crossfile_fields(document.data)))
    return _Outcome(tuple(found), document)


# Payload kinds whose `templateId` the cross-file stage checks against the run's templates.
PAYLOAD_KINDS_NAMING_TEMPLATES = ("send", "schedule", "campaign")


class _PayloadRef:
    """A payload file as the cross-file stage needs it: where it is, its kind and the few fields
    that stage reads. Its text is read again only to place a finding: a 100,000-file run with
    20,000 template sends would otherwise hold all of them, text and parsed JSON, to the end."""

    __slots__ = ("path", "file", "kind", "data", "located")

    def __init__(self, path: str, file: str, kind: str, data: dict, located: _Located | None = None) -> None:
        # `located`: a payload with no file to read again (stdin, in-memory text) keeps its document.
        self.path, self.file, self.kind, self.data, self.located = path, file, kind, data, located

    def span_at(self, pointer_path: tuple, target: Target = Target.VALUE) -> Span:
        if self.located is not None:
            return self.located.span_at(pointer_path, target)
        source = FileToRead(self.path, self.file).read()
        if isinstance(source, SourceProblem):  # gone or changed since its own checks
            return Span(1, 1, 1, 1)
        return _Located(Document(source, self.kind, self.data)).span_at(pointer_path, target)


# Below this many files a second process costs more than it saves.
AUTO_JOBS_FROM = 1000
_WORKER_OPTIONS: LintOptions | None = None


def _outcomes(entries: Iterator, options: LintOptions, jobs: int) -> Iterator[tuple[tuple[str, bool, str | None], _Outcome]]:
    """(label, outcome) per entry, in order, streamed: a 100,000-file run never holds them all."""
    head: list = []
    files = 0
    if jobs != 1:  # how many files decides the number of processes: look at the first ones only
        for entry in entries:
            head.append(entry)
            files += isinstance(entry, FileToRead)
            if files >= AUTO_JOBS_FROM:
                break
    if jobs == 0:
        jobs = min(os.cpu_count() or 1, 4) if files >= AUTO_JOBS_FROM else 1
    stream = itertools.chain(head, entries)
    if jobs > 1 and files >= 2:
        import multiprocessing  # here, not at the top: a one-file hook run never pays for it
        import threading

        # Forking is safe only from a single-threaded process (the command line is one);
        # elsewhere, and where fork does not exist, the run is serial, with the same result.
        if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
            global _WORKER_OPTIONS
            # Forked workers read the options from here: LintOptions holds closures pickle refuses.
            _WORKER_OPTIONS = options
            try:
                # The pool reads the rest of the walk on its own thread, held back by its pipe to the
                # workers; chunks of 256 keep round trips few and the results streamed.
                with multiprocessing.get_context("fork").Pool(jobs) as pool:
                    yield from pool.imap(_outcome_in_worker, stream, chunksize=256)
            finally:
                _WORKER_OPTIONS = None
            return
    for entry in stream:
        yield _label(entry), _outcome(entry, options)


def _label(entry) -> tuple[str, bool, str | None]:
    """The path an entry is reported under, whether it counts as a file checked, and the path it is
    read from when that differs from the one reported (None almost always)."""
    if isinstance(entry, FileToRead):
        return entry.shown, True, (entry.path if entry.path != entry.shown else None)
    return entry.path, not (isinstance(entry, SourceProblem) and entry.rule is NOTHING_TO_CHECK), None


def _outcome_in_worker(entry) -> tuple[tuple[str, bool, str | None], _Outcome]:
    return _label(entry), _outcome(entry, _WORKER_OPTIONS)


def _described(error: Exception) -> str:
    return printable(f"{type(error).__name__}: {error}")


def lint_text(text: str, kind: str = "auto", path: str = "<text>", options: LintOptions = DEFAULT_OPTIONS) -> list[Diagnostic]:
    """Lint one in-memory document (for tests, editors and the mock server)."""
    source = source_from_text(path, text)
    if isinstance(source, SourceProblem):
        found = [_diagnostic(path, source.rule, source.message, source.span, options)]
    else:
        found = _lint_source(source, options._replace(kind=kind))[1]
    return sort_diagnostics(keep_selected(found, options))


class TextFacts(NamedTuple):
    """What one document brings to the cross-file checks of a workspace (an editor's, the server's)."""

    template: object | None = None  # the TemplateFacts it defines (a template payload, a named text template)
    uses: str | None = None  # the template id (lowercase) a payload names


def lint_in_workspace(text: str, path: str, options: LintOptions, templates: dict,
                      by_content: bool = False) -> tuple[list[Diagnostic], TextFacts] | None:
    """One in-memory document's findings, its cross-file ones against `templates` (id → TemplateFacts,
    the workspace's other side) included, and what it brings to the others' checks. The language
    server's core: the same rules, messages and spans as `check`, with no file read.

    `by_content`: the file is not one the configuration names, so it is ours only if its JSON holds
    payload fields (as in a directory walk); None when it is not."""
    source = source_from_text(path, text, walked=by_content)
    if isinstance(source, SourceProblem):
        return [_diagnostic(path, source.rule, source.message, source.span, options)], TextFacts()
    located, found = _lint_source(source, options)
    if found is None:
        return None
    if located is None:
        return sort_diagnostics(keep_selected(found, options)), TextFacts()
    facts = _workspace_facts(located.document, path, options)
    if facts.uses is not None:
        from msgflash_lint.rules.crossfile import crossfile_violations

        data = located.document.data
        for violation in crossfile_violations(located.document.kind, data, templates):
            if violation.rule is UNKNOWN_TEMPLATE and not templates:
                continue  # with no template in the workspace, unknown ids say nothing (as `check`)
            found.append(_diagnostic(path, violation.rule, violation.message,
                                     located.span_at(violation.path, violation.target), options))
    return sort_diagnostics(keep_selected(found, options)), facts


def workspace_facts(text: str, path: str, options: LintOptions) -> TextFacts:
    """What a file brings to the cross-file checks, without checking it (indexing a workspace)."""
    source = source_from_text(path, text, walked=True)
    if isinstance(source, SourceProblem):
        return TextFacts()
    document = load_document(source, options.kind, options.kind_patterns, options.path_root)
    return _workspace_facts(document, path, options) if isinstance(document, Document) else TextFacts()


def _workspace_facts(document: Document, path: str, options: LintOptions) -> TextFacts:
    from msgflash_lint.counterparts import text_template_name
    from msgflash_lint.rules.crossfile import TemplateFacts

    if document.kind == TEMPLATE_BODY:
        template_id = _cross_file_settings(options).text_template_id(path)
        text = document.source.text
        return TextFacts(TemplateFacts.from_text(template_id, text_template_name(path), text)) if template_id \
            else TextFacts()
    if document.kind == "template":
        return TextFacts(TemplateFacts.from_document(document.data))
    if (document.kind in PAYLOAD_KINDS_NAMING_TEMPLATES and isinstance(document.data, dict)
            and isinstance(document.data.get("templateId"), str)):
        return TextFacts(uses=document.data["templateId"].lower())
    return TextFacts()


class _Located:
    """A parsed document plus lazily built position tables."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._lines: LineIndex | None = None
        self._nodes = None
        # A template body with thousands of findings maps each through the same string.
        self._string_offsets: dict[int, list[int]] = {}

    @property
    def path(self) -> str:
        return self.document.source.path

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.document.source.text)
        return self._lines

    def offsets_at(self, path: tuple, target: Target = Target.VALUE,
                   string_range: tuple[int, int] | None = None) -> tuple[int, int]:
        """[start, end) in the file of a value, its key, its opening brace, or a range inside a string."""
        if self._nodes is None:
            self._nodes = json_source_map(self.document.source.text)
        node = self._nodes.get(pointer_of(path)) or self._nodes[""]
        if string_range is not None:
            offsets = self._string_offsets.get(node.start)
            if offsets is None:
                offsets = self._string_offsets[node.start] = string_offsets(self.document.source.text, node)
            return offsets[string_range[0]], offsets[string_range[1]]
        return node_offsets(node, target)

    def span_at(self, path: tuple, target: Target = Target.VALUE,
                string_range: tuple[int, int] | None = None) -> Span:
        return self.lines.span(*self.offsets_at(path, target, string_range))


def _lint_source(source: Source, options: LintOptions) -> tuple[_Located | None, list[Diagnostic] | None]:
    """The document and its findings; (None, None) for a walked JSON file that is no payload."""
    document = load_document(source, options.kind, options.kind_patterns, options.path_root)
    if isinstance(document, NotAPayload):
        return None, None
    if isinstance(document, SourceProblem):
        return None, [_diagnostic(document.path, document.rule, document.message, document.span, options)]
    located = _Located(document)
    found: list[Diagnostic] = []
    if document.kind == TEMPLATE_BODY:
        for finding in check_template(source.text, options.known_keys):
            fix = (finding.start, finding.end, finding.replacement) if finding.replacement is not None else None
            found.append(_diagnostic(source.path, finding.rule, finding.message,
                                     located.lines.span(finding.start, finding.end), options, fix, finding.unsafe))
        return located, found
    from msgflash_lint.rules.payloads import payload_violations

    for violation in payload_violations(document.kind, document.data, options.known_keys):
        start, end = located.offsets_at(violation.path, violation.target, violation.string_range)
        fix = None
        if violation.replacement is not None:
            # Inside a JSON string the new text is written escaped, so every other byte stays as it was.
            text = violation.replacement if violation.string_range is None else json.dumps(
                violation.replacement, ensure_ascii=False)[1:-1]
            fix = (start, end, text)
        found.append(_diagnostic(source.path, violation.rule, violation.message, located.lines.span(start, end),
                                 options, fix, violation.unsafe))
    return located, found


def _takes_part_in_cross_file(document: Document, options: LintOptions) -> bool:
    """Templates and the payloads that name one: the only documents kept after their own checks."""
    data = document.data
    if document.kind == TEMPLATE_BODY:
        # Without an id (configuration table or file name) it can take no part, and a plain
        # template run skips the cross-file stage entirely.
        return _cross_file_settings(options).text_template_id(document.source.path) is not None
    return isinstance(data, dict) and (document.kind == "template" or isinstance(data.get("templateId"), str))


def _cross_file_settings(options: LintOptions) -> CrossFileSettings:
    """Where counterparts live; with none configured, ids still come from template file names."""
    return options.cross_file or CrossFileSettings(Path.cwd())


def _cross_file(documents: list[_Located | _PayloadRef], options: LintOptions) -> list[Diagnostic]:
    """MFL301–303 between the run's payloads and templates, and the project's other side of each."""
    if not documents:  # nothing takes part: a run of plain templates never imports the stage
        return []
    from msgflash_lint.counterparts import Counterparts, text_template_name
    from msgflash_lint.rules.crossfile import TemplateFacts, crossfile_violations

    settings = _cross_file_settings(options)
    in_run: dict[str, TemplateFacts] = {}
    payloads: list[_PayloadRef] = []
    for located in documents:
        if isinstance(located, _PayloadRef):
            payloads.append(located)
            continue
        document = located.document
        if document.kind == "template":
            facts = TemplateFacts.from_document(document.data)
        elif document.kind == TEMPLATE_BODY:
            template_id = settings.text_template_id(located.path)
            facts = TemplateFacts.from_text(template_id, text_template_name(located.path),
                                            document.source.text) if template_id else None
        elif (document.kind in PAYLOAD_KINDS_NAMING_TEMPLATES and isinstance(document.data, dict)
              and isinstance(document.data.get("templateId"), str)):  # from stdin or in memory
            payloads.append(_PayloadRef(located.path, located.path, document.kind, document.data, located))
            continue
        else:
            continue
        if facts is not None:
            in_run.setdefault(facts.id.lower(), facts)
    if not payloads and not in_run:
        return []
    finder = Counterparts(settings, {os.path.abspath(d.path) for d in documents},
                          options.excluded) if options.cross_file else None
    known = dict(in_run)
    if finder is not None and payloads:
        wanted = {d.data["templateId"].lower() for d in payloads} - known.keys()
        if wanted:
            for _, template_id, name, body in finder.templates_with_ids(wanted):
                known.setdefault(template_id, TemplateFacts.from_text(template_id, name, body))
    found: list[Diagnostic] = []
    if payloads:
        # With no template file anywhere, unknown ids say nothing: the templates live on the server.
        templates_exist = bool(in_run) or (finder is not None and finder.has_templates())
        for payload in payloads:
            for violation in crossfile_violations(payload.kind, payload.data, known):
                if violation.rule is UNKNOWN_TEMPLATE and not templates_exist:
                    continue
                span = payload.span_at(violation.path, violation.target)
                found.append(_diagnostic(payload.path, violation.rule, violation.message, span, options))
    if finder is not None and in_run:
        # A template changed alone: the project's payloads that use it are checked against it.
        for path, text, data in finder.payloads_using(set(in_run)):
            counterpart = _Located(Document(Source(_display_path(path), text), kind_from_content(data) or "send", data))
            for violation in crossfile_violations(counterpart.document.kind, data, in_run):
                span = counterpart.span_at(violation.path, violation.target)
                found.append(_diagnostic(counterpart.path, violation.rule, violation.message, span, options))
    return found


def _display_path(path: str) -> str:
    """A counterpart's path as the user would type it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return Path(path if relative.startswith("..") else relative).as_posix()


def _diagnostic(path: str, rule: Rule, message: str, span: Span, options: LintOptions,
                fix: tuple[int, int, str] | None = None, unsafe: bool = False) -> Diagnostic:
    severity = options.severity_overrides.get(rule.code, rule.severity)
    fix = fix if rule.fixable else None
    return Diagnostic(printable_path(path), span.line, span.column, span.end_line, span.end_column,
                      rule.code, severity, printable(message, ESCAPED_NOTE), rule.name,
                      None if unsafe else fix, fix if unsafe else None)


def keep_selected(diagnostics: list[Diagnostic], options: LintOptions) -> list[Diagnostic]:
    """The findings `--select`, `--ignore` and `per-file-ignores` keep (a lint run's, and MFL010's)."""
    if not (options.select or options.ignore or options.per_file_ignores):
        return diagnostics
    from msgflash_lint.paths import path_matches

    def keep(diagnostic: Diagnostic) -> bool:
        code = diagnostic.code
        if options.select and not any(code.startswith(prefix) for prefix in options.select):
            return False
        if any(code.startswith(prefix) for prefix in options.ignore):
            return False
        for pattern, prefixes in options.per_file_ignores:
            if path_matches(diagnostic.path, (pattern,), options.path_root) and any(code.startswith(p) for p in prefixes):
                return False
        return True

    return [d for d in diagnostics if keep(d)]
