"""What any JSON value must be before it can be checked, stored and served back.

JSON allows two things no MsgFlash body can hold: a `\\ud800`-style escape that decodes to a
lone surrogate (not text, so not storable as UTF-8) and nesting as deep as a parser allows
(every recursive step after parsing — schema checks, serialisation — would fail on it).
The linter reports them as MFL009 and the mock refuses them up front with the same code,
so both agree on what is accepted (docs/decisions.md).
"""

from __future__ import annotations

import re
from typing import NamedTuple

# No documented MsgFlash body nests beyond 4 levels; 32 leaves room for contact `meta`
# and custom `variables` while staying far from Python's recursion limit.
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
# In JSON text, only an escape can produce a surrogate: a cheap test before walking values.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class ValueProblem(NamedTuple):
    path: tuple  # JSON path of the value (or of the member, when `in_key`)
    message: str
    in_key: bool = False


def value_problem(data, text: str | None = None) -> ValueProblem | None:
    """The first value of `data` that cannot be stored, in document order; None when all can.

    `text`, the JSON the data came from, lets the surrogate search be skipped when no
    escape could have produced one.
    """
    look_for_surrogates = text is None or _SURROGATE_ESCAPE.search(text) is not None
    # Iterative walk: values nested deeper than the recursion limit must not recurse here.
    pending: list[tuple[object, tuple, int]] = [(data, (), 0)]
    while pending:
        value, path, depth = pending.pop()
        if isinstance(value, str):
            if look_for_surrogates and _SURROGATE.search(value):
                return ValueProblem(path, _surrogate_message(value, "string"))
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth >= MAX_DEPTH:
            return ValueProblem(path, f"values nest more than {MAX_DEPTH} levels deep here; "
                                      "MsgFlash bodies are a few levels deep at most")
        if isinstance(value, dict):
            children = []
            for key, child in value.items():
                if look_for_surrogates and _SURROGATE.search(key):
                    return ValueProblem((*path, key), _surrogate_message(key, "field name"), in_key=True)
                children.append((child, (*path, key), depth + 1))
        else:
            children = [(child, (*path, index), depth + 1) for index, child in enumerate(value)]
        pending.extend(reversed(children))
    return None


def _surrogate_message(text: str, what: str) -> str:
    point = ord(_SURROGATE.search(text).group())
    return (f"this {what} holds `\\u{point:04x}`, half of a UTF-16 surrogate pair and not a character; "
            "MsgFlash cannot store it (write the whole pair, or the character itself)")
