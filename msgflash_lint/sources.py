"""Paths and stdin → decoded text, or a finding saying why a file cannot be checked.

The only module that reads files. Every failure becomes a `SourceProblem`, so one bad
file never stops the others from being checked.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from msgflash_lint.diagnostics import Span, printable_path
from msgflash_lint.positions import LineIndex
from msgflash_lint.registry import (
    BINARY_FILE,
    EMPTY_FILE,
    FILE_TOO_LARGE,
    INVALID_ENCODING,
    NOTHING_TO_CHECK,
    UNREADABLE_PATH,
    Rule,
)

MAX_BYTES = 2 * 1024 * 1024
STDIN_PATH = "<stdin>"
# What a directory walk picks up; other files are only checked when named.
WALKED_SUFFIXES = (".json", ".txt", ".tmpl")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
_START = Span(1, 1, 1, 1)


class Source(NamedTuple):
    path: str
    text: str
    # Found by walking a directory rather than named: unrelated JSON there is skipped, not flagged.
    walked: bool = False


class SourceProblem(NamedTuple):
    path: str
    rule: Rule
    message: str
    span: Span = _START


class FileToRead(NamedTuple):
    """A file found, not yet read: reading can then happen in another process (--jobs)."""

    shown: str
    path: str  # a string, not a Path: a 100,000-file run keeps one per file
    walked: bool = False

    def read(self) -> Source | SourceProblem:
        return _read(self.shown, self.path, walked=self.walked)


def iter_sources(
    paths: list[str],
    stdin: BinaryIO | None = None,
    excluded: Callable[[str], bool] = lambda path: False,
) -> Iterator[Source | SourceProblem]:
    """Sources in the order given; directories are walked in sorted order."""
    for entry in iter_entries(paths, stdin, excluded):
        yield entry.read() if isinstance(entry, FileToRead) else entry


def iter_entries(
    paths: list[str],
    stdin: BinaryIO | None = None,
    excluded: Callable[[str], bool] = lambda path: False,
    nothing_found: str | None = None,
) -> Iterator[Source | SourceProblem | FileToRead]:
    """What `iter_sources` yields, with files left unread; `nothing_found` says why a directory
    gave no file (default: none of the walked suffixes)."""
    for raw in paths:
        if raw == "-":
            yield _decode(STDIN_PATH, (stdin.read(MAX_BYTES + 1) if stdin else b""), None)
            continue
        path = Path(raw)
        shown = _shown(path)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_dir = False  # _read names the reason
        if is_dir:
            found = False
            for file in _walk(path):
                if isinstance(file, SourceProblem):
                    found = True
                    yield file
                    continue
                shown = _shown_walked(file)
                if excluded(shown):
                    continue
                found = True
                yield FileToRead(shown, file, walked=True)
            if not found:
                yield SourceProblem(_shown(path), NOTHING_TO_CHECK, nothing_found or
                                    f"no {', '.join(WALKED_SUFFIXES)} file to check in this directory")
        elif not excluded(shown):
            yield FileToRead(shown, raw)


def _shown(path: Path) -> str:
    return printable_path(path.as_posix())


def _shown_walked(path: str) -> str:
    """As `_shown`, for a path the walk joined itself: on POSIX usually the same string object
    (a 100,000-file run keeps one string per file, not two, and builds no Path for it)."""
    return printable_path(path if os.sep == "/" else path.replace(os.sep, "/"))


def _walk(root: Path) -> Iterator[str | SourceProblem]:
    problems: list[SourceProblem] = []

    def unlistable(error: OSError) -> None:
        # os.walk would skip the folder silently: a hook must say what it did not check.
        where = _shown(Path(error.filename)) if error.filename else _shown(root)
        problems.append(SourceProblem(where, UNREADABLE_PATH,
                                      f"cannot list the directory: {error.strerror or error}"))

    top = os.fspath(root)  # normalised by Path: only "." keeps a prefix, which Path would drop
    cut = len(os.curdir + os.sep) if top == os.curdir else 0
    for directory, subdirs, files in os.walk(top, onerror=unlistable):
        yield from problems
        problems.clear()
        subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(WALKED_SUFFIXES) and not name.startswith("."):
                yield os.path.join(directory, name)[cut:]
    yield from problems


_SPECIAL_FILES = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                  (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _read(shown: str, path: str | Path, walked: bool = False) -> Source | SourceProblem:
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return SourceProblem(shown, UNREADABLE_PATH, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            # Never opened: reading a pipe or a device could block the hook forever.
            what = next((name for test, name in _SPECIAL_FILES if test(info.st_mode)), "a special file")
            return SourceProblem(shown, UNREADABLE_PATH, f"not a regular file ({what}); only files are checked")
        if info.st_size > MAX_BYTES:
            return _too_large(shown, info.st_size)
        data = _read_bounded(path, info.st_size)
    except FileNotFoundError:
        return SourceProblem(shown, UNREADABLE_PATH, "no such file or directory")
    except PermissionError:
        return SourceProblem(shown, UNREADABLE_PATH, "cannot read the file: permission denied")
    except OSError as error:
        return SourceProblem(shown, UNREADABLE_PATH, f"cannot read the file: {error.strerror or error}")
    return _decode(shown, data, info.st_size, walked)


def _read_bounded(path: str | Path, size: int) -> bytes:
    """The bytes of a file `os.stat` called regular, at most MAX_BYTES + 1 (one more tells it grew)."""
    # Non-blocking, so that a file swapped for a pipe since the stat cannot hang the run.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        # Read at the file's size (plus one byte, to notice a file that grew), not into a 2 MiB buffer.
        data = os.read(descriptor, size + 1)
        while len(data) <= MAX_BYTES and (chunk := os.read(descriptor, MAX_BYTES + 1 - len(data))):
            data += chunk
    finally:
        os.close(descriptor)
    return data


def read_regular(path: str | Path) -> tuple[bytes, os.stat_result] | None:
    """A regular file's bytes and how it stood when read, or None for anything a report does not
    need to explain here (a pipe, a device, a folder, over MAX_BYTES, gone, unreadable): the one
    way other stages (cross-file discovery, excerpts, the fix loop) read a file, never blocking."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        data = _read_bounded(path, info.st_size)
    except (OSError, ValueError):  # ValueError: a name holding a NUL byte
        return None
    return (data, info) if len(data) <= MAX_BYTES else None


