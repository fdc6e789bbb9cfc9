"""The package's shape: no import circle among its modules (lazy imports included); typer and rich only at the edges."""
from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "seamline"


def module_name(path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports() -> dict[str, set[str]]:
    """module -> the seamline modules it imports, at the top or inside a function (a lazy import
    is still a dependency: the circle formats -> batch -> formats was one)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    found.add(target)
        graph[name] = found
    return graph


def test_no_import_circle():
    graph = imports()
    # a package's __init__ runs before its modules, so a module importing its own package is no circle
    for name, deps in graph.items():
        deps.difference_update({d for d in deps if name.startswith(d + ".")})
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                circle = stack[stack.index(dep):] + [dep]
                raise AssertionError("import circle: " + " -> ".join(circle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_only_the_cli_imports_typer_and_rich():
    """typer only in cli/; rich in cli/ and in view/, the terminal renderer of `seamline view`."""
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] == "cli":
            continue
        text = path.read_text(encoding="utf-8")
        words = ("import typer", "from typer") + (() if parts[0] == "view" else ("import rich", "from rich"))
        for word in words:
            assert word not in text, f"{path.relative_to(ROOT)} has {word!r}"
