"""The registry is complete and every rule's examples do what they say."""

import json
import re

import pytest

from msgflash_lint.linter import lint_text
from msgflash_lint.registry import RULES, RULES_BY_CODE
from msgflash_lint.rules import payloads
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
    """A rule name typed in the code or the schemas but missing from the registry would crash at
    run time. Rule modules use the registry's constants (an unknown one fails at import); the
    names left as text are the syntax table's keys and the schemas' `x-msgflash-rule`."""
    from msgflash_lint.contract import load_schema
    from msgflash_lint.registry import RULES_BY_NAME

    names = set(SYNTAX_EXAMPLES)
    for kind in ("common", "send", "schedule", "campaign", "template"):
        names |= set(re.findall(r'"x-msgflash-rule": "([a-z-]+)"', json.dumps(load_schema(kind))))
    assert {rule.name for rule in payloads._KEYWORD_RULES.values()} <= set(RULES_BY_NAME)
    rule_like = {n for n in names if n in RULES_BY_NAME or n.endswith(("-placeholder", "-field", "-file"))}
    assert names and rule_like <= set(RULES_BY_NAME)


def test_every_rule_is_bound_to_a_constant_named_after_it() -> None:
    from msgflash_lint import registry

    for rule in RULES:
        assert getattr(registry, rule.name.upper().replace("-", "_")) is rule


def test_rule_lookup_by_code() -> None:
    assert RULES_BY_CODE["MFL105"].name == "unknown-namespace"
