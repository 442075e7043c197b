"""Query parameters, declared once: the views read them, and /openapi.json describes them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from flask import request

from mock_server.web.bodies import invalid

_NUMBER = re.compile(r"[0-9]{1,15}")
MESSAGE_STATUSES = ("queued", "sent", "delivered", "read", "failed", "received")


@dataclass(frozen=True)
class Query:
    name: str
    schema: dict = field(default_factory=lambda: {"type": "string"})

    @cached_property
    def _validator(self):
        from jsonschema import Draft202012Validator

        return Draft202012Validator(self.schema)

    def read(self):
        """The parameter's value (its default when absent), or VALIDATION_ERROR."""
        raw = request.args.get(self.name)
        if raw is None:
            return self.schema.get("default")
        value: object = raw
        if self.schema.get("type") == "integer":
            # ASCII digits only (`isdigit()` also accepts "²"), and few enough for int().
            value = int(raw) if _NUMBER.fullmatch(raw) else raw
        if not self._validator.is_valid(value):
            raise invalid(self.name, f"`{self.name}` must be {self.expected()}")
        return value

    def expected(self) -> str:
        schema = self.schema
        if "enum" in schema:
            return "one of " + ", ".join(schema["enum"])
        if schema.get("type") == "integer":
            if "maximum" in schema:
                return f"a whole number from {schema['minimum']} to {schema['maximum']}"
            return f"a whole number, at least {schema['minimum']}"
        return f"{schema.get('minLength', 0)} to {schema.get('maxLength')} characters"


def takes(*queries: Query):
    """Declare a view's query parameters (read by mock_server.openapi)."""
    def mark(view):
        view.query_params = queries
        return view
    return mark


CURSOR = Query("cursor")
# Decision D15: lists default to 50 items, 100 at most; templates page by 20 (their page).
LIMIT = Query("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 50})
TEMPLATE_LIMIT = Query("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20})
# Bulk jobs page by 20 (their French page); number lookups' page gives no default (D15: 50).
JOB_LIMIT = Query("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20})
PAGE = Query("page", {"type": "integer", "minimum": 1, "default": 1})
SEARCH = Query("search", {"type": "string", "minLength": 1, "maxLength": 100})
SORT = Query("sort", {"enum": ["createdAt_desc", "name_asc"], "default": "createdAt_desc"})
MESSAGE_STATUS = Query("status", {"enum": list(MESSAGE_STATUSES)})
INSTANCE_FILTER = Query("instanceId")
