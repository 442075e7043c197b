"""Template text → placeholders and syntax problems, by offset; and the `variables` list.

The Lark grammar (grammar/template.lark) is strict. A template with several mistakes
still gets one finding per mistake: after a parse error the broken region is labelled,
then parsing resumes right after it. Labelling needs to look past the error (does a `}}`
close this placeholder on the same line?), which is why it is done here and not by
Lark's state-based `match_examples`; SYNTAX_EXAMPLES is the table the tests run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from msgflash_lint.registry import (
    EMPTY_PLACEHOLDER,
    INVALID_PATH_SEGMENT,
    NESTED_BRACES,
    STRAY_CLOSING_BRACES,
    UNCLOSED_PLACEHOLDER,
    UNSUPPORTED_CONSTRUCT,
    Rule,
)

OPEN = "{{"
CLOSE = "}}"


class Placeholder(NamedTuple):
    start: int  # offset of "{{"
    end: int  # offset just past "}}"
    path: tuple[str, ...]
    path_start: int
    path_end: int
    padded: bool  # spaces just inside the braces

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


class TextFinding(NamedTuple):
    """A finding in template text, from the grammar's syntax problems to the placeholder rules:
    its rule, the [start, end) offsets in the text, and, when the mistake has exactly one right
    answer, the text that replaces that range (--fix); `unsafe` when that answer is a guess, not
    certainly a typo (--unsafe-fixes)."""

    rule: Rule
    start: int
    end: int
    message: str
    replacement: str | None = None
    unsafe: bool = False


class ParsedTemplate(NamedTuple):
    placeholders: tuple[Placeholder, ...]
    problems: tuple[TextFinding, ...]


# Labelled bad inputs: each must yield exactly its rule (tests/test_templates.py).
SYNTAX_EXAMPLES: dict[str, tuple[str, ...]] = {
    "unclosed-placeholder": ("Hi {{contact.name", "{{", "Hi {{ contact.name\nthere", "{{a, b {{custom.c}}"),
    "stray-closing-braces": ("Hi }}", "contact.name}} there", "{{custom.a}}}}"),
    "empty-placeholder": ("{{}}", "Hi {{ }}", "{{\t}}"),
    "invalid-path-segment": ("{{contact.first-name}}", "{{contact.}}", "{{.name}}", "{{contact..name}}",
                             "{{contact name}}", "{{custom.prénom}}"),
    "nested-braces": ("{{{contact.name}}}", "{{contact.{{custom.x}}}}", "{{contact.{name}}}"),
    "unsupported-construct": ("{{contact.name | upper}}", "{{#if contact.name}}", "{{/if}}",
                              "{{#each contact.tags}}", "{{contact.name or 'friend'}}",
                              "{{contact.name ?? 'friend'}}", "{{else}}", "{{> footer}}",
                              "{{! note}}", "{{contact.name || 'x'}}"),
}

# (pattern over the inner text, what the construct is). First match wins. Compiled on first
# use (re keeps compiled patterns): only a placeholder that is not a plain path needs them.
_UNSUPPORTED: tuple[tuple[str, str], ...] = (
    (r"^\s*[#/]?\s*(?:if|unless|else|elif|elseif|endif)\b", "conditions"),
    (r"^\s*[#/]?\s*(?:each|for|endfor|endeach|with)\b", "loops"),
    (r"^\s*[#^/]", "block helpers"),
    (r"^\s*>", "partials"),
    (r"^\s*!", "comments"),
    (r"\?\?|\|\||\s(?:or|default)\s|:-", "default values"),
    (r"\|", "filters (`|`)"),
)


@lru_cache(maxsize=1)
def template_parser():
    """The LALR parser, built once per process (and cached on disk by Lark)."""
    from lark import Lark

    return Lark.open_from_package(
        "msgflash_lint",
        "template.lark",
        ("grammar",),
        parser="lalr",
        cache=True,
    )


# Past this many syntax problems the rest of a template is not parsed: a pathological file
# (a megabyte of "}}") must not cost minutes. The last finding says so.
MAX_PROBLEMS = 500


def parse_template(text: str) -> ParsedTemplate:
    """Every placeholder and syntax problem in `text`, with offsets into `text`. Never raises.

    Placeholders never span lines, so each line that holds braces is parsed on its own: a
    mistake costs only its line, and lines of plain text never reach Lark.
    """
    if OPEN not in text and CLOSE not in text:
        return ParsedTemplate((), ())
    placeholders: list[Placeholder] = []
    problems: list[TextFinding] = []
    for line_placeholders, line_problems in parsed_lines(text):
        placeholders.extend(line_placeholders)
        problems.extend(line_problems)
        if len(problems) >= MAX_PROBLEMS:
            last = problems[MAX_PROBLEMS - 1]
            problems[MAX_PROBLEMS - 1:] = [TextFinding(
                last.rule, last.start, last.end,
                f"{last.message} (the rest of this template is not checked: over {MAX_PROBLEMS} syntax problems)")]
            break
    return ParsedTemplate(tuple(placeholders), tuple(problems))


def parsed_lines(text: str):
    """(placeholders, syntax problems) of each line holding braces, in order, lazily: a caller
    that has seen enough (the linter, past MAX_PROBLEMS findings) stops parsing there."""
    start = 0
    for line in text.split("\n"):
        if OPEN in line or CLOSE in line:
            simple = _simple_line(line, start)
            if simple is not None:
                yield simple, []
            else:
                placeholders: list[Placeholder] = []
                problems: list[TextFinding] = []
                _parse_line(line, start, placeholders, problems)
                yield placeholders, problems
        start += len(line) + 1


# A well-formed placeholder, spelled as the grammar's `placeholder` rule spells it.
_SIMPLE_PLACEHOLDER = re.compile(r"\{\{([ \t]*)([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)([ \t]*)\}\}")


def _simple_line(line: str, offset: int) -> list[Placeholder] | None:
    """The placeholders of a line whose only braces are well-formed placeholders; None otherwise.

    Such lines are most lines of real templates. Lark would parse them to the same result
    (a property test holds the two equal); every other line goes to Lark.
    """
    found: list[Placeholder] = []
    last = 0
    for match in _SIMPLE_PLACEHOLDER.finditer(line):
        gap = line[last:match.start()]
        if "{" in gap or "}" in gap:
            return None
        found.append(Placeholder(
            start=offset + match.start(), end=offset + match.end(),
            path=tuple(match.group(2).split(".")),
            path_start=offset + match.start(2), path_end=offset + match.end(2),
            padded=bool(match.group(1) or match.group(3)),
        ))
        last = match.end()
    tail = line[last:]
    return None if "{" in tail or "}" in tail else found


def _parse_line(line: str, offset: int, placeholders: list, problems: list) -> None:
    from lark.exceptions import UnexpectedInput

    parser = template_parser()
    pos = 0
    closes, newlines = _NextFinder(line, CLOSE), _NextFinder(line, "\n")
    while pos <= len(line) and len(problems) < MAX_PROBLEMS:
        try:
            tree = parser.parse(line[pos:])
        except UnexpectedInput as error:
            problem, region_start, resume = _label_error(line, pos, error, closes, newlines)
            problems.append(_shifted(problem, offset))
            # The text before the broken region parsed cleanly: parse it alone for its placeholders.
            if region_start > pos:
                placeholders.extend(_placeholders(parser.parse(line[pos:region_start]), offset + pos))
            pos = resume
            continue
        placeholders.extend(_placeholders(tree, offset + pos))
        return


def _shifted(problem: TextFinding, offset: int) -> TextFinding:
    return TextFinding(problem.rule, problem.start + offset, problem.end + offset, problem.message)


def template_variables(text: str) -> list[str]:
    """The template's `variables` as MsgFlash computes them: unique paths, first appearance first."""
    seen: dict[str, None] = {}
    for placeholder in parse_template(text).placeholders:
        seen.setdefault(placeholder.dotted, None)
    return list(seen)


