"""Cite this paper, read by the software that reads it: each paper page's APA, IEEE and
Chicago references against citeproc-py's own rendering of the paper's item in
``publications.json``, and every RIS file through rispy (the RIS reader of Python's
reference-manager tools), compared with ``refs.bib`` as bibtexparser reads it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import rispy
from test_exports import BIB, render
from test_exports import _field as field

from helpers import CONF, OWNER_KEYS, ROOT, Site, fold, source_words

#: the styles conf.py leaves at their default (portfolio_cite_styles)
STYLES = {"APA": "apa", "IEEE": "ieee", "Chicago": "chicago-notes-bibliography"}


def names(key: str) -> list[tuple[str, str, str]]:
    """(given, family, suffix) of each author as refs.bib writes them: "Last, First",
    "Last, Jr., First" or "First Last"."""
    out = []
    for name in re.split(r"\s+and\s+", field(key, "author")):
        name = name.replace("{", "").replace("}", "").strip()
        if name == "others":
            continue
        parts = [p.strip() for p in name.split(",")]
        if len(parts) == 3:
            out.append((parts[2], parts[0], parts[1]))
        elif len(parts) == 2:
            out.append((parts[1], parts[0], ""))
        else:
            given, _, family = name.rpartition(" ")
            out.append((given, family, ""))
    return out


def citeproc(item: dict[str, Any], style: str) -> str:
    """What citeproc-py itself makes of the item, as text (test_exports.render)."""
    return " ".join(render(item, style)[0].split())


@pytest.fixture(scope="module")
def items(site: Site) -> dict[str, dict[str, Any]]:
    assert site.returncode == 0, site.stderr
    data = json.loads((site.out / "publications.json").read_text(encoding="utf-8"))
    return {item["id"]: item for item in data}


def page_of(site: Site, key: str) -> str:
    """The paper page of a key (the site's inventory)."""
    return site.paper_page(key)


def references(site: Site, page: str) -> dict[str, str]:
    """Style label -> the reference's text, as the page shows it."""
    soup = site.main(page)
    return {
        item.select_one(".portfolio-cite-style").get_text(): " ".join(
            item.select_one(".portfolio-reference").get_text().split()
        )
        for item in soup.select(".portfolio-cite-item")
    }


def hyphen_lower(key: str) -> bool:
    """Whether a given name has a lower-case part after a hyphen ("Rui-jie"): citeproc-py's bug."""
    return any(re.search(r"-[a-z]", given) for given, _, _ in names(key))


def test_every_paper_page_cites_in_three_styles(site: Site, items: dict[str, dict[str, Any]]) -> None:
    for key in items:
        refs = references(site, page_of(site, key))
        # every style that citeproc-py renders for the item (it renders nothing for a few
        # sparse items, such as Chicago for a manuscript with no publisher)
        assert list(refs) == [label for label, style in STYLES.items() if citeproc(items[key], style)], key
        year = re.search(r"\d{4}", field(key, "year") or field(key, "date"))
        for label, text in refs.items():
            shown = fold(text).split()
            assert all(w in shown for w in source_words(field(key, "title"))), f"{label} {key}: {text}"
            assert year and year.group(0) in text, f"{label} {key}: {text}"
            assert "R.-. " not in text and "\ue000" not in text, f"{label} {key}: {text}"


def _initials(given: str) -> str:
    return "-".join(f"{part[0].upper()}." for part in given.split("-") if part)


def test_hyphenated_owner_names_are_spelled_right_in_every_style(
    site: Site, items: dict[str, dict[str, Any]]
) -> None:
    """Initials such as "R.-J." in APA and IEEE, the name as the entry spells it in Chicago,
    never citeproc-py's "R.-. jie" (its bug with a lower-case part after a hyphen, which
    the engine works around), for each entry that spells the owner with a hyphen."""
    owner = {tuple(n.rsplit(" ", 1)) for n in CONF["portfolio_owner_names"] if " " in n}
    families = {f for _, f in owner}
    checked = 0
    for key in items:
        spelled = [(g, f) for g, f, _ in names(key) if f in families and "-" in g]
        if not spelled:
            continue
        given, family = spelled[0]
        refs = references(site, page_of(site, key))
        assert f"{_initials(given)} {family}" in refs["IEEE"] or "et al." in refs["IEEE"], refs["IEEE"]
        assert f"{family}, {_initials(given)}" in refs["APA"] or "…" in refs["APA"], refs["APA"]
        chicago = refs["Chicago"]
        assert f"{given} {family}" in chicago or f"{family}, {given}" in chicago or "et al." in chicago, (
            chicago
        )
        checked += 1
    if not checked:
        pytest.skip("the owner's name has no hyphen in refs.bib")


def sample(items: dict[str, dict[str, Any]]) -> list[str]:
    """The first of his papers of each entry type, and each one citeproc-py's bug would hit."""
    first: dict[str, str] = {}
    for key in items:
        first.setdefault(BIB[key].entry_type, key)
    return sorted(set(first.values()) | {k for k in items if hyphen_lower(k)})


def test_references_are_the_csl_processors_own(site: Site, items: dict[str, dict[str, Any]]) -> None:
    """APA is citeproc-py's output for the item in publications.json; IEEE too, without the
    "[1]" of a numbered list; Chicago too, after its author list, which has the full given
    names that Chicago asks for (citeproc-py alone would print initials)."""
    keys = sample(items)
    assert keys
    for key in keys:
        refs = references(site, page_of(site, key))
        own = {label: citeproc(items[key], style) for label, style in STYLES.items()}
        if not hyphen_lower(key):
            assert refs["APA"] == own["APA"], key
            assert own["IEEE"].startswith("[1]") and refs["IEEE"] == own["IEEE"].removeprefix("[1]"), key
        if not own["Chicago"]:
            assert "Chicago" not in refs, key
            continue
        assert refs["Chicago"].split("“", 1)[1] == own["Chicago"].split("“", 1)[1], key
        for given, family, _ in names(key)[:3]:
            assert given in refs["Chicago"] and family in refs["Chicago"], (key, given, refs["Chicago"])


def test_looking_things_up_once_changes_no_reference(items: dict[str, dict[str, Any]]) -> None:
    """cite.memoize makes citeproc-py's lookups in a loaded style once: every item of
    publications.json, in every style of the site, is the same reference with citeproc-py's
    own lookups (each on a style loaded for the purpose)."""
    from citeproc import CitationStylesStyle

    from portfolio.papers import _cite as cite

    cite.memoize()
    styles = cite.resolved(tuple(CONF.get("portfolio_cite_styles", STYLES).items()), str(ROOT))
    assert styles and items
    assert len(cite._SHIPPED) == len(cite.PURE)  # each lookup replaced
    for path in styles.values():
        memoized = [cite._format(CitationStylesStyle(str(path), validate=False), i) for i in items.values()]
        with cite.as_shipped():
            shipped = [
                cite._format(CitationStylesStyle(str(path), validate=False), i) for i in items.values()
            ]
        assert memoized == shipped, path.name
        assert sum(bool(text) for text in memoized) > len(items) // 2, path.name


def test_each_reference_has_a_copy_button_target(site: Site) -> None:
    """sphinx-copybutton's selector takes the references (it copies their text)."""
    script = (site.out / "_static" / "copybutton.js").read_text(encoding="utf-8")
    selector = re.search(r"COPYBUTTON_SELECTOR = '([^']*)'", script)
    assert selector and "p.portfolio-reference" in selector.group(1).split(", ")
    assert "div.highlight pre" in selector.group(1)


# -- RIS -------------------------------------------------------------------------------------
def read_ris(text: str) -> list[dict[str, Any]]:
    return list(rispy.loads(text))


def check_record(key: str, record: dict[str, Any]) -> None:
    shown = fold(record["title"]).split()
    assert all(w in shown for w in source_words(field(key, "title"))), (key, record["title"])
    bib_names = names(key)
    authors = record.get("authors", []) or record.get("secondary_authors", [])
    assert len(authors) == len(bib_names), (key, authors)
    for (given, family, suffix), ris_name in zip(bib_names, authors, strict=True):
        # RIS: "Last, First, Suffix"
        assert [fold(p) for p in ris_name.split(", ")] == [fold(p) for p in (family, given, suffix) if p], (
            key,
            ris_name,
        )
    year = re.search(r"\d{4}", field(key, "year") or field(key, "date"))
    assert year and record["year"] == year.group(0), key
    venue = field(key, "journal") or field(key, "booktitle")
    if venue:
        assert fold(record["secondary_title"]) == fold(venue.replace("{", "").replace("}", "")), key
    elif field(key, "eprint"):
        assert record["secondary_title"] == "arXiv" and record["type_of_reference"] == "JOUR", key
    assert record.get("doi", "") == field(key, "doi"), key
    kinds = {"article": "JOUR", "inproceedings": "CPAPER", "misc": "JOUR" if field(key, "eprint") else "GEN",
             "unpublished": "UNPB"}  # fmt: skip
    assert record["type_of_reference"] == kinds[BIB[key].entry_type], key


def test_every_paper_has_a_ris_file_rispy_reads_back(site: Site) -> None:
    for key in BIB:
        page = page_of(site, key)
        link = site.main(page).select_one(".portfolio-cite-files a[href$='.ris']")
        assert link is not None, page
        path = (site.out / page).parent / str(link["href"])
        raw = path.read_bytes()
        assert b"\r\n" in raw and raw.endswith(b"ER  - \r\n"), path
        (record,) = read_ris(raw.decode("utf-8"))
        check_record(key, record)


def test_publications_ris_holds_every_exported_entry(site: Site, items: dict[str, dict[str, Any]]) -> None:
    records = read_ris((site.out / "publications.ris").read_text(encoding="utf-8"))
    owner = OWNER_KEYS
    assert len(records) == len(owner) == len(items)
    by_title = {fold(r["title"]): r for r in records}
    for key in owner:
        (match,) = [r for t, r in by_title.items() if t == fold(items[key]["title"])]
        check_record(key, match)
    link = site.main("publications.html").select_one(".portfolio-exports a[href='publications.ris']")
    assert link is not None
