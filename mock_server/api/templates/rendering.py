"""Template rendering, as MsgFlash does it: contact, user, instance and custom values."""

from __future__ import annotations

from dataclasses import dataclass

from msgflash_lint import api


@dataclass(frozen=True)
class Rendered:
    text: str
    used: list[str]
    missing: list[str]


def invalid_template_details(body: str | None, field: str) -> list[dict]:
    """`details` for the findings that make MsgFlash answer TEMPLATE_INVALID (the registry's `api_error`)."""
    if not body:
        return []
    return [{"field": field, "message": f.message, "code": f.code}
            for f in api.check_template_body(body, field) if f.api_error == "TEMPLATE_INVALID" and f.is_error]


def render(body: str, contact: dict | None, user: dict, instance: dict | None, variables: dict) -> Rendered:
    """Fill each placeholder; one that has no value stays verbatim and is listed in `missing`."""
    pieces: list[str] = []
    used: list[str] = []
    missing: list[str] = []
    cursor = 0
    for placeholder in api.placeholders(body):
        value = _value(placeholder.path, contact, user, instance, variables)
        pieces.append(body[cursor:placeholder.start])
        if value is None:
            pieces.append(body[placeholder.start:placeholder.end])
            if placeholder.dotted not in missing:
                missing.append(placeholder.dotted)
        else:
            pieces.append(value)
            if placeholder.dotted not in used:
                used.append(placeholder.dotted)
        cursor = placeholder.end
    pieces.append(body[cursor:])
    return Rendered("".join(pieces), used, missing)


def _text(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _value(path: tuple[str, ...], contact, user, instance, variables) -> str | None:
    namespace, rest = path[0], path[1:]
    if namespace == "custom":
        return _text(variables.get(rest[0])) if len(rest) == 1 else None
    fields = api.namespace_fields()  # the same fields the linter accepts, so both agree on them
    if namespace not in fields or not rest or rest[0] not in fields[namespace]:
        return None
    if namespace == "user":
        return _text(user.get(rest[0])) if len(rest) == 1 else None
    if namespace == "instance":
        return _text(getattr(instance, rest[0], None)) if instance is not None and len(rest) == 1 else None
    if contact is None:
        return None
    field = rest[0]
    # How each contact field is read: `firstName` is derived, `tags` joined, `meta` walked.
    if field == "firstName" and len(rest) == 1:
        # Decision D6: the first word of `name`, unless the fixture gives one.
        return contact.firstName or (contact.name or "").split(" ")[0] or None
    if field not in ("tags", "meta") and len(rest) == 1:
        return _text(getattr(contact, field, None))
    if field == "tags" and len(rest) == 1:
        return ", ".join(contact.tags or [])
    if field == "meta" and len(rest) >= 2:
        value = contact.meta or {}
        for key in rest[1:]:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return _text(value)
    return None