def _placeholders(tree, offset: int):
    for node in tree.children:
        if getattr(node, "data", None) != "placeholder":
            continue
        tokens = node.children
        path_node = next(child for child in tokens if getattr(child, "data", None) == "path")
        segments = path_node.children
        yield Placeholder(
            start=offset + tokens[0].start_pos,
            end=offset + tokens[-1].end_pos,
            path=tuple(str(segment) for segment in segments),
            path_start=offset + segments[0].start_pos,
            path_end=offset + segments[-1].end_pos,
            padded=any(getattr(child, "type", None) == "SPACE" for child in tokens),
        )


def _open_placeholder_start(error) -> int | None:
    """Offset (in the parsed chunk) of the "{{" the parser was inside when it failed."""
    stack = error.interactive_parser.parser_state.value_stack
    if stack and getattr(stack[-1], "type", None) == "CLOSE":
        return None  # a placeholder just ended; the parser had not reduced it yet
    for value in reversed(stack):
        if getattr(value, "type", None) == "OPEN":
            return value.start_pos
        if getattr(value, "data", None) == "placeholder":
            return None
    return None


class _NextFinder:
    """`text.find(needle, start)` for starts that only grow: a long line without the needle
    is scanned once, not once per problem (which made a megabyte of `{{` quadratic)."""

    __slots__ = ("text", "needle", "_from", "_found")

    def __init__(self, text: str, needle: str) -> None:
        self.text = text
        self.needle = needle
        self._from = len(text) + 1
        self._found = -1

    def find(self, start: int) -> int:
        if not (self._from <= start and (self._found == -1 or self._found >= start)):
            self._from = start
            self._found = self.text.find(self.needle, start)
        return self._found


