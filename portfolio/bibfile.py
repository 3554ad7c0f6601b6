"""Read ``refs.bib`` into :class:`Paper` objects, with every problem located.

Pure Python (pybtex, no Sphinx): the build and ``python -m portfolio check`` share it,
so both give the same messages.  Nothing here writes to the BibTeX file.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, Person
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from . import biblatex
from .biblatex import ENTRY_TYPES, FALLBACK_TYPE, Record, When
from .bibout import export_entry
from .latex import latex_to_text, plain, to_text, unescape_verbatim
from .warnings_ import Subtype

#: Problems after which the file cannot be used at all.
UNREADABLE = {Subtype.bib_missing, Subtype.bib_encoding, Subtype.bib_syntax}

REQUIRED = "title, author (or editor) and year (or date)"
URL_FIELDS = ("url", "x-code", "x-model", "x-pdf", "x-website")
#: Fields shown on the site, converted from LaTeX (and checked for commands we cannot convert).
TEXT_FIELDS = (
    "title", "subtitle", "titleaddon", "journal", "journaltitle", "journalsubtitle", "booktitle",
    "booksubtitle", "maintitle", "eventtitle", "publisher", "institution", "school", "organization",
    "howpublished", "series", "type", "pages", "x-summary",
)  # fmt: skip
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t\r\n]*([^,\s]+)[ \t]*,", re.MULTILINE)
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
#: Characters of a key kept in its page's file name and URL; any other run becomes "-".
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Problem:
    """One located problem in the BibTeX file."""

    subtype: Subtype
    message: str
    path: str
    line: int

    @property
    def location(self) -> str:
        return f"{self.path}:{max(self.line, 1)}"

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [portfolio.{self.subtype.value}]"


@dataclass(frozen=True)
class Author:
    given: str
    family: str
    is_owner: bool = False
    is_others: bool = False
    suffix: str = ""  # "Jr.", "III"
    particle: str = ""  # "van", "de la"
    literal: bool = False  # an organisation, {American Psychological Association}

    def fields(self, names: dict[str, str]) -> dict[str, str]:
        """The name's parts under a format's own field names (CSL-JSON, Citation File Format):
        ``names`` maps literal, family, given, particle and suffix to them; empty parts left out."""
        if self.literal:
            return {names["literal"]: self.family}
        parts = {"family": self.family, "given": self.given, "particle": self.particle, "suffix": self.suffix}
        return {names[part]: value for part, value in parts.items() if value}

    @property
    def display(self) -> str:
        if self.is_others:
            return "others"
        family = f"{self.particle} {self.family}".strip()
        name = f"{self.given} {family}".strip()
        return f"{name} {self.suffix}" if self.suffix else name


@dataclass(frozen=True)
class Paper:
    """A paper of ``refs.bib``, ready to present.

    Strings are plain Unicode text (no LaTeX); ``title_markup`` keeps emphasis as the
    markers of :mod:`portfolio.latex` for HTML."""

    key: str
    entry_type: str
    title: str
    authors: tuple[Author, ...]
    year: int
    month: int | None
    venue: str
    kind: str
    csl_type: str
    owner: bool
    line: int
    slug: str = ""
    title_markup: str = ""
    day: int | None = None
    year_end: int | None = None
    names_role: str = "author"  # "editor" when the entry lists editors only
    translators: tuple[Author, ...] = ()
    bookauthors: tuple[Author, ...] = ()  # biblatex's bookauthor: the author of the book it is in
    container: str = ""  # journal or book the work appears in (CSL container-title)
    event: str = ""
    genre: str = ""  # "PhD thesis", "Technical report", "U.S. patent"
    doi: str = ""
    arxiv: str = ""
    url: str = ""
    code: str = ""
    models: str = ""
    pdf: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    place: str = ""
    edition: str = ""
    series: str = ""
    keywords: tuple[str, ...] = ()
    summary: str = ""
    bibtex: str = ""
    digest: str = ""
    links: tuple[tuple[str, str], ...] = field(default=())

    @property
    def authors_text(self) -> str:
        names = [a.display for a in self.authors]
        if len(names) > 1 and self.authors[-1].is_others:
            return ", ".join(names[:-1]) + " and others"
        return ", ".join(names)

    @property
    def is_preprint(self) -> bool:
        """An arXiv listing with no other venue."""
        return bool(self.arxiv) and self.kind == "preprint"


@dataclass
class Bibliography:
    path: str
    papers: dict[str, Paper]
    problems: list[Problem]
    #: pybtex's data, when the file parsed in one piece with no problem at all: what any
    #: pybtex reader of the same file gets (papers.share_parse hands it on)
    data: BibliographyData | None = None


def page_slug(key: str) -> str:
    """The file name (and URL) of a key's page: the key itself when it is safe, otherwise
    every run of other characters as "-" (``DBLP:journals/corr/abs-2302-13939`` becomes
    ``DBLP-journals-corr-abs-2302-13939``).  It depends on the key alone, so it is stable."""
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("-", ascii_key).strip("-") or "paper"


def _person(p: Person, owners: set[tuple[str, str]]) -> Author:
    raw_last = p.last_names
    family = latex_to_text(" ".join(raw_last))
    given = latex_to_text(" ".join(p.first_names + p.middle_names))
    particle = latex_to_text(" ".join(p.prelast_names))
    suffix = latex_to_text(" ".join(p.lineage_names))
    if family == "others" and not given:
        return Author("", "", is_others=True)
    literal = not given and not particle and len(raw_last) == 1 and raw_last[0].startswith("{")
    full_family = f"{particle} {family}".strip()
    is_owner = (given.casefold(), full_family.casefold()) in owners
    return Author(given, family, is_owner=is_owner, suffix=suffix, particle=particle, literal=literal)


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
    out = set()
    for name in names:
        a = _person(Person(name), set())
        out.add((a.given.casefold(), f"{a.particle} {a.family}".strip().casefold()))
    return out


def _entry_lines(text: str) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    line, counted = 1, 0
    for m in _ENTRY_START.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        if m.group(1).lower() in {"comment", "preamble", "string"}:
            continue
        lines.setdefault(m.group(2).lower(), []).append(line)
    return lines


def _field_line(text: str, entry_line: int, name: str) -> int:
    """Best-effort line of ``name = ...`` inside the entry that starts at ``entry_line``."""
    lines = text.split("\n")
    pattern = re.compile(r"^\s*" + re.escape(name) + r"\s*=", re.IGNORECASE)
    for i in range(entry_line - 1, len(lines)):
        if i > entry_line - 1 and _ENTRY_START.match(lines[i] + ","):
            break
        if pattern.match(lines[i]):
            return i + 1
    return entry_line


def parse_bibliography(path: Path, owner_names: list[str], owner_field: str) -> Bibliography:
    """Parse ``path``; never raises for bad content: problems are returned, located."""
    spath = str(path)
    problems: list[Problem] = []
    if not path.is_file():
        problems.append(
            Problem(
                Subtype.bib_missing,
                f"BibTeX file {spath} not found; create it or set portfolio_bibfile to its path",
                spath,
                0,
            )
        )
        return Bibliography(spath, {}, problems)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                Subtype.bib_encoding,
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); re-save the file as UTF-8",
                spath,
                line,
            )
        )
        return Bibliography(spath, {}, problems)

    entry_lines = _entry_lines(text)
    for key, found in entry_lines.items():
        if len(found) > 1:
            where = ", ".join(f"line {n}" for n in found)
            problems.append(
                Problem(
                    Subtype.bib_duplicate,
                    f"duplicate key {key!r} at {where}; rename one of them (no entry was dropped)",
                    spath,
                    found[1],
                )
            )
    # pybtex refuses the whole file on a repeated key; parse each duplicate separately so
    # that no entry is dropped, and report the clash above.
    data = _parse_text(text, spath, problems, entry_lines)
    if data is None:
        return Bibliography(spath, {}, problems)
    if not data.entries and not problems:
        problems.append(Problem(Subtype.bib_empty, "no BibTeX entries found; add one", spath, 1))

    owners = owner_spellings(owner_names)
    records, inherit_problems = biblatex.resolve(dict(data.entries))
    for key, fieldname, message in inherit_problems:
        line = entry_lines.get(key.lower(), [0])[0]
        problems.append(
            Problem(
                Subtype.bib_crossref,
                f"entry {key!r}: {message}; fix the key or remove the field",
                spath,
                _field_line(text, line, fieldname),
            )
        )
    papers: dict[str, Paper] = {}
    slugs: dict[str, str] = {}  # casefolded slug -> key (file systems may ignore case)
    for key, record in records.items():
        if record.type in biblatex.CONTAINER_TYPES:
            continue  # @xdata and @set hold data for other entries; they are not works
        line = entry_lines.get(key.lower(), [0])[0]
        paper = _make_paper(key, record, text, spath, line, owners, owner_field, problems)
        if paper is None or key in papers:
            continue
        other = slugs.get(paper.slug.casefold())
        if other is not None:
            problems.append(
                Problem(
                    Subtype.bib_key,
                    f"entry {key!r} would get the same page, {paper.slug}.html, as entry {other!r} "
                    f"(line {papers[other].line}); rename one of the two keys",
                    spath,
                    line,
                )
            )
            continue
        slugs[paper.slug.casefold()] = key
        papers[key] = paper
    return Bibliography(spath, papers, problems, None if problems or text.startswith("\ufeff") else data)


def _parse_text(
    text: str, spath: str, problems: list[Problem], entry_lines: dict[str, list[int]]
) -> BibliographyData | None:
    previous = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)
    try:
        if any(len(v) > 1 for v in entry_lines.values()):
            return _parse_with_duplicates(text, spath, problems)
        return Parser().parse_string(text)
    except PybtexSyntaxError as exc:
        lineno = int(getattr(exc, "lineno", 0) or 0)
        reason = re.sub(r"^syntax error in line [0-9]+: ", "", str(exc))
        starts = sorted((n, key) for key, found in entry_lines.items() for n in found if n <= lineno)
        if starts:  # point at the entry that is broken, not where pybtex gave up
            line, key = starts[-1]
            message = (
                f"BibTeX syntax error in entry {key!r}: {reason} (detected at line {lineno}); "
                "check that entry's braces, quotes and commas"
            )
        else:
            line, message = (
                lineno,
                f"BibTeX syntax error: {reason}; check the braces, quotes and commas",
            )
        problems.append(Problem(Subtype.bib_syntax, message, spath, line))
        return None
    except BibliographyDataError as exc:
        problems.append(Problem(Subtype.bib_syntax, f"BibTeX error: {exc}", spath, 0))
        return None
    finally:
        pybtex.errors.set_strict_mode(previous)


def _parse_with_duplicates(text: str, spath: str, problems: list[Problem]) -> BibliographyData:
    """Parse entry by entry so that every copy of a repeated key is kept (suffixed)."""
    data = BibliographyData()
    starts = [m.start() for m in _ENTRY_START.finditer(text)] + [len(text)]
    seen: dict[str, int] = {}
    for begin, end in itertools.pairwise(starts):
        chunk = Parser().parse_string(text[begin:end])
        for key, entry in chunk.entries.items():
            n = seen.get(key.lower(), 0)
            seen[key.lower()] = n + 1
            data.entries[key if n == 0 else f"{key}~{n + 1}"] = entry
    return data


def _make_paper(
    key: str,
    record: Record,
    text: str,
    spath: str,
    line: int,
    owners: set[tuple[str, str]],
    owner_field: str,
    problems: list[Problem],
) -> Paper | None:
    def problem(subtype: Subtype, message: str, fieldname: str = "") -> None:
        where = _field_line(text, line, fieldname) if fieldname else line
        problems.append(Problem(subtype, f"entry {key!r}: {message}", spath, where))

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
        if value and not _URL.match(value):
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
        line=line,
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
        keywords=tuple(k.strip() for k in fields.get("keywords", "").split(",") if k.strip()),
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
