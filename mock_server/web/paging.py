"""Cursor paging over sorted lists: opaque cursors naming the list, its order and the last item."""

from __future__ import annotations

import base64
import binascii

from flask import request

from mock_server.web.bodies import invalid


def encode_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode()


def decode_cursor(raw: str) -> list[str]:
    try:
        return base64.urlsafe_b64decode(raw.encode()).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid("cursor", "`cursor` is not a cursor this list returned") from None


def page_after(items: list, cursor_tag: str, limit: int) -> dict:
    """Cursor paging over an already sorted list of records: the page, and nextCursor / hasMore."""
    start = 0
    raw = request.args.get("cursor")
    if raw:
        parts = decode_cursor(raw)
        if len(parts) != 2 or parts[0] != cursor_tag:
            raise invalid("cursor", "`cursor` is not a cursor of this list and sort order")
        ids = [item.id for item in items]
        if parts[1] not in ids:
            raise invalid("cursor", "`cursor` points at an item that no longer exists")
        start = ids.index(parts[1]) + 1
    page = items[start:start + limit]
    has_more = start + limit < len(items)
    return {"page": page, "nextCursor": encode_cursor(cursor_tag, page[-1].id) if has_more and page else None,
            "hasMore": has_more}


def page_numbered(items: list, page: int, limit: int) -> list:
    """Page-based paging (templates, payments): page 1 is the first `limit` items."""
    return items[(page - 1) * limit:page * limit]


def newest_first_list(records, name: str, limit: int, shown) -> dict:
    """The `data` of a cursor-paged list of records kept in creation order (their `seq`), newest
    first (jobs, lookups): {name: [shown(record), …], "nextCursor", "hasMore"}."""
    paged = page_after(sorted(records, key=lambda record: record.seq, reverse=True), name, limit)
    return {name: [shown(record) for record in paged["page"]], "nextCursor": paged["nextCursor"],
            "hasMore": paged["hasMore"]}
