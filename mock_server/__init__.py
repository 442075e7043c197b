"""A stateful MsgFlash API for tests: create_app(fixtures) → a Flask app with its own Store."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the package (the pytest plugin does) must not import Flask
    from flask import Flask

MAX_BODY_BYTES = 2 * 1024 * 1024  # the linter reads files of the same size at most


def create_app(fixtures: dict | None = None, *, webhook_retry_base: float = 1.0,
               max_messages: int | None = None) -> Flask:
    """A new app with its own state. `fixtures` as returned by mock_server.fixtures.load_fixtures;
    `webhook_retry_base` is the first retry delay in seconds (then doubled), small in tests;
    `max_messages` the messages kept per account before the oldest are dropped (retention)."""
    from mock_server import control
    from mock_server.errors import register_error_handlers
    from mock_server.fixtures import load_fixtures
    from mock_server.pipeline import authenticate
    from mock_server.routing import MockFlask
    from mock_server.store import Store
    from mock_server.views import (
        bulk_jobs,
        campaigns,
        contacts,
        instances,
        lookups,
        messages,
        templates,
        usage,
        webhooks,
    )
    from mock_server.webhooks import Dispatcher

    app = MockFlask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.url_map.strict_slashes = False
    # `/api//v1/...` would otherwise get a 308 HTML redirect; the API answers JSON only.
    app.url_map.merge_slashes = False
    from mock_server.message_log import DEFAULT_MAX_MESSAGES

    store = Store(fixtures if fixtures is not None else load_fixtures(), max_messages or DEFAULT_MAX_MESSAGES)
    dispatcher = Dispatcher(webhook_retry_base)
    store.listeners.append(dispatcher.on_status)
    app.extensions["msgflash_mock"] = store
    app.extensions["msgflash_mock_webhooks"] = dispatcher

    from flask import Blueprint

    api = Blueprint("api", __name__, url_prefix="/api/v1")
    api.before_request(authenticate)
    for module in (messages, campaigns, templates, instances, contacts, bulk_jobs, lookups, webhooks, usage):
        api.register_blueprint(module.bp)
    app.register_blueprint(api)
    app.register_blueprint(control.bp, url_prefix="/_mock")
    register_error_handlers(app)
    from mock_server import observe
    from mock_server.faults import drop_connections

    observe.register(app)
    app.wsgi_app = drop_connections(app.wsgi_app)

    @app.before_request
    def no_automatic_options():
        # Flask answers OPTIONS with an empty text/html 200; MsgFlash documents no OPTIONS (D3: 404).
        from flask import request

        from mock_server.errors import ApiError

        if request.method == "OPTIONS":
            raise ApiError("NOT_FOUND", "No such route: check the method and the path")

    @app.get("/")
    def index():
        """What this server is (mock-only route): where its contract and controls are."""
        from flask import jsonify

        control = sorted({rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/_mock/")})
        return jsonify({"data": {
            "name": "msgflash-mock", "description": "A stateful mock of the MsgFlash API, for tests (not MsgFlash).",
            "api": "/api/v1", "openapi": "/openapi.json", "control": control}})

    @app.get("/openapi.json")
    def openapi():
        """The OpenAPI 3.1 document of this server (mock-only route)."""
        from flask import jsonify, request

        from mock_server.loopback import host_of_header, is_loopback_host
        from mock_server.openapi import openapi_document

        # The Host header is the caller's to choose: echo it only when it names this machine.
        server = request.host_url if is_loopback_host(host_of_header(request.host)) else "/"
        # Built once per app (the routes do not change after start-up); only `servers` varies.
        cached = app.extensions.get("msgflash_mock_openapi")
        if cached is None:
            cached = app.extensions["msgflash_mock_openapi"] = openapi_document(app, "/")
        return jsonify({**cached, "servers": [{"url": server.rstrip("/") or "/"}]})

    return app
