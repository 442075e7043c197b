"""What MsgFlash rejects at send time when a payload meets the template it names."""

from __future__ import annotations

from typing import NamedTuple

from msgflash_lint.registry import (
    TEMPLATE_CONTEXT_UNAVAILABLE,
    TEMPLATE_VARIABLES_MISSING,
    UNKNOWN_TEMPLATE,
)
from msgflash_lint.rules.payloads import KEY, VALUE, Violation
from msgflash_lint.templates import template_variables


class TemplateFacts(NamedTuple):
    id: str
    name: str
    variables: tuple[str, ...]

    @classmethod
    def from_document(cls, data) -> TemplateFacts | None:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            return None
        body = data.get("body") if isinstance(data.get("body"), str) else ""
        return cls(data["id"], str(data.get("name", data["id"])), tuple(template_variables(body)))

    @classmethod
    def from_text(cls, template_id: str, name: str, body: str) -> TemplateFacts:
        return cls(template_id, name, tuple(template_variables(body)))


def crossfile_fields(payload: dict) -> dict:
    """The part of a payload `crossfile_violations` reads, and nothing else: what a large run keeps
    of each payload naming a template until every template of the run is known."""
    kept = {"templateId": payload["templateId"]}
    if "variables" in payload:
        given = payload["variables"]
        kept["variables"] = dict.fromkeys(given) if isinstance(given, dict) else None
    if "contactId" in payload:
        kept["contactId"] = True
    return kept


def crossfile_violations(kind: str, payload: dict, templates: dict[str, TemplateFacts]) -> list[Violation]:
    template = templates.get(payload["templateId"].lower())
    if template is None:
        return [Violation(UNKNOWN_TEMPLATE,
                          f"no template file in this run or its project has id `{payload['templateId']}`",
                          ("templateId",), VALUE)]
    found: list[Violation] = []
    given = payload.get("variables") if isinstance(payload.get("variables"), dict) else {}
    missing = [v for v in template.variables
               if v.startswith("custom.") and v.count(".") == 1 and v.split(".", 1)[1] not in given]
    if missing:
        keys = ", ".join(f"`{name.split('.', 1)[1]}`" for name in missing)
        where = ("variables",) if "variables" in payload else ("templateId",)
        found.append(Violation(
            TEMPLATE_VARIABLES_MISSING,
            f"template `{template.name}` needs {', '.join(f'`{m}`' for m in missing)}; add "
            f"{keys} to `variables`",
            where, KEY if where == ("variables",) else VALUE))
    # Campaign recipients are contacts, so contact.* always has a context there.
    uses_contact = [v for v in template.variables if v.startswith("contact.")]
    if uses_contact and kind != "campaign" and "contactId" not in payload:
        found.append(Violation(
            TEMPLATE_CONTEXT_UNAVAILABLE,
            f"template `{template.name}` uses {', '.join(f'`{v}`' for v in uses_contact)} but the payload "
            "has no `contactId`",
            ("templateId",), VALUE))
    return found
