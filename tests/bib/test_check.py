"""`python -m portfolio check`: same messages as the build, no Sphinx, on the real sources."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import bibtexparser
import pytest
from test_bad_input import CASES

from helpers import ROOT, build, copy_root, project_front_matter, run_check, source_hashes


def test_real_sources_pass() -> None:
    proc = run_check(ROOT)
    assert proc.returncode == 0, proc.stderr
    entries = len(bibtexparser.parse_string((ROOT / "refs.bib").read_text("utf-8")).entries)
    assert proc.stdout.startswith(f"checked {entries} entries, ") and proc.stdout.endswith(": no problems\n")


# cases whose message comes from sphinxcontrib-bibtex's parser, which the checker does not run
BUILD_ONLY = {
    "WARNING: bibliography data error in refs.bib: repeated bibliography entry: king2023loom [bibtex.bibfile_data_error]"
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_messages_as_the_build(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    srcdir = copy_root(tmp_path, files=files)
    before = source_hashes(srcdir)
    proc = run_check(srcdir, "--source", ".")
    assert proc.returncode == 1
    reported = [line.replace(f"{srcdir}/", "") for line in proc.stderr.splitlines() if line]
    assert sorted(reported) == sorted(set(expected) - BUILD_ONLY)
    assert source_hashes(srcdir) == before


def test_clean_root_passes(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path)
    proc = run_check(srcdir, "--source", ".")
    assert proc.returncode == 0 and proc.stderr == ""
    assert build(srcdir).warnings == []


def test_examples_in_the_maintainer_guide_are_valid(tmp_path: Path) -> None:
    """The news item and project front matter shown in docs/reference/adding.md pass the
    same checks as real content (so the guide cannot drift from the code)."""
    if not (ROOT / "docs" / "reference" / "adding.md").is_file():
        pytest.skip("this site has no maintainer guide (docs/reference/adding.md)")
    guide = (ROOT / "docs" / "reference" / "adding.md").read_text(encoding="utf-8")
    news = re.search(r"````md\n(:::\{news\}.*?\n:::)\n````", guide, re.S)
    project = re.search(r"```md\n(---\nproject:.*?)```", guide, re.S)
    assert news and project
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("papers"))
    (docs / "news.md").write_text(
        (docs / "news.md").read_text(encoding="utf-8") + "\n" + news.group(1) + "\n"
    )
    (docs / "projects" / "example.md").write_text(project.group(1), encoding="utf-8")
    proc = run_check(ROOT, "--source", str(docs))
    assert proc.returncode == 0, proc.stderr
    # every project and news item of the site was checked, and the guide's two besides
    projects = len(project_front_matter("**/*.md")) + 1
    fenced = re.compile(r"^(`{3,}).*?^\1$", re.M | re.S)  # examples in code blocks are no items
    news = sum(
        fenced.sub("", page.read_text(encoding="utf-8")).count(":::{news}")
        for page in (ROOT / "docs").rglob("*.md")
        if "papers" not in page.relative_to(ROOT / "docs").parts
    )
    news += 1
    assert f"{projects} projects, {news} news" in proc.stdout, proc.stdout
