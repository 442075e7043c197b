"""The README's generated parts stay in step with the code."""

import os
import re
from pathlib import Path

from msgflash_lint.registry import RULES

README = Path(__file__).resolve().parent.parent / "README.md"
_SECTION = re.compile(r"(<!-- rules:start[^\n]*-->\n)(.*?)(<!-- rules:end -->)", re.S)


def rule_table() -> str:
    rows = ["| Code | Name | Severity | What it catches | MsgFlash answers | `--fix` |", "|---|---|---|---|---|---|"]
    for rule in RULES:
        rows.append(f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.summary} | "
                    f"{rule.api_error or '—'} | {'yes' if rule.fixable else '—'} |")
    return "\n".join(rows) + "\n"


def test_readme_rule_table_is_generated_from_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    if os.environ.get("MSGFLASH_UPDATE_GOLDEN"):
        text = _SECTION.sub(lambda m: m.group(1) + rule_table() + m.group(3), text)
        README.write_text(text, encoding="utf-8")
    match = _SECTION.search(text)
    assert match, "the README lost its rules markers"
    assert match.group(2) == rule_table()


def test_readme_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join(README.read_text(encoding="utf-8").splitlines()[:15])
    assert "pip install . && msgflash-lint check examples/" in first_screen
    assert "pip install '.[test]' && pytest" in first_screen
