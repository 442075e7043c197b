"""The docs' generated parts stay in step with the code, and the README keeps its first screen."""

import os
import re
from pathlib import Path

from msgflash_lint.registry import GUESSING_RULES, RULES

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
RULES_DOC = ROOT / "docs" / "rules.md"


def _fixability(rule) -> str:
    if not rule.fixable:
        return "—"
    return "safe if certainly a typo; else `--unsafe-fixes`" if rule.code in GUESSING_RULES else "yes (safe)"


def rule_table() -> str:
    rows = ["| Code | Name | Severity | What it catches | MsgFlash answers | `--fix` |", "|---|---|---|---|---|---|"]
    for rule in RULES:
        rows.append(f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.summary} | "
                    f"{rule.api_error or '—'} | {_fixability(rule)} |")
    return "\n".join(rows) + "\n"


def rules_document() -> str:
    """docs/rules.md: the table, then each rule as `msgflash-lint rules CODE` tells it."""
    parts = ["# Rules\n",
             "<!-- generated from msgflash_lint/registry.py by tests/test_docs.py; "
             "MSGFLASH_UPDATE_GOLDEN=1 pytest tests/test_docs.py rewrites it -->\n",
             "Codes are grouped by family: `MFL0xx` input files, `MFL1xx` placeholders, `MFL2xx` payload "
             "contract, `MFL3xx` checks across files. A code is never reused; `--select` and `--ignore` take "
             "codes, prefixes (`MFL1`) and names. `msgflash-lint rules CODE` prints one rule as below. The `--fix` "
             "column says whether `--fix` writes the fix (safe) or only `--unsafe-fixes` may (a guess).\n",
             rule_table()]
    for rule in RULES:
        label = f" ({rule.example_kind})" if rule.example_kind else ""
        parts.append(f"## {rule.code} `{rule.name}`\n\n{rule.summary} Severity: {rule.severity.value}."
                     + (f" MsgFlash answers `{rule.api_error}`." if rule.api_error else "")
                     + (" Fixable with `--fix`." if rule.fixable else "")
                     + (" The fix is safe, and `--fix` writes it, only when the name is certainly a typo of the "
                        "one documented name it is close to (see the fix safety rule in linter.md); a farther guess "
                        "is only named in the message, and `--unsafe-fixes` writes it." if rule.code in GUESSING_RULES
                        else "") + "\n\n"
                     f"**Why.** {rule.rationale}\n\n**Fix.** {rule.fix}\n\n"
                     f"Fails{label}:\n\n```text\n{rule.bad or '(an empty file)'}\n```\n\n"
                     f"Passes{label}:\n\n```text\n{rule.good}\n```\n")
    return "\n".join(parts)


def test_the_rules_document_is_generated_from_the_registry() -> None:
    if os.environ.get("MSGFLASH_UPDATE_GOLDEN"):
        RULES_DOC.write_text(rules_document(), encoding="utf-8")
    assert RULES_DOC.read_text(encoding="utf-8") == rules_document()


def test_every_rule_has_a_section_in_the_rules_document() -> None:
    text = RULES_DOC.read_text(encoding="utf-8")
    assert [m.group(1) for m in re.finditer(r"^## (MFL\d{3}) ", text, re.M)] == [rule.code for rule in RULES]


def test_readme_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join(README.read_text(encoding="utf-8").splitlines()[:15])
    assert "pip install . && msgflash-lint check examples/" in first_screen
    assert "pip install '.[test]' && pytest" in first_screen


def test_every_docs_link_in_the_readme_and_docs_resolves() -> None:
    for page in [README, *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(((?!https?:)[^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"


def test_every_decision_the_code_cites_is_written_in_the_decisions_page() -> None:
    decisions = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    written = set(re.findall(r"^## (D\d+|§\d+)\b", decisions, re.M))
    cited = set()
    for package in ("msgflash_lint", "mock_server", "schemas", "tests"):
        for path in (ROOT / package).rglob("*"):
            if path.suffix in (".py", ".json") and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")  # test inputs may be broken on purpose
                cited |= set(re.findall(r"\b(D\d{1,2})\b", text))
                cited |= {f"§{n}" for n in re.findall(r"§(\d)", text)}
    assert cited and cited <= written, sorted(cited - written)


def test_the_readme_shows_what_linting_the_examples_prints() -> None:
    """The first screen's sample output is the real one: its lines and its summary (examples/node's
    package.json is the skipped file)."""
    from click.testing import CliRunner

    from msgflash_lint.cli import cli

    sample = re.search(r"What the first command prints \(abridged\):\n\n```text\n(.*?)```", README.read_text(),
                       re.S).group(1).splitlines()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        output = CliRunner().invoke(cli, ["check", "examples/"]).stdout.splitlines()
    finally:
        os.chdir(cwd)
    assert sample[-1] == output[-1]
    assert all(line in output for line in sample[:-1] if line != "...")
