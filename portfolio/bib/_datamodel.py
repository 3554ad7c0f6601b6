"""The BibTeX and biblatex data models, as their manuals define them.

Entry types (with their CSL types and how to word a venue), ``crossref``/``xdata``
inheritance with biber's default field mappings, ``date`` versus ``year``/``month``, and
identifiers (DOI, arXiv and other eprints) as exports really write them.  Pure Python (no
Sphinx), shared by the build and ``python -m portfolio check``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pybtex.database import Entry, Person

from ._latex import unescape_verbatim


@dataclass(frozen=True)
class EntryType:
    kind: str  # journal, conference, chapter, book, thesis, report, patent, web, preprint, other
    csl: str  # CSL 1.0.1 item type, which every citation engine knows


#: Every standard entry type of BibTeX and biblatex (biblatex manual §2.1), plus the
#: aliases both accept.  ``kind`` decides how the venue is worded and which Scholar tags
#: apply; ``csl`` is the type in ``publications.json``.
ENTRY_TYPES: dict[str, EntryType] = {
    "article": EntryType("journal", "article-journal"),
    "inproceedings": EntryType("conference", "paper-conference"),
    "conference": EntryType("conference", "paper-conference"),
    "proceedings": EntryType("book", "book"),
    "mvproceedings": EntryType("book", "book"),
    "incollection": EntryType("chapter", "chapter"),
    "inbook": EntryType("chapter", "chapter"),
    "bookinbook": EntryType("chapter", "chapter"),
    "suppbook": EntryType("chapter", "chapter"),
    "suppcollection": EntryType("chapter", "chapter"),
    "inreference": EntryType("chapter", "entry-encyclopedia"),
    "book": EntryType("book", "book"),
    "mvbook": EntryType("book", "book"),
    "collection": EntryType("book", "book"),
    "mvcollection": EntryType("book", "book"),
    "reference": EntryType("book", "book"),
    "mvreference": EntryType("book", "book"),
    "booklet": EntryType("book", "pamphlet"),
    "periodical": EntryType("journal", "article-journal"),
    "suppperiodical": EntryType("journal", "article-journal"),
    "thesis": EntryType("thesis", "thesis"),
    "phdthesis": EntryType("thesis", "thesis"),
    "mastersthesis": EntryType("thesis", "thesis"),
    "report": EntryType("report", "report"),
    "techreport": EntryType("report", "report"),
    "manual": EntryType("report", "report"),
    "patent": EntryType("patent", "patent"),
    "online": EntryType("web", "webpage"),
    "electronic": EntryType("web", "webpage"),
    "www": EntryType("web", "webpage"),
    "dataset": EntryType("other", "dataset"),
    "software": EntryType("other", "article"),
    "unpublished": EntryType("preprint", "manuscript"),
    "misc": EntryType("other", "article"),
    "letter": EntryType("other", "personal_communication"),
    "review": EntryType("journal", "review"),
    "standard": EntryType("report", "report"),
    "jurisdiction": EntryType("other", "legal_case"),
    "legislation": EntryType("other", "legislation"),
    "legal": EntryType("other", "legislation"),
    "artwork": EntryType("other", "graphic"),
    "image": EntryType("other", "graphic"),
    "audio": EntryType("other", "song"),
    "music": EntryType("other", "song"),
    "video": EntryType("other", "motion_picture"),
    "movie": EntryType("other", "motion_picture"),
    "performance": EntryType("other", "speech"),
}
#: What an unknown (custom) type is presented as, after a warning.
FALLBACK_TYPE = EntryType("other", "article")
#: Entries that hold data for others and are not works themselves: no page.
CONTAINER_TYPES = frozenset({"xdata", "set"})

#: biblatex's ``type`` keys (localisation strings) for theses, reports and patents.
GENRES = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master's thesis",
    "mastersthesis": "Master's thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
    "software": "Computer software",
    "datacd": "CD-ROM",
    "audiocd": "Audio CD",
    "patent": "Patent",
    "patentus": "U.S. patent",
    "patenteu": "European patent",
    "patentuk": "British patent",
    "patentde": "German patent",
    "patentfr": "French patent",
    "patentjp": "Japanese patent",
    "patrequs": "U.S. patent request",
    "patreqeu": "European patent request",
    "patreqde": "German patent request",
}

# -- crossref and xdata (biblatex manual, appendix B: biber's default inheritance) --------
#: Fields a child never inherits.
NOT_INHERITED = frozenset(
    [
        "ids",
        "crossref",
        "xref",
        "xdata",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
    ]
)
_TITLE_FIELDS = ("title", "subtitle", "titleaddon")
_NOT_MAPPED_TITLES = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")


def _map(prefix: str) -> dict[str, str]:
    """title -> <prefix>title, subtitle -> <prefix>subtitle, titleaddon -> <prefix>titleaddon."""
    out = {f: prefix + f for f in _TITLE_FIELDS}
    out.update(dict.fromkeys(_NOT_MAPPED_TITLES, ""))  # "" = not inherited
    return out


_INHERIT: list[tuple[frozenset[str], frozenset[str], dict[str, str]]] = [
    (
        frozenset({"mvbook", "book"}),
        frozenset({"inbook", "bookinbook", "suppbook"}),
        {"author": "bookauthor"},
    ),
    (frozenset({"mvbook"}), frozenset({"book", "inbook", "bookinbook", "suppbook"}), _map("main")),
    (
        frozenset({"mvcollection", "mvreference"}),
        frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}),
        _map("main"),
    ),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _map("main")),
    (frozenset({"book"}), frozenset({"inbook", "bookinbook", "suppbook"}), _map("book")),
    (
        frozenset({"collection", "reference"}),
        frozenset({"incollection", "inreference", "suppcollection"}),
        _map("book"),
    ),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _map("book")),
    (
        frozenset({"periodical"}),
        frozenset({"article", "suppperiodical"}),
        {"title": "journaltitle", "subtitle": "journalsubtitle", **dict.fromkeys(_NOT_MAPPED_TITLES, "")},
    ),
]


@dataclass
class Record:
    """One entry with its inherited data: lower-case field names, persons by role."""

    key: str
    type: str
    fields: dict[str, str]
    persons: dict[str, list[Person]]
    inherited_from: tuple[str, ...] = ()


#: Name lists pybtex leaves as text (it parses author and editor only): read as persons too.
NAME_FIELDS = ("translator", "bookauthor")


def _own(entry: Entry) -> tuple[dict[str, str], dict[str, list[Person]]]:
    from pybtex.bibtex.utils import split_name_list

    fields = {name.lower(): value for name, value in entry.fields.items()}
    persons = {role.lower(): list(people) for role, people in entry.persons.items()}
    for role in NAME_FIELDS:
        if fields.get(role, "").strip() and role not in persons:
            persons[role] = [Person(name) for name in split_name_list(fields.pop(role))]
    return fields, persons


def _split_keys(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


def resolve(entries: dict[str, Entry]) -> tuple[dict[str, Record], list[tuple[str, str, str]]]:
    """Every entry with what it inherits through ``xdata`` and ``crossref`` (as biber does).

    Returns the records and problems as (key, field, message) for references to missing
    entries or cycles; the entry then keeps what it has."""
    by_lower = {key.lower(): key for key in entries}
    records: dict[str, Record] = {}
    problems: list[tuple[str, str, str]] = []
    resolving: set[str] = set()

    def record(key: str) -> Record:
        if key in records:
            return records[key]
        entry = entries[key]
        fields, persons = _own(entry)
        sources: list[str] = []
        resolving.add(key)
        etype = entry.type.lower()
        for name in ("xdata", "crossref"):
            targets = _split_keys(fields.get(name, "")) if name == "xdata" else [fields.get(name, "").strip()]
            for target in filter(None, targets):
                parent_key = by_lower.get(target.lower())
                if parent_key is None:
                    problems.append((key, name, f"{name} {target!r} names no entry of the file"))
                    continue
                if parent_key in resolving:
                    problems.append((key, name, f"{name} {target!r} refers back to this entry (a cycle)"))
                    continue
                parent = record(parent_key)
                sources.append(parent_key)
                mapping: dict[str, str] = {}
                if name == "crossref":
                    for parents, children, rules in _INHERIT:
                        if parent.type in parents and etype in children:
                            mapping.update(rules)
                _inherit(fields, persons, parent, mapping)
        resolving.discard(key)
        records[key] = Record(key, etype, fields, persons, tuple(sources))
        return records[key]

    for key in entries:
        record(key)
    return records, problems


def _inherit(
    fields: dict[str, str], persons: dict[str, list[Person]], parent: Record, mapping: dict[str, str]
) -> None:
    for name, value in parent.fields.items():
        if name in NOT_INHERITED:
            continue
        target = mapping.get(name, name)
        if target and target not in fields:
            fields[target] = value
    for role, people in parent.persons.items():
        target = mapping.get(role, role)
        for name in {role, target} if target else {role}:
            persons.setdefault(name, people)


# -- dates -----------------------------------------------------------------------------
_DATE_PART = r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[0-9:.]+(?:Z|[+-][0-9:]+)?)?[?~%]?"
_DATE = re.compile(rf"^{_DATE_PART}(?:/(?:{_DATE_PART}|\.\.)?)?$")
_YEAR = re.compile(r"^(\d{4})(?:\s*(?:--?|\u2013|/)\s*(\d{4}))?$")


@dataclass(frozen=True)
class When:
    year: int
    month: int | None = None
    day: int | None = None
    end_year: int | None = None


def parse_date(value: str) -> When | None:
    """biblatex's ``date`` (ISO 8601-2: ``2024``, ``2024-12``, ``2024-06-04``, ranges such as
    ``1984/1986`` and open ranges, ``?``/``~`` qualifiers); None when it is none of these."""
    m = _DATE.match(value.strip().replace("{", "").replace("}", ""))
    if not m:
        return None
    year, month, day, end_year = m.group(1), m.group(2), m.group(3), m.group(4)
    month_n = int(month) if month and 1 <= int(month) <= 12 else None
    if month and month_n is None:
        return None
    day_n = int(day) if day else None
    if day_n is not None:
        try:
            dt.date(int(year), month_n or 1, day_n)
        except ValueError:  # 2023-02-30 is no day
            return None
    end = int(end_year) if end_year and end_year != year else None
    return When(int(year), month_n, day_n, end)


def parse_year(value: str) -> When | None:
    m = _YEAR.match(value.strip().replace("{", "").replace("}", ""))
    if not m:
        return None
    end = int(m.group(2)) if m.group(2) and m.group(2) != m.group(1) else None
    return When(int(m.group(1)), None, None, end)


#: The one month table: the names as English prints them; the views below derive from it.
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
#: "Jan" ... "Dec", as references print a month in short.
MONTH_ABBR = [name[:3] for name in MONTHS]
#: BibTeX's month macros, ``jan`` ... ``dec``.
MONTH_MACROS = [name[:3].lower() for name in MONTHS]


def parse_month(value: str) -> int | None:
    """``dec``, ``December``, ``12``, ``{Dec.}``; -1 when it is not a month; None when empty."""
    value = value.strip().strip("{}").strip().rstrip(".").lower()
    if not value:
        return None
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    for i, name in enumerate(MONTHS, start=1):
        name = name.lower()
        if value in {name, name[:3], name[:4]}:
            return i
    return -1


# -- identifiers ---------------------------------------------------------------------------
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.|www\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
#: An arXiv identifier, new style (``2406.02528``, ``2406.02528v2``) or old style
#: (``hep-th/9901001``): the one pattern that identifiers in fields, venues, URLs and
#: pasted text are all matched with.
ARXIV = r"(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
ARXIV_ID = re.compile(rf"^{ARXIV}$", re.IGNORECASE)
#: An arXiv page or PDF address; group 1 is the identifier.
ARXIV_URL = re.compile(
    rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/({ARXIV})(?:\.pdf)?/?$", re.IGNORECASE
)
_ARXIV_IN_TEXT = re.compile(
    rf"^(?:arxiv\s+preprint\s+)?arxiv\s*:\s*({ARXIV})(?:\s*\[[^\]]*\])?\s*$",
    re.IGNORECASE,
)
#: Link for an eprint of another archive (biblatex's eprinttype values).
EPRINT_URLS = {
    "jstor": "https://www.jstor.org/stable/{}",
    "hdl": "https://hdl.handle.net/{}",
    "pubmed": "https://pubmed.ncbi.nlm.nih.gov/{}",
    "googlebooks": "https://books.google.com/books?id={}",
}


def normalize_doi(value: str) -> str:
    """``https://doi.org/10.1/x``, ``doi:10.1/x`` and DBLP's ``10.1/a\\_b`` to ``10.1/x``;
    "" for an empty value; the input when it is no DOI (the caller reports it)."""
    doi = _DOI_PREFIX.sub("", unescape_verbatim(value))
    return doi


def is_doi(value: str) -> bool:
    return bool(_DOI.match(value))


def eprint_type(fields: dict[str, str]) -> str:
    """The archive of ``eprint``, lower-case (biblatex ``eprinttype``, BibTeX ``archiveprefix``)."""
    return (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().strip("{}").lower()


def arxiv_id(fields: dict[str, str]) -> tuple[str, str]:
    """(id, field it came from): ``eprint`` with an arXiv type, al-folio's ``arxiv``, a
    Google Scholar or Zotero ``journal`` such as ``arXiv preprint arXiv:2302.13939``, or an
    arXiv ``url``.  The field is returned so that a malformed id can be reported."""
    if eprint_type(fields) == "arxiv" and fields.get("eprint", "").strip():
        return unescape_verbatim(fields["eprint"]), "eprint"
    if fields.get("arxiv", "").strip():
        return unescape_verbatim(fields["arxiv"]), "arxiv"
    for name in ("journal", "journaltitle", "howpublished", "note"):
        m = _ARXIV_IN_TEXT.match(" ".join(fields.get(name, "").replace("{", "").replace("}", "").split()))
        if m:
            return m.group(1), name
    m = ARXIV_URL.match(unescape_verbatim(fields.get("url", "")))
    if m:
        return m.group(1), "url"
    return "", ""


def is_arxiv_text(value: str) -> bool:
    """Whether a venue such as ``arXiv:1706.05125 [cs]`` only names the arXiv listing."""
    return bool(_ARXIV_IN_TEXT.match(" ".join(value.replace("{", "").replace("}", "").split())))
