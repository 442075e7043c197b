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
from msgflash_lint.registry import (
    BUTTON_KIND_IN_TITLE,
    INVALID_FORMAT,
    INVALID_VALUE,
    LONG_TEXT,
    MISSING_FIELD,
    OUT_OF_RANGE,
    RECIPIENTS_VALUE_IGNORED,
    RULES_BY_NAME,
    TEMPLATE_MODE_IGNORES_CONTENT,
    TIMESTAMP_WITHOUT_OFFSET,
    UNKNOWN_PROPERTY,
    WRONG_TYPE,
    Rule,
)
from msgflash_lint.rules.placeholders import certain_typo, did_you_mean, sole_suggestion

# Where a violation points: the value, the member's key, or the object lacking a member.
VALUE, KEY, OBJECT = Target.VALUE, Target.KEY, Target.OBJECT

# The rule of each schema keyword's error (anything else: INVALID_VALUE).
_KEYWORD_RULES = {
    "required": MISSING_FIELD,
    "type": WRONG_TYPE,
    "enum": INVALID_VALUE,
    "const": INVALID_VALUE,
    "pattern": INVALID_FORMAT,
    "format": INVALID_FORMAT,
    "minLength": OUT_OF_RANGE,
    "maxLength": OUT_OF_RANGE,
    "minimum": OUT_OF_RANGE,
    "maximum": OUT_OF_RANGE,
    "exclusiveMinimum": OUT_OF_RANGE,
    "exclusiveMaximum": OUT_OF_RANGE,
    "minItems": OUT_OF_RANGE,
    "maxItems": OUT_OF_RANGE,
    "additionalProperties": UNKNOWN_PROPERTY,
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
    unsafe: bool = False  # the replacement is a guess, not certainly a typo (--unsafe-fixes)


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
    typed: dict[tuple, int] = {}
    for error in errors:
        for violation in _explain(kind, error, required_seen):
            if violation.rule is WRONG_TYPE:
                # Two branches of a schema may each state the type ("a string", "a string or
                # null"): one mistake, one finding, in the narrowest words (the shortest).
                seen = typed.get(violation.path)
                if seen is not None:
                    if len(violation.message) < len(violations[seen].message):
                        violations[seen] = violation
                    continue
                typed[violation.path] = len(violations)
            violations.append(violation)
    if isinstance(data, dict):
        schema = contract.load_schema(kind)
        violations.extend(_unknown(schema, contract.unknown_properties(kind, data), (),
                                   frozenset(contract.declared_properties(kind))))
    return violations


def _explain(kind: str, error, required_seen: dict):
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    custom = schema.get("x-msgflash-message")
    if custom:  # the schema words this error itself, and names its rule
        yield Violation(RULES_BY_NAME[schema.get("x-msgflash-rule", INVALID_VALUE.name)], custom, path)
    elif keyword in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        yield from _explain(kind, best_match(error.context), required_seen)
    elif keyword == "required":
        yield _missing(error, schema, path, required_seen)
    elif keyword == "additionalProperties":
        declared = frozenset(schema.get("properties", {}))
        yield from _unknown(schema, [name for name in error.instance if name not in declared], path, declared)
    else:
        label = f"`{field_label(path)}`" if path else "the payload"
        message, replacement = _worded(keyword, error, schema, label)
        unsafe = replacement is not None and keyword == "enum" and isinstance(error.instance, str) and \
            not certain_typo(error.instance, json.loads(replacement))
        yield Violation(_KEYWORD_RULES.get(keyword, INVALID_VALUE), message, path, replacement=replacement,
                        unsafe=unsafe)


def _missing(error, schema: dict, path: tuple, required_seen: dict) -> Violation:
    """One error per missing name, in the order of the `required` list."""
    missing = [name for name in error.validator_value if name not in error.instance]
    slot = (path, id(error.schema))
    index = required_seen.get(slot, 0)
    required_seen[slot] = index + 1
    name = missing[min(index, len(missing) - 1)]
    subject = schema.get("x-msgflash-subject", "this object")
    return Violation(MISSING_FIELD, f"{subject} need `{name}`", path, OBJECT)


def _worded(keyword: str, error, schema: dict, label: str) -> tuple[str, str | None]:
    """The plain message for a value the schema refuses, and the replacement when there is one right one."""
    instance, wanted, expected = error.instance, error.validator_value, schema.get("x-msgflash-expected")
    if keyword == "type":
        words = expected or " or ".join(_TYPE_WORDS.get(t, t) for t in (wanted if isinstance(wanted, list) else [wanted]))
        return f"{label} must be {words}", None
    if keyword in ("enum", "const"):
        choices = wanted if keyword == "enum" else [wanted]
        hint = did_you_mean(instance, [str(c) for c in choices]) if isinstance(instance, str) else ""
        sole = sole_suggestion(instance, [c for c in choices if isinstance(c, str)]) if isinstance(instance, str) else None
        return (f"{label} must be one of {', '.join(map(str, choices))}{hint}",
                json.dumps(sole, ensure_ascii=False) if sole else None)
    if keyword in ("pattern", "format"):
        shown = instance if len(str(instance)) <= 60 else str(instance)[:59] + "…"
        return f"{label} must be {expected or 'in the documented format'} (got `{shown}`)", None
    if keyword == "minLength":
        return (f"{label} must not be empty" if wanted == 1 else f"{label} needs at least {wanted} characters"), None
    if keyword == "maxLength":
        return f"{label} is {len(instance)} characters long; the limit is {wanted}", None
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        bounds = f"between {low} and {high}" if low is not None and high is not None else (
            f"at least {low}" if low is not None else f"at most {high}")
        return f"{label} must be {bounds} (got {instance})", None
    if keyword == "minItems":
        return f"{label} must list at least {wanted} item{'s' if wanted != 1 else ''}", None
    if keyword == "maxItems":
        return f"{label} holds {len(instance)} items; at most {wanted} are allowed", None
    return f"{label}: {error.message}", None


def _unknown(schema: dict, names, path: tuple, declared: frozenset[str]):
    subject = schema.get("x-msgflash-subject", "this object")
    aliases = schema.get("x-msgflash-aliases", {})
    for name in names:
        alias = aliases.get(name)
        # An alias is another API's name for one of ours (`lat`), or a sentence when ours differs in shape.
        hint = (f"; did you mean `{alias}`?" if " " not in alias else f"; {alias}") if alias else \
            did_you_mean(name, declared)
        yield Violation(UNKNOWN_PROPERTY, f"`{name}` is not a field of {subject}; MsgFlash ignores it{hint}",
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
            found.append(Violation(BUTTON_KIND_IN_TITLE,
                                   "give the button kind in `type`, not `title`",
                                   ("buttons", index, "title"), KEY, replacement='"type"'))
    # Campaigns refuse direct content beside `templateId` outright (their schema; the campaign page
    # says one content mode); messages ignore it, so there it is only advice (decision D2).
    if "templateId" in data and "type" not in data and kind != "campaign":
        for name in data:
            if properties.get(name, {}).get("x-msgflash-direct-content"):
                found.append(Violation(TEMPLATE_MODE_IGNORES_CONTENT,
                                       f"`{name}` is ignored when `templateId` is given: the template "
                                       "decides the content", (name,), KEY))
    for name, subschema in properties.items():
        value = data.get(name)
        if not isinstance(value, str) or (name,) in flagged:
            continue
        if subschema.get("$ref", "").endswith("#/$defs/timestamp") and not _OFFSET.search(value):
            found.append(Violation(TIMESTAMP_WITHOUT_OFFSET,
                                   f"`{name}` has no time-zone offset and is read as UTC; "
                                   "end it with `Z` or an offset such as `+01:00`", (name,)))
        limit = subschema.get("x-msgflash-warn-above")
        if limit is not None and len(value) > limit:
            found.append(Violation(LONG_TEXT,
                                   f"`{name}` is {len(value)} characters long; keep it to {limit} or fewer",
                                   (name,)))
    recipients = data.get("recipients")
    if isinstance(recipients, dict) and recipients.get("type") == "all" and "value" in recipients:
        found.append(Violation(RECIPIENTS_VALUE_IGNORED,
                               "`recipients.value` is ignored when `recipients.type` is `all`",
                               ("recipients", "value"), KEY))
    return found


def template_body_fields(kind: str) -> tuple[str, ...]:
    """Top-level fields whose string value is template text with placeholders."""
    return tuple(name for name, sub in contract.declared_properties(kind).items() if sub.get("x-msgflash-template-body"))


def payload_violations(kind: str, data, known_keys=None) -> list[Violation]:
    """Everything the linter reports for one JSON payload: contract, template bodies, advice."""
    from msgflash_lint.rules.placeholders import OPEN_KEYS
    from msgflash_lint.rules.template_text import check_template

    violations = contract_violations(kind, data)
    flagged = {v.path for v in violations}
    if isinstance(data, dict):
        for name in template_body_fields(kind):
            body = data.get(name)
            if isinstance(body, str) and (name,) not in flagged:
                for finding in check_template(body, known_keys or OPEN_KEYS):
                    violations.append(Violation(finding.rule, finding.message, (name,),
                                                string_range=(finding.start, finding.end),
                                                replacement=finding.replacement, unsafe=finding.unsafe))
    violations.extend(advisory_violations(kind, data, flagged))
    return violations
