"""One BibTeX entry (a resolved :class:`~portfolio.bib._datamodel.Record`) made into a
:class:`~portfolio.bib._model.Paper`: names, dates, venue, links, each problem located."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import Any

from pybtex.database import Person

from ..warnings_ import Subtype
from . import _datamodel as biblatex
from ._bibtex import export_entry
from ._datamodel import ENTRY_TYPES, FALLBACK_TYPE, Record, When
from ._latex import latex_to_text, plain, to_text, unescape_verbatim
from ._locate import field_line
from ._model import Author, Paper, Problem, page_slug

REQUIRED = "title, author (or editor) and year (or date)"
URL_FIELDS = ("url", "x-code", "x-model", "x-pdf", "x-website")
#: Fields shown on the site, converted from LaTeX (and checked for commands we cannot convert).
TEXT_FIELDS = (
    "title", "subtitle", "titleaddon", "journal", "journaltitle", "journalsubtitle", "booktitle",
    "booksubtitle", "maintitle", "eventtitle", "publisher", "institution", "school", "organization",
    "howpublished", "series", "type", "pages", "x-summary",
)  # fmt: skip
#: an http(s) address a page may link to (an entry's links, a co-author's homepage)
HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def _person(p: Person, owners: set[tuple[str, str]]) -> Author:
    raw_last = p.last_names
    family = latex_to_text(" ".join(raw_last))
    given = latex_to_text(" ".join(p.first_names + p.middle_names))
    particle = latex_to_text(" ".join(p.prelast_names))
    suffix = latex_to_text(" ".join(p.lineage_names))
    if family == "others" and not given:
        return Author("", "", is_others=True)
    literal = not given and not particle and len(raw_last) == 1 and raw_last[0].startswith("{")
    author = Author(given, family, suffix=suffix, particle=particle, literal=literal)
    return replace(author, is_owner=True) if author.key in owners else author


def _people(persons: list[Person], owners: set[tuple[str, str]]) -> tuple[Author, ...]:
    out: list[Author] = []
    for p in persons:
        author = _person(p, owners)
        # Google Scholar writes "Kebschull, Justus M et al." for a cut list
        m = re.match(r"^(.*?)\s*\bet\s*al\.?$", author.given)
        if m and not author.is_others:
            out.append(Author(m.group(1), author.family, author.is_owner, particle=author.particle))
            out.append(Author("", "", is_others=True))
            continue
        out.append(author)
    return tuple(out)


def owner_spellings(names: list[str]) -> set[tuple[str, str]]:
    """Turn ``["Ada Lovelace", "Lovelace, Augusta Ada"]`` into comparable (given, family) pairs."""
    return {_person(Person(name), set()).key for name in names}


def make_paper(
    key: str,
    record: Record,
    text: str,
    spath: str,
    line: int,
    owners: set[tuple[str, str]],
    owner_field: str,
    problems: list[Problem],
    offset: int = 0,
) -> Paper | None:
    """The paper of the entry at ``line`` of ``text``, or None if it cannot be shown; each
    problem is added to ``problems``.  ``text`` may be the entry's text alone: lines are then
    counted from its start, and ``offset`` added (the line before it in the file)."""

    def problem(subtype: Subtype, message: str, fieldname: str = "") -> None:
        where = field_line(text, line, fieldname) if fieldname else line
        problems.append(Problem(subtype, f"entry {key!r}: {message}", spath, where + offset))

    fields = record.fields
    etype = record.type
    entry_type = ENTRY_TYPES.get(etype)
    if entry_type is None:
        problem(
            Subtype.bib_type,
            f"unknown entry type @{etype}, shown as @misc; use a BibTeX or biblatex type such as "
            "@article, @inproceedings, @book, @thesis, @report or @misc",
        )
        entry_type = FALLBACK_TYPE

    names_role = "author" if record.persons.get("author") else "editor"
    persons = record.persons.get(names_role, [])
    when, date_field = _when(fields, problem)
    missing = [
        name for name, ok in (("title", fields.get("title", "").strip()), ("author", persons)) if not ok
    ]
    if when is None and date_field is None:
        missing.append("year")
    if missing:
        problem(
            Subtype.bib_field,
            f"missing required field(s) {', '.join(missing)}; every entry needs {REQUIRED}",
        )
        return None
    if when is None:
        return None  # a date that cannot be read: reported by _when

    texts: dict[str, str] = {}
    for name in TEXT_FIELDS:
        if fields.get(name, "").strip():
            converted = to_text(fields[name])
            texts[name] = converted.text
            for command in converted.unknown:
                problem(
                    Subtype.bib_latex,
                    f"field {name}: the LaTeX command {command} has no text form and was left out; "
                    "write that part in plain text or Unicode",
                    name,
                )

    urls: dict[str, str] = {}
    for name in URL_FIELDS:
        value = unescape_verbatim(fields.get(name, ""))
        if value and not HTTP_URL.match(value):
            shown = value if len(value) <= 60 else value[:57] + "..."
            problem(Subtype.bib_url, f"{name} {shown!r} is not an http(s) URL; the link is left out", name)
            continue
        urls[name] = value
    doi = biblatex.normalize_doi(fields.get("doi", ""))
    if doi and not biblatex.is_doi(doi):
        problem(Subtype.bib_url, f"doi {doi!r} is not a DOI such as 10.1000/xyz; it is left out", "doi")
        doi = ""
    arxiv, arxiv_field = biblatex.arxiv_id(fields)
    if arxiv and not biblatex.ARXIV_ID.match(arxiv):
        problem(
            Subtype.bib_field,
            f"{arxiv_field} {arxiv!r} is not an arXiv identifier such as 2302.13939; it is left out",
            arxiv_field,
        )
        arxiv = ""

    authors = _people(persons, owners)
    flag = fields.get(owner_field.lower(), "").strip().lower() if owner_field else ""
    owner = flag == "yes" if flag in {"yes", "no"} else any(a.is_owner for a in authors)
    title_markup = _join_title(texts.get("title", ""), texts.get("subtitle", ""), texts.get("titleaddon", ""))
    title = plain(title_markup)
    genre = _genre(etype, fields, texts)
    container = _container(entry_type.kind, etype, texts)
    kind, csl_type = entry_type.kind, entry_type.csl
    if arxiv and ((kind in {"other", "preprint"} and not container) or biblatex.is_arxiv_text(container)):
        kind, csl_type = "preprint", "article"  # an arXiv listing (CSL's preprint type)
        container = ""
    publisher = plain(texts.get("publisher", "") or texts.get("organization", ""))
    if kind in {"thesis"}:
        publisher = plain(texts.get("school", "") or texts.get("institution", "")) or publisher
    elif kind == "report":
        publisher = plain(texts.get("institution", "")) or publisher
    venue = _venue(kind, etype, container, texts, genre, fields, arxiv)
    place = latex_to_text(fields.get("location", "") or fields.get("address", ""))
    month_macro = when.month if date_field == "year" else None  # a biblatex date stays a date
    bib = export_entry(record, key, doi=doi, url=urls.get("url", ""), month=month_macro)
    links = _links(urls, doi, arxiv, fields)
    return Paper(
        key=key,
        entry_type=etype,
        title=title,
        authors=authors,
        year=when.year,
        month=when.month,
        venue=venue,
        kind=kind,
        csl_type=csl_type,
        owner=owner,
        line=line + offset,
        slug=page_slug(key),
        title_markup=title_markup,
        day=when.day,
        year_end=when.end_year,
        names_role=names_role,
        translators=_people(record.persons.get("translator", []), owners),
        bookauthors=_people(record.persons.get("bookauthor", []), owners),
        container=container,
        event=plain(texts.get("eventtitle", "")),
        genre=genre,
        doi=doi,
        arxiv=arxiv,
        url=urls.get("url", ""),
        code=urls.get("x-code", ""),
        models=urls.get("x-model", ""),
        pdf=urls.get("x-pdf", ""),
        volume=latex_to_text(fields.get("volume", "")),
        number=latex_to_text(fields.get("number", "") or fields.get("issue", "")),
        pages=plain(texts.get("pages", "")),
        publisher=publisher,
        place=place,
        edition=latex_to_text(fields.get("edition", "")),
        series=plain(texts.get("series", "")),
        # as Zotero and JabRef write them: LaTeX (``mind \& body``), shown as text
        keywords=tuple(kw for k in fields.get("keywords", "").split(",") if (kw := latex_to_text(k.strip()))),
        summary=plain(texts.get("x-summary", "")),
        bibtex=bib,
        # the export holds every name; the fields hold the rest (x-* included)
        digest=hashlib.sha256(repr(sorted(fields.items())).encode() + bib.encode()).hexdigest()[:16],
        links=links,
    )


def _when(fields: dict[str, str], problem: Any) -> tuple[When | None, str | None]:
    """(date, field it came from): ``date`` first, as biber does, then ``year``/``month``.
    (None, None) when neither is given; (None, field) when the given one cannot be read."""
    if fields.get("date", "").strip():
        when = biblatex.parse_date(fields["date"])
        if when is not None:
            return when, "date"
        has_year = bool(fields.get("year", "").strip())
        problem(
            Subtype.bib_field,
            f"date {fields['date']!r} is not a date such as 2024, 2024-06 or 2024-06-04"
            + ("; the year field is used instead" if has_year else ""),
            "date",
        )
        if not has_year:
            return None, "date"
    if not fields.get("year", "").strip():
        return None, None
    when = biblatex.parse_year(fields["year"])
    if when is None:
        problem(Subtype.bib_field, f"year {fields['year'].strip()!r} is not a four-digit year", "year")
        return None, "year"
    month = biblatex.parse_month(fields.get("month", ""))
    if month == -1:
        problem(
            Subtype.bib_field,
            f"month {fields['month']!r} is not a month; use jan..dec or 1..12 (it is left out)",
            "month",
        )
        month = None
    return When(when.year, month, None, when.end_year), "year"


def _join_title(title: str, subtitle: str, addon: str) -> str:
    out = title
    if subtitle:
        out = (
            f"{out} {subtitle}"
            if plain(out).rstrip().endswith((":", "?", "!", "."))
            else f"{out}: {subtitle}"
        )
    if addon:
        out = f"{out}. {addon}" if not plain(out).rstrip().endswith((".", "?", "!")) else f"{out} {addon}"
    return out


def _genre(etype: str, fields: dict[str, str], texts: dict[str, str]) -> str:
    raw = fields.get("type", "").strip().strip("{}").strip()
    if raw:
        return biblatex.GENRES.get(raw.lower(), plain(texts.get("type", raw)))
    defaults = {
        "phdthesis": "PhD thesis",
        "mastersthesis": "Master's thesis",
        "techreport": "Technical report",
    }
    if etype in defaults:
        return defaults[etype]
    return "Patent" if etype == "patent" else ""


def _container(kind: str, etype: str, texts: dict[str, str]) -> str:
    """The journal or book the work appears in, as CSL's container-title."""

    def joined(main: str, sub: str) -> str:
        return plain(_join_title(texts.get(main, ""), texts.get(sub, ""), ""))

    if kind == "journal" and etype != "periodical":
        return joined("journaltitle", "journalsubtitle") or joined("journal", "journalsubtitle")
    if kind in {"conference", "chapter"}:
        return (
            joined("booktitle", "booksubtitle")
            or plain(texts.get("maintitle", ""))
            or plain(texts.get("eventtitle", ""))
        )
    if kind in {"other", "preprint", "web"}:
        for name in ("journaltitle", "journal", "booktitle", "howpublished"):
            if texts.get(name):
                return plain(texts[name])
    return ""


