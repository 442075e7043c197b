"""The template stage: what a template text is checked for, placeholder by placeholder and as a whole.

Per placeholder (syntax, namespaces, fields) is rules/placeholders.py; what concerns the text as
a whole is here, after it: today the bound on findings, so that a 2 MiB template with
thousands of mistakes stays fast and its report readable. A new rule over a whole template
text (its length, say) is one more function called from `check_template`.
"""

from __future__ import annotations

from msgflash_lint.rules.placeholders import OPEN_KEYS, KnownKeys, placeholder_findings
from msgflash_lint.templates import MAX_PROBLEMS, TextFinding


def check_template(text: str, known: KnownKeys = OPEN_KEYS) -> list[TextFinding]:
    """Every finding in a template text, with offsets into `text`: the first MAX_PROBLEMS of them."""
    return capped(placeholder_findings(text, known))


def capped(findings: list[TextFinding]) -> list[TextFinding]:
    """The first MAX_PROBLEMS findings in text order, the last one saying that the rest is not checked."""
    if len(findings) < MAX_PROBLEMS:
        return findings
    findings.sort(key=lambda f: (f.start, f.end))
    last = findings[MAX_PROBLEMS - 1]
    findings[MAX_PROBLEMS - 1:] = [TextFinding(
        last.rule, last.start, last.end, f"{last.message} (the rest of this template is not checked: "
                                         f"{MAX_PROBLEMS} findings is the most reported per template)")]
    return findings
