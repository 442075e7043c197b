"""The pytest plugin's door (entry point `pytest11`): hooks, fixtures and the client, from mock_server/testing/.

Fixtures: `msgflash_mock` (a real server on a loopback port, reset per test), `msgflash_mock_server`,
`msgflash_mock_client` (in-process), `msgflash_webhook_receiver`; marker `msgflash_account`;
option `--msgflash-fixtures FILE`. This module only names them, so the entry point and
`from mock_server.pytest_plugin import MockError` keep working whatever the folder holds.
"""

from mock_server.testing.client import MockError, MockServer, Reply
from mock_server.testing.plugin import (
    MARKER,
    msgflash_mock,
    msgflash_mock_client,
    msgflash_mock_server,
    msgflash_webhook_receiver,
    pytest_addoption,
    pytest_configure,
)

__all__ = ["MARKER", "MockError", "MockServer", "Reply", "msgflash_mock", "msgflash_mock_client",
           "msgflash_mock_server", "msgflash_webhook_receiver", "pytest_addoption", "pytest_configure"]
