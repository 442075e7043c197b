"""[tool.msgflash-lint] in pyproject.toml → LintOptions; unknown keys and bad values are errors.

    [tool.msgflash-lint]
    select = ["MFL1", "MFL2"]              # code prefixes to report (default: all)
    ignore = ["MFL207"]                    # code prefixes never reported
    exclude = ["fixtures/*"]               # globs of paths not checked
    kinds = {"campaigns/*.json" = "campaign"}            # globs → kind, before content detection
    per-file-ignores = {"legacy/*" = ["MFL2"]}            # globs → code prefixes
    severity = {"MFL111" = "error"}                      # code → error | warning
    fail-level = "warning"                 # what makes the run exit 1 (default "error")
    cross-file = ["campaigns/**/*.json", "copy/*.txt"]   # where counterparts live (default: the hooks' patterns)
    template-ids = {"copy/welcome.txt" = "6f1c2b9e-8d4a-4c3b-9e2f-1a7d5c3b8e90"}   # text template → its id
    known-keys = {"contact.meta" = ["city"], "custom" = ["code"]}   # close these namespaces

Globs are matched against paths relative to the directory holding the configuration
(`*` crosses `/`), and against the path as given on the command line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from msgflash_lint.counterparts import UUID, CrossFileSettings
from msgflash_lint.diagnostics import FAIL_LEVELS, Severity
from msgflash_lint.documents import DEFAULT_KIND_PATTERNS, KINDS
from msgflash_lint.linter import LintOptions
from msgflash_lint.paths import path_matches
from msgflash_lint.registry import RULES_BY_CODE
from msgflash_lint.rules.placeholders import KnownKeys

SECTION = "msgflash-lint"
KEYS = ("select", "ignore", "exclude", "kinds", "per-file-ignores", "severity", "known-keys", "fail-level",
        "cross-file", "template-ids")


class ConfigError(ValueError):
    pass


class Config(NamedTuple):
    path: Path | None
    table: dict


def find_config(paths: list[str], start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml with a [tool.msgflash-lint] table, walking up from the files checked."""
    anchors = [Path(p) for p in paths if p != "-"] or [start or Path.cwd()]
    # abspath, not resolve(): a symlink loop or an unreadable folder among the paths is
    # reported by the linter as a finding, so looking for the configuration must not fail on it.
    directory = Path(os.path.commonpath([os.path.abspath(a) for a in anchors]))
    if not _stat_is(directory, stat.S_ISDIR):
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if _stat_is(pyproject, stat.S_ISREG) and SECTION in _tool_tables(pyproject):
            return pyproject
    return None


def _stat_is(path: Path, kind) -> bool:
    try:
        return kind(os.stat(path).st_mode)
    except OSError:  # missing, unreadable folder on the way, symlink loop
        return False


def load_config(path: Path) -> Config:
    tables = _tool_tables(path)
    if SECTION not in tables:
        raise ConfigError(f"{path}: no [tool.{SECTION}] table")
    table = tables[SECTION]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    return Config(path, table)


