"""Namespace and field rules for template placeholders, on top of the syntax in templates.py."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from msgflash_lint.registry import (
    CUSTOM_KEY_TOO_DEEP,
    MISSING_NAMESPACE,
    PLACEHOLDER_WITHOUT_FIELD,
    SPACES_INSIDE_BRACES,
    UNKNOWN_FIELD,
    UNKNOWN_NAMESPACE,
    UNSUPPORTED_CONSTRUCT,
    Rule,
)
from msgflash_lint.templates import CLOSE, MAX_PROBLEMS, OPEN, Placeholder, TextFinding, parsed_lines

# Fields MsgFlash resolves by itself (the front-end spec's list, docs/decisions.md §4). `meta` takes
# any nested key; `custom` takes one key from the request's `variables` (decision D6).
# What MsgFlash fills each with (the digest's namespace table, D6): editors show it on hover.
FIELD_MEANINGS: dict[str, dict[str, str]] = {
    "contact": {
        "name": "the contact's name",
        "firstName": "the first word of the contact's name",
        "phone": "the contact's phone number (E.164)",
        "tags": "the contact's tags, joined by \", \"",
        "meta": "a key of the contact's `meta` object, as in `contact.meta.city` (nested keys allowed)",
    },
    "user": {
        "fullName": "the full name of the account's user",
        "email": "the email address of the account's user",
        "phone": "the phone number of the account's user",
    },
    "instance": {"name": "the name of the WhatsApp instance that sends (or previews) the message"},
}
NAMESPACE_MEANINGS: dict[str, str] = {
    "contact": "the contact named by the request's `contactId`",
    "user": "the account's user",
    "instance": "the sending (or preview) instance",
    "custom": "one key of the request's `variables`: `{{custom.code}}` takes `variables.code`",
}
CLOSED_NAMESPACES: dict[str, tuple[str, ...]] = {name: tuple(fields) for name, fields in FIELD_MEANINGS.items()}
NAMESPACES = (*CLOSED_NAMESPACES, "custom")
# Block keywords of other engines that parse as a bare path, such as `{{else}}`.
_BARE_KEYWORDS = frozenset({"else", "endif", "endfor", "endeach", "endunless", "endwith"})


class KnownKeys(NamedTuple):
    """Team configuration that closes `contact.meta.*` or `custom.*` to a list of keys."""

    meta: frozenset[str] | None = None
    custom: frozenset[str] | None = None


OPEN_KEYS = KnownKeys()


def placeholder_findings(text: str, known: KnownKeys = OPEN_KEYS) -> list[TextFinding]:
    """Syntax and namespace findings, line by line, with offsets into `text`; parsing stops once
    MAX_PROBLEMS are found (the template stage, rules/template_text.py, caps and notes them)."""
    findings: list[TextFinding] = []
    if OPEN not in text and CLOSE not in text:
        return findings
    for placeholders, problems in parsed_lines(text):
        findings.extend(problems)  # the grammar's syntax problems are findings as they stand
        for placeholder in placeholders:
            findings.extend(_check_placeholder(placeholder, known))
        if len(findings) >= MAX_PROBLEMS:
            break  # the rest is not even parsed
    return findings


class _Findings:
    """Findings about one placeholder: over its whole `{{…}}`, or over its path with a fix to `fixed`."""

    def __init__(self, placeholder: Placeholder) -> None:
        self.placeholder = placeholder
        self.shown = f"`{{{{{placeholder.dotted}}}}}`"

    def whole(self, rule: Rule, message: str) -> TextFinding:
        placeholder = self.placeholder
        return TextFinding(rule, placeholder.start, placeholder.end, message,
                           f"{{{{{placeholder.dotted}}}}}" if rule is SPACES_INSIDE_BRACES else None)

    def path(self, rule: Rule, message: str, fixed: tuple[str, ...] | None = None,
             unsafe: bool = False) -> TextFinding:
        """`fixed`: the one right path, when there is one (the fix rewrites the path to it); `unsafe`:
        it is a guess, not certainly a typo, applied only with --unsafe-fixes."""
        placeholder = self.placeholder
        return TextFinding(rule, placeholder.path_start, placeholder.path_end, message,
                           ".".join(fixed) if fixed else None, unsafe)


def _check_placeholder(placeholder: Placeholder, known: KnownKeys):
    finding = _Findings(placeholder)
    path = placeholder.path
    if placeholder.padded:
        yield finding.whole(SPACES_INSIDE_BRACES, f"write {finding.shown} without spaces inside the braces")
    namespace = path[0]
    if len(path) == 1:
        yield _bare_name(finding, namespace)
    elif namespace not in NAMESPACES:
        sole = sole_suggestion(namespace, NAMESPACES)
        yield finding.path(UNKNOWN_NAMESPACE, f"unknown namespace `{namespace}`"
                           + (did_you_mean(namespace, NAMESPACES) or "; use contact, user, instance or custom"),
                           fixed=(sole, *path[1:]) if sole else None,
                           unsafe=bool(sole) and not certain_typo(namespace, sole))
    elif namespace == "custom":
        yield from _custom_key(finding, path, known)
    else:
        yield from _closed_field(finding, path, known)


def _bare_name(finding: _Findings, namespace: str) -> TextFinding:
    """`{{name}}`: a namespace without its field, a template keyword, or a field without its namespace."""
    if namespace in NAMESPACES:
        example = "custom.code" if namespace == "custom" else f"{namespace}.{CLOSED_NAMESPACES[namespace][0]}"
        return finding.path(PLACEHOLDER_WITHOUT_FIELD,
                            f"{finding.shown} names a namespace without a field, as in `{{{{{example}}}}}`")
    if namespace in _BARE_KEYWORDS:
        return finding.whole(UNSUPPORTED_CONSTRUCT,
                             f"conditions and loops are not supported by MsgFlash templates: {finding.shown}")
    # One namespace holds the field (whatever its case): the fix has one right answer.
    owners = [(ns, f) for ns, fields in CLOSED_NAMESPACES.items() for f in fields
              if f.lower() == namespace.lower() and f != "meta"]
    return finding.path(MISSING_NAMESPACE, f"{finding.shown} has no namespace{_namespace_hint(namespace)}",
                        fixed=owners[0] if len(owners) == 1 else None)


def _custom_key(finding: _Findings, path: tuple[str, ...], known: KnownKeys):
    if len(path) > 2:
        yield finding.path(CUSTOM_KEY_TOO_DEEP,
                           f"{finding.shown}: `custom` takes one key, filled from the flat `variables` object")
    elif known.custom is not None and path[1] not in known.custom:
        yield finding.path(UNKNOWN_FIELD, f"`custom.{path[1]}` is not among the configured custom keys"
                                          f"{did_you_mean(path[1], known.custom)}")


def _closed_field(finding: _Findings, path: tuple[str, ...], known: KnownKeys):
    """contact, user and instance: documented fields only; `contact.meta` takes one key."""
    namespace, field = path[0], path[1]
    fields = CLOSED_NAMESPACES[namespace]
    if field not in fields:
        sole = sole_suggestion(field, fields)
        yield finding.path(UNKNOWN_FIELD, f"`{namespace}` has no field `{field}`"
                           + (did_you_mean(field, fields) or f"; known fields: {', '.join(fields)}"),
                           fixed=(namespace, sole, *path[2:]) if sole else None,
                           unsafe=bool(sole) and not certain_typo(field, sole))
    elif field == "meta":
        if len(path) == 2:
            yield finding.path(PLACEHOLDER_WITHOUT_FIELD,
                               f"{finding.shown} needs a key, as in `{{{{contact.meta.city}}}}`")
        elif known.meta is not None and path[2] not in known.meta:
            yield finding.path(UNKNOWN_FIELD, f"`contact.meta.{path[2]}` is not among the configured meta keys"
                                              f"{did_you_mean(path[2], known.meta)}")
    elif len(path) > 2:
        yield finding.path(UNKNOWN_FIELD, f"`{namespace}.{field}` has no sub-fields: {finding.shown}")


@lru_cache(maxsize=4096)
def _namespace_hint(name: str) -> str:
    owners = [ns for ns, fields in CLOSED_NAMESPACES.items() if name in fields and name != "meta"]
    if owners:
        return f"; did you mean `{owners[0]}.{name}`?"
    import difflib

    close = difflib.get_close_matches(name, [f for fields in CLOSED_NAMESPACES.values() for f in fields], n=1)
    if close:
        owner = next(ns for ns, fields in CLOSED_NAMESPACES.items() if close[0] in fields)
        return f"; did you mean `{owner}.{close[0]}`?"
    return f"; write `custom.{name}` for a value sent in `variables`"


# How alike (difflib's ratio) a name must be to one of ours to be suggested at all: 0.6, difflib's
# default, suggested `description` for `sections` (0.63) and `name` for `nickname` (0.67); 0.7
# keeps every slip of one or two letters in the names we have (`instnace` 0.88, `wkly` 0.8).
SIMILARITY_CUTOFF = 0.7


def did_you_mean(word: str, choices) -> str:
    """"; did you mean `x`?" or "" — shared with the payload rules and the configuration."""
    return _did_you_mean(word, tuple(choices))


def sole_suggestion(word: str, choices) -> str | None:
    """The one choice `word` was meant to be, or None when there is none or more than one (no fix then)."""
    return _sole_suggestion(word, tuple(choices))


def certain_typo(word: str, name: str) -> bool:
    """Whether `word` is certainly a typo of `name`, so that `--fix` may rewrite it (a safe fix): the
    same letters in another case, or one slip — a letter missing, added, replaced, or two neighbours
    swapped — counted without case (two slips for names of 9 letters or more). Anything further is
    a guess: `lastName` is not a typo of `firstName`, and only `--unsafe-fixes` writes it."""
    a, b = word.lower(), name.lower()
    if a == b:
        return True
    allowed = 1 if len(b) <= 8 else 2
    if abs(len(a) - len(b)) > allowed:
        return False
    # Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one part).
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1] <= allowed


@lru_cache(maxsize=4096)
def _sole_suggestion(word: str, choices: tuple[str, ...]) -> str | None:
    lowered = [choice for choice in choices if choice.lower() == word.lower()]
    if lowered:
        return lowered[0] if len(lowered) == 1 else None
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=2, cutoff=SIMILARITY_CUTOFF)
    return close[0] if len(close) == 1 else None


@lru_cache(maxsize=4096)
def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    # Cached: a large template repeats the same typo thousands of times.
    lowered = {choice.lower(): choice for choice in choices}
    if word.lower() in lowered:
        return f"; did you mean `{lowered[word.lower()]}`?"
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=SIMILARITY_CUTOFF)
    return f"; did you mean `{close[0]}`?" if close else ""
