"""`msgflash-mock serve --cors ORIGIN`: preflights and headers on the API only, never on /_mock/, off by default.

Driven as a browser would over real HTTP: an OPTIONS preflight with Origin and
Access-Control-Request-*, then the call itself with Origin."""

from __future__ import annotations

import http.client
import signal
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from mock_server.cli import cli
from tests.mock.conftest import ALPHA, INSTANCE
from tests.mock.test_serve_command import _serve

APP = "http://localhost:3000"


@pytest.fixture(scope="module")
def served():
    """One server allowing two origins; a second with no --cors at all."""
    allowing, base = _serve("--quiet", "--cors", APP, "--cors", "https://shop.example")
    plain, plain_base = _serve("--quiet")
    yield base, plain_base
    for process in (allowing, plain):
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        process.stdout.close()
        process.stderr.close()


def _call(base: str, method: str, path: str, headers: dict) -> tuple[int, dict[str, str]]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {name.lower(): value for name, value in response.getheaders()}


def _preflight(base: str, path: str, origin: str = APP, method: str = "POST") -> tuple[int, dict[str, str]]:
    return _call(base, "OPTIONS", path, {"Origin": origin, "Access-Control-Request-Method": method,
                                         "Access-Control-Request-Headers": "x-api-key, content-type"})


def test_a_preflight_from_an_allowed_origin_is_granted(served) -> None:
    status, headers = _preflight(served[0], "/api/v1/messages/send")
    assert status == 204
    assert headers["access-control-allow-origin"] == APP and headers["vary"] == "Origin"
    assert "POST" in headers["access-control-allow-methods"]
    assert headers["access-control-allow-headers"] == "x-api-key, content-type"


def test_the_call_itself_carries_the_origin_and_still_needs_its_key(served) -> None:
    status, headers = _call(served[0], "GET", f"/api/v1/instances/{INSTANCE}", {"Origin": APP, "x-api-key": ALPHA})
    assert status == 200 and headers["access-control-allow-origin"] == APP
    status, headers = _call(served[0], "GET", f"/api/v1/instances/{INSTANCE}", {"Origin": APP})
    assert status == 401 and headers["access-control-allow-origin"] == APP  # the browser may read the error


def test_an_origin_not_listed_gets_no_permission(served) -> None:
    status, headers = _preflight(served[0], "/api/v1/messages/send", origin="https://evil.example")
    assert "access-control-allow-origin" not in headers
    status, headers = _call(served[0], "GET", f"/api/v1/instances/{INSTANCE}",
                            {"Origin": "https://evil.example", "x-api-key": ALPHA})
    assert status == 200 and "access-control-allow-origin" not in headers


@pytest.mark.parametrize("path", ["/_mock/reset", "/_mock/faults", "/_mock/clock"])
def test_the_controls_never_answer_a_browser(served, path) -> None:
    """A page in the same browser must never reset, fault or move the clock of a mock a test suite uses."""
    status, headers = _preflight(served[0], path)
    assert status != 204 and "access-control-allow-origin" not in headers
    status, headers = _call(served[0], "POST", path, {"Origin": APP})
    assert "access-control-allow-origin" not in headers


def test_without_cors_a_preflight_gets_nothing(served) -> None:
    status, headers = _preflight(served[1], "/api/v1/messages/send")
    assert "access-control-allow-origin" not in headers
    status, headers = _call(served[1], "GET", f"/api/v1/instances/{INSTANCE}", {"Origin": APP, "x-api-key": ALPHA})
    assert status == 200 and "access-control-allow-origin" not in headers


def test_star_allows_any_origin_without_vary() -> None:
    process, base = _serve("--quiet", "--cors", "*")
    try:
        status, headers = _preflight(base, "/api/v1/templates", origin="https://anything.example", method="GET")
        assert status == 204 and headers["access-control-allow-origin"] == "*" and "vary" not in headers
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        process.stdout.close()
        process.stderr.close()


@pytest.mark.parametrize("origin", ["localhost:3000", "http://localhost:3000/", "ftp://x.example", "http://a/b"])
def test_a_value_that_is_not_an_origin_is_a_usage_error(origin: str) -> None:
    result = CliRunner().invoke(cli, ["serve", "--cors", origin])
    assert result.exit_code == 2 and "is not an origin" in result.output
