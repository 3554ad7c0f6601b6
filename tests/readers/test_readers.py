"""The site's machine-readable outputs, read by the clients that read them: a feed reader
(feedparser), other Sphinx projects (Sphinx's own inventory reader), link previews and
metadata scrapers (extruct: OpenGraph and JSON-LD), Google Scholar's tags.  Compared with
``refs.bib`` as bibtexparser reads it."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import extruct
import feedparser
import pytest
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile
from test_exports import BIB, _field
from webchecks import html_pages

from helpers import CONF, OWNER_KEYS, ROOT, Site
from portfolio.config import default

KEYS = sorted(BIB, key=len, reverse=True)
KEY_IN_TEXT = re.compile(r"\b(" + "|".join(re.escape(k) for k in KEYS) + r")\b")
OWNER = set(OWNER_KEYS)


def _no_key(text: str, where: str) -> None:
    found = KEY_IN_TEXT.search(text)
    assert found is None, f"{where}: BibTeX key {found.group(0)!r} where a title belongs: {text!r}"


def test_feed_reads_titles_not_keys(site: Site) -> None:
    feed = feedparser.parse((site.out / "news.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == len(
        site.main("news.html").select("article.portfolio-news-item")
    )
    for entry in feed.entries:
        _no_key(entry.title, f"feed title {entry.id}")
        _no_key(entry.summary, f"feed summary {entry.id}")
    # a news item that names a paper names it by its title
    for item in site.main("news.html").select("article.portfolio-news-item"):
        for a in item.select("a[href*='papers/']"):
            (entry,) = [e for e in feed.entries if e.link.endswith("#" + item["id"])]
            assert a.get_text(" ", strip=True) in " ".join(entry.summary.split()), item["id"]


def test_inventory_display_names_are_titles(site: Site) -> None:
    with (site.out / "objects.inv").open("rb") as f:
        inventory = InventoryFile.load(f, "https://example.org/", lambda base, uri: base + uri)
    names = [(f"portfolio:news {k}", v.display_name) for k, v in inventory["portfolio:news"].items()]
    names += [
        (f"std:label {k}", v.display_name) for k, v in inventory["std:label"].items() if k.startswith("news-")
    ]
    assert len(names) == 2 * len(inventory["portfolio:news"]) > 0
    for where, name in names:
        _no_key(name, where)
    for key, item in inventory["portfolio:paper"].items():  # each paper by its title
        page = site.out / item.uri.removeprefix("https://example.org/").split("#")[0]
        title = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article h1")
        assert title is not None and item.display_name == title.get_text().rstrip("¶").strip(), key


def test_mentioned_in_lists_read_titles(site: Site) -> None:
    for page in sorted((site.out / "papers").glob("*.html")):
        for li in site.main(f"papers/{page.name}").select(".portfolio-mentions li"):
            _no_key(li.get_text(" ", strip=True), f"Mentioned in on {page.name}")


def _pages(site: Site) -> list[str]:
    return [str(p.relative_to(site.out)) for p in html_pages(site.out)]


def test_link_previews(site: Site) -> None:
    for page in _pages(site):
        html = site.html(page)
        soup = site.soup(page)
        data = extruct.extract(html, base_url="https://example.org/" + page, syntaxes=["opengraph"])
        og = dict(data["opengraph"][0]["properties"]) if data["opengraph"] else {}
        metas = [m["content"] for m in soup.select('meta[name="description"]')]
        assert len(metas) == 1, page
        assert og.get("og:description") == metas[0], page
        _no_key(metas[0], f"description of {page}")
        assert not re.search(
            r"arXiv Code|Code Models|Code Website|Mentioned in|No other page mentions", metas[0]
        )
        assert og.get("og:image", "").startswith(("http://", "https://")), page
        assert og["og:image"].endswith("/_static/portfolio-preview.png"), page
        assert soup.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
        if page.startswith("papers/") or page == "news.html":
            assert og.get("og:type") == "article", page
    descriptions = [site.soup(p).select_one('meta[name="description"]')["content"] for p in _pages(site)]
    assert len(set(descriptions)) == len(descriptions)


def test_preview_image_is_made_from_conf_py(site: Site, base_url: str, browser: Any) -> None:
    """The generated link-preview image, as Chromium decodes it: the 1200x630 size link
    previews ask for (no hand-made binary: portfolio/preview.py renders it at build time)."""
    page = browser.new_page()
    try:
        page.goto(base_url + "_static/portfolio-preview.png")
        size = page.evaluate("() => [document.images[0].naturalWidth, document.images[0].naturalHeight]")
    finally:
        page.close()
    assert size == [1200, 630]


def _tags(site: Site, key: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for meta in site.soup(site.paper_page(key)).select('meta[name^="citation_"]'):
        out.setdefault(meta["name"], []).append(meta["content"])
    return out


@pytest.mark.parametrize("key", sorted(OWNER))
def test_scholar_tags_of_his_papers(site: Site, key: str) -> None:
    tags = _tags(site, key)
    assert tags["citation_title"] and tags["citation_author"]
    eprint = _field(key, "eprint")
    assert tags.get("citation_arxiv_id") == ([eprint] if eprint else None)
    pages = _field(key, "pages")
    if pages:  # "601--610", or an article number such as "111780"
        first, *last = re.split(r"-+", pages)
        assert (tags["citation_firstpage"], tags.get("citation_lastpage")) == ([first], last or None)
    doi = _field(key, "doi")
    assert tags.get("citation_doi") == ([doi] if doi else None)
    entry_type = BIB[key].entry_type.lower()
    if entry_type == "article":
        assert tags["citation_journal_title"] == [_field(key, "journal")]
    elif entry_type == "inproceedings":
        assert tags["citation_conference_title"] == [_field(key, "booktitle")]
        assert "citation_journal_title" not in tags
    data = extruct.extract(site.html(site.paper_page(key)), syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert [d["@type"] for d in data] == ["ScholarlyArticle"]
    assert not any("github.com" in url or "huggingface.co" in url for url in data[0].get("sameAs", []))


@pytest.mark.parametrize("key", sorted(set(BIB) - OWNER))
def test_others_papers_carry_no_scholar_tags(site: Site, key: str) -> None:
    assert _tags(site, key) == {}
    assert extruct.extract(site.html(site.paper_page(key)), syntaxes=["json-ld"])["json-ld"] == []
    note = site.main(site.paper_page(key)).select_one(".portfolio-not-owner")
    owner = CONF["portfolio_owner_names"][0]
    assert note is not None and re.search(rf"not one of {re.escape(owner)}.s publications", note.get_text())


PROJECTS = sorted(p.stem for p in (ROOT / "docs" / "projects").glob("*.md") if p.stem != "index")


def test_every_project_has_a_valid_citation_cff(site: Site) -> None:
    """What GitHub's "Cite this repository" reads, validated by cffconvert against the
    Citation File Format 1.2.0 schema; its preferred citation is the project's paper."""
    import subprocess
    import sys

    import yaml

    assert PROJECTS
    for pid in PROJECTS:
        cff = site.out / "projects" / pid / "CITATION.cff"
        proc = subprocess.run(
            [sys.executable, "-m", "cffconvert.cli.cli", "--validate", "-i", str(cff)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, f"{pid}: {proc.stdout}{proc.stderr}"
        data = yaml.safe_load(cff.read_text(encoding="utf-8"))
        front = yaml.safe_load((ROOT / "docs" / "projects" / f"{pid}.md").read_text().split("---")[1])[
            "project"
        ]
        key = front["papers"][0]
        assert (
            data["preferred-citation"]["title"]
            == site.soup(site.paper_page(key)).find("h1").get_text().rstrip("¶").strip()
        )
        assert data.get("repository-code") == front.get("repository")
        assert data["preferred-citation"]["year"] == int(_field(key, "year"))
        shown = site.main(f"projects/{pid}.html").select_one("#link-here")
        assert (
            shown is not None
            and shown.select_one("div.highlight-yaml").get_text().rstrip() == cff.read_text().rstrip()
        )


def test_every_project_has_an_accessible_badge_and_readme_snippets(site: Site) -> None:
    for pid in PROJECTS:
        svg = (site.out / "projects" / pid / "badge.svg").read_text(encoding="utf-8")
        root = ElementTree.fromstring(svg)  # well-formed XML whose root is an SVG image
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and "<title>" in svg and len(svg) < 4000
        assert "http" not in svg.replace("http://www.w3.org", "")  # draws nothing from elsewhere
        assert svg.startswith("<!-- badge ")  # the stamp of what it was drawn from
        ns = "{http://www.w3.org/2000/svg}"
        # the look: white text on grey and the site's blue (8.7:1), each label inside its half
        accent = CONF.get("portfolio_accent_color", default("portfolio_accent_color"))
        halves = [r for r in root.iter(f"{ns}rect") if r.get("fill") in {"#555", accent}]
        assert [r.get("fill") for r in halves] == ["#555", accent]
        assert [g.get("fill") for g in root.iter(f"{ns}g") if g.get("fill")] == ["#fff"]
        labels = [x for x in root.iter(f"{ns}text") if x.get("fill") is None]
        name = (root.findtext(f"{ns}title") or "").split(" in the research portfolio of ")[0]
        assert name and [x.text for x in labels] == ["portfolio", name]
        for half, label in zip(halves, labels, strict=True):
            width = float(half.get("width", 0))
            assert 0 < float(label.get("textLength", 0)) / 10 < width, (pid, label.text, width)
        section = site.main(f"projects/{pid}.html").select_one("#link-here")
        snippets = [pre.get_text() for pre in section.select(".portfolio-snippet pre")]
        assert any(
            s.startswith("[![") and f"projects/{pid}/badge.svg" in s and f"projects/{pid}.html" in s
            for s in snippets
        )
        assert any(s.startswith(".. image::") for s in snippets)
    assert not site.main("index.html").select("#link-here, .portfolio-snippet")  # for maintainers only
