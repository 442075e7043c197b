"""Glob matching of checked paths, shared by kinds, excludes and per-file ignores."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path


def path_matches(path: str, patterns, root: Path | None = None) -> bool:
    """True when `path` — its name, itself as given, or relative to `root` — matches a glob.

    `*` crosses `/`, and a pattern naming a folder (`legacy`, `legacy/`) matches what it holds.
    """
    candidates = {path, path.rsplit("/", 1)[-1]}
    if root is not None and path != "<stdin>":
        try:
            candidates.add(Path(os.path.relpath(os.path.abspath(path), root)).as_posix())
        except ValueError:  # another drive, on Windows
            pass
    for pattern in patterns:
        folder = pattern.rstrip("/") + "/*"
        if any(fnmatch.fnmatchcase(c, pattern) or fnmatch.fnmatchcase(c, folder) for c in candidates):
            return True
    return False
