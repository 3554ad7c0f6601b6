"""An incremental build publishes what a clean build of the same sources publishes.

`make html` and `make live` rebuild incrementally, and a static host serves whatever they
leave, so after each kind of edit (a page, a news item, a refs.bib entry) the shared
outputs and the edited pages must equal those of a clean build."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from helpers import (
    CONF,
    OWNER_KEYS,
    ROOT,
    clean_env,
    copy_root,
    copy_site,
    project_front_matter,
    rebuild,
    sphinx_command,
)
from portfolio.bib import page_slug

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


def _start(project: Path, out: Path) -> subprocess.Popen[str]:
    env = clean_env()
    env["SOURCE_DATE_EPOCH"] = "1764547200"  # cv.pdf's date: the same in both builds
    cmd = sphinx_command(project / "docs", out / "html", out / "doctrees", confdir=project)
    return subprocess.Popen(
        cmd, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )


def _build(*builds: tuple[Path, Path]) -> None:
    """Build each (project, output) at the same time (each project its own sources)."""
    procs = [_start(project, out) for project, out in builds]
    for proc in procs:
        _, stderr = proc.communicate()
        assert proc.returncode == 0, stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = copy_site(tmp_path_factory.mktemp("incremental") / "site")
    _build((dest, dest / "_build"))  # the first, full build that later edits start from
    return dest


def _prose_line(text: str, start: int = 0) -> str:
    """The first line of running text at or after ``start`` (not a heading, directive,
    option, fence, label or list item): an edit there changes only what the page says."""
    for line in text[start:].splitlines():
        if line.strip() and line[0].isalpha():
            return line
    raise AssertionError("no line of prose to edit")


def _entry_span(bib: str, key: str) -> str:
    start = bib.index(f"{{{key},")
    end = bib.find("\n@", start)
    return bib[start : end if end != -1 else len(bib)]


def _edits() -> dict[str, tuple[str, str, str, list[str]]]:
    """One edit of each input kind, found in the site's own sources: path, old text, new
    text, and the pages that show it (they must equal a clean build's)."""
    docs = ROOT / "docs"
    edits = {}
    biography = (docs / "biography.md").read_text(encoding="utf-8")
    line = _prose_line(biography, re.search(r"^# ", biography, re.M).start())  # type: ignore[union-attr]
    edits["page"] = ("docs/biography.md", line, f"{line} Edited.", ["biography.html"])
    news = (docs / "news.md").read_text(encoding="utf-8")
    line = _prose_line(news, news.index(":::{news}"))
    edits["news"] = ("docs/news.md", line, f"{line} Edited.", ["news.html", "index.html"])
    bib = (ROOT / "refs.bib").read_text(encoding="utf-8")
    entries = {e.key: e for e in bibtexparser.parse_string(bib).entries}
    key = OWNER_KEYS[0]
    title = str(entries[key].fields_dict["title"].value)
    projects = [
        f"projects/{page.stem}.html"
        for page in sorted((docs / "projects").glob("*.md"))
        if re.search(rf"papers:.*\b{re.escape(key)}\b", page.read_text(encoding="utf-8"))
    ]
    edits["refs.bib"] = ("refs.bib", title, f"{title}, Revised", [f"papers/{page_slug(key)}.html",
                         "publications.html", *projects])  # fmt: skip
    # a new year: the publications page gains a section (read again, not only rewritten)
    years = {
        k: int(str(e.fields_dict["year"].value)[:4]) for k, e in entries.items() if "year" in e.fields_dict
    }
    oldest = min((k for k in OWNER_KEYS if k in years), key=lambda k: years[k])
    span = _entry_span(bib, oldest)
    field = re.search(rf"year\s*=\s*[{{\"]?{years[oldest]}[}}\"]?", span)
    assert field, oldest
    # from the year to the entry's end: the title, which the edit above may change, stays out
    rest = span[field.start() :]
    assert bib.count(rest) == 1, f"{oldest}: its year and the fields after it are not unique in refs.bib"
    new = rest.replace(field.group(0), field.group(0).replace(str(years[oldest]), str(years[oldest] - 1)), 1)
    edits["refs.bib year"] = (
        "refs.bib",
        rest,
        new,
        [f"papers/{page_slug(oldest)}.html", "publications.html"],
    )
    cards = [f"{p.relative_to(docs).with_suffix('.html')}" for p in sorted(docs.rglob("*.md"))
             if "{project-cards}" in p.read_text(encoding="utf-8")]  # fmt: skip
    for path, meta in project_front_matter():
        if meta.get("tagline"):  # a project's front matter: its page and the cards that show it
            rel = str(path.relative_to(ROOT))
            text = path.read_text(encoding="utf-8")
            line = next(t for t in text.splitlines() if t.strip().startswith("tagline:"))
            page = str(path.relative_to(docs).with_suffix(".html"))
            edited = f"{line[:-1]} Edited.{line[-1]}" if line[-1] in "\"'" else f"{line} Edited."
            edits["project"] = (rel, line, edited, sorted({page, *cards}))
            break
    index = docs / "projects" / "index.md"
    toctree = re.search(r"```\{toctree\}\n(?::.*\n)*\n?((?:\S.*\n)+)```", index.read_text(encoding="utf-8"))
    entries = toctree.group(1).splitlines() if toctree else []
    if len(entries) > 1:  # the order of the projects: their cards follow it
        old, new = "\n".join(entries[:2]), "\n".join(entries[1::-1])
        edits["toctree order"] = (
            str(index.relative_to(ROOT)),
            old,
            new,
            sorted({"projects/index.html", *cards}),
        )
    if CONF.get("portfolio_cv"):  # a CV fact: the CV page, cv.pdf, cv.json and the biography
        cv = (ROOT / CONF["portfolio_cv"]).read_text(encoding="utf-8")
        start = re.search(r"^\s+start: (\d{4})(-\d\d)?$", cv, re.M)
        assert start, "the CV file has no start date to edit"
        year = int(start.group(1))
        edits[CONF["portfolio_cv"]] = (CONF["portfolio_cv"], start.group(0),
                                      start.group(0).replace(start.group(1), str(year - 1)),
                                      ["cv.html", *(["biography.html"] if "cv-section" in biography else [])])  # fmt: skip
    return edits


EDITS = _edits()
if not CONF.get("portfolio_cv"):
    SHARED_OUTPUTS = [name for name in SHARED_OUTPUTS if not name.startswith("cv.")]


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
    # the clean build from a copy of the same sources, at the same time as the incremental one
    fresh = copy_site(tmp_path / "site", project)
    _build((project, project / "_build"), (fresh, fresh / "_build"))
    incremental, clean = project / "_build" / "html", fresh / "_build" / "html"
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
    env = clean_env()
    out = project / "_build"
    cmd = sphinx_command(project / "docs", out / "html", out / "doctrees", confdir=project)
    logs = [subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, check=True).stdout]
    logs.append(subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, check=True).stdout)
    assert "portfolio: read refs.bib" in logs[0] and "portfolio: read refs.bib" not in logs[1]
    assert "checking bibtex cache... up to date" in logs[0]  # our parse, handed on
    assert not any("parsing bibtex file" in log for log in logs)
    assert "checking bibtex cache... up to date" in logs[1], logs[1]
    assert "no targets are out of date" in logs[1] and "writing output... [" not in logs[1], logs[1]


