"""The project a run belongs to: where baselines are relative to and counterpart files are found."""

from __future__ import annotations

import os
from pathlib import Path


def repository_root(paths: list[str], config_path: Path | None = None) -> Path | None:
    """The configuration file's folder; else the nearest folder above the files holding `.git`; else None."""
    if config_path is not None:
        return Path(os.path.abspath(config_path)).parent
    anchors = [os.path.abspath(p) for p in paths if p != "-"] or [os.getcwd()]
    start = Path(os.path.commonpath(anchors))
    for candidate in (start, *start.parents):
        if os.path.exists(candidate / ".git"):  # exists() never raises: an unreadable folder is just "no"
            return candidate
    return None


def project_root(paths: list[str], config_path: Path | None = None) -> Path:
    """The repository root, or the working directory outside any repository."""
    return repository_root(paths, config_path) or Path.cwd()


def relative_to_root(path: str, root: Path) -> str:
    """`path` as seen from `root`, in POSIX form: the same file gives the same key from any folder."""
    if path.startswith("<"):  # <stdin>, <text>
        return path
    try:
        return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:  # another drive, on Windows
        return Path(path).as_posix()
