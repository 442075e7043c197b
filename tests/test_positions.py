"""JSON pointers and string offsets map back to the exact characters of the file."""

import json

from hypothesis import given
from hypothesis import strategies as st

from msgflash_lint.positions import LineIndex, json_source_map, pointer_of, string_offsets

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


def _walk(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, (*path, index))


@given(_JSON, st.booleans(), st.booleans())
def test_every_pointer_spans_its_value(document, indent, ascii_only) -> None:
    text = json.dumps(document, indent=2 if indent else None, ensure_ascii=ascii_only)
    nodes = json_source_map(text)
    for path, value in _walk(json.loads(text)):
        node = nodes[pointer_of(path)]
        assert json.loads(text[node.start:node.end]) == value


@given(st.text(max_size=40), st.booleans())
def test_string_offsets_point_at_each_code_point(value, ascii_only) -> None:
    text = json.dumps({"body": value}, ensure_ascii=ascii_only)
    node = json_source_map(text)["/body"]
    offsets = string_offsets(text, node)
    assert len(offsets) == len(value) + 1
    for index, char in enumerate(value):
        raw = text[offsets[index]:offsets[index + 1]]
        assert json.loads(f'"{raw}"') == char


def test_line_index_counts_code_points() -> None:
    index = LineIndex("😀a\nb")
    assert index.position(1) == (1, 2)
    assert index.position(3) == (2, 1)
