"""The engine's shape (the house style, and the guide's Architecture page): at most twelve
modules at the top, features as packages whose ``__init__`` is their face, a package
reaching another only through its face, the BibTeX layer and the services without Sphinx,
no module over 400 lines, and the build's order in one table that is what gets connected."""

from __future__ import annotations

import ast
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from helpers import ROOT, copy_root

ENGINE = ROOT / "portfolio"
PACKAGES = sorted(p.parent.name for p in ENGINE.glob("*/__init__.py"))
#: The packages each package may import (through their faces); every package may import
#: the core (the top-level modules), except ``bib``, which may import only ``warnings_``.
ALLOWED = {
    "bib": set(),
    "services": {"bib"},
    "papers": {"bib"},
    "news": {"bib"},
    "projects": {"bib", "papers"},
    "web": {"bib", "papers", "projects"},
    "cv": {"bib", "papers", "projects", "web"},
    "starter": set(),
    "cli": {"bib", "cv", "services", "starter"},
}
#: top-level modules that join the features (they may use every face)
GLUE = {"__init__", "__main__", "consistency", "guide"}


def dotted(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str], int, bool]]:
    """(absolute module, names, line, only for type checking) of every import in ``path``,
    at any depth (a function's import counts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {n.lineno for stmt in node.body for n in ast.walk(stmt) if hasattr(n, "lineno")}
    package = dotted(path) if path.name == "__init__.py" else dotted(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names = [a.name for a in node.names]
            if not node.module:  # from . import x: each name is a module
                found += [(f"{module}.{name}", [], node.lineno, node.lineno in typing_only) for name in names]
                continue
            found.append((module, names, node.lineno, node.lineno in typing_only))
        elif isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno, node.lineno in typing_only) for alias in node.names]
    return found


def engine_files() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def owner(module: str) -> str:
    """The package ("papers") or core module ("config") of a portfolio module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_at_most_twelve_modules_at_the_top_and_none_over_400_lines() -> None:
    top = sorted(p.name for p in ENGINE.glob("*.py"))
    assert 8 <= len(top) <= 12, top
    sizes = {
        str(p.relative_to(ENGINE)): len(p.read_text(encoding="utf-8").splitlines()) for p in engine_files()
    }
    assert len(sizes) > 40
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def test_every_package_has_a_face_that_lists_what_it_exports() -> None:
    assert {"bib", "papers", "projects", "news", "web", "cv", "cli", "services", "starter"} <= set(PACKAGES)
    for package in PACKAGES:
        tree = ast.parse((ENGINE / package / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), package
        declared = [
            n for n in tree.body
            if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)
        ]  # fmt: skip
        assert declared, f"portfolio/{package}/__init__.py defines no __all__"
        face = __import__(f"portfolio.{package}", fromlist=["__all__"])
        assert face.__all__ and all(hasattr(face, name) for name in face.__all__), package
        # the rest of the package is private
        assert all(p.name.startswith("_") for p in (ENGINE / package).glob("*.py")), package


def test_packages_meet_only_through_faces_and_in_layers() -> None:
    problems = []
    for path in engine_files():
        here = dotted(path)
        here_owner = owner(here)
        for module, names, line, typing_only in imports(path):
            if not module.startswith("portfolio"):
                continue
            where = f"{path.relative_to(ROOT)}:{line}"
            there = owner(module)
            private = [p for p in module.split(".")[2:] if p.startswith("_")]
            if private and there != here_owner:
                problems.append(f"{where} imports {module}, a private module of another package")
            if any(n.startswith("_") and n != "__version__" for n in names) and module != here:
                problems.append(f"{where} imports a private name {names} from {module}")
            if typing_only or there == here_owner or here_owner in GLUE:
                continue
            if here_owner in ALLOWED:
                if there in ALLOWED and there not in ALLOWED[here_owner]:
                    problems.append(f"{where}: {here_owner} may not import {there}")
                if here_owner == "bib" and there not in {"bib", "warnings_"}:
                    problems.append(f"{where}: bib imports {module}")
            elif there in ALLOWED and there != "bib":
                problems.append(f"{where}: the core module {here_owner} imports the feature {there}")
    assert problems == []


@pytest.mark.parametrize("package", ["bib", "services", "starter"])
def test_bib_and_services_import_no_sphinx_or_docutils(package: str) -> None:
    for path in (ENGINE / package).glob("*.py"):
        for module, _names, line, _typing in imports(path):
            assert module.split(".")[0] not in {"sphinx", "docutils"}, f"{path}:{line} imports {module}"


def test_the_commands_and_the_defaults_load_without_sphinx() -> None:
    code = (
        "import sys; import portfolio.bib, portfolio.config, portfolio.cli, portfolio.services;"
        "import portfolio.cli._check, portfolio.cli._new, portfolio.cli._upgrade, portfolio.starter;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sphinx'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_build_order_table_is_what_a_build_connects(tmp_path: Path) -> None:
    from sphinx.testing.util import SphinxTestApp

    import portfolio

    app = SphinxTestApp("html", srcdir=copy_root(tmp_path), status=StringIO(), warning=StringIO())
    connected = []
    for event, listeners in app.events.listeners.items():
        for listener in listeners:
            function = listener.handler
            if getattr(function, "__module__", "").startswith("portfolio"):
                connected.append((event, listener.priority, function))
    table = [(h.event, h.priority, portfolio.resolve(h.target)) for h in portfolio.HANDLERS]
    assert sorted(connected, key=repr) == sorted(table, key=repr)
    # and each handler is a function of the face (or core module) the table names
    for handler in portfolio.HANDLERS:
        where, name = handler.target.split(":")
        assert not where.startswith("_") and not name.startswith("_"), handler
        assert handler.why, handler
    app.cleanup()
