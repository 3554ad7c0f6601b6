"""The real site, built once (session fixture): contract URLs, labels, facts, outputs."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlparse

import bibtexparser
import feedparser
import pytest
from pybtex.database import parse_file, parse_string
from sphinx.util.inventory import InventoryFile
from webchecks import html_pages

from helpers import CONF, FACTS, OWNER_KEYS, ROOT, Site, normalise, project_front_matter

#: Pages whose address and label are promised to other sites (page -> label): the facts
#: file's [contract], else the pages every portfolio made by `python -m portfolio new` has.
CONTRACT: dict[str, str] = FACTS.get("contract") or {
    "index.html": "home",
    "biography.html": "biography",
    "projects/index.html": "projects",
    "news.html": "news",
    "publications.html": "publications",
}
OWNER_SPELLINGS = tuple(CONF["portfolio_owner_names"])


#: every profile: the facts file's (held to the sources by test_facts.py), else conf.py's
PROFILES = FACTS.get("profiles") or [p["url"] for p in CONF.get("portfolio_profiles", [])]


def project_ids() -> list[str]:
    """Ids of the project pages (front matter ``project:``; the id is the file name unless set)."""
    return [meta.get("id", page.stem) for page, meta in project_front_matter("**/*.md")]


def _spelling_pattern(name: str) -> str:
    """``Given Family`` as refs.bib may write it: so, or ``Family, Given``."""
    given, _, family = name.rpartition(" ")
    return rf"(?<![\w-]){re.escape(name)}(?![\w-])|{re.escape(family)},\s*{re.escape(given)}(?![\w-])"


def _facts(key: str) -> Any:
    """A fact of tests/facts.toml, or a skip that names it (a fork's file may leave it out)."""
    if key not in FACTS:
        pytest.skip(f"tests/facts.toml gives no {key!r} for this site")
    return FACTS[key]


def his_entries() -> dict[str, Any]:
    """refs.bib read by pybtex: the owner's entries (conftest.owner_keys)."""
    data = parse_file(str(ROOT / "refs.bib"))
    return {k: e for k, e in data.entries.items() if k in OWNER_KEYS}


def inventory(site: Site) -> dict[str, dict[str, str]]:
    """objects.inv read back with Sphinx's own reader: {type: {name: uri}}."""
    with (site.out / "objects.inv").open("rb") as f:
        inv = InventoryFile.load(f, "", lambda base, uri: uri)
    return {typ: {name: item.uri for name, item in entries.items()} for typ, entries in inv.items()}


def test_builds_without_warnings(site: Site) -> None:
    assert site.returncode == 0, site.stderr
    assert "WARNING" not in site.stderr
    assert "ERROR" not in site.stderr


@pytest.mark.parametrize("page", sorted(CONTRACT))
def test_contract_urls_exist(site: Site, page: str) -> None:
    assert (site.out / page).is_file()


def test_contract_labels_in_inventory(site: Site) -> None:
    inv = inventory(site)
    labels = inv["std:label"]
    for page, label in CONTRACT.items():
        assert label in labels, label
        assert labels[label].split("#")[0] == page, (label, labels[label])


def test_every_seed_paper_title_on_publications_page(site: Site) -> None:
    text = normalise(site.main("publications.html").get_text(" "))
    titles = _facts("seed_paper_titles")
    for title in titles:
        assert normalise(title) in text, title


def test_publication_count_matches_refs_bib(site: Site) -> None:
    page = site.main("publications.html")
    items = page.select("li.portfolio-paper")
    mine = his_entries()
    assert len(items) == len(mine) > 0
    # each entry links its own page (the inventory's, independent of the list)
    assert {li.select_one(".portfolio-title a")["href"] for li in items} == {site.paper_page(k) for k in mine}
    count = f"{len(mine)} publication{'s' if len(mine) != 1 else ''}"
    assert page.select_one(".portfolio-count").get_text().startswith(count)


def test_publications_grouped_by_year_newest_first(site: Site) -> None:
    years = [int(h.get_text().strip("¶")) for h in site.main("publications.html").select("section > h2")]
    assert years == sorted(years, reverse=True)
    data = bibtexparser.parse_string((ROOT / "refs.bib").read_text("utf-8"))
    dated = {str((e.fields_dict.get("year") or e.fields_dict["date"]).value)[:4] for e in data.entries}
    assert (
        {str(y) for y in years}
        == {
            y
            for e in data.entries
            if e.key in OWNER_KEYS
            for y in [str((e.fields_dict.get("year") or e.fields_dict["date"]).value)[:4]]
        }
        <= dated
    )


def test_full_author_lists_with_owner_highlighted(site: Site) -> None:
    page = site.main("publications.html")
    data = parse_file(str(ROOT / "refs.bib"))
    by_page = {page: key for key, page in site.paper_pages.items()}
    for li in page.select("li.portfolio-paper"):
        key = by_page[li.select_one(".portfolio-title a")["href"]]
        names = li.select_one(".portfolio-authors")
        for control in names.select(".portfolio-ellipsis, button.portfolio-more"):
            control.decompose()  # a folded list's ellipsis and button: every name is still there
        authors = names.get_text()
        assert authors.count(",") + authors.count(" and ") + 1 == len(data.entries[key].persons["author"]), (
            key
        )
    # each bold name is a spelling of conf.py's, and each spelling refs.bib uses is bold
    strong = {s.get_text() for s in page.select("strong.portfolio-owner")}
    used = {
        n for n in OWNER_SPELLINGS if re.search(_spelling_pattern(n), (ROOT / "refs.bib").read_text("utf-8"))
    }
    assert strong and strong <= set(OWNER_SPELLINGS) and used <= strong, (strong, used)


def test_every_homepage_news_date_on_news_page(site: Site) -> None:
    dates = _facts("homepage_news_dates")
    shown = [t.get_text() for t in site.main("news.html").select("article.portfolio-news-item time")]
    for date in dates:
        assert date in shown, date


def test_news_page_newest_first_grouped_by_year(site: Site) -> None:
    page = site.main("news.html")
    stamps = [t["datetime"] for t in page.select("article.portfolio-news-item time")]
    keys = [tuple(int(x) for x in s.split("-")) + (0,) * (3 - s.count("-") - 1) for s in stamps]
    assert keys == sorted(keys, reverse=True)
    for section in page.select("section[id^=year-]"):
        year = section["id"].removeprefix("year-")
        assert all(t["datetime"].startswith(year) for t in section.select("time"))


def test_home_shows_latest_five_news(site: Site) -> None:
    home = [a["href"] for a in site.main("index.html").select(".portfolio-news-list a.portfolio-permalink")]
    news = ["news.html#" + a["id"] for a in site.main("news.html").select("article.portfolio-news-item")]
    limit = re.search(r":::\{news-list\}\n:limit: (\d+)", (ROOT / "docs" / "index.md").read_text("utf-8"))
    assert home == news[: int(limit.group(1)) if limit else None] and home


def news_options() -> dict[str, dict[str, list[str]]]:
    """Each news item of docs/news.md, as written: id -> its :papers: and :projects:."""
    text = (ROOT / "docs" / "news.md").read_text(encoding="utf-8")
    items = {}
    for block in re.findall(r"^:::\{news\}.*?^:::$", text, re.M | re.S):
        options = dict(re.findall(r"^:(\w+):[ \t]*(.*)$", block, re.M))
        items[options["id"]] = {
            name: [v.strip() for v in options.get(name, "").split(",") if v.strip()]
            for name in ("papers", "projects")
        }
    return items


def test_news_items_link_to_their_paper_or_project(site: Site) -> None:
    """An item that names papers or projects links to one of their pages, and every link of
    an item leads to a page that exists."""
    pages = {meta.get("id", path.stem): f"projects/{path.stem}.html" for path, meta in project_front_matter()}
    main = site.main("news.html")
    items = news_options()
    assert items
    for news_id, named in items.items():
        article = main.find("article", id=f"news-{news_id}")
        assert article is not None, news_id
        hrefs = {a["href"].split("#")[0] for a in article.select("a.reference.internal[href]")}
        for href in hrefs:
            assert (site.out / href).is_file(), (news_id, href)
        targets = {site.paper_page(k) for k in named["papers"]} | {pages[p] for p in named["projects"]}
        if targets:
            assert hrefs & targets, (news_id, hrefs, targets)


def test_project_pages_have_links_papers_and_numbers(site: Site) -> None:
    for page, numbers in _facts("project_numbers").items():
        main = site.main(page)
        text = main.get_text(" ")
        for number in numbers:
            assert number in text, (page, number)
        assert main.select("#project-papers li.portfolio-paper"), page
        assert main.select(".portfolio-project-card a.portfolio-button"), page
        assert main.select("aside.footnote"), page  # cited from refs.bib


def test_paper_pages_one_per_entry(site: Site) -> None:
    """Each key has its page, as the inventory says (a key such as DBLP:conf/x/Y is not a
    file name: the page's address is made from it), and there are no other paper pages."""
    keys = set(parse_file(str(ROOT / "refs.bib")).entries)
    papers = inventory(site)["portfolio:paper"]
    assert set(papers) == keys
    pages = {uri.split("#")[0] for uri in papers.values()}
    assert len(pages) == len(keys)
    assert pages == {str(p.relative_to(site.out)) for p in (site.out / "papers").glob("*.html")}


def test_paper_page_metadata(site: Site) -> None:
    """Scholar's tags of the papers the facts file describes: citation_* name -> value (a
    list: the authors in order; a value ending in "..." is a prefix)."""
    for page, want in _facts("paper_metadata").items():
        soup = site.soup(page)
        tags: dict[str, list[str]] = {}
        for m in soup.select("meta[name^=citation_]"):
            tags.setdefault(m["name"], []).append(m["content"])
        for name, value in want.items():
            if isinstance(value, list):
                assert tags[name] == value, (page, name)
            elif value.endswith("..."):
                assert tags[name][0].startswith(value.removesuffix("...")), (page, name)
            else:
                assert tags[name] == [value], (page, name)
        ld = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        assert ld["@type"] == "ScholarlyArticle" and ld["name"] == tags["citation_title"][0]


def test_paper_pages_have_unique_descriptions(site: Site) -> None:
    descriptions = {}
    for page in (site.out / "papers").glob("*.html"):
        metas = site.soup(f"papers/{page.name}").select('meta[name="description"]')
        assert len(metas) == 1, page.name
        descriptions[page.name] = metas[0]["content"]
    assert len(set(descriptions.values())) == len(descriptions)
    for page, start in FACTS.get("description_starts", {}).items():
        assert descriptions[page.removeprefix("papers/")].startswith(start), page


def test_paper_pages_stay_out_of_the_sidebar(site: Site) -> None:
    """furo renders the whole navigation into every page: per-paper pages must not be in it."""
    nav = site.soup("index.html").select_one(".sidebar-tree")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert hrefs and not [h for h in hrefs if h.startswith("papers/")]
    assert "publications.html" in hrefs


def test_paper_page_mentions(site: Site) -> None:
    for page, links in _facts("paper_mentions").items():
        hrefs = {a["href"] for a in site.main(page).select(".portfolio-mentions a")}
        assert set(links) <= hrefs, page


def test_home_has_person_json_ld(site: Site) -> None:
    ld = json.loads(site.soup("index.html").select_one('script[type="application/ld+json"]').string)
    assert ld["@type"] == "Person" and ld["name"] == CONF["portfolio_person"]["name"]


def test_exports_round_trip(site: Site) -> None:
    mine = his_entries()
    exported = parse_string((site.out / "publications.bib").read_text(encoding="utf-8"), "bibtex")
    assert set(exported.entries) == set(mine)
    for key, entry in exported.entries.items():
        assert not [f for f in entry.fields if f.lower().startswith("x-")], key
        assert entry.fields["title"] == mine[key].fields["title"]
        assert [str(p) for p in entry.persons["author"]] == [str(p) for p in mine[key].persons["author"]]
    csl = json.loads((site.out / "publications.json").read_text(encoding="utf-8"))
    assert {item["id"] for item in csl} == set(mine)
    for item in csl:  # every author, and the year, as pybtex reads refs.bib
        named = [p for p in mine[item["id"]].persons["author"] if str(p) != "others"]
        assert len(item["author"]) == len(named), item["id"]
        assert item["issued"]["date-parts"][0][0] == int(mine[item["id"]].fields["year"][:4]), item["id"]


def test_inventory_exports_domain_objects(site: Site) -> None:
    inv = inventory(site)
    keys = set(parse_file(str(ROOT / "refs.bib")).entries)
    assert set(inv["portfolio:paper"]) == keys
    assert {k.lower() for k in keys} <= set(inv["std:label"])  # Sphinx's labels are lower case
    assert set(project_ids()) == set(inv["portfolio:project"])
    news_ids = {
        a["id"].removeprefix("news-") for a in site.main("news.html").select("article.portfolio-news-item")
    }
    assert set(inv["portfolio:news"]) == news_ids
    assert {f"news-{i}" for i in news_ids} <= set(inv["std:label"])


def test_feed(site: Site) -> None:
    feed = feedparser.parse(str(site.out / "news.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    items = site.main("news.html").select("article.portfolio-news-item")
    assert len(feed.entries) == len(items)
    for entry in feed.entries:
        url = urlparse(entry.link)
        assert url.scheme in {"http", "https"} and url.netloc
        anchor = url.fragment
        assert site.main("news.html").find(id=anchor) is not None, entry.link
    newest = max(t["datetime"] for t in site.main("news.html").select("article.portfolio-news-item time"))
    assert tuple(feed.entries[0].published_parsed[:3])[: newest.count("-") + 1] == tuple(
        int(x) for x in newest.split("-")
    )
    link = site.soup("biography.html").select_one('link[rel=alternate][type="application/atom+xml"]')
    assert link is not None and link["href"].endswith("/news.xml")


def test_every_paper_whose_sources_describe_it_has_a_summary(site: Site) -> None:
    by_title = {}
    for page in (site.out / "papers").glob("*.html"):
        title = site.main(f"papers/{page.name}").find("h1").get_text().rstrip("¶").strip()
        by_title[normalise(title)] = page.name
    pages = [by_title[normalise(t)] for t in _facts("seed_paper_titles")]
    pages += [f"{key}.html" for key in FACTS.get("lab_news_papers_with_summary_sources", [])]
    for name in pages:
        summary = site.main(f"papers/{name}").select_one(".portfolio-summary")
        assert summary is not None and len(summary.get_text().split()) >= 25, name


def test_profiles_on_every_page(site: Site) -> None:
    for page in html_pages(site.out):
        soup = site.soup(str(page.relative_to(site.out)))
        for url in PROFILES:
            icon = soup.select_one(f'footer .icons a[href="{url}"]')
            assert icon is not None and icon.get("aria-label"), page
    home = site.main("index.html")
    assert {a["href"] for a in home.select(".portfolio-profiles a")} == set(PROFILES)
    person = json.loads(site.soup("index.html").select_one('script[type="application/ld+json"]').string)
    assert set(PROFILES) <= set(person["sameAs"])


def test_project_years_follow_one_rule(site: Site) -> None:
    """Every card: from the first arXiv listing or publication of its papers to the latest."""
    import yaml

    bib = {e.key: e for e in bibtexparser.parse_string((ROOT / "refs.bib").read_text("utf-8")).entries}
    for page in sorted((ROOT / "docs" / "projects").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        keys = yaml.safe_load(text.split("---")[1])["project"]["papers"]
        firsts, lasts = [], []
        for key in keys:
            year = int(str(bib[key].fields_dict["year"].value))
            eprint = bib[key].fields_dict.get("eprint")
            firsts.append(min(year, 2000 + int(str(eprint.value)[:2])) if eprint else year)
            lasts.append(year)
        span = f"{min(firsts)}\u2013{max(lasts)}" if max(lasts) > min(firsts) else str(min(firsts))
        facts = site.main(f"projects/{page.stem}.html").select_one(".portfolio-project-facts").get_text()
        assert facts.split(" · ")[0] == span, page.stem


def test_project_cards_follow_the_toctree(site: Site) -> None:
    index = (ROOT / "docs" / "projects" / "index.md").read_text(encoding="utf-8")
    toctree = re.search(r"```\{toctree\}\n(?::[^\n]*\n)*\n(.*?)```", index, re.S)
    assert toctree
    listed = [line.strip() for line in toctree.group(1).splitlines() if line.strip()]
    shown = [a["href"] for a in site.main("projects/index.html").select(".portfolio-card .sd-card-title a")]
    assert shown == [f"{name}.html" for name in listed]


def test_optional_assets_only_where_used(site: Site) -> None:
    """sphinx-design's stylesheet and tabs script load only on the pages with project cards,
    sphinx-copybutton's files only on pages with a code block; the search page loads
    the ranking script and its data, and no other page does."""

    def assets(page: str) -> set[str]:
        soup = site.soup(page)
        found = {el["href"] for el in soup.select("link[rel=stylesheet]")}
        found |= {el["src"] for el in soup.select("script[src]")}
        return {a.rsplit("/", 1)[-1].split("?")[0] for a in found}

    design = {"sphinx-design.min.css", "design-tabs.js"}
    copy = {"copybutton.css", "copybutton.js", "clipboard.min.js"}
    for page in html_pages(site.out):
        name = str(page.relative_to(site.out))
        html = page.read_text(encoding="utf-8")
        has_cards = re.search(r'class="[^"]*\bsd-', html) is not None
        has_code = re.search(r'class="[^"]*\bhighlight', html) is not None
        got = assets(name)
        assert (design <= got) if has_cards else not (design & got), name
        assert (copy <= got) if has_code else not (copy & got), name
        assert ("portfolio-search.js" in got) == (name == "search.html"), name
    assert design <= assets("index.html") and design <= assets("projects/index.html")
    assert not design & assets("biography.html") and not copy & assets("biography.html")
    assert copy <= assets(next(str(p.relative_to(site.out)) for p in (site.out / "papers").glob("*.html")))
    assert site.soup("search.html").select_one("script#portfolio-search-meta[type='application/json']")


def test_home_cards_link_to_their_papers_in_the_filtered_list(site: Site) -> None:
    """Each home page card of a project with papers links to the publication list filtered to
    it, and says how many entries that list then shows."""
    listed = site.main("publications.html").select("li[data-projects]")
    cards = site.main("index.html").select(".portfolio-card")
    assert cards
    for card in cards:
        project = card.select_one(".sd-card-title a")["href"].rsplit("/", 1)[-1].removesuffix(".html")
        shown = [li for li in listed if project in li["data-projects"].split()]
        links = card.select(".portfolio-card-papers a")
        if not shown:
            assert not links, project
            continue
        (link,) = links
        assert link["href"] == f"publications.html?project={project}"
        assert link.get_text() == f"{len(shown)} paper{'s' if len(shown) != 1 else ''}"
