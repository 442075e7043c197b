"""The import graph the style guide draws: the mock reaches the linter through one module."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _linter_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("msgflash_lint"):
            found.update(f"{node.module}.{alias.name}" if node.module == "msgflash_lint" else node.module
                         for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("msgflash_lint"))
    return found


def test_the_mock_server_imports_only_the_linters_api_module() -> None:
    used = {module for path in (ROOT / "mock_server").rglob("*.py") for module in _linter_imports(path)}
    assert used == {"msgflash_lint.api"}


def test_the_linter_never_imports_the_mock_server_flask_or_click_in_its_core() -> None:
    shells = {"cli.py"}
    for path in (ROOT / "msgflash_lint").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "mock_server" not in {n.split(".")[0] for n in _all_imports(source)}, path
        if path.name not in shells:
            assert not {"flask", "click"} & {n.split(".")[0] for n in _all_imports(source)}, path


def _all_imports(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names
