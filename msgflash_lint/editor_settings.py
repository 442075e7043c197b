"""`msgflash-lint associate-schemas`: tell VS Code's built-in JSON support which payload files
the installed schemas describe (`json.schemas` in `.vscode/settings.json`).

The file is the user's: every other setting stays as it was, our own entries (those whose `url`
names one of our schema files) are replaced, and a file we cannot read back exactly (comments,
trailing commas: VS Code allows them, JSON does not) is refused rather than rewritten without
them. The write is atomic.
"""

from __future__ import annotations

import json
from pathlib import Path

from msgflash_lint.contract import schema_dir
from msgflash_lint.kinds import PAYLOAD_KINDS


class SettingsProblem(Exception):
    """The settings file cannot be updated safely: the message says why (exit 2)."""


def schema_associations(kind_patterns: tuple[tuple[str, str], ...]) -> list[dict]:
    """One `json.schemas` entry per payload kind: the name patterns of that kind, the schema file's URI."""
    entries = []
    for kind in PAYLOAD_KINDS:
        patterns = [pattern if "/" in pattern else f"**/{pattern}" for pattern, named in kind_patterns
                    if named == kind]
        if patterns:
            entries.append({"fileMatch": list(dict.fromkeys(patterns)),
                            "url": (schema_dir() / f"{kind}.schema.json").resolve().as_uri()})
    return entries


def updated_settings(text: str | None, entries: list[dict], where: str) -> str:
    """The settings text with our entries in `json.schemas` (the others kept, in order)."""
    settings: dict = {}
    if text is not None and text.strip():
        try:
            settings = json.loads(text)
        except ValueError as error:
            raise SettingsProblem(f"{where} is not plain JSON ({error}); comments and trailing commas would be "
                                  "lost: add the entries by hand (msgflash-lint associate-schemas --print)") from None
        if not isinstance(settings, dict):
            raise SettingsProblem(f"{where} must hold a JSON object")
    existing = settings.get("json.schemas", [])
    if not isinstance(existing, list):
        raise SettingsProblem(f"{where}: `json.schemas` must be a list")
    ours = {entry["url"] for entry in entries}
    folder = schema_dir().resolve().as_uri()
    kept = [entry for entry in existing if not (isinstance(entry, dict) and (
        entry.get("url") in ours or str(entry.get("url", "")).startswith(folder + "/")))]
    settings["json.schemas"] = [*kept, *entries]
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def write_settings(folder: Path, entries: list[dict]) -> Path:
    """Merge the entries into `folder/.vscode/settings.json`, atomically; the file written."""
    from msgflash_lint.workflow import replace_file

    target = folder / ".vscode" / "settings.json"
    try:
        text = target.read_text(encoding="utf-8") if target.exists() else None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsProblem(f"cannot read {target}: {getattr(error, 'strerror', None) or error}") from None
    new_text = updated_settings(text, entries, str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(str(target), new_text)
    except OSError as error:
        raise SettingsProblem(f"cannot write {target}: {error.strerror or error}") from None
    return target
