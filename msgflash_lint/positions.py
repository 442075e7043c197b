"""Offsets → 1-based line:column, and JSON pointers (plus offsets inside strings) → offsets.

Columns count Unicode code points, which is what Python string indices are.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from enum import Enum
from typing import NamedTuple

from msgflash_lint.diagnostics import Span


class LineIndex:
    """Maps offsets in one text to (line, column)."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        self._starts = [0]
        self._starts.extend(match.end() for match in re.finditer("\n", text))

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return Span(line, column, end_line, end_column)


class Node(NamedTuple):
    """Where one JSON value sits in the file: [start, end), and its member key if any."""

    start: int
    end: int
    key_start: int = -1
    key_end: int = -1


# Compiled on first use (re keeps compiled patterns): a run whose files have no findings never
# builds a source map, and a hook's cold start does not pay for these.
_TOKEN = r'[ \t\r\n]*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<punct>[{}\[\]:,])|(?P<scalar>[^\s{}\[\]:,"]+))'


def json_source_map(text: str) -> dict[str, Node]:
    """JSON pointer → Node for every value of a document that `json.loads` accepted.

    Iterative, so documents nested as deep as the json module allows never recurse here.
    """
    nodes: dict[str, Node] = {}
    stack: list[_Frame] = []
    for match in re.compile(_TOKEN, re.S).finditer(text):
        kind = match.lastgroup
        start, end = match.start(kind), match.end(kind)
        token = match.group(kind)
        top = stack[-1] if stack else None
        if kind == "punct":
            if token == ",":
                if top.is_object:
                    top.expecting_key = True
                else:
                    top.index += 1
            elif token in "}]":
                stack.pop()
                nodes[top.pointer] = Node(top.start, end, *top.own_key)
            elif token in "{[":
                pointer, key = _value_place(top)
                stack.append(_Frame(pointer, start, token == "{", key))
            continue  # ":" needs nothing
        if top is not None and top.is_object and top.expecting_key:
            top.key = _escape_pointer(json.loads(token))
            top.key_span = (start, end)
            top.expecting_key = False
            continue
        pointer, key = _value_place(top)
        nodes[pointer] = Node(start, end, *key)
    return nodes


class _Frame:
    __slots__ = ("pointer", "start", "is_object", "own_key", "index", "expecting_key", "key", "key_span")

    def __init__(self, pointer: str, start: int, is_object: bool, own_key: tuple[int, int]) -> None:
        self.pointer = pointer
        self.start = start
        self.is_object = is_object
        self.own_key = own_key
        self.index = 0
        self.expecting_key = is_object
        self.key = ""
        self.key_span = (-1, -1)


def _value_place(parent: _Frame | None) -> tuple[str, tuple[int, int]]:
    """The pointer of the value about to start, and the span of its member key."""
    if parent is None:
        return "", (-1, -1)
    if parent.is_object:
        return f"{parent.pointer}/{parent.key}", parent.key_span
    return f"{parent.pointer}/{parent.index}", (-1, -1)


class Target(str, Enum):
    """Which part of a JSON node a finding points at."""

    VALUE = "value"  # the value itself
    KEY = "key"  # the member's name (an unknown or misspelt field)
    OBJECT = "object"  # the opening bracket of the object (a field it lacks)


def node_offsets(node: Node, target: Target = Target.VALUE) -> tuple[int, int]:
    """[start, end) of a value (`value`), its member key (`key`), or its first character (`object`)."""
    if target is Target.KEY and node.key_start >= 0:
        return node.key_start, node.key_end
    if target is Target.OBJECT:
        return node.start, node.start + 1
    return node.start, node.end


def scalar_token_offsets(text: str):
    """(offset, token) of every number or literal outside strings, in order."""
    for match in re.compile(_TOKEN, re.S).finditer(text):
        if match.lastgroup == "scalar":
            yield match.start("scalar"), match.group("scalar")


def _escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def pointer_of(parts) -> str:
    return "".join(f"/{_escape_pointer(str(part))}" for part in parts)


_ESCAPE = r'\\(?:u([0-9a-fA-F]{4})|.)'  # compiled on first use, as _TOKEN


def string_offsets(text: str, node: Node):
    """For a JSON string token, file offset of each decoded code point (plus one past the end).

    `\\n`, `\\"`, `\\u00e9` and surrogate pairs such as `\\ud83d\\ude00` each stand for one
    decoded code point, so a placeholder found in the decoded string maps back exactly.
    Runs between escapes are added whole: a megabyte-long string is not walked by hand.
    """
    first, last = node.start + 1, node.end - 1  # inside the quotes
    if text.find("\\", first, last) == -1:
        return range(first, last + 1)
    offsets: list[int] = []
    index = first
    high_end = -1  # where the last high-surrogate escape ended
    for match in re.compile(_ESCAPE, re.S).finditer(text, first, last):
        begin = match.start()
        offsets.extend(range(index, begin))
        code = match.group(1)
        point = int(code, 16) if code else -1
        if not (begin == high_end and 0xDC00 <= point < 0xE000):  # a pair's low half adds no code point
            offsets.append(begin)
        high_end = match.end() if 0xD800 <= point < 0xDC00 else -1
        index = match.end()
    offsets.extend(range(index, last))
    offsets.append(last)
    return offsets
