"""Step 2 for the mock-only control API (/_mock/): only this machine may drive a running mock."""

from __future__ import annotations

from flask import Request

from mock_server.state.errors import ApiError
from mock_server.web.loopback import host_of_header, is_loopback_host, is_loopback_url


def admit(request: Request) -> None:
    """A web page open in the developer's browser must not reset or drive a running mock.

    Cross-site requests carry their page's Origin; DNS rebinding carries the attacker's host
    name in Host; a cross-site form cannot send `application/json` without a preflight.
    """
    origin = request.headers.get("Origin")
    if origin is not None and not is_loopback_url(origin):
        raise ApiError("FORBIDDEN", f"The mock's control API answers only pages served from loopback, not {origin!r}")
    if not is_loopback_host(host_of_header(request.host)):
        raise ApiError("FORBIDDEN", "The mock's control API answers only requests addressed to localhost "
                                    "or a loopback address")
    if request.method == "POST" and request.mimetype and request.mimetype != "application/json":
        raise ApiError("BAD_REQUEST", "Content-Type must be application/json")
