"""Linter positions (1-based lines at `\\n`, code-point columns) ↔ LSP positions (0-based lines at
`\\n`, `\\r\\n` or `\\r`; UTF-16, UTF-8 or UTF-32 code units), emoji and lone carriage returns included."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msgflash_lint.language_server.positions import DocumentPositions

TEXTS = st.lists(st.sampled_from(["a", "é", "👋", "🏽", "\n", "\r", "\r\n", "{", "\u2028", "\t"]), max_size=40).map("".join)
UNITS = {"utf-16": lambda s: len(s.encode("utf-16-le")) // 2, "utf-8": lambda s: len(s.encode()), "utf-32": len}


def _lsp_by_hand(text: str, offset: int, encoding: str) -> tuple[int, int]:
    import re

    before = text[:offset]
    if before.endswith("\r") and text[offset:offset + 1] == "\n":
        before = before[:-1]
    lines = re.split(r"\r\n|\r|\n", before)
    return len(lines) - 1, UNITS[encoding](lines[-1])


@pytest.mark.parametrize("encoding", sorted(UNITS))
@given(text=TEXTS, data=st.data())
def test_an_offset_maps_to_the_lsp_position_a_client_counts(encoding: str, text: str, data) -> None:
    offset = data.draw(st.integers(0, len(text)))
    positions = DocumentPositions(text, encoding)
    assert positions.lsp_of_offset(offset) == _lsp_by_hand(text, offset, encoding)
    if not (text[offset - 1:offset] == "\r" and text[offset:offset + 1] == "\n"):
        assert positions.offset_of_lsp(*positions.lsp_of_offset(offset)) == offset


@given(text=TEXTS, data=st.data())
def test_linter_positions_map_to_their_offsets(text: str, data) -> None:
    offset = data.draw(st.integers(0, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    assert DocumentPositions(text).offset_of_linter(line, column) == offset


def test_a_character_past_the_line_end_means_the_line_end() -> None:
    positions = DocumentPositions("ab\r\ncd")
    assert positions.offset_of_lsp(0, 99) == 2 and positions.offset_of_lsp(5, 0) == 6
    assert positions.lsp_of_linter(1, 2) == (0, 1) and positions.lsp_of_linter(2, 1) == (1, 0)
    assert DocumentPositions("👋x").lsp_of_linter(1, 2) == (0, 2)
