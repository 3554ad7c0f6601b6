"""The real site in a real browser (Debian's Chromium driven by Playwright) and through
static checks: search, dark mode, mobile layout, no outside requests, no console errors,
accessibility (axe-core), valid HTML (Nu HTML Checker), metadata, links, the 404 page."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from webchecks import (
    PAGE_TYPES,
    axe_violations,
    contrast_ratio,
    horizontal_overflow,
    links_from_404,
    on_screen,
    search_page,
    watched_page,
)

from helpers import CONF, FACTS, OWNER_KEYS, ROOT, project_front_matter


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def search(browser: Any, base_url: str, query: str) -> tuple[list[str], str]:
    hrefs, text, _, _ = search_page(browser, base_url, query)
    return [h.removeprefix(base_url) for h in hrefs], text


def pages_of(hrefs: list[str]) -> list[str]:
    """Result links as docnames, in order ("projects/ouro.html#x" -> "projects/ouro")."""
    return [h.split("?")[0].split("#")[0].removesuffix(".html") for h in hrefs]


# -- search --------------------------------------------------------------------------------
def _project_pages() -> dict[str, str]:
    """Project docname -> its name, from the front matter (PyYAML)."""
    return {f"projects/{page.stem}": str(meta["name"]) for page, meta in project_front_matter()}


#: the facts file's queries: what a visitor types and the pages that must answer it (a site
#: whose facts give none: each project's name, which must find its page first)
SEARCH_QUERIES = FACTS.get("query") or [
    {"q": name, "expect": [docname], "first": docname} for docname, name in _project_pages().items()
]


@pytest.mark.parametrize("case", SEARCH_QUERIES, ids=[c["q"] for c in SEARCH_QUERIES])
def test_search_relevance(browser: Any, base_url: str, case: dict[str, Any]) -> None:
    """What a visitor types finds its page among the first three results (the first one
    where the case says so), and each page is listed once, its sections folded into it."""
    hrefs, _ = search(browser, base_url, case["q"])
    pages = pages_of(hrefs)
    assert len(pages) == len(set(pages)), pages
    assert set(case["expect"]) & set(pages[:3]), pages[:5]
    if "first" in case:
        assert pages[0] == case["first"], pages[:5]


def _search_fact(name: str) -> dict[str, Any]:
    if name not in FACTS:
        pytest.skip(f"tests/facts.toml gives no [{name}] for this site")
    return dict(FACTS[name])


def test_search_forgives_a_typo_and_says_so(browser: Any, base_url: str) -> None:
    case = _search_fact("search_typo")
    hrefs, text = search(browser, base_url, case["q"])
    assert pages_of(hrefs)[: len(case["first"])] == case["first"]
    assert f"Nothing matched “{case['q']}”; showing results for “{case['read_as']}”." in text
    # a short word is not corrected into another word
    hrefs, _ = search(browser, base_url, case["short"])
    assert hrefs == []


def test_a_typo_two_edits_from_the_stem_is_read_as_its_word(browser: Any, base_url: str) -> None:
    """The index holds stems: "spikng" is one letter from "spiking" but two from its stem
    "spike", so it is read as the stem of its one-edit correction: the same pages (ranked
    a little lower, as every corrected word is)."""
    expected, _ = search(browser, base_url, "spiking")
    if not expected:
        pytest.skip("no page of this site says 'spiking'")
    hrefs, text = search(browser, base_url, "spikng")
    assert sorted(hrefs) == sorted(expected)
    assert "Nothing matched “spikng”; showing results for “spike”." in text


def test_search_by_year_narrows_to_that_year(browser: Any, base_url: str) -> None:
    case = _search_fact("search_year")
    hrefs, _ = search(browser, base_url, case["q"])
    assert case["not"] not in pages_of(hrefs)
    # a year alone: the dated pages of that year, papers first
    hrefs, _ = search(browser, base_url, case["year"])
    assert pages_of(hrefs) == case["year_pages"]


def test_search_ranks_papers_above_the_lists_that_show_them(browser: Any, base_url: str) -> None:
    hrefs, _ = search(browser, base_url, _search_fact("search_ranking")["q"])
    pages = pages_of(hrefs)
    lists = [
        pages.index(p) for p in ("biography", "news", "publications", "index", "projects/index") if p in pages
    ]
    papers = [i for i, p in enumerate(pages) if p.startswith("papers/")]
    assert papers and lists and max(papers) < min(lists), pages


def test_many_results_come_at_once_with_their_summaries(browser: Any, base_url: str) -> None:
    """The owner's family name finds their pages (more than a screenful when they have more
    than 15 papers): every one is listed, in ranked order, and a paper's summary (its
    authors and venue, the name highlighted) comes with the search page: no paper page is
    fetched for it, as Sphinx's display would."""
    family = CONF["portfolio_owner_names"][0].split()[-1]
    paper_dir = CONF.get("portfolio_paper_dir", "papers").strip("/")
    with watched_page(browser) as (page, _, errors):
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(f"{base_url}search.html?q={family}")
        page.wait_for_function(
            "() => /Search finished/.test(document.querySelector('#search-results p.search-summary')"
            "?.textContent || '')", timeout=15000
        )  # fmt: skip
        status = page.inner_text("#search-results p.search-summary")
        items = page.eval_on_selector_all(
            "#search-results ul.search li",
            "els => els.map(e => [e.querySelector('a').getAttribute('href'), Number(e.querySelector('a').dataset.score), "
            "e.querySelector('p.context')?.textContent || '', e.querySelectorAll('p.context .highlighted').length])",
        )  # fmt: skip
        assert not errors, errors
    if len(OWNER_KEYS) > 15:  # the first screenful and the batch after it
        assert len(items) > 15, "the name should find more than one screenful"
    assert f"found {len(items)} pages" in status if len(items) > 1 else "found one page" in status
    scores = [score for _, score, _, _ in items]
    assert scores == sorted(scores, reverse=True)
    papers = [(href, summary, marks) for href, _, summary, marks in items if href.startswith(f"{paper_dir}/")]
    assert papers
    for href, summary, marks in papers:  # "Authors. Venue, year." ("and others" may hide the name)
        assert re.search(r"\. .*\b(19|20)\d\d\.$", summary), (href, summary)
        assert (family in summary) == (marks >= 1), (href, summary)
    assert sum(family in summary for _, summary, _ in papers) > len(papers) // 2
    assert not [url for url in fetched if f"/{paper_dir}/" in url], "a paper page was fetched for its summary"


