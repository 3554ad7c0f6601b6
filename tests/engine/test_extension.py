"""The extension on a small root: what it emits, parallel builds, incremental rebuilds."""

from __future__ import annotations

import json
import os
import pickle
import re
import time
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import feedparser
from bs4 import BeautifulSoup
from pybtex.database import parse_string
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from helpers import build, copy_root, rebuild
from portfolio.domain import end_lending, get_domain, lend_to_readers


def article(html: str) -> str:
    """The content area of a page, without navigation (which lists every page)."""
    main = BeautifulSoup(html, "html5lib").find(attrs={"role": "main"})
    assert main is not None, "no main content"
    return str(main)


def test_happy_path(tmp_path: Path) -> None:
    built = build(copy_root(tmp_path))
    assert built.warnings == []
    pub = built.soup("publications.html")
    assert [li["id"] for li in pub.select("li.portfolio-paper")] == [
        "pub-lovelace2024engine",
        "pub-king2023loom",
    ]
    assert pub.select_one(".portfolio-count").get_text() == "2 publications, newest first."
    assert {s.get_text() for s in pub.select("strong.portfolio-owner")} == {"Ada Lovelace", "Ada King"}
    news = built.soup("news.html")
    assert [t["datetime"] for t in news.select("article time")] == ["2024-03-02", "2024", "2023-05"]
    assert [s["id"] for s in news.select("section[id^=year-]")] == ["year-2024", "year-2023"]
    index = built.soup("index.html")
    assert [a["href"] for a in index.select(".portfolio-news-list a.portfolio-permalink")] == [
        "news.html#news-engine-published",
        "news.html#news-year-only",
    ]
    assert [a.get_text() for a in index.select(".portfolio-cards .sd-card-title a")] == ["Alpha"]
    alpha = built.soup("projects/alpha.html")
    assert alpha.select_one(".portfolio-tagline").get_text() == "The first engine."
    assert [a["href"] for a in alpha.select("#project-news a.portfolio-permalink")] == [
        "../news.html#news-engine-published"
    ]
    paper = built.soup("papers/lovelace2024engine.html")
    assert paper.select_one(".portfolio-summary").get_text() == "A short summary written for the test."
    assert {a["href"] for a in paper.select(".portfolio-mentions a")} == {
        "../projects/alpha.html",
        "../news.html#news-engine-published",
    }
    assert "x-summary" not in paper.select_one(".portfolio-bibtex").get_text()
    assert not built.soup("papers/babbage2022diff.html").select(".portfolio-mentions")


def test_outputs_parse(tmp_path: Path) -> None:
    built = build(copy_root(tmp_path))
    bib = parse_string((built.outdir / "publications.bib").read_text(encoding="utf-8"), "bibtex")
    assert list(bib.entries) == ["lovelace2024engine", "king2023loom"]
    csl = json.loads((built.outdir / "publications.json").read_text(encoding="utf-8"))
    assert csl[0]["issued"] == {"date-parts": [[2024, 3]]} and csl[0]["DOI"] == "10.1000/engine.1"
    feed = feedparser.parse(str(built.outdir / "news.xml"))
    assert [e.link for e in feed.entries] == [
        "https://example.org/lab/news.html#news-engine-published",
        "https://example.org/lab/news.html#news-year-only",
        "https://example.org/lab/news.html#news-loom-accepted",
    ]
    assert feed.entries[0].published_parsed[:3] == (2024, 3, 2)
    with (built.outdir / "objects.inv").open("rb") as f:
        inv = InventoryFile.load(f, "", lambda base, uri: uri)
    assert set(inv["portfolio:paper"]) == {"lovelace2024engine", "king2023loom", "babbage2022diff"}
    assert set(inv["portfolio:project"]) == {"alpha"}
    assert set(inv["portfolio:news"]) == {"engine-published", "year-only", "loom-accepted"}
    assert {"alpha", "news-engine-published", "lovelace2024engine"} <= set(inv["std:label"])


def test_parallel_build_matches_serial(tmp_path: Path) -> None:
    serial = build(copy_root(tmp_path / "serial"))
    srcdir = copy_root(tmp_path / "parallel")
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO(), parallel=2)
    try:
        app.build()
        assert app.parallel == 2 and app._warning.getvalue() == ""
    finally:
        app.cleanup()
    pages = sorted(p.relative_to(serial.outdir) for p in serial.outdir.rglob("*.html"))
    assert pages == sorted(p.relative_to(app.outdir) for p in Path(app.outdir).rglob("*.html"))
    for page in pages:
        one = article((serial.outdir / page).read_text(encoding="utf-8"))
        two = article((Path(app.outdir) / page).read_text(encoding="utf-8"))
        assert one == two, page
    for extra in ("news.xml", "publications.bib", "publications.json"):
        a = (serial.outdir / extra).read_text(encoding="utf-8")
        b = (Path(app.outdir) / extra).read_text(encoding="utf-8")
        if extra == "news.xml":  # feedgen stamps the generation time
            a, b = (re.sub(r"<generator.*?</generator>", "", x) for x in (a, b))
        assert a == b, extra


