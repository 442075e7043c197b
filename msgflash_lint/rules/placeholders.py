"""Namespace and field rules for template placeholders, on top of the syntax in templates.py."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from msgflash_lint.registry import rule_named
from msgflash_lint.templates import CLOSE, MAX_PROBLEMS, OPEN, Placeholder, TextFinding, parsed_lines

# Fields MsgFlash resolves by itself (the front-end spec's list, digest §4). `meta` takes
# any nested key; `custom` takes one key from the request's `variables` (decision D6).
CLOSED_NAMESPACES: dict[str, tuple[str, ...]] = {
    "contact": ("name", "firstName", "phone", "tags", "meta"),
    "user": ("fullName", "email", "phone"),
    "instance": ("name",),
}
NAMESPACES = (*CLOSED_NAMESPACES, "custom")
# Block keywords of other engines that parse as a bare path, such as `{{else}}`.
_BARE_KEYWORDS = frozenset({"else", "endif", "endfor", "endeach", "endunless", "endwith"})


class KnownKeys(NamedTuple):
    """Team configuration that closes `contact.meta.*` or `custom.*` to a list of keys."""

    meta: frozenset[str] | None = None
    custom: frozenset[str] | None = None


OPEN_KEYS = KnownKeys()


def check_template(text: str, known: KnownKeys = OPEN_KEYS) -> list[TextFinding]:
    """Every placeholder finding in `text`, with offsets into `text`, the first MAX_PROBLEMS of them.

    A template with thousands of mistakes gets its first MAX_PROBLEMS findings and a note on
    the last one, as for syntax problems: a 2 MiB file stays fast and its report readable.
    """
    findings: list[TextFinding] = []
    if OPEN not in text and CLOSE not in text:
        return findings
    for placeholders, problems in parsed_lines(text):
        findings.extend(problems)  # the grammar's syntax problems are findings as they stand
        for placeholder in placeholders:
            findings.extend(_check_placeholder(placeholder, known))
        if len(findings) >= MAX_PROBLEMS:
            break  # the rest is not even parsed
    if len(findings) >= MAX_PROBLEMS:
        findings.sort(key=lambda f: (f.start, f.end))
        last = findings[MAX_PROBLEMS - 1]
        findings[MAX_PROBLEMS - 1:] = [TextFinding(
            last.rule, last.start, last.end, f"{last.message} (the rest of this template is not checked: "
                                             f"{MAX_PROBLEMS} findings is the most reported per template)")]
    return findings


def _check_placeholder(placeholder: Placeholder, known: KnownKeys):
    def finding(name: str, message: str, whole: bool = False, fixed: tuple[str, ...] | None = None) -> TextFinding:
        """`fixed`: the one right path, when there is one (the fix rewrites the path to it)."""
        rule = rule_named(name)
        if whole:
            return TextFinding(rule, placeholder.start, placeholder.end, message,
                               f"{{{{{placeholder.dotted}}}}}" if name == "spaces-inside-braces" else None)
        return TextFinding(rule, placeholder.path_start, placeholder.path_end, message,
                           ".".join(fixed) if fixed else None)

    path = placeholder.path
    shown = f"`{{{{{placeholder.dotted}}}}}`"
    if placeholder.padded:
        yield finding("spaces-inside-braces",
                      f"write {shown} without spaces inside the braces", whole=True)
    namespace = path[0]
    if len(path) == 1:
        # One namespace holds the field (whatever its case): the fix has one right answer.
        owners = [(ns, f) for ns, fields in CLOSED_NAMESPACES.items() for f in fields
                  if f.lower() == namespace.lower() and f != "meta"]
        if namespace in NAMESPACES:
            example = "custom.code" if namespace == "custom" else f"{namespace}.{CLOSED_NAMESPACES[namespace][0]}"
            yield finding("placeholder-without-field",
                          f"{shown} names a namespace without a field, as in `{{{{{example}}}}}`")
        elif namespace in _BARE_KEYWORDS:
            yield finding("unsupported-construct",
                          f"conditions and loops are not supported by MsgFlash templates: {shown}",
                          whole=True)
        else:
            yield finding("missing-namespace", f"{shown} has no namespace{_namespace_hint(namespace)}",
                          fixed=owners[0] if len(owners) == 1 else None)
        return
    if namespace not in NAMESPACES:
        sole = sole_suggestion(namespace, NAMESPACES)
        yield finding("unknown-namespace",
                      f"unknown namespace `{namespace}`"
                      + (did_you_mean(namespace, NAMESPACES) or "; use contact, user, instance or custom"),
                      fixed=(sole, *path[1:]) if sole else None)
        return
    if namespace == "custom":
        if len(path) > 2:
            yield finding("custom-key-too-deep",
                          f"{shown}: `custom` takes one key, filled from the flat `variables` object")
        elif known.custom is not None and path[1] not in known.custom:
            yield finding("unknown-field",
                          f"`custom.{path[1]}` is not among the configured custom keys"
                          f"{did_you_mean(path[1], known.custom)}")
        return
    fields = CLOSED_NAMESPACES[namespace]
    field = path[1]
    if field not in fields:
        sole = sole_suggestion(field, fields)
        yield finding("unknown-field",
                      f"`{namespace}` has no field `{field}`"
                      + (did_you_mean(field, fields) or f"; known fields: {', '.join(fields)}"),
                      fixed=(namespace, sole, *path[2:]) if sole else None)
    elif field == "meta":
        if len(path) == 2:
            yield finding("placeholder-without-field",
                          f"{shown} needs a key, as in `{{{{contact.meta.city}}}}`")
        elif known.meta is not None and path[2] not in known.meta:
            yield finding("unknown-field",
                          f"`contact.meta.{path[2]}` is not among the configured meta keys"
                          f"{did_you_mean(path[2], known.meta)}")
    elif len(path) > 2:
        yield finding("unknown-field", f"`{namespace}.{field}` has no sub-fields: {shown}")


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


def did_you_mean(word: str, choices) -> str:
    """"; did you mean `x`?" or "" — shared with the payload rules and the configuration."""
    return _did_you_mean(word, tuple(choices))


def sole_suggestion(word: str, choices) -> str | None:
    """The one choice `word` was meant to be, or None when there is none or more than one (no fix then)."""
    return _sole_suggestion(word, tuple(choices))


@lru_cache(maxsize=4096)
def _sole_suggestion(word: str, choices: tuple[str, ...]) -> str | None:
    lowered = [choice for choice in choices if choice.lower() == word.lower()]
    if lowered:
        return lowered[0] if len(lowered) == 1 else None
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=2, cutoff=0.6)
    return close[0] if len(close) == 1 else None


@lru_cache(maxsize=4096)
def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    # Cached: a large template repeats the same typo thousands of times.
    lowered = {choice.lower(): choice for choice in choices}
    if word.lower() in lowered:
        return f"; did you mean `{lowered[word.lower()]}`?"
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""