def _tool_tables(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle).get("tool", {})
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def apply_config(config: Config, options: LintOptions, *, cli_select: tuple[str, ...] = (),
                 cli_ignore: tuple[str, ...] = ()) -> LintOptions:
    """Defaults ← configuration file ← command line."""
    table = config.table
    where = f"{config.path}: [tool.{SECTION}]"
    for key in table:
        if key not in KEYS:
            from msgflash_lint.rules.placeholders import did_you_mean

            raise ConfigError(f"{where} unknown key `{key}`{did_you_mean(key, KEYS)}")
    root = config.path.parent if config.path else Path.cwd()
    select = _codes(table.get("select", []), f"{where} select")
    ignore = _codes(table.get("ignore", []), f"{where} ignore")
    exclude = _strings(table.get("exclude", []), f"{where} exclude")
    kinds = _mapping(table.get("kinds", {}), f"{where} kinds")
    for pattern, kind in kinds.items():
        if kind not in KINDS or kind == "auto":
            raise ConfigError(f"{where} kinds: `{pattern}` maps to `{kind}`; use one of {', '.join(KINDS[1:])}")
    per_file = _mapping(table.get("per-file-ignores", {}), f"{where} per-file-ignores")
    severity = _mapping(table.get("severity", {}), f"{where} severity")
    overrides: dict[str, Severity] = {}
    for code, level in severity.items():
        if code not in RULES_BY_CODE:
            raise ConfigError(f"{where} severity: no rule `{code}`")
        if level not in ("error", "warning"):
            raise ConfigError(f"{where} severity: `{code}` must be \"error\" or \"warning\", not {level!r}")
        overrides[code] = Severity(level)
    known = _mapping(table.get("known-keys", {}), f"{where} known-keys")
    for namespace in known:
        if namespace not in ("contact.meta", "custom"):
            raise ConfigError(f"{where} known-keys: `{namespace}` cannot be closed; use contact.meta or custom")
    known_keys = KnownKeys(
        meta=frozenset(_strings(known["contact.meta"], f"{where} known-keys")) if "contact.meta" in known else None,
        custom=frozenset(_strings(known["custom"], f"{where} known-keys")) if "custom" in known else None,
    )
    cross_file_globs = tuple(_strings(table.get("cross-file", []), f"{where} cross-file"))
    template_ids = _mapping(table.get("template-ids", {}), f"{where} template-ids")
    for template_path, template_id in template_ids.items():
        if not isinstance(template_id, str) or not UUID.fullmatch(template_id):
            raise ConfigError(f"{where} template-ids: `{template_path}` must map to the template's UUID, "
                              f"not {template_id!r}")
    fail_level = table.get("fail-level", options.fail_level)
    if fail_level not in FAIL_LEVELS:
        raise ConfigError(f"{where} fail-level must be \"error\" or \"warning\", not {fail_level!r}")
    return options._replace(
        cross_file=CrossFileSettings(Path(os.path.abspath(root)), cross_file_globs, {p: i.lower() for p, i in template_ids.items()}),
        fail_level=fail_level,
        select=tuple(cli_select) or select,
        ignore=tuple(dict.fromkeys((*ignore, *cli_ignore))),
        kind_patterns=(*kinds.items(), *DEFAULT_KIND_PATTERNS),
        severity_overrides=overrides,
        per_file_ignores=tuple((p, tuple(_codes(c, f"{where} per-file-ignores"))) for p, c in per_file.items()),
        known_keys=known_keys,
        excluded=(lambda path: path_matches(path, exclude, root)) if exclude else options.excluded,
        path_root=root,
    )


def _codes(value, where: str) -> tuple[str, ...]:
    return tuple(rule_selector(code, where) for code in _strings(value, where))


def rule_selector(value: str, where: str) -> str:
    """A code (MFL104), a code prefix (MFL1) or a rule name (unknown-namespace) → the code prefix.

    The one validator for `--select`/`--ignore` and the configuration: anything that selects
    no rule is an error, so a typo can never switch the linter off in silence.
    """
    from msgflash_lint.registry import RULES_BY_NAME

    text = value.strip()
    if text in RULES_BY_NAME:
        return RULES_BY_NAME[text].code
    code = text.upper()
    if code.startswith("MFL") and any(rule.startswith(code) for rule in RULES_BY_CODE):
        return code
    from msgflash_lint.rules.placeholders import did_you_mean

    # Suggest a code or prefix of the same length: MFL10 for MFL01x typos, not a far longer code.
    prefixes = sorted(p for p in {c[:n] for c in RULES_BY_CODE for n in (4, 5, 6)} if len(p) == len(code))
    hint = did_you_mean(code, prefixes) if text[:1].upper() == "M" else did_you_mean(text, RULES_BY_NAME)
    raise ConfigError(f"{where}: `{value}` selects no rule{hint or ''} (give a code such as MFL104, "
                      "a prefix such as MFL1, or a rule name such as unknown-namespace)")


def _strings(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return value


def _mapping(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    return value