def test_readers_send_the_parsed_bibliography_back_by_reference(tmp_path: Path) -> None:
    """With -j, a forked reader pickles the environment back; the parsed refs.bib it holds
    unchanged comes back as a reference to the main process's own, which pickles it in full."""
    env = build(copy_root(tmp_path)).app.env
    bib = get_domain(env).bib
    lend_to_readers(SimpleNamespace(parallel=2), env, ["index"])  # type: ignore[arg-type]
    try:
        full = pickle.dumps(bib, pickle.HIGHEST_PROTOCOL)
        assert pickle.loads(full) is not bib and pickle.loads(full).papers.keys() == bib.papers.keys()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # a reader
            os.write(write, pickle.dumps(bib, pickle.HIGHEST_PROTOCOL))
            os._exit(0)
        os.waitpid(pid, 0)
        sent = os.read(read, 1 << 20)
        assert len(sent) < 200 < len(full)
        assert pickle.loads(sent) is bib
    finally:
        end_lending(None, env)  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(bib, pickle.HIGHEST_PROTOCOL)) is not bib


def _written(srcdir: Path) -> set[str]:
    return rebuild(srcdir)[1]


def _touch_edit(path: Path, old: str, new: str) -> None:
    time.sleep(0.01)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_incremental_rebuilds_only_affected_pages(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path)
    assert len(_written(srcdir)) == 7  # 4 pages + 3 generated paper pages
    assert _written(srcdir) == set()  # nothing changed, nothing written
    _touch_edit(srcdir / "news.md", "Weaving accepted.", "Weaving accepted at last.")
    # the news page, the paper whose "Mentioned in" shows the item's text, and index (the
    # toctree parent of news: Sphinx rewrites it); not projects/alpha, whose list lacks the item
    assert _written(srcdir) == {"news", "index", "papers/king2023loom"}
    _touch_edit(
        srcdir / "news.md", "{paper}`lovelace2024engine` is out.", "{paper}`lovelace2024engine` is out now."
    )
    assert _written(srcdir) == {"news", "index", "projects/alpha", "papers/lovelace2024engine"}
    _touch_edit(
        srcdir / "refs.bib", "title  = {The Difference Engine}", "title  = {The Difference Engine II}"
    )
    # only the paper's own page: no list shows it (not the owner's), no page cites it
    assert _written(srcdir) == {"papers/babbage2022diff"}
    _touch_edit(srcdir / "refs.bib", "keywords = {selected, engines}", "keywords = {engines}")
    # its page, the home page's "selected" list it leaves, the publications list, the project
    # page that lists and cites it, and the news page whose link to it shows its title
    assert _written(srcdir) == {
        "papers/lovelace2024engine",
        "index",
        "publications",
        "projects/alpha",
        "news",
    }


def test_group_by_topic_and_all(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path)
    (srcdir / "publications.md").write_text(
        "# Publications\n\n:::{publications}\n:group-by: topic\n:all:\n:::\n", encoding="utf-8"
    )
    built = build(srcdir)
    assert built.warnings == []
    page = built.soup("publications.html")
    sections = {s["id"]: [li["id"] for li in s.select("li")] for s in page.select("section[id^=topic-]")}
    assert sections == {
        "topic-engines": ["pub-lovelace2024engine"],
        "topic-other": ["pub-king2023loom", "pub-babbage2022diff"],
    }


def test_key_with_colon_is_one_label(tmp_path: Path) -> None:
    bib = (copy_root(tmp_path / "src") / "refs.bib").read_text(encoding="utf-8")
    srcdir = copy_root(
        tmp_path,
        files={"refs.bib": bib + "\n@misc{King:2019,\n  title={T}, author={King, Ada}, year={2019}\n}\n"},
    )
    (srcdir / "news.md").write_text(
        (srcdir / "news.md").read_text(encoding="utf-8") + "\nSee {paper}`King:2019` and {ref}`king:2019`.\n",
        encoding="utf-8",
    )
    built = build(srcdir)
    assert built.warnings == []
    # ":" is no file-name character on Windows and reads as a URL scheme in a relative link
    assert (built.outdir / "papers" / "King-2019.html").is_file()
    hrefs = {a["href"] for a in built.soup("news.html").select("a.reference.internal")}
    assert {"papers/King-2019.html", "papers/King-2019.html#king-2019"} <= hrefs
