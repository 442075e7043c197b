"""URL rules that compile their URL builders on first use, not at start-up.

werkzeug compiles two Python functions per rule when the rule is added, to build URLs with
`url_for`; with the whole documented API that is some 140 `compile()` calls and ~50 ms of a
~250 ms start, for builders the mock never calls (it builds no URLs). Matching is unchanged.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)

        return build


class MockFlask(Flask):
    """The mock's Flask app class: its URL rules build lazily."""

    url_rule_class = LazyBuilderRule
