"""A stateful MsgFlash API for tests: create_app(fixtures) → a Flask app with its own Store."""

from __future__ import annotations

from flask import Flask

MAX_BODY_BYTES = 2 * 1024 * 1024  # the linter reads files of the same size at most


def create_app(fixtures: dict | None = None) -> Flask:
    """A new app with its own state. `fixtures` as returned by mock_server.fixtures.load_fixtures."""
    from mock_server import control
    from mock_server.errors import register_error_handlers
    from mock_server.fixtures import load_fixtures
    from mock_server.pipeline import authenticate
    from mock_server.store import Store
    from mock_server.views import contacts, instances, messages, templates, usage

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.url_map.strict_slashes = False
    app.extensions["msgflash_mock"] = Store(fixtures if fixtures is not None else load_fixtures())

    from flask import Blueprint

    api = Blueprint("api", __name__, url_prefix="/api/v1")
    api.before_request(authenticate)
    for module in (messages, templates, instances, contacts, usage):
        api.register_blueprint(module.bp)
    app.register_blueprint(api)
    app.register_blueprint(control.bp, url_prefix="/_mock")
    register_error_handlers(app)
    return app
