"""The engine's shape (the house style): modules of at most 500 lines, one concept each, and
the reading of BibTeX in layers that import only the layers below them, and no Sphinx
when imported."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

ENGINE = ROOT / "portfolio"
#: reading refs.bib, lowest first: each module imports only modules before it
BIB_LAYERS = ["warnings_", "latex", "biblatex", "bibout", "biblocate", "bibmodel", "bibentry", "bibfile"]


def engine_imports(path: Path) -> set[str]:
    """The portfolio modules ``path`` imports (``from .x import``, ``from . import x``),
    at any depth of the module (a function's import counts)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("portfolio."):
            found.add(node.module.split(".")[1])
    return found


def test_no_module_is_over_500_lines() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in ENGINE.glob("*.py")}
    assert len(sizes) > 20
    assert {name: n for name, n in sizes.items() if n > 500} == {}


def test_reading_bibtex_imports_only_downward_and_no_sphinx() -> None:
    for i, name in enumerate(BIB_LAYERS):
        path = ENGINE / f"{name}.py"
        below = set(BIB_LAYERS[:i])
        assert engine_imports(path) <= below, (name, engine_imports(path) - below)
        # importing it imports no Sphinx (`python -m portfolio check` reads refs.bib without)
        top = ast.parse(path.read_text(encoding="utf-8")).body
        modules = {n.module for n in top if isinstance(n, ast.ImportFrom) and n.module}
        modules |= {a.name for n in top if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in modules if m.split(".")[0] in {"sphinx", "docutils"}}, name
