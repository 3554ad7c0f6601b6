"""Static checks on the real site's files: valid HTML (Nu HTML Checker), metadata on every
page, internal links and anchors, sitemap and robots.txt, the search page kept out of
search engines, the favicon."""

from __future__ import annotations

from bs4 import BeautifulSoup
from webchecks import PAGE_TYPES, broken_internal_links, page_metadata_problems, vnu_errors

from helpers import CONF, Site


def test_valid_html(site: Site) -> None:
    assert vnu_errors(site.out) == []


def test_page_metadata(site: Site) -> None:
    assert page_metadata_problems(site.out) == []


def test_internal_links(site: Site) -> None:
    assert broken_internal_links(site.out) == []


def test_sitemap_and_robots(site: Site) -> None:
    sitemap = BeautifulSoup((site.out / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    locs = {loc.get_text() for loc in sitemap.find_all("loc")}
    base = CONF["html_baseurl"]
    assert f"{base}{PAGE_TYPES['project']}" in locs and f"{base}{PAGE_TYPES['paper']}" in locs
    assert not [loc for loc in locs if loc.endswith(("search.html", "genindex.html", "404.html"))]
    robots = (site.out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots.splitlines()


def test_search_page_is_noindex(site: Site) -> None:
    html = (site.out / "search.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex"' in html


def test_favicon(site: Site) -> None:
    icon = BeautifulSoup(site.html("index.html"), "html5lib").select_one('link[rel~="icon"]')["href"]
    assert (site.out / icon).read_text(encoding="utf-8").lstrip().startswith("<svg")
