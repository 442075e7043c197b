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
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from msgflash_lint.paths import path_matches
from msgflash_lint.sources import read_regular

# The same patterns as the `files:` of the two hooks in .pre-commit-hooks.yaml (a test holds them equal).
# Compiled on first use (re keeps compiled patterns): only discovery in a repository needs them.
PAYLOAD_FILES = r"(\.msgflash\.json$|(^|/)msgflash/.*\.json$)"
TEMPLATE_TEXT_FILES = r"(\.msgflash\.txt$|(^|/)msgflash/templates/.*\.txt$)"
# The same files as globs (`*` crosses `/`), for the configuration's `include`: what `check` walks
# when given no path. A test holds them equal to the patterns above.
DEFAULT_INCLUDE = ("*.msgflash.json", "msgflash/*.json", "*/msgflash/*.json",
                   "*.msgflash.txt", "msgflash/templates/*.txt", "*/msgflash/templates/*.txt")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "dist", "build"})


class CrossFileSettings(NamedTuple):
    """Where counterparts live. `globs` empty means the hooks' default patterns."""

    root: Path
    globs: tuple[str, ...] = ()
    # Relative path of a text template (from the root) → its MsgFlash id.
    template_ids: dict[str, str] = {}  # never mutated: a frozen record

    def relative(self, path: str) -> str | None:
        try:
            relative = Path(os.path.relpath(os.path.abspath(path), self.root)).as_posix()
        except ValueError:
            return None
        return None if relative.startswith("../") else relative

    def is_payload_file(self, relative: str) -> bool:
        if self.globs:
            return relative.endswith(".json") and path_matches(relative, self.globs, None)
        return re.search(PAYLOAD_FILES, relative) is not None

    def is_template_text_file(self, relative: str) -> bool:
        if self.globs:
            return relative.endswith((".txt", ".tmpl")) and path_matches(relative, self.globs, None)
        return re.search(TEMPLATE_TEXT_FILES, relative) is not None

    def text_template_id(self, path: str) -> str | None:
        """The id of a text template: the `template-ids` table first, then a UUID in the name."""
        relative = self.relative(path) if self.template_ids else None
        if relative is not None and relative in self.template_ids:
            return self.template_ids[relative].lower()
        found = UUID.search(Path(path).name)
        return found.group().lower() if found else None


def text_template_name(path: str) -> str:
    """`relance` for `msgflash/templates/relance.6f1c…90.txt`: the file name without id and suffixes."""
    name = UUID.sub("", Path(path).name)
    for suffix in (".txt", ".tmpl", ".msgflash"):
        name = name.removesuffix(suffix)
    return name.strip(".-_ ") or Path(path).name


