"""Read ``refs.bib`` into :class:`Paper` objects, with every problem located.

Pure Python (pybtex, no Sphinx): the build and ``python -m portfolio check`` share it,
so both give the same messages.  Nothing here writes to the BibTeX file.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pybtex.errors
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.database import BibliographyData, BibliographyDataError, Entry, Person
from pybtex.database.input.bibtex import Parser
from pybtex.richtext import Text
from pybtex.scanner import PybtexSyntaxError

from .warnings_ import Subtype

#: Problems after which the file cannot be used at all.
UNREADABLE = {Subtype.bib_missing, Subtype.bib_encoding, Subtype.bib_syntax}

#: Entry types we know how to present, mapped to (kind, CSL type).
ENTRY_TYPES: dict[str, tuple[str, str]] = {
    "article": ("journal", "article-journal"),
    "inproceedings": ("conference", "paper-conference"),
    "conference": ("conference", "paper-conference"),
    "proceedings": ("conference", "book"),
    "incollection": ("book", "chapter"),
    "inbook": ("book", "chapter"),
    "book": ("book", "book"),
    "phdthesis": ("thesis", "thesis"),
    "mastersthesis": ("thesis", "thesis"),
    "techreport": ("report", "report"),
    "manual": ("report", "report"),
    "unpublished": ("preprint", "manuscript"),
    "misc": ("preprint", "article"),
    "online": ("preprint", "webpage"),
}
REQUIRED_FIELDS = ("title", "year")
URL_FIELDS = ("url", "x-code", "x-model", "x-pdf", "x-website")
MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]+)[ \t]*,", re.MULTILINE)
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV = re.compile(r"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")


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

    @property
    def display(self) -> str:
        if self.is_others:
            return "others"
        return f"{self.given} {self.family}".strip()


@dataclass(frozen=True)
class Paper:
    """A paper of ``refs.bib``, ready to present; all strings are plain text (no LaTeX)."""

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


@dataclass
class Bibliography:
    path: str
    papers: dict[str, Paper]
    problems: list[Problem]


_PLAIN = PlainTextBackend()  # render_as("text") would look the backend up anew on every call


_LATEX_SYNTAX = re.compile(r"[\\{}$~%&]|--")


def latex_to_text(value: str) -> str:
    """Render a BibTeX field (LaTeX) as plain Unicode text."""
    if not _LATEX_SYNTAX.search(value):  # most names and titles: nothing to render
        return " ".join(value.split())
    try:
        return " ".join(str(Text.from_latex(value).render(_PLAIN)).split())
    except Exception:  # pybtex raises many types for odd LaTeX; keep the raw text then
        return value.replace("{", "").replace("}", "").strip()


def _person(p: Person, owners: set[tuple[str, str]]) -> Author:
    family = latex_to_text(" ".join(p.prelast_names + p.last_names + p.lineage_names))
    given = latex_to_text(" ".join(p.first_names + p.middle_names))
    if family == "others" and not given:
        return Author("", "", is_others=True)
    return Author(given, family, is_owner=(given.casefold(), family.casefold()) in owners)


def owner_spellings(names: list[str]) -> set[tuple[str, str]]:
    """Turn ``["Rui-Jie Zhu", "Zhu, Ruijie"]`` into comparable (given, family) pairs."""
    out = set()
    for name in names:
        a = _person(Person(name), set())
        out.add((a.given.casefold(), a.family.casefold()))
    return out


def _entry_lines(text: str) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    for m in _ENTRY_START.finditer(text):
        if m.group(1).lower() in {"comment", "preamble", "string"}:
            continue
        lines.setdefault(m.group(2).lower(), []).append(text.count("\n", 0, m.start()) + 1)
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


def clean_bibtex(entry: Entry, key: str) -> str:
    """The entry as BibTeX without internal ``x-*`` fields (braces, one field a line)."""
    rows = [
        (role, " and ".join(str(p) for p in entry.persons[role]))
        for role in ("author", "editor")
        if role in entry.persons
    ]
    rows.extend(
        (name.lower(), value) for name, value in entry.fields.items() if not name.lower().startswith("x-")
    )
    width = max((len(n) for n, _ in rows), default=0)
    body = ",\n".join(f"  {n.ljust(width)} = {{{v}}}" for n, v in rows)
    return f"@{entry.type.lower()}{{{key},\n{body}\n}}"


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
    papers: dict[str, Paper] = {}
    for key, entry in data.entries.items():
        line = entry_lines.get(key.lower(), [0])[0]
        paper = _make_paper(key, entry, text, spath, line, owners, owner_field, problems)
        if paper is not None and key not in papers:
            papers[key] = paper
    return Bibliography(spath, papers, problems)


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
    entry: Entry,
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

    etype = entry.type.lower()
    if etype not in ENTRY_TYPES:
        known = ", ".join(sorted(ENTRY_TYPES))
        problem(Subtype.bib_type, f"unknown entry type @{etype}; use one of {known}")
        return None
    fields = {k.lower(): v for k, v in entry.fields.items()}
    missing = [f for f in REQUIRED_FIELDS if not fields.get(f, "").strip()]
    if "author" not in entry.persons and "editor" not in entry.persons:
        missing.insert(1, "author")
    if missing:
        problem(Subtype.bib_field, f"missing required field(s) {', '.join(missing)}; add them")
        return None
    year_text = fields["year"].strip()
    if not re.fullmatch(r"\d{4}", year_text):
        problem(Subtype.bib_field, f"year {year_text!r} is not a four-digit year", "year")
        return None
    month = _month(fields.get("month", ""))
    if month == -1:
        problem(
            Subtype.bib_field,
            f"month {fields['month']!r} is not a month; use jan..dec or 1..12",
            "month",
        )
        return None

    ok = True
    for name in URL_FIELDS:
        value = fields.get(name, "").strip()
        if value and not _URL.match(value):
            shown = value if len(value) <= 60 else value[:57] + "..."
            problem(Subtype.bib_url, f"{name} {shown!r} is not an http(s) URL", name)
            ok = False
    doi = fields.get("doi", "").strip()
    if doi and not _DOI.match(doi):
        problem(Subtype.bib_url, f"doi {doi!r} is not a DOI such as 10.1000/xyz", "doi")
        ok = False
    arxiv = ""
    if fields.get("archiveprefix", "").lower() == "arxiv" or fields.get("eprinttype", "") == "arxiv":
        arxiv = fields.get("eprint", "").strip()
        if arxiv and not _ARXIV.match(arxiv):
            problem(Subtype.bib_field, f"eprint {arxiv!r} is not an arXiv identifier", "eprint")
            ok = False
    if not ok:
        return None

    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    authors = tuple(_person(p, owners) for p in persons)
    flag = fields.get(owner_field.lower(), "").strip().lower() if owner_field else ""
    owner = flag == "yes" if flag in {"yes", "no"} else any(a.is_owner for a in authors)
    kind, csl_type = ENTRY_TYPES[etype]
    if kind == "preprint" and not arxiv and fields.get("howpublished"):
        kind = "conference"
    venue = latex_to_text(
        fields.get("journal")
        or fields.get("booktitle")
        or fields.get("howpublished")
        or fields.get("publisher")
        or fields.get("institution")
        or fields.get("school")
        or ""
    )
    if not venue and arxiv:
        venue = f"arXiv preprint arXiv:{arxiv}"
    bib = clean_bibtex(entry, key)
    links = _links(fields, doi, arxiv)
    return Paper(
        key=key,
        entry_type=etype,
        title=latex_to_text(fields["title"]),
        authors=authors,
        year=int(year_text),
        month=month,
        venue=venue,
        kind=kind,
        csl_type=csl_type,
        owner=owner,
        line=line,
        doi=doi,
        arxiv=arxiv,
        url=fields.get("url", "").strip(),
        code=fields.get("x-code", "").strip(),
        models=fields.get("x-model", "").strip(),
        pdf=fields.get("x-pdf", "").strip(),
        volume=fields.get("volume", "").strip(),
        number=fields.get("number", "").strip(),
        pages=latex_to_text(fields.get("pages", "")),
        publisher=latex_to_text(fields.get("publisher", "")),
        keywords=tuple(k.strip() for k in fields.get("keywords", "").split(",") if k.strip()),
        summary=latex_to_text(fields.get("x-summary", "")),
        bibtex=bib,
        digest=hashlib.sha256(repr(sorted(fields.items())).encode() + bib.encode()).hexdigest()[:16],
        links=links,
    )


def _month(value: str) -> int | None:
    value = value.strip().lower()
    if not value:
        return None
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    for i, name in enumerate(MONTHS, start=1):
        if value in {name, name[:3]}:
            return i
    return -1


def _links(fields: dict[str, str], doi: str, arxiv: str) -> tuple[tuple[str, str], ...]:
    """Buttons in display order: (label, url); duplicates of the same address dropped."""
    out: list[tuple[str, str]] = []
    url = fields.get("url", "").strip()
    doi_url = f"https://doi.org/{doi}" if doi else ""
    arxiv_url = f"https://arxiv.org/abs/{arxiv}" if arxiv else ""
    if url and url not in {doi_url, arxiv_url}:
        out.append(("Paper", url))
    if fields.get("x-pdf"):
        out.append(("PDF", fields["x-pdf"].strip()))
    if arxiv_url:
        out.append(("arXiv", arxiv_url))
    if doi_url:
        out.append(("DOI", doi_url))
    if fields.get("x-code"):
        out.append(("Code", fields["x-code"].strip()))
    if fields.get("x-model"):
        out.append(("Models", fields["x-model"].strip()))
    return tuple(out)