def test_search_without_match_says_so(browser: Any, base_url: str) -> None:
    hrefs, summary = search(browser, base_url, "qqxyzzyqq")
    assert hrefs == []
    assert "did not match any documents" in summary


# -- every page type -----------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_page_in_browser(browser: Any, base_url: str, kind: str) -> None:
    """No request leaves 127.0.0.1, no console error, and no serious or critical axe finding."""
    with watched_page(browser) as (page, outside, errors):
        response = page.goto(base_url + PAGE_TYPES[kind])
        assert response is not None and response.status == (404 if kind == "404" else 200)
        page.wait_for_load_state("networkidle")
        if kind == "search":
            page.wait_for_selector("#search-results ul.search li", timeout=15000)
        assert outside == []
        # the 404 page is itself a 404 response; nothing else may fail
        assert errors == ([f"HTTP 404: {base_url}{PAGE_TYPES[kind]}"] if kind == "404" else [])
        assert axe_violations(page) == []


@pytest.mark.parametrize("kind", ["home", "paper", "news", "publications"])
def test_mobile_layout(browser: Any, base_url: str, kind: str) -> None:
    """390x844: no horizontal scrolling, and the navigation opens from the header."""
    with watched_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as (
        page,
        _,
        errors,
    ):
        page.goto(base_url + PAGE_TYPES[kind])
        page.wait_for_load_state("networkidle")
        assert horizontal_overflow(page) <= 0
        assert not on_screen(page, ".sidebar-drawer")
        page.click("label.nav-overlay-icon")
        page.wait_for_timeout(400)  # furo slides the drawer in
        assert on_screen(page, ".sidebar-drawer")
        page.locator(".sidebar-drawer a.reference[href$='biography.html']").click()
        page.wait_for_load_state()
        assert page.url.endswith("/biography.html")
        assert errors == []


def test_dark_mode_toggle(browser: Any, base_url: str) -> None:
    with watched_page(browser, color_scheme="light") as (page, _, errors):
        page.goto(base_url + PAGE_TYPES["project"])
        page.wait_for_load_state("networkidle")
        light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        seen = set()
        for _ in range(3):  # furo cycles auto -> dark -> light (order depends on the system)
            page.click(".content-icon-container .theme-toggle")
            seen.add(page.evaluate("document.body.dataset.theme"))
            if page.evaluate("document.body.dataset.theme") == "dark":
                break
        assert page.evaluate("document.body.dataset.theme") == "dark", seen
        dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert dark_bg != light_bg
        assert contrast_ratio(page, "article p") >= 4.5
        assert contrast_ratio(page, ".portfolio-tagline") >= 4.5
        assert axe_violations(page) == []
        assert errors == []


def test_404_links_work_from_any_depth(base_url: str) -> None:
    assert links_from_404(base_url, fetch) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_card_text_has_padding(browser: Any, base_url: str, scheme: str) -> None:
    """The project cards' text keeps clear of the card's border, in both themes."""
    with watched_page(browser, color_scheme=scheme) as (page, _, errors):
        page.goto(base_url + "index.html")
        page.evaluate(f"document.body.dataset.theme = '{scheme}'")
        gaps = page.evaluate(
            """() => [...document.querySelectorAll('.portfolio-card')].map(card => {
                 const box = card.getBoundingClientRect();
                 return [...card.querySelectorAll('p')].map(p => {
                   const r = p.getBoundingClientRect();
                   return Math.min(r.left - box.left, box.right - r.right, r.top - box.top);
                 });
               }).flat()"""
        )
        assert gaps and min(gaps) >= 12, gaps  # 0.8rem at 16px, less the border
        assert errors == []


@pytest.mark.parametrize("query", [*list(_project_pages().values())[:2], "BibTeX"])
def test_search_leaves_out_the_maintainer_guide(browser: Any, base_url: str, query: str) -> None:
    if not (ROOT / "docs" / "reference").is_dir():
        pytest.skip("this site has no maintainer guide (docs/reference/)")
    hrefs, _ = search(browser, base_url, query)
    assert hrefs or query == "BibTeX"
    assert not [h for h in hrefs if h.startswith("reference/")], hrefs


def test_served_as_a_static_host_serves_it(base_url: str) -> None:
    """The browser tests and `make audit` see what a visitor gets: text compressed with
    gzip, hashed assets cached for long, pages revalidated, a missing page a 404 page."""
    request = urllib.request.Request(base_url + "index.html", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "max-age=0" in response.headers["Cache-Control"]
        assert b"<html" in gzip.decompress(response.read())
    request = urllib.request.Request(base_url + "_static/portfolio.css", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "max-age=31536000" in response.headers["Cache-Control"]
    status, body = fetch(base_url + "no/such/page.html")  # no Accept-Encoding: plain text
    assert status == 404 and "<html" in body
