"""An incremental build publishes what a clean build of the same sources publishes.

`make html` and `make live` rebuild incrementally, and a static host serves whatever they
leave, so after each kind of edit (a page, a news item, a refs.bib entry) the shared
outputs and the edited pages must equal those of a clean build."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import sphinx_command
from helpers import copy_site

SHARED_OUTPUTS = [
    "sitemap.xml",
    "publications.bib",
    "publications.json",
    "news.xml",
    "objects.inv",
    "searchindex.js",
    "robots.txt",
    "cv.pdf",
    "cv.json",
]


def _build(project: Path, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
    env["SOURCE_DATE_EPOCH"] = "1764547200"  # cv.pdf's date: the same in both builds
    cmd = sphinx_command(project / "docs", out / "html", out / "doctrees", confdir=project)
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = copy_site(tmp_path_factory.mktemp("incremental") / "site")
    _build(dest, dest / "_build")  # the first, full build that later edits start from
    return dest


EDITS = {
    "page": ("docs/biography.md", "## Research path", "## Research path so far", ["biography.html"]),
    "news": (
        "docs/news.md",
        "New preprint with fellow lab members:",
        "New preprint, written with fellow lab members:",
        ["news.html", "index.html", "papers/zhu2025latent.html"],
    ),
    "refs.bib": (
        "refs.bib",
        "Generative Pre-trained Language Model with Spiking Neural Networks",
        "Generative Pre-trained Language Model with Spiking Neural Networks, Revised",
        ["papers/zhu2023spikegpt.html", "publications.html", "projects/spikegpt.html"],
    ),
    # a new year: the publications page gains a section (read again, not only rewritten)
    "refs.bib year": (
        "refs.bib",
        "Deng, Liang-Jian},\n  year         = {2022}",
        "Deng, Liang-Jian},\n  year         = {2021}",
        ["papers/jin2022sit.html", "publications.html"],
    ),
    # a CV fact: the biography and the CV page (and cv.pdf, cv.json) show it
    "cv.yaml": (
        "cv.yaml",
        "    start: 2019-09",
        "    start: 2019-08",
        ["biography.html", "cv.html"],
    ),
}


def _index(path: Path) -> dict[str, Any]:
    """Sphinx's search index without the terms that no page has any more: an incremental
    build keeps a word that an edit removed as a term with no pages (Sphinx's pruning empties
    the entry and leaves it), which searches the same as no entry."""
    text = path.read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for table in ("terms", "titleterms"):
        index[table] = {word: pages for word, pages in index[table].items() if pages != []}
    return index


@pytest.mark.parametrize("kind", list(EDITS))
def test_incremental_build_equals_clean_build(project: Path, tmp_path: Path, kind: str) -> None:
    path, old, new, pages = EDITS[kind]
    source = project / path
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    _build(project, project / "_build")
    _build(project, tmp_path / "clean")
    incremental, clean = project / "_build" / "html", tmp_path / "clean" / "html"
    for name in SHARED_OUTPUTS + pages:
        if name == "searchindex.js":
            assert _index(incremental / name) == _index(clean / name), f"{kind}: {name} differs"
            continue
        assert (incremental / name).read_bytes() == (clean / name).read_bytes(), f"{kind}: {name} differs"
    assert sorted(p.relative_to(incremental) for p in incremental.rglob("*.html")) == sorted(
        p.relative_to(clean) for p in clean.rglob("*.html")
    )


def test_saving_refs_bib_unchanged_parses_it_once(project: Path) -> None:
    """A save of refs.bib that changes nothing a page shows (here a comment) parses the file
    once in that build (ours, handed to sphinxcontrib-bibtex), and the next build reads and
    writes nothing: the parse was kept in the environment."""
    bib = project / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n% saved again\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
    out = project / "_build"
    cmd = sphinx_command(project / "docs", out / "html", out / "doctrees", confdir=project)
    logs = [subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, check=True).stdout]
    logs.append(subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, check=True).stdout)
    assert "portfolio: read refs.bib" in logs[0] and "portfolio: read refs.bib" not in logs[1]
    assert "checking bibtex cache... up to date" in logs[0]  # our parse, handed on
    assert not any("parsing bibtex file" in log for log in logs)
    assert "checking bibtex cache... up to date" in logs[1], logs[1]
    assert "no targets are out of date" in logs[1] and "writing output... [" not in logs[1], logs[1]