def _label_error(text: str, base: int, error, closes: _NextFinder | None = None,
                 newlines: _NextFinder | None = None) -> tuple[TextFinding, int, int]:
    """(problem, start of the broken region, offset to resume parsing at)."""
    from lark.exceptions import UnexpectedEOF

    at = len(text) if isinstance(error, UnexpectedEOF) else base + error.pos_in_stream
    inside = _open_placeholder_start(error)
    if inside is None:
        # Outside any placeholder only "}}" can fail the parse.
        return (
            TextFinding(STRAY_CLOSING_BRACES, at, at + 2, "`}}` closes no placeholder"),
            at,
            at + 2,
        )
    start = base + inside
    close = closes.find(start + 2) if closes is not None else text.find(CLOSE, start + 2)
    newline = newlines.find(start + 2) if newlines is not None else text.find("\n", start + 2)
    if close == -1 or (newline != -1 and newline < close):
        line_end = len(text) if newline == -1 else newline
        return (
            TextFinding(UNCLOSED_PLACEHOLDER, start, start + 2,
                          f"`{{{{` is not closed: `{_excerpt(text[start:min(line_end, start + 61)])}` needs `}}}}`"),
            start,
            start + 2,
        )
    nested = text.find(OPEN, start + 2, close)
    if nested != -1:
        end = _matching_close(text, start)
        if end is None:  # the outer "{{" has no partner on this line: the inner one may be fine
            return (
                TextFinding(UNCLOSED_PLACEHOLDER, start, start + 2,
                              f"`{{{{` is not closed: `{_excerpt(text[start:min(close + 2, start + 61)])}` nests another "
                              "placeholder instead"),
                start,
                start + 2,
            )
        return (
            TextFinding(NESTED_BRACES, start, end,
                          f"placeholders cannot nest: `{_excerpt(text[start:min(end, start + 61)])}`"),
            start,
            end,
        )
    end = close + 2
    inner = text[start + 2:close]
    if "{" in inner or "}" in inner:
        if inner.startswith("{") and text.startswith("}", end):
            end += 1  # "{{{x}}}": take the third closing brace with it
        return (
            TextFinding(NESTED_BRACES, start, end,
                          f"braces inside a placeholder: `{_excerpt(text[start:min(end, start + 61)])}`; "
                          "use one pair of double braces"),
            start,
            end,
        )
    return _label_inner(inner, start, end), start, end


def _label_inner(inner: str, start: int, end: int) -> TextFinding:
    if not inner.strip():
        return TextFinding(EMPTY_PLACEHOLDER, start, end, "empty placeholder `{{}}`")
    for pattern, construct in _UNSUPPORTED:
        if re.search(pattern, inner):
            return TextFinding(
                UNSUPPORTED_CONSTRUCT, start, end,
                f"{construct} are not supported by MsgFlash templates: `{_excerpt('{{' + inner + '}}')}`",
            )
    path = inner.strip()
    if "" in path.split(".") and all(re.fullmatch(r"[A-Za-z0-9_]*", part) for part in path.split(".")):
        return TextFinding(INVALID_PATH_SEGMENT, start, end,
                             f"empty path segment in `{{{{{path}}}}}`")
    bad = next((char for char in path if not (char.isascii() and (char.isalnum() or char in "._"))), " ")
    shown = "a space" if bad.isspace() else f"`{bad}`"
    return TextFinding(
        INVALID_PATH_SEGMENT, start, end,
        f"{shown} is not allowed in `{{{{{_excerpt(path)}}}}}`: path segments are letters, digits and `_`",
    )


def _matching_close(text: str, start: int) -> int | None:
    """Offset just past the "}}" that balances the "{{" at `start`, on the same line."""
    depth = 0
    index = start
    while index < len(text):
        if text.startswith(OPEN, index):
            depth += 1
            index += 2
        elif text.startswith(CLOSE, index):
            depth -= 1
            index += 2
            if depth == 0:
                return index
        elif text[index] == "\n":
            return None
        else:
            index += 1
    return None


def _excerpt(snippet: str, limit: int = 60) -> str:
    snippet = snippet.replace("\n", " ")
    return snippet if len(snippet) <= limit else snippet[: limit - 1] + "…"
