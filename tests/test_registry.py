"""The registry is complete and every rule's examples do what they say."""

import re

import pytest

from msgflash_lint.linter import lint_text
from msgflash_lint.registry import RULES, RULES_BY_CODE
from msgflash_lint.rules import payloads, placeholders
from msgflash_lint.templates import SYNTAX_EXAMPLES

EXAMPLE_RULES = [rule for rule in RULES if rule.example_kind is not None]


def test_codes_and_names_are_unique_and_well_formed() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"MFL[0-3]\d\d", rule.code), rule.code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        assert rule.summary and rule.rationale and rule.fix and rule.good


def test_codes_are_grouped_by_family() -> None:
    families = {"0": "input", "1": "placeholder", "2": "contract", "3": "crossfile"}
    assert {rule.code[3] for rule in RULES} == set(families)


@pytest.mark.parametrize("rule", EXAMPLE_RULES, ids=lambda r: r.code)
def test_bad_example_fails_with_its_code(rule) -> None:
    codes = {d.code for d in lint_text(rule.bad, kind=rule.example_kind)}
    assert rule.code in codes


@pytest.mark.parametrize("rule", EXAMPLE_RULES, ids=lambda r: r.code)
def test_good_example_is_clean(rule) -> None:
    assert lint_text(rule.good, kind=rule.example_kind) == []


def test_every_rule_name_used_in_the_code_is_registered() -> None:
    """A rule name typed in a rule module but missing from the registry would crash at run time."""
    import inspect

    from msgflash_lint import documents, sources, templates
    from msgflash_lint.rules import crossfile

    names = set()
    for module in (payloads, placeholders, templates, sources, documents, crossfile):
        names |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', inspect.getsource(module)))
    names |= set(payloads._KEYWORD_RULES.values()) | set(SYNTAX_EXAMPLES)
    registered = {rule.name for rule in RULES}
    rule_like = {n for n in names if n in registered or n.endswith(("-placeholder", "-field", "-file"))}
    assert rule_like <= registered


def test_rule_lookup_by_code() -> None:
    assert RULES_BY_CODE["MFL105"].name == "unknown-namespace"
