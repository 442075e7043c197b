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


# The mock's layers, top to bottom: a module imports only from its own layer or the ones below
# (counting imports inside functions). The linter is reached through msgflash_lint.api alone.
MOCK_LAYERS = (
    ("shells", ("mock_server.cli", "mock_server.pytest_plugin", "mock_server.proxy", "mock_server.serving",
                "mock_server.testing")),
    ("factory", ("mock_server.app", "mock_server")),
    ("pipeline", ("mock_server.pipeline", "mock_server.openapi")),
    ("control", ("mock_server.control",)),
    ("api", ("mock_server.api",)),
    ("web", ("mock_server.web",)),
    ("state", ("mock_server.state",)),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best = None
    for index, (_, prefixes) in enumerate(MOCK_LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    assert best is not None, f"{module} is in no layer of MOCK_LAYERS"
    return best[0]


def _imported_modules(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports, anywhere in it: `from a.b import c` names a.b, or a.b.c
    when that is a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found.add(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in known}


def _project_modules() -> dict[str, Path]:
    return {_module_name(path): path for package in ("mock_server", "msgflash_lint")
            for path in (ROOT / package).rglob("*.py")}


def test_the_mock_imports_run_one_way_down_its_layers() -> None:
    modules = _project_modules()
    mock = {name: path for name, path in modules.items() if name.split(".")[0] == "mock_server"}
    upward = [(name, target) for name, path in mock.items() for target in _imported_modules(path, set(mock))
              if _layer(target) < _layer(name)]
    assert upward == []


def test_there_is_no_import_circle_in_either_package() -> None:
    modules = _project_modules()
    graph = {name: _imported_modules(path, set(modules)) - {name} for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError("import circle: " + " → ".join(trail[trail.index(name):] + [name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_no_function_is_longer_than_sixty_lines() -> None:
    long = [(str(path.relative_to(ROOT)), node.name, node.end_lineno - node.lineno + 1)
            for path in _project_modules().values()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60]
    assert long == []


def test_the_mock_keeps_at_most_twelve_modules_at_its_top_level() -> None:
    top = sorted(path.name for path in (ROOT / "mock_server").glob("*.py"))
    assert len(top) <= 12, top
