"""Which hosts count as this machine: literal loopback addresses and `localhost`, nothing else.

Used for webhook targets (the mock never contacts the network), for the control API's
Origin/Host check (a web page must not drive a developer's mock) and for the OpenAPI
`servers` URL. Nothing here resolves a name: `127.attacker.example` is not loopback.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback_host(host: str | None) -> bool:
    """`host` is a bare host name or address, without port ("127.0.0.1", "::1", "localhost").

    Exactly those forms: `localhost.` or `127.0.0.1.` name the same machine only through a
    resolver, and what is checked here must be what is connected to, with no lookup."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    try:
        return is_loopback_host(urlsplit(url).hostname)
    except ValueError:  # `https://[x/h`: not a URL urlsplit can read
        return False


def loopback_address(host: str) -> str:
    """The address to connect to for a host `is_loopback_host` accepted: `localhost` is 127.0.0.1,
    never a name handed to a resolver."""
    host = host.strip("[]").lower()
    return "127.0.0.1" if host == "localhost" else host


def host_of_header(value: str | None) -> str | None:
    """The host part of a Host header ("localhost:8080", "[::1]:80") or None when unreadable."""
    if not value:
        return None
    try:
        return urlsplit(f"//{value}").hostname
    except ValueError:
        return None
