"""A stateful MsgFlash API for tests: `create_app(fixtures)` → a Flask app with its own state.

Where things are, top to bottom (a module imports only from its layer or below; tests/test_layers.py):

    cli.py, serving/, proxy.py   shells: msgflash-mock serve | proxy | fixtures
    pytest_plugin.py, testing/   the pytest plugin and the client test suites use
    app.py                       create_app: the app, its state, every route
    pipeline/, openapi/          every request step by step; the OpenAPI document (flat for generators)
    control/                     mock-only /_mock/ routes, faults, journal
    api/<resource>/              the documented API: models.py and views.py per resource
    web/                         what views share: declarations, bodies, queries, paging
    state/                       store, accounts, clock, fixture files, error codes

Importing the package is free (the pytest plugin does it in every test run): `create_app` is
loaded from mock_server/app.py, with Flask, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.app import create_app

__all__ = ["INSTALL_HINT", "create_app", "missing_dependency", "missing_extra"]

# The mock's own dependencies come with the `mock` extra: a lint-only install (the pre-commit
# hooks', a CI lint job's) does not carry Flask and its server.
MOCK_DEPENDENCIES = ("flask", "werkzeug", "waitress")
INSTALL_HINT = "pip install 'msgflash-lint[mock]'"


def missing_extra(needing: str) -> str | None:
    """The one line saying what is missing and how to get it (`needing`: "the mock server needs"),
    or None when the mock's dependencies are installed."""
    missing = missing_dependency()
    return None if missing is None else f"{needing} {missing}, which comes with the mock extra: {INSTALL_HINT}"


def missing_dependency() -> str | None:
    """The first of the mock's dependencies that is not installed, or None."""
    import importlib.util

    for name in MOCK_DEPENDENCIES:
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except (ImportError, ValueError):  # a module set to None in sys.modules, a broken package
            return name
    return None


def __getattr__(name: str):
    if name == "create_app":
        from mock_server.app import create_app

        return create_app
    raise AttributeError(f"module 'mock_server' has no attribute {name!r}")
