"""URL rules that compile their URL builders on first use, not at start-up.

werkzeug compiles two Python functions per rule when the rule is added, to build URLs with
`url_for`; with the whole documented API that is some 140 `compile()` calls and ~50 ms of a
~250 ms start, for builders the mock never calls (it builds no URLs). Matching is unchanged.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import Rule

from mock_server.pipeline.steps import handle_request


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
    """The mock's Flask app class: every request goes through the one pipeline, and its URL rules
    build lazily."""

    url_rule_class = LazyBuilderRule

    def full_dispatch_request(self):
        # Flask's own before/after hooks and error handlers are not used: the steps, in their
        # order, are all in mock_server/pipeline/steps.py.
        return handle_request(self, request._get_current_object())
