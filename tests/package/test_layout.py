"""The house rules of pipeline/ (the package imported as ``mdpaper``), checked on the source
so that they hold after every change: a stage per subpackage, small modules and functions,
imports at the top (bar the few seams that keep start-up fast), no import cycles, and a
no-op rebuild that loads none of the conversion's heavy libraries."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from conftest import REPO

PACKAGE = REPO / "pipeline"
STAGES = {"source", "markdown", "latex", "bibliography", "document", "tex", "build", "arxiv",
          "cli"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_FUNCTION_LEVEL_IMPORTS = 15


def modules() -> dict[str, ast.Module]:
    """Dotted module name -> parsed source, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("mdpaper", *parts))] = ast.parse(path.read_text(), str(path))
    return found


def test_a_few_shared_modules_at_the_top_and_one_subpackage_per_stage() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 8, sorted(top)
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages >= STAGES, STAGES - packages
    assert len(packages) >= 5


def test_modules_and_functions_are_small() -> None:
    too_long = []
    for name, tree in modules().items():
        lines = tree.body[-1].end_lineno if tree.body else 0
        if lines and lines > MAX_MODULE_LINES:
            too_long.append(f"{name}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name}: {length} lines")
    assert not too_long, too_long


def _function_level_imports(tree: ast.Module) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines += [inner.lineno for inner in ast.walk(node)
                      if isinstance(inner, ast.Import | ast.ImportFrom)]
    return lines


def test_imports_sit_at_the_top_but_for_a_few_seams() -> None:
    found = {name: lines for name, tree in modules().items()
             if (lines := _function_level_imports(tree))}
    total = sum(len(lines) for lines in found.values())
    assert total <= MAX_FUNCTION_LEVEL_IMPORTS, found


def _module_level_imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The package's own modules that ``name`` imports when it is loaded (type-checking-only
    imports are not loads)."""
    targets: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks
            continue
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets.add(node.module)
            targets |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {t for t in targets if t in known and t != name}


def test_no_import_cycles() -> None:
    trees = modules()
    known = set(trees)
    graph = {name: _module_level_imports(name, tree, known) for name, tree in trees.items()}
    # importing a submodule runs its package's __init__ first
    for name in known:
        parent = name.rpartition(".")[0]
        if parent in known and parent != "mdpaper":
            graph[name].add(parent)
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, cycles


def test_type_hints_check() -> None:
    """mypy (the lint extra, which the set-up installs) finds nothing in the package."""
    pytest.importorskip("mypy")
    run = subprocess.run(["bash", str(REPO / "scripts" / "typecheck")], capture_output=True,
                         text=True, env={**os.environ, "PYTHON": sys.executable}, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_type_ignore_comments() -> None:
    """Type hints are written out rather than silenced."""
    marked = [f"{path.relative_to(REPO)}:{number}"
              for path in sorted(PACKAGE.rglob("*.py"))
              for number, line in enumerate(path.read_text().splitlines(), 1)
              if "type: ignore" in line]
    assert not marked, marked
