"""Near misses: when no journalled request matches what a test expected, which came closest, and how.

Pure functions over journal entries (see mock_server.control.journal), so the report can be tested
and read without a server: each difference names the field — method, path, JSON pointer into
the body, answer status — with what was expected and what was sent.
"""

from __future__ import annotations

_MISSING = object()


def _pointer_diffs(expected, actual, pointer: str = "") -> list[tuple[str, object, object]]:
    """(pointer, expected, actual) for every expected value the actual body lacks or differs in.

    Expected objects are subsets: keys the test does not name are not compared."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key, value in expected.items():
            child = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            found += _pointer_diffs(value, actual.get(key, _MISSING), child)
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found += _pointer_diffs(want, got, f"{pointer}/{index}")
        return found
    return [] if expected == actual else [(pointer or "/", expected, actual)]


def differences(entry: dict, method: str, path: str, body: dict | None = None,
                status: int | None = None) -> list[tuple[str, object, object]]:
    """How one journal entry differs from the expected request ([] when it matches)."""
    from msgflash_lint import api

    found: list[tuple[str, object, object]] = []
    if entry["method"] != method.upper():
        found.append(("method", method.upper(), entry["method"]))
    if path not in (entry["path"], entry["route"]) and api.route_key(path) != entry["route"]:
        found.append(("path", path, entry["path"]))
    if body is not None:
        found += _pointer_diffs(body, entry["body"] if entry["body"] is not None else _MISSING)
    if status is not None and entry["response"]["status"] != status:
        found.append(("status", status, entry["response"]["status"]))
    return found


def closest(journal: list[dict], method: str, path: str, body: dict | None, status: int | None,
            count: int = 3) -> list[tuple[dict, list]]:
    """The `count` entries with the fewest differences, newest first among equals."""
    scored = [(len(diffs := differences(entry, method, path, body, status)), -entry["id"], entry, diffs)
              for entry in journal]
    scored.sort(key=lambda item: (item[0], item[1]))
    return [(entry, diffs) for _, _, entry, diffs in scored[:count]]


def _shown(value) -> str:
    return "(missing)" if value is _MISSING else repr(value)


def describe(method: str, path: str, body: dict | None, status: int | None, near: list[tuple[dict, list]]) -> str:
    wanted = f"{method.upper()} {path}" + (f" with {body!r}" if body is not None else "") + (
        f" answered {status}" if status is not None else "")
    if not near:
        return f"no request matched {wanted}: the mock received no API request since the last reset"
    lines = [f"no request matched {wanted}; the closest of the journal:"]
    for entry, diffs in near:
        lines.append(f"  #{entry['id']} {entry['method']} {entry['path']} → {entry['response']['status']}:")
        lines += [f"      {where}: expected {_shown(want)}, got {_shown(got)}" for where, want, got in diffs]
    return "\n".join(lines)
