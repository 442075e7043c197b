"""The editor's workspace as the linter sees it: which files it serves, their text (the editor's
buffer when open, the disk otherwise) and the cross-file facts between them.

The project is walked once, when the server starts (the files the hooks' patterns or the
configuration's `cross-file` globs name, as `check` finds counterparts); after that, a change
re-checks the changed document and, when it is a template whose placeholders changed, the
payloads that use it. Nothing here speaks LSP: the server turns these results into messages.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from msgflash_lint.diagnostics import Diagnostic
from msgflash_lint.linter import LintOptions, TextFacts, lint_in_workspace, workspace_facts


class Checked(NamedTuple):
    """One document's findings (with their fixes) and the text they were computed on."""

    path: str
    text: str
    diagnostics: list[Diagnostic]


class Workspace:
    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.config_warnings: tuple[str, ...] = ()
        self.config_problem: str | None = None
        self.options = self._options()
        self._buffers: dict[str, str] = {}  # open documents: path → the editor's text
        self._facts: dict[str, TextFacts] = {}  # every file that takes part in cross-file checks
        self._claimed: set[str] = set()  # JSON outside the patterns that held payload fields when last parsed
        self._indexed = False

    def _options(self) -> LintOptions:
        """The configuration `check` would use in the workspace's folder (a bad one: the defaults, and why)."""
        from msgflash_lint.config import ConfigError, apply_config, find_config, load_config
        from msgflash_lint.counterparts import CrossFileSettings

        options = LintOptions()
        anchor = [str(self.root)] if self.root is not None else []
        try:
            found = find_config(anchor)
            self.config_warnings = tuple(found.warnings)
            if found.path is not None:
                options = apply_config(load_config(found.path), options)
        except ConfigError as error:
            self.config_problem = str(error)
        if options.cross_file is None and self.root is not None:
            options = options._replace(cross_file=CrossFileSettings(self.root), path_root=self.root)
        return options

    # What is served.

    def serves(self, path: str) -> bool:
        """Whether the linter checks this file: the configuration's `include` (default: the hooks'
        patterns) or `kinds`, or — for other JSON — payload fields in its content (decided when checked)."""
        from msgflash_lint.paths import path_matches

        options = self.options
        if options.excluded(self._relative(path)):
            return False
        if path_matches(path, options.include, options.path_root) or \
                any(path_matches(path, (pattern,), options.path_root) for pattern, _ in options.kind_patterns
                    if pattern not in _DEFAULT_KIND_GLOBS):
            return True
        return path.endswith(".json")

    def _named(self, path: str) -> bool:
        """Named by the configuration (not only JSON that may turn out to be a payload)."""
        from msgflash_lint.paths import path_matches

        return path_matches(path, self.options.include, self.options.path_root) or not path.endswith(".json")

    def _relative(self, path: str) -> str:
        if self.root is None:
            return path
        try:
            relative = os.path.relpath(path, self.root)
        except ValueError:
            return path
        return path if relative.startswith("..") else Path(relative).as_posix()

    # The index.

    def _index(self) -> None:
        """Read the facts of every project file that can take part in cross-file checks (once)."""
        if self._indexed:
            return
        self._indexed = True
        settings = self.options.cross_file
        if settings is None:
            return
        from msgflash_lint.counterparts import Counterparts

        finder = Counterparts(settings, set(self._buffers), self.options.excluded)
        json_files, text_templates = finder.files()
        for path in (*json_files, *text_templates):
            text = _read(path)
            if text is not None:
                self._facts[path] = workspace_facts(text, path, self.options)

    def templates(self) -> dict:
        """id (lowercase) → TemplateFacts of every template the workspace holds, open buffers first."""
        self._index()
        found: dict = {}
        for path in sorted(self._facts, key=lambda p: p not in self._buffers):
            template = self._facts[path].template
            if template is not None:
                found.setdefault(template.id.lower(), template)
        return found

    def users_of(self, template_ids: set[str]) -> list[str]:
        """The workspace's payloads that name one of these templates."""
        self._index()
        return sorted(path for path, facts in self._facts.items() if facts.uses in template_ids)

    def custom_keys(self, template_id: str) -> list[str]:
        """The `variables` keys the workspace's payloads give this template, for `custom.` completion."""
        from msgflash_lint.api import parse_body

        keys: dict[str, None] = {}
        for path in self.users_of({template_id.lower()}):
            text = self._buffers.get(path) or _read(path)
            try:
                data = parse_body(text or "")
            except ValueError:
                continue
            variables = data.get("variables") if isinstance(data, dict) else None
            if isinstance(variables, dict):
                keys.update(dict.fromkeys(str(key) for key in variables))
        return list(keys)

    def template_id_of(self, path: str) -> str | None:
        """The id of the template this document is (a text template's name or table, a template's `id`)."""
        self._index()
        facts = self._facts.get(path)
        return facts.template.id.lower() if facts is not None and facts.template is not None else None

    def text_of(self, path: str) -> str | None:
        return self._buffers.get(path) if path in self._buffers else _read(path)

    # Changes.

    def open(self, path: str, text: str) -> list[Checked]:
        self._buffers[path] = text
        return self.changed(path, text)

    def changed(self, path: str, text: str) -> list[Checked]:
        """Check the document; then every payload whose template's placeholders it changed. Each
        entry is one file to publish (the document first, published even when it is not served: empty)."""
        self._index()
        self._buffers[path] = text
        before = self._facts.get(path)
        checked = self.check(path, text)
        after = self._facts.get(path)
        results = [checked]
        changed_ids = _template_changes(before, after)
        for user in self.users_of(changed_ids):
            if user != path:
                user_text = self.text_of(user)
                if user_text is not None:
                    results.append(self.check(user, user_text))
        return results

    def closed(self, path: str) -> list[Checked]:
        """The buffer is gone: the file's facts come from the disk again; its findings are cleared."""
        self._buffers.pop(path, None)
        text = _read(path)
        before = self._facts.get(path)
        if text is not None and before is not None:
            self._facts[path] = workspace_facts(text, path, self.options)
        results = [Checked(path, text or "", [])]
        for user in self.users_of(_template_changes(before, self._facts.get(path))):
            if user != path and user in self._buffers:
                results.append(self.check(user, self._buffers[user]))
        return results

    def check(self, path: str, text: str, record: bool = True) -> Checked:
        """The document's findings against the workspace's templates; its facts recorded unless
        `record` is false (a text the fix loop tries, which the editor does not hold)."""
        if not self.serves(path):
            return Checked(path, text, [])
        by_content = not self._named(path) and path not in self._claimed
        templates = self.templates()
        outcome = lint_in_workspace(text, path, self.options, templates, by_content=by_content)
        if outcome is None:  # JSON with no payload field: not ours
            if record:
                self._claimed.discard(path)
            return Checked(path, text, [])
        diagnostics, facts = outcome
        if record:
            if by_content:
                self._claimed.add(path)  # half-typed later, it stays ours
            if facts.template is not None or facts.uses is not None or path in self._facts:
                self._facts[path] = facts
        return Checked(path, text, diagnostics)


# kinds' built-in globs (send.json and the like) decide a kind, not whether a file is ours.
def _default_kind_globs() -> frozenset[str]:
    from msgflash_lint.documents import DEFAULT_KIND_PATTERNS

    return frozenset(pattern for pattern, _ in DEFAULT_KIND_PATTERNS)


_DEFAULT_KIND_GLOBS = _default_kind_globs()


def _template_changes(before: TextFacts | None, after: TextFacts | None) -> set[str]:
    """Template ids whose name or placeholders differ between two facts of one file."""
    old = before.template if before is not None else None
    new = after.template if after is not None else None
    if old == new:
        return set()
    return {template.id.lower() for template in (old, new) if template is not None}


def _read(path: str) -> str | None:
    from msgflash_lint.sources import read_regular

    read = read_regular(path)
    if read is None:
        return None
    try:
        return read[0].decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
