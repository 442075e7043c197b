"""A stateful MsgFlash API for tests: `create_app(fixtures)` → a Flask app with its own state.

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
