"""Every third-party module our code imports comes from a distribution pyproject.toml declares.

A module that arrives only as somebody else's dependency (or through an extra, like
`lxml[html_clean]` which some pip versions drop) works on the machine that wrote it and
fails with ImportError on a fresh install. Migrations are left out: Django generates
them and they name Wagtail's own apps (taggit, modelsearch).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[4]
PYPROJECT = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))


def distribution_name(requirement: str) -> str:
    """`psycopg[binary]>=3.2` → `psycopg`, normalised as PEP 503 does."""
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip()).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


RUNTIME = {distribution_name(r) for r in PYPROJECT["project"]["dependencies"]}
TEST = RUNTIME | {distribution_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}


def is_test_code(path: Path) -> bool:
    parts = path.relative_to(REPOSITORY).parts
    # testing.py modules are pytest helpers (e.g. wxops.simulator.testing), imported by tests only;
    # testenv.py is the suite's own plugin (`-p wxops.site.testenv`).
    return "tests" in parts or parts[0] == "benchmarks" or path.stem in ("testing", "testenv")


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every absolute import in the file, at any depth (lazy imports too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    # A script's sibling modules (benchmarks/callback_load.py imported by callback_profile.py) are ours.
    siblings = {other.stem for other in path.parent.glob("*.py")} if "benchmarks" in path.parts else set()
    return {name for name in names if name not in sys.stdlib_module_names and name != "wxops" and name not in siblings}


def python_files():
    for folder in ("src", "tests", "benchmarks"):
        for path in sorted((REPOSITORY / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_every_imported_third_party_module_is_declared():
    providers = packages_distributions()
    undeclared = []
    for path in python_files():
        allowed = TEST if is_test_code(path) else RUNTIME
        for module in sorted(imported_modules(path)):
            candidates = {distribution_name(name) for name in providers.get(module, [])}
            if not candidates & allowed:
                where = path.relative_to(REPOSITORY)
                undeclared.append(f"{where}: imports {module} (from {sorted(candidates) or 'nothing installed'})")
    assert undeclared == [], "declare these in pyproject.toml:\n" + "\n".join(undeclared)


def test_every_declared_dependency_is_installed():
    missing = []
    for name in sorted(TEST):
        try:
            distribution(name)
        except PackageNotFoundError:
            missing.append(name)
    assert missing == [], f"declared but not installed (run `make install`): {missing}"


def test_the_scan_sees_lazy_imports_and_ignores_our_own(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom wxops.core import clock\nfrom . import x\n"
                      "def f():\n    import lxml.html\n    from PIL import Image\n", encoding="utf-8")
    assert imported_modules(sample) == {"lxml", "PIL"}


def test_every_requirement_of_what_we_declare_is_installed_with_its_extras():
    """Walk the requirement tree from pyproject, extras included (`lxml[html_clean]` needs lxml_html_clean)."""
    from packaging.requirements import Requirement

    missing, seen = [], set()
    pending = [(Requirement(r), "pyproject.toml") for r in PYPROJECT["project"]["dependencies"]]
    while pending:
        requirement, wanted_by = pending.pop()
        key = (distribution_name(requirement.name), tuple(sorted(requirement.extras)))
        if key in seen:
            continue
        seen.add(key)
        try:
            installed = distribution(requirement.name)
        except PackageNotFoundError:
            missing.append(f"{requirement} (wanted by {wanted_by})")
            continue
        for line in installed.requires or []:
            child = Requirement(line)
            environments = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
            if child.marker is None or any(child.marker.evaluate(env) for env in environments):
                pending.append((child, installed.metadata["Name"]))
    assert missing == [], "not installed: " + "; ".join(sorted(missing))