class Counterparts:
    """One walk of the project, then files read on demand, each at most once."""

    def __init__(self, settings: CrossFileSettings, in_run: set[str],
                 excluded: Callable[[str], bool] = lambda path: False) -> None:
        self.settings = settings
        self._in_run = in_run  # absolute paths already linted: never read twice
        self._excluded = excluded  # the configuration's `exclude`: not checked, so not a counterpart either
        self._files: tuple[list[str], list[str]] | None = None
        self._raw: dict[str, bytes | None] = {}
        self._parsed: dict[str, tuple[str, object] | None] = {}

    def files(self) -> tuple[list[str], list[str]]:
        """(JSON files, text templates) of the project that match the patterns and are not in the run."""
        return self._walk()

    def _walk(self) -> tuple[list[str], list[str]]:
        """(JSON files, text templates) of the project that match the patterns and are not in the run."""
        if self._files is None:
            json_files: list[str] = []
            text_templates: list[str] = []
            root = str(self.settings.root)
            # Paths are built by hand, not with relpath/abspath per file: 10,000 files must stay cheap.
            for directory, subdirs, files in os.walk(root, onerror=lambda error: None):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
                prefix = directory[len(root) + 1:].replace(os.sep, "/")
                prefix = f"{prefix}/" if prefix else ""
                for name in sorted(files):
                    if not name.endswith((".json", ".txt", ".tmpl")):
                        continue
                    path = os.path.join(directory, name)
                    if path in self._in_run:
                        continue
                    relative = prefix + name
                    if self._excluded(relative):
                        continue
                    if name.endswith(".json"):
                        if self.settings.is_payload_file(relative):
                            json_files.append(path)
                    elif self.settings.is_template_text_file(relative):
                        text_templates.append(path)
            # Files that look like templates first: a lookup by id usually stops early.
            json_files.sort(key=lambda p: not ("template" in os.path.basename(p) or "/templates/" in p))
            self._files = (json_files, text_templates)
        return self._files

    def _bytes(self, path: str) -> bytes | None:
        if path not in self._raw:
            self._raw[path] = self._read_regular(path)
        return self._raw[path]

    def _read_regular(self, path: str) -> bytes | None:
        """The bytes of a regular file inside the project, under the size limit; None for anything
        else (the file's own run reports it; here it is just not a counterpart). A named pipe is
        never waited on and a device never read: a FIFO or a link to /dev/zero committed under
        msgflash/ cannot hang or exhaust a run. A link counts only when it stays in the project."""
        if os.path.islink(path):
            target, root = os.path.realpath(path), os.path.realpath(self.settings.root)
            if os.path.commonpath([target, root]) != root:
                return None
        read = read_regular(path)
        return read[0] if read is not None else None

    def _text(self, path: str) -> str | None:
        """A file's text (without a byte order mark), or None when it cannot be read as UTF-8."""
        raw = self._bytes(path)
        try:
            return raw.decode("utf-8").removeprefix("\ufeff") if raw is not None else None
        except UnicodeDecodeError:
            return None

    def _parsed_json(self, path: str) -> tuple[str, object] | None:
        """(text, data) of a JSON file, decoded and parsed once."""
        if path not in self._parsed:
            text = self._text(path)
            self._parsed[path] = (text, _json(text)) if text is not None else None
        return self._parsed[path]

    def has_templates(self) -> bool:
        """Whether the project holds any template file at all (else unknown ids say nothing)."""
        if self._walk()[1]:
            return True
        for path in self._walk()[0]:
            raw = self._bytes(path)
            if raw is None or b"templateId" in raw or b'"id"' not in raw:
                continue
            parsed = self._parsed_json(path)
            if parsed and isinstance(parsed[1], dict) and ("body" in parsed[1] or "mediaUrl" in parsed[1]):
                return True
        return False

    def templates_with_ids(self, wanted: set[str]) -> list[tuple[str, str, str, str]]:
        """(path, id, name, body) of project templates whose id is in `wanted` (lowercase)."""
        found = []
        missing = set(wanted)
        for path in self._walk()[1]:  # text templates: the id is in the name or the table, nothing to read
            template_id = self.settings.text_template_id(path)
            if template_id in missing:
                text = self._text(path)
                if text is not None:
                    found.append((path, template_id, text_template_name(path), text))
                    missing.discard(template_id)
        for path in self._walk()[0]:
            if not missing:
                break
            raw = self._bytes(path)
            # A substring test on the bytes spares decoding and parsing files that cannot match.
            if raw is None or b"templateId" in raw or not any(w.encode() in raw.lower() for w in missing):
                continue  # a payload, or no mention of the id: nothing to decode or parse
            parsed = self._parsed_json(path)
            data = parsed[1] if parsed else None
            if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"].lower() in missing \
                    and "templateId" not in data:
                body = data.get("body") if isinstance(data.get("body"), str) else ""
                found.append((path, data["id"].lower(), str(data.get("name", data["id"])), body))
                missing.discard(data["id"].lower())
        return found

    def payloads_using(self, ids: set[str]) -> list[tuple[str, str, dict]]:
        """(path, text, payload) of project payloads whose `templateId` is in `ids` (lowercase)."""
        needles = [i.encode() for i in ids]
        found = []
        for path in self._walk()[0]:
            raw = self._bytes(path)
            if raw is None or b"templateId" not in raw:
                continue
            lowered = raw.lower()
            if not any(needle in lowered for needle in needles):
                continue
            parsed = self._parsed_json(path)
            if parsed is None:
                continue
            text, data = parsed
            if isinstance(data, dict) and isinstance(data.get("templateId"), str) and data["templateId"].lower() in ids:
                found.append((path, text, data))
        return found


def _json(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
