"""The other side of a cross-file check, found in the repository when the run does not hold it.

pre-commit hands a hook only the staged files, so a payload committed alone never meets its
template, and a template committed alone never meets the payloads that use it. Templates and
payloads are found here, in the project the run belongs to, by the hooks' default `files:`
patterns (or the configuration's `cross-file` globs); each file is read and parsed at most
once per run, and only when the run needs it.

A template's id: the `id` of a JSON template file; for a text template, the configuration's
`template-ids` table, else a UUID in its file name (`relance.6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90.txt`).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from msgflash_lint.paths import path_matches

# The same patterns as the `files:` of the two hooks in .pre-commit-hooks.yaml (a test holds them equal).
PAYLOAD_FILES = re.compile(r"(\.msgflash\.json$|(^|/)msgflash/.*\.json$)")
TEMPLATE_TEXT_FILES = re.compile(r"(\.msgflash\.txt$|(^|/)msgflash/templates/.*\.txt$)")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "dist", "build"})
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class CrossFileSettings:
    """Where counterparts live. `globs` empty means the hooks' default patterns."""

    root: Path
    globs: tuple[str, ...] = ()
    # Relative path of a text template (from the root) → its MsgFlash id.
    template_ids: dict[str, str] = field(default_factory=dict)

    def relative(self, path: str) -> str | None:
        try:
            relative = Path(os.path.relpath(os.path.abspath(path), self.root)).as_posix()
        except ValueError:
            return None
        return None if relative.startswith("../") else relative

    def is_payload_file(self, relative: str) -> bool:
        if self.globs:
            return relative.endswith(".json") and path_matches(relative, self.globs, None)
        return PAYLOAD_FILES.search(relative) is not None

    def is_template_text_file(self, relative: str) -> bool:
        if self.globs:
            return relative.endswith((".txt", ".tmpl")) and path_matches(relative, self.globs, None)
        return TEMPLATE_TEXT_FILES.search(relative) is not None

    def text_template_id(self, path: str) -> str | None:
        """The id of a text template: the `template-ids` table first, then a UUID in the name."""
        relative = self.relative(path)
        if relative is not None and relative in self.template_ids:
            return self.template_ids[relative].lower()
        found = _UUID.search(Path(path).name)
        return found.group().lower() if found else None


def text_template_name(path: str) -> str:
    """`relance` for `msgflash/templates/relance.6f1c…90.txt`: the file name without id and suffixes."""
    name = _UUID.sub("", Path(path).name)
    for suffix in (".txt", ".tmpl", ".msgflash"):
        name = name.removesuffix(suffix)
    return name.strip(".-_ ") or Path(path).name


class Counterparts:
    """One walk of the project, then files read on demand, each at most once."""

    def __init__(self, settings: CrossFileSettings, in_run: set[str]) -> None:
        self.settings = settings
        self._in_run = in_run  # absolute paths already linted: never read twice
        self._files: tuple[list[str], list[str]] | None = None
        self._texts: dict[str, str | None] = {}
        self._parsed: dict[str, tuple[str | None, object]] = {}

    def _walk(self) -> tuple[list[str], list[str]]:
        """(JSON files, text templates) of the project that match the patterns and are not in the run."""
        if self._files is None:
            json_files: list[str] = []
            text_templates: list[str] = []
            root = self.settings.root
            for directory, subdirs, files in os.walk(root, onerror=lambda error: None):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
                for name in sorted(files):
                    if not name.endswith((".json", ".txt", ".tmpl")):
                        continue
                    path = os.path.join(directory, name)
                    if os.path.abspath(path) in self._in_run:
                        continue
                    relative = Path(os.path.relpath(path, root)).as_posix()
                    if name.endswith(".json") and self.settings.is_payload_file(relative):
                        json_files.append(path)
                    elif not name.endswith(".json") and self.settings.is_template_text_file(relative):
                        text_templates.append(path)
            self._files = (json_files, text_templates)
        return self._files

    def _text(self, path: str) -> str | None:
        if path not in self._texts:
            try:
                if not os.path.isfile(path) or os.path.getsize(path) > MAX_BYTES:
                    self._texts[path] = None
                else:
                    with open(path, encoding="utf-8") as handle:
                        self._texts[path] = handle.read()
            except (OSError, UnicodeDecodeError):
                self._texts[path] = None  # the file's own run reports it; here it is just not a counterpart
        return self._texts[path]

    def _json_files(self):
        """(path, text, data) of each candidate JSON file, parsed once."""
        for path in self._walk()[0]:
            if path not in self._parsed:
                text = self._text(path)
                self._parsed[path] = (text, _json(text) if text is not None else None)
            text, data = self._parsed[path]
            if isinstance(data, dict):
                yield path, text, data

    def has_templates(self) -> bool:
        """Whether the project holds any template file at all (else unknown ids say nothing)."""
        if self._walk()[1]:
            return True
        return any(isinstance(d.get("id"), str) and "templateId" not in d and ("body" in d or "mediaUrl" in d)
                   for _, _, d in self._json_files())

    def templates_with_ids(self, wanted: set[str]) -> list[tuple[str, str, str, str]]:
        """(path, id, name, body) of project templates whose id is in `wanted` (lowercase)."""
        found = []
        for path in self._walk()[0]:
            text = self._text(path)
            if text is None or not any(w in text.lower() for w in wanted):
                continue  # a substring test spares parsing files that cannot match
            data = self._parsed.get(path, (None, None))[1] if path in self._parsed else _json(text)
            self._parsed[path] = (text, data)
            if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"].lower() in wanted \
                    and "templateId" not in data:
                body = data.get("body") if isinstance(data.get("body"), str) else ""
                found.append((path, data["id"].lower(), str(data.get("name", data["id"])), body))
        for path in self._walk()[1]:
            template_id = self.settings.text_template_id(path)
            if template_id in wanted:
                text = self._text(path)
                if text is not None:
                    found.append((path, template_id, text_template_name(path), text))
        return found

    def payloads_using(self, ids: set[str]) -> list[tuple[str, str, dict]]:
        """(path, text, payload) of project payloads whose `templateId` is in `ids` (lowercase)."""
        found = []
        for path in self._walk()[0]:
            text = self._text(path)
            if text is None or "templateId" not in text or not any(i in text.lower() for i in ids):
                continue
            data = self._parsed[path][1] if path in self._parsed else _json(text)
            self._parsed[path] = (text, data)
            if isinstance(data, dict) and isinstance(data.get("templateId"), str) and data["templateId"].lower() in ids:
                found.append((path, text, data))
        return found


def _json(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
