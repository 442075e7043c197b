"""Positions between the linter and an editor.

The linter counts 1-based lines split at `\\n` and 1-based columns in code points. LSP counts
0-based lines split at `\\n`, `\\r\\n` or a lone `\\r`, and columns in the code units of the
encoding the client and server agreed on: UTF-16 unless the client offers another (an emoji
is one code point, two UTF-16 units, four UTF-8 bytes). Both sides are turned into offsets in
the text first, so the two line rules never meet.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_LSP_BREAK = re.compile(r"\r\n|\r|\n")


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class DocumentPositions:
    """Offsets of one text ↔ linter (line, column) ↔ LSP (line, character)."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self._linter_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self._lsp_starts = [0, *(match.end() for match in _LSP_BREAK.finditer(text))]

    def offset_of_linter(self, line: int, column: int) -> int:
        """The offset of a linter position (clamped to the text)."""
        line = min(max(line, 1), len(self._linter_starts))
        return min(self._linter_starts[line - 1] + max(column, 1) - 1, len(self.text))

    def lsp_of_offset(self, offset: int) -> tuple[int, int]:
        """(line, character) in LSP terms of an offset."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self._lsp_starts, offset) - 1
        start = self._lsp_starts[line]
        if offset > start and self.text[offset - 1] == "\r" and self.text[offset:offset + 1] == "\n":
            offset -= 1  # between \r and \n: the end of the line, as LSP has no position inside a break
        return line, _units(self.text[start:offset], self.encoding)

    def offset_of_lsp(self, line: int, character: int) -> int:
        """The offset of an LSP position: a character past the line's end means its end (as the spec says)."""
        if line >= len(self._lsp_starts):
            return len(self.text)
        start = self._lsp_starts[max(line, 0)]
        end = self._lsp_starts[line + 1] if line + 1 < len(self._lsp_starts) else len(self.text)
        content = _LSP_BREAK.sub("", self.text[start:end])
        counted = 0
        for index, char in enumerate(content):
            if counted >= character:
                return start + index
            counted += _units(char, self.encoding)
        return start + len(content)

    def lsp_of_linter(self, line: int, column: int) -> tuple[int, int]:
        return self.lsp_of_offset(self.offset_of_linter(line, column))
