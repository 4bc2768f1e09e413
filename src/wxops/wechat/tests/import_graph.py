"""The imports between the modules of one package, read from the source (nothing imported).

Used by the tests that keep a package free of import circles, so that it reads top-down.
Imports under ``if TYPE_CHECKING:`` and inside functions count too: a late import is
still a circle a reader has to untangle.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path


def internal_imports(package_dir: Path, package: str) -> dict[str, set[str]]:
    """``{module: {modules of the same package it imports}}`` for every module outside ``tests``."""
    modules = {path.stem for path in package_dir.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name in sorted(modules):
        tree = ast.parse((package_dir / f"{name}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level == 1 or base == package or base.startswith(package + "."):
                    base = base.removeprefix(package).lstrip(".") if node.level == 0 else base
                    if base:
                        found.add(base.split(".")[0])
                    else:  # from . import a, b
                        found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(package + "."):
                        found.add(alias.name.removeprefix(package + ".").split(".")[0])
        graph[name] = {module for module in found if module in modules and module != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle (as a list of modules, first repeated last), or ``None``."""
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None
