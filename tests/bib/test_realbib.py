"""BibTeX nobody here wrote: DBLP, Zotero, Google Scholar, ACL, al-folio, Hugo Blox and
biblatex's own examples (``../shared/realbib``, beside CI's checkout only).

Each file is built as the whole ``refs.bib`` of a bare site and read back with an
independent parser (bibtexparser): every valid entry gets a page that loses no word of its
title, authors and venue and shows no LaTeX; the only warnings are located ones for entries
that are truly invalid (no title, no author or editor, no year or date, inherited ones
included); the exports re-parse and carry no private or tool fields; ``make check`` says
what the build says.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import bibtexparser
import pytest

from helpers import SHARED, Built, biber_warnings, build, copy_root, fold, run_check, source_words

REALBIB = SHARED / "realbib"
FILES = sorted(REALBIB.glob("*.bib")) if REALBIB.is_dir() else []
pytestmark = pytest.mark.skipif(
    not FILES, reason=f"{REALBIB} is absent (it sits beside CI's checkout, not beside a clone)"
)
#: Fields no export may carry: private paths, tool bookkeeping, abstracts, our own fields.
PRIVATE_OR_TOOL = {
    "file", "abstract", "timestamp", "biburl", "bibsource", "bibtex_show", "preview", "selected",
    "pdf", "html", "abbr", "altmetric", "dimensions", "google_scholar_id", "keywords", "annotation",
    "mendeley-groups", "owner", "creationdate", "modificationdate", "urldate", "adsurl", "adsnote",
}  # fmt: skip
NOT_WORKS = {"string", "comment", "preamble", "xdata", "set"}
INVALID = re.compile(
    r"^refs\.bib:\d+: WARNING: entry '(?P<key>[^']+)': missing required field\(s\) [a-z, ]+; every entry "
    r"needs title, author \(or editor\) and year \(or date\) \[portfolio\.bib_field\]$"
)


def _independent(path: Path) -> dict[str, dict[str, str]]:
    """Entries as bibtexparser reads them, with crossref parents' fields for the children."""
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    entries = {
        e.key: {"@type": e.entry_type.lower(), **{f.key.lower(): str(f.value) for f in e.fields}}
        for e in library.entries
    }
    lower = {k.lower(): k for k in entries}
    for entry in entries.values():
        parent = lower.get(entry.get("crossref", "").lower())
        if parent:
            for name, value in entries[parent].items():
                entry.setdefault(f"parent:{name}", value)
    return entries


def _field(entry: dict[str, str], *names: str) -> str:
    for name in names:
        for prefix in ("", "parent:"):
            if entry.get(prefix + name, "").strip():
                return entry[prefix + name]
    return ""


def _truly_invalid(entry: dict[str, str]) -> bool:
    return not (
        _field(entry, "title") and _field(entry, "author", "editor") and _field(entry, "year", "date")
    )


@pytest.fixture(scope="module", params=FILES, ids=[p.stem for p in FILES])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    path: Path = request.param
    srcdir = copy_root(tmp_path_factory.mktemp(path.stem), "realbib", {"refs.bib": path.read_text("utf-8")})
    return path, build(srcdir)


def test_only_truly_invalid_entries_are_refused(corpus: tuple[Path, Built]) -> None:
    path, built = corpus
    entries = _independent(path)
    refused = set()
    for warning in built.warnings:
        m = INVALID.match(warning)
        assert m, f"unexpected warning for {path.name}: {warning}"
        refused.add(m.group("key"))
    assert all(_truly_invalid(entries[key]) for key in refused)
    works = {k for k, e in entries.items() if e["@type"] not in NOT_WORKS}
    assert {k for k in works if _truly_invalid(entries[k])} == refused


def test_every_valid_entry_has_a_whole_page(corpus: tuple[Path, Built]) -> None:
    path, built = corpus
    entries = _independent(path)
    data = json.loads((built.outdir / "publications.json").read_text(encoding="utf-8"))
    by_key = {item["id"]: item for item in data}
    valid = {k: e for k, e in entries.items() if e["@type"] not in NOT_WORKS and not _truly_invalid(e)}
    assert set(by_key) == set(valid)  # one CSL item per valid entry, none dropped
    for key, entry in valid.items():
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-")
        soup = built.soup(f"papers/{slug}.html")
        main = soup.find(attrs={"role": "main"})
        title = main.find("h1").get_text(" ")
        authors = main.select_one(".portfolio-authors").get_text(" ")
        venue = main.select_one(".portfolio-venue").get_text(" ")
        for text in (title, authors, venue):
            assert not re.search(r"[\\{}$]", text), f"{key}: LaTeX on the page: {text!r}"
        shown_title = fold(title)
        for name in ("title", "subtitle"):
            for word in source_words(entry.get(name, "")):
                assert word in shown_title.split(), f"{key}: {name} word {word!r} missing from {title!r}"
        shown_authors = fold(authors)
        names = _field(entry, "author", "editor")
        for person in re.split(r"\s+and\s+", names):
            family = person.split(",")[0] if "," in person else person.split()[-1] if person.split() else ""
            for word in source_words(family):
                if word != "others":
                    assert word in shown_authors.split(), f"{key}: author {word!r} missing from {authors!r}"
        year = re.search(r"\d{4}", _field(entry, "date", "year"))
        assert year and year.group(0) in venue, f"{key}: year missing from {venue!r}"
        venue_field = {"article": ("journaltitle", "journal"), "inproceedings": ("booktitle",)}.get(
            entry["@type"], ()
        )
        source_venue = _field(entry, *venue_field) if venue_field else ""
        if not re.match(r"\s*\{?arxiv", source_venue, re.I):  # an arXiv listing is named by its id
            for word in source_words(source_venue):
                assert word in fold(venue).split(), f"{key}: venue word {word!r} missing from {venue!r}"


def test_exports_reparse_without_private_fields(corpus: tuple[Path, Built]) -> None:
    _, built = corpus
    text = (built.outdir / "publications.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    data = json.loads((built.outdir / "publications.json").read_text(encoding="utf-8"))
    assert sorted(e.key for e in library.entries) == sorted(item["id"] for item in data)
    for entry in library.entries:
        names = {f.key.lower() for f in entry.fields}
        assert not names & PRIVATE_OR_TOOL, f"{entry.key}: {names & PRIVATE_OR_TOOL}"
        assert not any(n.startswith("x-") for n in names)
        assert "/home/" not in text and ":application/pdf" not in text


def test_check_says_what_the_build_says(corpus: tuple[Path, Built]) -> None:
    _, built = corpus
    proc = run_check(built.srcdir, "--source", ".")
    reported = [line.replace(f"{built.srcdir}/", "") for line in proc.stderr.splitlines() if line]
    assert sorted(reported) == sorted(built.warnings)
    assert proc.returncode == (1 if built.warnings else 0)


def test_biber_finds_nothing_we_added(corpus: tuple[Path, Built], tmp_path: Path) -> None:
    """biber's data-model check of the export says nothing it does not say of the source."""
    path, built = corpus
    for name, source in (("source", path), ("export", built.outdir / "publications.bib")):
        (tmp_path / name).mkdir()
        shutil.copy(source, tmp_path / name / "in.bib")
    said = {
        name: {w.replace("in.bib", "") for w in biber_warnings(tmp_path / name / "in.bib")}
        for name in ("source", "export")
    }
    assert said["export"] <= said["source"]
