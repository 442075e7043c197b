"""What the current request works on: the app's store, its webhook dispatcher, the caller's account."""

from __future__ import annotations

from flask import current_app, g

from mock_server.state.store import Account, Store


def store() -> Store:
    return current_app.extensions["msgflash_mock"]


def dispatcher():
    return current_app.extensions["msgflash_mock_webhooks"]


def account() -> Account:
    return g.account
