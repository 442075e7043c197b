"""Schema errors → one plain-language violation each; plus the linter's advisory checks.

Which fields exist and what they require comes from schemas/ alone; this module only
words the errors (helped by `x-msgflash-*` annotations in the schemas) and adds the
warnings that are advice rather than contract (decisions D1, D2, D9, D17, D19).
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from msgflash_lint import contract
from msgflash_lint.positions import Target
from msgflash_lint.registry import Rule, rule_named
from msgflash_lint.rules.placeholders import did_you_mean, sole_suggestion

# Where a violation points: the value, the member's key, or the object lacking a member.
VALUE, KEY, OBJECT = Target.VALUE, Target.KEY, Target.OBJECT

_KEYWORD_RULES = {
    "required": "missing-field",
    "type": "wrong-type",
    "enum": "invalid-value",
    "const": "invalid-value",
    "pattern": "invalid-format",
    "format": "invalid-format",
    "minLength": "out-of-range",
    "maxLength": "out-of-range",
    "minimum": "out-of-range",
    "maximum": "out-of-range",
    "exclusiveMinimum": "out-of-range",
    "exclusiveMaximum": "out-of-range",
    "minItems": "out-of-range",
    "maxItems": "out-of-range",
    "additionalProperties": "unknown-property",
}
_TYPE_WORDS = {
    "string": "a string", "number": "a number", "integer": "a whole number", "object": "an object",
    "array": "a list", "boolean": "true or false", "null": "null",
}
_OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$")


class Violation(NamedTuple):
    rule: Rule
    message: str
    path: tuple  # JSON path of the value (or of the object, for OBJECT)
    target: Target = VALUE
    # For template bodies: offsets of the finding inside the decoded string value.
    string_range: tuple[int, int] | None = None
    # What replaces the target (raw JSON text for a value or key; decoded text inside a string
    # for `string_range`) when the mistake has exactly one right answer (--fix).
    replacement: str | None = None


def field_label(path) -> str:
    """`buttons[0].url` for ("buttons", 0, "url"): the dotted form used in messages and `details`."""
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label or "the payload"


def contract_violations(kind: str, data) -> list[Violation]:
    """Schema violations of `data` against `kind`, one per mistake, in the user's terms."""
    violations: list[Violation] = []
    required_seen: dict[tuple, int] = {}
    errors = contract.schema_errors(kind, data)
    if not isinstance(data, dict):
        # Every other keyword is meaningless on a non-object: report the one real mistake.
        errors = [error for error in errors if error.validator == "type" and not error.absolute_path]
    for error in errors:
        violations.extend(_explain(kind, error, required_seen))
    if isinstance(data, dict):
        schema = contract.load_schema(kind)
        violations.extend(_unknown(schema, contract.unknown_properties(kind, data), (),
                                   frozenset(contract.declared_properties(kind))))
    return violations


def _explain(kind: str, error, required_seen: dict):
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    label = f"`{field_label(path)}`" if path else "the payload"
    custom = schema.get("x-msgflash-message")
    if custom:
        yield Violation(rule_named(schema.get("x-msgflash-rule", "invalid-value")), custom, path)
        return
    if keyword in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        yield from _explain(kind, best_match(error.context), required_seen)
        return
    rule = rule_named(_KEYWORD_RULES.get(keyword, "invalid-value"))
    instance = error.instance
    expected = schema.get("x-msgflash-expected")
    if keyword == "required":
        # One error per missing name, in the order of the `required` list.
        missing = [name for name in error.validator_value if name not in instance]
        slot = (path, id(error.schema))
        index = required_seen.get(slot, 0)
        required_seen[slot] = index + 1
        name = missing[min(index, len(missing) - 1)]
        subject = schema.get("x-msgflash-subject", "this object")
        yield Violation(rule, f"{subject} need `{name}`", path, OBJECT)
    elif keyword == "type":
        if expected:
            yield Violation(rule, f"{label} must be {expected}", path)
        else:
            wanted = error.validator_value
            words = " or ".join(_TYPE_WORDS.get(t, t) for t in (wanted if isinstance(wanted, list) else [wanted]))
            yield Violation(rule, f"{label} must be {words}", path)
    elif keyword in ("enum", "const"):
        choices = error.validator_value if keyword == "enum" else [error.validator_value]
        hint = did_you_mean(instance, [str(c) for c in choices]) if isinstance(instance, str) else ""
        sole = sole_suggestion(instance, [c for c in choices if isinstance(c, str)]) if isinstance(instance, str) else None
        yield Violation(rule, f"{label} must be one of {', '.join(map(str, choices))}{hint}", path,
                        replacement=json.dumps(sole, ensure_ascii=False) if sole else None)
    elif keyword in ("pattern", "format"):
        shown = instance if len(str(instance)) <= 60 else str(instance)[:59] + "…"
        yield Violation(rule, f"{label} must be {expected or 'in the documented format'} (got `{shown}`)", path)
    elif keyword in ("minLength", "maxLength"):
        if keyword == "minLength" and error.validator_value == 1:
            yield Violation(rule, f"{label} must not be empty", path)
        elif keyword == "minLength":
            yield Violation(rule, f"{label} needs at least {error.validator_value} characters", path)
        else:
            yield Violation(rule, f"{label} is {len(instance)} characters long; the limit is "
                                  f"{error.validator_value}", path)
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        bounds = f"between {low} and {high}" if low is not None and high is not None else (
            f"at least {low}" if low is not None else f"at most {high}")
        yield Violation(rule, f"{label} must be {bounds} (got {instance})", path)
    elif keyword == "minItems":
        yield Violation(rule, f"{label} must list at least {error.validator_value} "
                              f"item{'s' if error.validator_value != 1 else ''}", path)
    elif keyword == "maxItems":
        yield Violation(rule, f"{label} holds {len(instance)} items; at most {error.validator_value} "
                              "are allowed", path)
    elif keyword == "additionalProperties":
        declared = frozenset(schema.get("properties", {}))
        yield from _unknown(schema, [name for name in instance if name not in declared], path, declared)
    else:
        yield Violation(rule, f"{label}: {error.message}", path)