def _too_large(shown: str, size: int | None) -> SourceProblem:
    shown_size = f"{size / 1024 / 1024:.1f} MiB" if size else f"more than {MAX_BYTES // 1024 // 1024} MiB"
    return SourceProblem(shown, FILE_TOO_LARGE,
                         f"the file is {shown_size}; the linter reads files up to "
                         f"{MAX_BYTES // 1024 // 1024} MiB")


def _decode(shown: str, data: bytes, size: int | None, walked: bool = False) -> Source | SourceProblem:
    if len(data) > MAX_BYTES:
        return _too_large(shown, size)
    if b"\x00" in data:
        return SourceProblem(shown, BINARY_FILE,
                             "the file holds NUL bytes: binary data, or UTF-16 text (save it as UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8")
        line, column = LineIndex(before).position(len(before))
        return SourceProblem(shown, INVALID_ENCODING,
                             f"the file is not valid UTF-8: byte 0x{data[error.start]:02x} cannot be decoded",
                             Span(line, column, line, column + 1))
    if text.startswith("\ufeff"):
        text = text[1:]  # a UTF-8 byte order mark: invisible in editors, so not counted as a column
    return source_from_text(shown, text, walked)


def source_from_text(shown: str, text: str, walked: bool = False) -> Source | SourceProblem:
    """Already decoded text (an editor buffer, a request body) → Source, unless it is empty."""
    if not text.strip():
        return SourceProblem(shown, EMPTY_FILE, "the file is empty" if not text else "the file holds only whitespace")
    return Source(shown, text, walked)
