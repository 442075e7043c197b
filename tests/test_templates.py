"""The placeholder grammar, its recovery and the variables list."""

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from msgflash_lint.rules.placeholders import CLOSED_NAMESPACES
from msgflash_lint.rules.template_text import check_template
from msgflash_lint.templates import SYNTAX_EXAMPLES, parse_template, template_parser, template_variables

SYNTAX_CASES = [(rule, text) for rule, texts in SYNTAX_EXAMPLES.items() for text in texts]


@pytest.mark.parametrize(("rule", "text"), SYNTAX_CASES, ids=[t for _, t in SYNTAX_CASES])
def test_syntax_table_labels_each_example_with_its_rule(rule: str, text: str) -> None:
    assert [f.rule.name for f in check_template(text) if f.rule.name != "spaces-inside-braces"] == [rule]


def test_parser_is_built_once() -> None:
    assert template_parser() is template_parser()


def test_unclosed_placeholder_points_at_opening_braces() -> None:
    problem = parse_template("Hi {{contact.name there").problems[0]
    assert (problem.rule.name, problem.start, problem.end) == ("unclosed-placeholder", 3, 5)


def test_parsing_resumes_after_each_error() -> None:
    parsed = parse_template("}} {{custom.a}} {{bad-x}} {{custom.b}} {{unclosed")
    assert [p.rule.name for p in parsed.problems] == [
        "stray-closing-braces", "invalid-path-segment", "unclosed-placeholder"]
    assert [p.dotted for p in parsed.placeholders] == ["custom.a", "custom.b"]


def test_variables_are_unique_in_first_appearance_order() -> None:
    body = "Hello {{contact.firstName}}, code {{custom.code}}, again {{contact.firstName}} {{ user.email }}"
    assert template_variables(body) == ["contact.firstName", "custom.code", "user.email"]


def test_documented_example_variables() -> None:
    body = "Hello {{contact.firstName}}, utilisez {{custom.code}} aujourd'hui."
    assert template_variables(body) == ["contact.firstName", "custom.code"]


@given(st.text(alphabet=st.sampled_from(list("{}. \n\t|#abc_é😀\x00-")) | st.characters(), max_size=200))
def test_checker_never_raises(text: str) -> None:
    findings = check_template(text)
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(text)


_SEGMENT = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,11}", fullmatch=True)
_VALID_PATH = st.one_of(
    st.sampled_from([f"{ns}.{field}" for ns, fields in CLOSED_NAMESPACES.items() for field in fields
                     if field != "meta"]),
    _SEGMENT.map(lambda key: f"custom.{key}"),
    st.lists(_SEGMENT, min_size=1, max_size=3).map(lambda keys: "contact.meta." + ".".join(keys)),
)
_FREE_TEXT = st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=30)


@given(st.lists(st.tuples(_FREE_TEXT, _VALID_PATH), max_size=8), _FREE_TEXT)
def test_valid_placeholders_in_free_text_give_no_finding(parts, tail) -> None:
    text = "".join(f"{free}{{{{{path}}}}}" for free, path in parts) + tail
    note(repr(text))
    assert check_template(text) == []
    expected = list(dict.fromkeys(path for _, path in parts))
    assert template_variables(text) == expected


def test_a_pathological_template_stops_after_max_problems_and_says_so() -> None:
    from msgflash_lint.templates import MAX_PROBLEMS

    problems = parse_template("}} " * (MAX_PROBLEMS * 4)).problems
    assert len(problems) == MAX_PROBLEMS
    assert problems[-1].message.endswith(f"(the rest of this template is not checked: over {MAX_PROBLEMS} syntax problems)")


def test_placeholders_on_many_lines_keep_their_offsets() -> None:
    text = "a {{custom.x}}\n\n}} {{custom.y}}\nb {{z"
    parsed = parse_template(text)
    assert [(p.dotted, text[p.start:p.end]) for p in parsed.placeholders] == [
        ("custom.x", "{{custom.x}}"), ("custom.y", "{{custom.y}}")]
    assert [(p.rule.name, text[p.start:p.end]) for p in parsed.problems] == [
        ("stray-closing-braces", "}}"), ("unclosed-placeholder", "{{")]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="{} .a_Z9\t|#é", max_size=40))
def test_the_fast_path_for_plain_lines_agrees_with_the_grammar(line: str) -> None:
    """Lines whose only braces are well-formed placeholders skip Lark; Lark must find the same."""
    from msgflash_lint.templates import _parse_line, _simple_line

    fast = _simple_line(line, 7)
    if fast is None:
        return
    placeholders, problems = [], []
    _parse_line(line, 7, placeholders, problems)
    assert problems == [] and fast == placeholders
