"""Long author lists in Chromium (portfolio-authors.js): folded to their first names and the
owner's, unfolded in place by a button that keyboards and screen readers reach, folded
again; whole without scripts; nothing moves while the page loads; the entry one flowing
block (the reference, then its links and tags)."""

from __future__ import annotations

from typing import Any

import bibtexparser
import pytest
from webchecks import axe_violations, watched_page

from helpers import CONF, ROOT

LIMIT = CONF.get("portfolio_author_limit", 8)
VISIBLE_NAMES = """(list) => {
  const names = [];
  for (const child of list.childNodes) {
    const skip = "button, .portfolio-ellipsis";  // (each in a span that keeps it out of the index)
    if (child.nodeType === Node.ELEMENT_NODE && (child.matches(skip) || child.querySelector(skip))) continue;
    const text = (child.innerText ?? child.textContent);
    if (child.nodeType === Node.ELEMENT_NODE && getComputedStyle(child).display === "none") continue;
    names.push(...text.split(/, | and /).map((s) => s.trim()).filter(Boolean));
  }
  return names;
}"""


def bib_authors() -> dict[str, list[str]]:
    """Each entry's authors as bibtexparser reads refs.bib (an independent reader)."""
    library = bibtexparser.parse_string((ROOT / "refs.bib").read_text(encoding="utf-8"))
    out = {}
    for entry in library.entries:
        field = entry.fields_dict.get("author")
        if field:
            out[entry.key] = [" ".join(n.split()) for n in str(field.value).split(" and ")]
    return out


@pytest.fixture(scope="module")
def longest() -> str:
    """The publications entry with the most authors (his Eagle and Finch: 30, his name last)."""
    authors = bib_authors()
    keys = [k for k, names in authors.items() if len(names) > LIMIT + 1]
    if not keys or not LIMIT:
        pytest.skip("no author list on this site is longer than portfolio_author_limit")
    return max(keys, key=lambda k: len(authors[k]))


def test_a_long_list_folds_unfolds_and_folds_again(browser: Any, base_url: str, longest: str) -> None:
    key = longest
    total = len(bib_authors()[key])
    with watched_page(browser, viewport={"width": 1280, "height": 900}) as (page, _, errors):
        page.goto(base_url + "publications.html")
        page.wait_for_load_state("networkidle")
        entry = page.locator(f"#pub-{key}")
        if not entry.count():
            entry = page.locator(f"li[id^='pub-{key.lower()}']")
        names = entry.locator(".portfolio-authors")
        folded = names.evaluate(VISIBLE_NAMES)
        owner = names.locator(".portfolio-owner").all_inner_texts()
        assert len(folded) <= LIMIT + len(owner)
        assert all(o in folded for o in owner)  # his name in view, wherever it stands
        button = names.locator("button.portfolio-more")
        assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
        assert button.inner_text() == f"{total - len(folded)} more authors"
        # the keyboard reaches it (a real button), and Enter unfolds every name in order
        button.focus()
        page.keyboard.press("Enter")
        unfolded = names.evaluate(VISIBLE_NAMES)
        assert (
            len(unfolded) == total
            and unfolded[: len(folded) - len(owner)] == folded[: len(folded) - len(owner)]
        )
        assert button.get_attribute("aria-expanded") == "true" and button.inner_text() == "fewer authors"
        assert axe_violations(page) == []
        button.click()
        assert names.evaluate(VISIBLE_NAMES) == folded and button.get_attribute("aria-expanded") == "false"
        assert errors == []


def test_without_scripts_every_name_is_shown(browser: Any, base_url: str, longest: str) -> None:
    key = longest
    with watched_page(browser, java_script_enabled=False) as (page, _, _errors):
        page.goto(base_url + "publications.html")
        names = page.locator(f"#pub-{key} .portfolio-authors")
        assert len(names.evaluate(VISIBLE_NAMES)) == len(bib_authors()[key])
        assert not names.locator("button.portfolio-more").is_visible()
        assert not names.locator(".portfolio-ellipsis").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_folded_lists_pass_axe_in_both_schemes(
    browser: Any, base_url: str, scheme: str, longest: str
) -> None:
    with watched_page(browser, color_scheme=scheme) as (page, _, errors):
        page.goto(base_url + "publications.html")
        page.wait_for_load_state("networkidle")
        assert page.locator("button.portfolio-more").count() > 0
        assert axe_violations(page) == []
        assert errors == []


LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("page_name", ["index.html", "publications.html"])
def test_nothing_moves_while_the_page_loads(browser: Any, base_url: str, page_name: str) -> None:
    with watched_page(browser, viewport={"width": 1280, "height": 900}) as (page, _, _errors):
        page.goto(base_url + page_name)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(LAYOUT_SHIFT) < 0.01


def test_an_entry_is_one_flowing_block(browser: Any, base_url: str) -> None:
    """Its links follow the reference on the same line, where there is room: the first link
    button starts above the bottom of the reference, not on a line of its own."""
    with watched_page(browser, viewport={"width": 1280, "height": 900}) as (page, _, _errors):
        page.goto(base_url + "publications.html")
        page.wait_for_load_state("networkidle")
        flowing = page.evaluate(
            """() => [...document.querySelectorAll("li.portfolio-paper")].map((li) => {
                 const button = li.querySelector("a.portfolio-button");
                 const venue = li.querySelector(".portfolio-venue");
                 if (!button || !venue) return null;
                 const b = button.getBoundingClientRect(), v = venue.getClientRects();
                 const last = v[v.length - 1];
                 return Math.abs((b.top + b.bottom) / 2 - (last.top + last.bottom) / 2) < last.height
                   || b.top > last.bottom;  // the same line as the venue's end, or the next when full
               }).filter((x) => x !== null)"""
        )
        if not flowing:
            pytest.skip("no entry of this site's publications has a link button")
        assert all(flowing)
        one_line = page.evaluate(
            """() => [...document.querySelectorAll("li.portfolio-paper")].filter((li) => {
                 const b = li.querySelector("a.portfolio-button"), v = li.querySelector(".portfolio-venue");
                 if (!b || !v) return false;
                 const r = v.getClientRects(); const last = r[r.length - 1];
                 return b.getBoundingClientRect().top < last.bottom;
               }).length"""
        )
        assert one_line > len(flowing) // 2  # most entries' links share the venue's line