def _unknown(schema: dict, names, path: tuple, declared: frozenset[str]):
    subject = schema.get("x-msgflash-subject", "this object")
    aliases = schema.get("x-msgflash-aliases", {})
    for name in names:
        hint = f"; did you mean `{aliases[name]}`?" if name in aliases else did_you_mean(name, declared)
        yield Violation(rule_named("unknown-property"), f"`{name}` is not a field of {subject}; MsgFlash ignores it{hint}",
                        (*path, name), KEY)


def advisory_violations(kind: str, data, flagged: set[tuple]) -> list[Violation]:
    """Warnings that are advice, not contract; `flagged` holds paths that already have an error."""
    if not isinstance(data, dict):
        return []
    properties = contract.declared_properties(kind)
    found: list[Violation] = []
    buttons = data.get("buttons")
    # Advice only ever looks at well-typed values; a wrong type already has its error.
    for index, button in enumerate(buttons if isinstance(buttons, list) else ()):
        if isinstance(button, dict) and "title" in button and "type" not in button:
            found.append(Violation(rule_named("button-kind-in-title"),
                                   "give the button kind in `type`, not `title`",
                                   ("buttons", index, "title"), KEY, replacement='"type"'))
    if "templateId" in data and "type" not in data:
        for name in data:
            if properties.get(name, {}).get("x-msgflash-direct-content"):
                found.append(Violation(rule_named("template-mode-ignores-content"),
                                       f"`{name}` is ignored when `templateId` is given: the template "
                                       "decides the content", (name,), KEY))
    for name, subschema in properties.items():
        value = data.get(name)
        if not isinstance(value, str) or (name,) in flagged:
            continue
        if subschema.get("$ref", "").endswith("#/$defs/timestamp") and not _OFFSET.search(value):
            found.append(Violation(rule_named("timestamp-without-offset"),
                                   f"`{name}` has no time-zone offset and is read as UTC; "
                                   "end it with `Z` or an offset such as `+01:00`", (name,)))
        limit = subschema.get("x-msgflash-warn-above")
        if limit is not None and len(value) > limit:
            found.append(Violation(rule_named("long-text"),
                                   f"`{name}` is {len(value)} characters long; keep it to {limit} or fewer",
                                   (name,)))
    recipients = data.get("recipients")
    if isinstance(recipients, dict) and recipients.get("type") == "all" and "value" in recipients:
        found.append(Violation(rule_named("recipients-value-ignored"),
                               "`recipients.value` is ignored when `recipients.type` is `all`",
                               ("recipients", "value"), KEY))
    return found


def template_body_fields(kind: str) -> tuple[str, ...]:
    """Top-level fields whose string value is template text with placeholders."""
    return tuple(name for name, sub in contract.declared_properties(kind).items() if sub.get("x-msgflash-template-body"))


def payload_violations(kind: str, data, known_keys=None) -> list[Violation]:
    """Everything the linter reports for one JSON payload: contract, template bodies, advice."""
    from msgflash_lint.rules.placeholders import OPEN_KEYS, check_template

    violations = contract_violations(kind, data)
    flagged = {v.path for v in violations}
    if isinstance(data, dict):
        for name in template_body_fields(kind):
            body = data.get(name)
            if isinstance(body, str) and (name,) not in flagged:
                for finding in check_template(body, known_keys or OPEN_KEYS):
                    violations.append(Violation(finding.rule, finding.message, (name,),
                                                string_range=(finding.start, finding.end),
                                                replacement=finding.replacement))
    violations.extend(advisory_violations(kind, data, flagged))
    return violations
