"""The container's HEALTHCHECK: exit 0 when a msgflash-mock in this network namespace answers `GET /`.

`python -m mock_server.serving.healthcheck`, with nothing but Python: the image has no curl. It
does not know the port (`serve --port 9000` is allowed), so it asks every TCP port listening in
the container's namespace (/proc/net/tcp and tcp6), on loopback, and wants the mock's own answer.
"""

from __future__ import annotations

import http.client
import json
import sys

_LISTEN = "0A"


def listening_ports(tables: tuple[str, ...] = ("/proc/net/tcp", "/proc/net/tcp6")) -> list[int]:
    ports: set[int] = set()
    for table in tables:
        try:
            with open(table, encoding="ascii") as handle:
                next(handle, None)  # the header line
                for line in handle:
                    fields = line.split()
                    if len(fields) > 3 and fields[3] == _LISTEN:
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            continue
    return sorted(ports)


def answers(port: int, timeout: float = 3.0) -> bool:
    """Whether the mock answers on this port: `GET /` is 200 and names its OpenAPI document."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        return response.status == 200 and "openapi" in json.dumps(json.loads(response.read()))
    except (OSError, ValueError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def main() -> int:
    return 0 if any(answers(port) for port in listening_ports()) else 1


if __name__ == "__main__":
    sys.exit(main())