def _venue(
    kind: str,
    etype: str,
    container: str,
    texts: dict[str, str],
    genre: str,
    fields: dict[str, str],
    arxiv: str,
) -> str:
    """The line under a title that says where the work appeared."""

    def t(name: str) -> str:
        return plain(texts.get(name, ""))

    number = latex_to_text(fields.get("number", ""))
    if kind in {"journal", "conference"}:
        parts = [container or t("howpublished")]
    elif kind == "chapter":
        parts = [f"In {container}" if container else "", t("publisher")]
    elif kind == "book":
        parts = [t("series"), t("publisher") or t("organization") or t("howpublished")]
    elif kind == "thesis":
        parts = [genre, t("school") or t("institution")]
    elif kind == "report":
        parts = [
            " ".join(p for p in (genre, number) if p),
            t("institution") or t("organization") or t("publisher"),
        ]
    elif kind == "patent":
        parts = [" ".join(p for p in (genre, number) if p)]
    else:
        parts = [container, t("organization") or t("publisher") or t("institution")]
    venue = ", ".join(p.rstrip(" ,;") for p in parts if p.rstrip(" ,;"))
    if not venue and arxiv:
        venue = f"arXiv preprint arXiv:{arxiv}"
    return venue


def _destination(url: str) -> str:
    """What a link points at, for "one button per destination": a DOI in any spelling is
    the DOI; otherwise the address without scheme, "www." and trailing slash, any case."""
    doi = biblatex.normalize_doi(url)
    if doi != url and biblatex.is_doi(doi):
        return "doi:" + doi.casefold()
    return re.sub(r"^https?://(www\.)?|/$", "", url).casefold()


