"""The project a run belongs to: where baselines are relative to and counterpart files are found."""

from __future__ import annotations

import os
from pathlib import Path


def project_root(paths: list[str], config_path: Path | None = None) -> Path:
    """The configuration file's folder; else the nearest folder above the files holding `.git`; else cwd."""
    if config_path is not None:
        return Path(os.path.abspath(config_path)).parent
    anchors = [os.path.abspath(p) for p in paths if p != "-"] or [os.getcwd()]
    start = Path(os.path.commonpath(anchors))
    for candidate in (start, *start.parents):
        try:
            if os.path.exists(candidate / ".git"):
                return candidate
        except OSError:
            continue
    return Path.cwd()


def relative_to_root(path: str, root: Path) -> str:
    """`path` as seen from `root`, in POSIX form: the same file gives the same key from any folder."""
    if path.startswith("<"):  # <stdin>, <text>
        return path
    try:
        return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:  # another drive, on Windows
        return Path(path).as_posix()
