"""The configuration → LintOptions; unknown keys and bad values are errors.

It lives in `.msgflash-lint.toml` or `msgflash-lint.toml` (the keys at the top level: a JS or
PHP repository has no pyproject.toml), or in pyproject.toml under [tool.msgflash-lint]; the
nearest folder above the files that holds one of them wins, and in one folder the first of
that order. A pyproject table that looks like ours but is not (`[tool.msgflash_lint]`) gets a
warning with the right name: ignoring it in silence would switch the configuration off.

    [tool.msgflash-lint]                   # (no header in msgflash-lint.toml)
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
    include = ["copy/**/*.txt", "*.msgflash.json"]   # what `check` with no path walks (default: the hooks' patterns)

Globs are matched against paths relative to the directory holding the configuration
(`*` crosses `/`), and against the path as given on the command line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from msgflash_lint.counterparts import DEFAULT_INCLUDE, UUID, CrossFileSettings
from msgflash_lint.diagnostics import FAIL_LEVELS, Severity
from msgflash_lint.documents import DEFAULT_KIND_PATTERNS, KINDS
from msgflash_lint.linter import LintOptions
from msgflash_lint.paths import path_matches
from msgflash_lint.registry import RULES_BY_CODE
from msgflash_lint.rules.placeholders import KnownKeys

SECTION = "msgflash-lint"
KEYS = ("select", "ignore", "exclude", "kinds", "per-file-ignores", "severity", "known-keys", "fail-level",
        "cross-file", "template-ids", "include")
# In the order one folder's files are preferred (as ruff: the tool's own file before pyproject.toml).
CONFIG_FILES = (".msgflash-lint.toml", "msgflash-lint.toml", "pyproject.toml")


class ConfigError(ValueError):
    pass


class Config(NamedTuple):
    path: Path | None
    table: dict
    in_tool_table: bool = True  # the keys sit under [tool.msgflash-lint] (pyproject.toml), not at the top

    @property
    def where(self) -> str:
        """How messages name the configuration: `pyproject.toml: [tool.msgflash-lint]`, `msgflash-lint.toml:`."""
        return f"{self.path}: [tool.{SECTION}]" if self.in_tool_table else f"{self.path}:"


class FoundConfig(NamedTuple):
    path: Path | None
    warnings: tuple[str, ...] = ()  # tables that look like ours and are not, met on the way up


def find_config(paths: list[str], start: Path | None = None) -> FoundConfig:
    """The nearest configuration file, walking up from the files checked (CONFIG_FILES' order in one folder)."""
    anchors = [Path(p) for p in paths if p != "-"] or [start or Path.cwd()]
    # abspath, not resolve(): a symlink loop or an unreadable folder among the paths is
    # reported by the linter as a finding, so looking for the configuration must not fail on it.
    directory = Path(os.path.commonpath([os.path.abspath(a) for a in anchors]))
    if not _stat_is(directory, stat.S_ISDIR):
        directory = directory.parent
    warnings: list[str] = []
    for candidate in (directory, *directory.parents):
        for name in CONFIG_FILES[:-1]:
            if _stat_is(candidate / name, stat.S_ISREG):
                return FoundConfig(candidate / name, tuple(warnings))
        pyproject = candidate / "pyproject.toml"
        if _stat_is(pyproject, stat.S_ISREG):
            tables = _tool_tables(pyproject)
            if SECTION in tables:
                return FoundConfig(pyproject, tuple(warnings))
            warnings.extend(_lookalike_tables(pyproject, tables))
    return FoundConfig(None, tuple(warnings))


def _lookalike_tables(path: Path, tables: dict) -> list[str]:
    """A warning per [tool.*] table whose name is close to ours: msgflash_lint, msgflashlint, msgflash."""
    from msgflash_lint.rules.placeholders import did_you_mean

    return [f"msgflash-lint: {path}: [tool.{name}] is not read; did you mean [tool.{SECTION}]?" for name in tables
            if name != SECTION and did_you_mean(name.lower(), (SECTION,))]


def _stat_is(path: Path, kind) -> bool:
    try:
        return kind(os.stat(path).st_mode)
    except OSError:  # missing, unreadable folder on the way, symlink loop
        return False


def load_config(path: Path) -> Config:
    """The table of `path`: [tool.msgflash-lint] of a pyproject.toml, the whole file otherwise."""
    if path.name != "pyproject.toml":
        document = _toml(path)
        tables = document.get("tool")
        if list(document) == ["tool"] and isinstance(tables, dict) and isinstance(tables.get(SECTION), dict):
            return Config(path, tables[SECTION], in_tool_table=True)  # --config ci.toml, pyproject-style
        if "tool" in document:
            raise ConfigError(f"{path}: no [tool.{SECTION}] table (outside pyproject.toml the keys may also "
                              "go at the top level, with no header)")
        return Config(path, document, in_tool_table=False)
    tables = _tool_tables(path)
    if SECTION not in tables:
        lookalikes = _lookalike_tables(path, tables)
        raise ConfigError(lookalikes[0].removeprefix("msgflash-lint: ") if lookalikes else
                          f"{path}: no [tool.{SECTION}] table")
    table = tables[SECTION]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    return Config(path, table)


def _tool_tables(path: Path) -> dict:
    tables = _toml(path).get("tool", {})
    return tables if isinstance(tables, dict) else {}


def _toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def apply_config(config: Config, options: LintOptions, *, cli_select: tuple[str, ...] = (),
                 cli_ignore: tuple[str, ...] = ()) -> LintOptions:
    """Defaults ← configuration file ← command line."""
    table = config.table
    where = config.where
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
    cross_file = _cross_file_settings(table, where, root)
    include = tuple(_strings(table.get("include", list(DEFAULT_INCLUDE)), f"{where} include"))
    fail_level = table.get("fail-level", options.fail_level)
    if fail_level not in FAIL_LEVELS:
        raise ConfigError(f"{where} fail-level must be \"error\" or \"warning\", not {fail_level!r}")
    return options._replace(
        cross_file=cross_file,
        fail_level=fail_level,
        select=tuple(cli_select) or select,
        ignore=tuple(dict.fromkeys((*ignore, *cli_ignore))),
        kind_patterns=(*kinds.items(), *DEFAULT_KIND_PATTERNS),
        severity_overrides=overrides,
        per_file_ignores=tuple((p, tuple(_codes(c, f"{where} per-file-ignores"))) for p, c in per_file.items()),
        known_keys=known_keys,
        excluded=(lambda path: path_matches(path, exclude, root)) if exclude else options.excluded,
        path_root=root,
        include=include,
    )


def _cross_file_settings(table: dict, where: str, root: Path) -> CrossFileSettings:
    globs = tuple(_strings(table.get("cross-file", []), f"{where} cross-file"))
    template_ids = _mapping(table.get("template-ids", {}), f"{where} template-ids")
    for template_path, template_id in template_ids.items():
        if not isinstance(template_id, str) or not UUID.fullmatch(template_id):
            raise ConfigError(f"{where} template-ids: `{template_path}` must map to the template's UUID, "
                              f"not {template_id!r}")
    return CrossFileSettings(Path(os.path.abspath(root)), globs, {p: i.lower() for p, i in template_ids.items()})


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
