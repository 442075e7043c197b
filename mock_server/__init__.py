"""A stateful MsgFlash API for tests: `create_app(fixtures)` → a Flask app with its own state.

Where things are, top to bottom (a module imports only from its layer or below; tests/test_layers.py):

    cli.py, serving/, proxy.py   shells: msgflash-mock serve | proxy | fixtures
    pytest_plugin.py, testing/   the pytest plugin and the client test suites use
    app.py                       create_app: the app, its state, every route
    pipeline/, openapi.py        every request step by step; the OpenAPI document
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

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from mock_server.app import create_app

        return create_app
    raise AttributeError(f"module 'mock_server' has no attribute {name!r}")
