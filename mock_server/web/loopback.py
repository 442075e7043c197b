"""Which hosts count as this machine: literal loopback addresses and `localhost`, nothing else.

Used for webhook targets (the mock never contacts the network), for the control API's
Origin/Host check (a web page must not drive a developer's mock) and for the OpenAPI
`servers` URL. Nothing here resolves a name: `127.attacker.example` is not loopback.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback_host(host: str | None) -> bool:
    """`host` is a bare host name or address, without port ("127.0.0.1", "::1", "localhost")."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
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


def host_of_header(value: str | None) -> str | None:
    """The host part of a Host header ("localhost:8080", "[::1]:80") or None when unreadable."""
    if not value:
        return None
    try:
        return urlsplit(f"//{value}").hostname
    except ValueError:
        return None