def test_a_new_citation_count_reaches_every_page_that_shows_it(tmp_path: Path) -> None:
    """citations.json is an input like refs.bib: after `portfolio metrics` changes a count,
    an incremental build shows the new number on the paper's page, in the lists, in the
    totals on the home page and on the CV, as a clean build does."""

    def counts(n: int) -> str:
        cited = {"count": n, "source": "openalex", "date": "2026-12-01", "record": "https://openalex.org/W1"}
        return json.dumps({"updated": "2026-12-01", "papers": {"lovelace2024engine": cited}})

    srcdir = copy_root(tmp_path, "metrics", files={"citations.json": counts(5)})
    rebuild(srcdir)
    (srcdir / "citations.json").write_text(counts(6), encoding="utf-8")
    _, written, _ = rebuild(srcdir)
    assert {"papers/lovelace2024engine", "publications", "index", "cv"} <= written
    fresh = copy_root(tmp_path / "fresh", "metrics", files={"citations.json": counts(6)})
    rebuild(fresh)
    for page in ("papers/lovelace2024engine.html", "publications.html", "index.html", "cv.html"):
        incremental = (srcdir / "_build" / "html" / page).read_text(encoding="utf-8")
        assert incremental == (fresh / "_build" / "html" / page).read_text(encoding="utf-8"), page
        assert "Cited by 6" in incremental or "Cited 6 times" in incremental, page