def _links(urls: dict[str, str], doi: str, arxiv: str, fields: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Buttons in display order: (label, url), one per destination.  The entry's own
    ``url`` is "Paper" unless it is the arXiv or DOI address, which have their own button."""
    doi_url = f"https://doi.org/{doi}" if doi else ""
    arxiv_url = f"https://arxiv.org/abs/{arxiv}" if arxiv else ""
    archive = biblatex.eprint_type(fields)
    eprint = unescape_verbatim(fields.get("eprint", ""))
    eprint_link = ("", "")
    if archive in biblatex.EPRINT_URLS and eprint:
        eprint_link = (archive.upper() if archive == "hdl" else archive.capitalize(),
                       biblatex.EPRINT_URLS[archive].format(eprint))  # fmt: skip
    candidates = [
        ("Paper", urls.get("url", "")),
        ("PDF", urls.get("x-pdf", "")),
        ("arXiv", arxiv_url),
        ("DOI", doi_url),
        eprint_link,
        ("Code", urls.get("x-code", "")),
        ("Models", urls.get("x-model", "")),
    ]
    dedicated = {_destination(u) for u in (doi_url, arxiv_url) if u}
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for label, url in candidates:
        dest = _destination(url)
        if not url or dest in seen or (label == "Paper" and dest in dedicated):
            continue
        seen.add(dest)
        out.append((label, url))
    return tuple(out)
