"""An incremental build publishes what a clean build of the same sources publishes.

`make html` and `make live` rebuild incrementally, and a static host serves whatever they
leave, so after each kind of edit (a page, a news item, a refs.bib entry) the shared
outputs and the edited pages must equal those of a clean build."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, sphinx_command

SHARED_OUTPUTS = [
    "sitemap.xml",
    "publications.bib",
    "publications.json",
    "news.xml",
    "objects.inv",
    "searchindex.js",
    "robots.txt",
]


def _build(project: Path, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
    cmd = sphinx_command(project / "docs", out / "html", out / "doctrees", confdir=project)
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("incremental") / "site"
    dest.mkdir()
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("papers"))
    shutil.copy2(ROOT / "conf.py", dest / "conf.py")
    shutil.copy2(ROOT / "refs.bib", dest / "refs.bib")
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
}


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
