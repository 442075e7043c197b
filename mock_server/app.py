"""The app factory: one Flask app, its own state, every route, one request pipeline.

`create_app` is what `msgflash-mock serve`, the pytest plugin and in-process tests call; the
package exposes it as `mock_server.create_app` without importing Flask until it is called.
"""

from __future__ import annotations

from flask import Blueprint, Flask

import mock_server.api.billing.views as billing
import mock_server.api.bulk_jobs.views as bulk_jobs
import mock_server.api.campaigns.views as campaigns
import mock_server.api.contacts.views as contacts
import mock_server.api.instances.views as instances
import mock_server.api.lookups.views as lookups
import mock_server.api.messages.views as messages
import mock_server.api.templates.views as templates
import mock_server.api.webhooks.views as webhooks
import mock_server.control.views as control
import mock_server.openapi as openapi
from mock_server.api.webhooks.delivery import Dispatcher
from mock_server.control.state import Controls
from mock_server.pipeline.flask_app import MockFlask
from mock_server.state.fixtures import load_fixtures
from mock_server.state.message_log import DEFAULT_MAX_MESSAGES
from mock_server.state.store import Store
from mock_server.web.bodies import MAX_BODY_BYTES

# The documented API, one blueprint per resource, all under /api/v1.
RESOURCES = (messages, campaigns, templates, instances, contacts, bulk_jobs, lookups, webhooks, billing)


def create_app(fixtures: dict | None = None, *, webhook_retry_base: float = 1.0,
               max_messages: int | None = None) -> Flask:
    """A new app with its own state. `fixtures` as returned by mock_server.state.fixtures.load_fixtures;
    `webhook_retry_base` is the first retry delay in seconds (then doubled), small in tests;
    `max_messages` the messages kept per account before the oldest are dropped (retention)."""
    app = MockFlask("mock_server")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.url_map.strict_slashes = False
    # `/api//v1/...` would otherwise get a 308 HTML redirect; the API answers JSON only.
    app.url_map.merge_slashes = False
    store = Store(fixtures if fixtures is not None else load_fixtures(), max_messages or DEFAULT_MAX_MESSAGES)
    dispatcher = Dispatcher(webhook_retry_base)
    store.listeners.append(dispatcher.on_status)
    app.extensions["msgflash_mock"] = store
    app.extensions["msgflash_mock_webhooks"] = dispatcher
    app.extensions["msgflash_mock_controls"] = Controls()
    api = Blueprint("api", __name__, url_prefix="/api/v1")
    for resource in RESOURCES:
        api.register_blueprint(resource.bp)
    app.register_blueprint(api)
    app.register_blueprint(control.bp, url_prefix="/_mock")
    app.register_blueprint(openapi.bp)
    return app
