"""BibTeX as we publish it (``publications.bib`` and each paper page's BibTeX block).

Only bibliographic fields go out: an allow-list of the BibTeX and biblatex data models.
Private fields (Zotero's ``file`` holds a local disk path), tool fields (al-folio, DBLP,
Zotero, JabRef, Mendeley), abstracts (not ours to republish), our own ``x-*`` fields and
``keywords`` (our topic tags and ``selected``) never do.  Inherited fields (``crossref``,
``xdata``) are written into the entry, so each one stands alone.  An article's
``publisher`` (Crossref and Zotero add one) is left out: biblatex's data model has none.
The maintainer guide's table of these fields is generated from :data:`EXPORTED_FIELDS`.
"""

from __future__ import annotations

import re

from ._datamodel import MONTH_MACROS, Record

#: Fields written to the exports, in this order (after the names), grouped for the guide.
EXPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "Title": ("title", "subtitle", "titleaddon", "maintitle", "mainsubtitle", "booktitle", "booksubtitle",
              "journal", "journaltitle", "journalsubtitle", "issuetitle", "eventtitle", "series"),
    "Date": ("year", "month", "date", "eventdate", "origdate"),
    "Numbers": ("edition", "volume", "volumes", "number", "issue", "part", "chapter", "pages", "eid",
                "pagetotal", "version"),
    "Publisher": ("publisher", "institution", "school", "organization", "address", "location", "venue",
                  "howpublished", "type"),
    "Identifiers": ("doi", "eprint", "eprinttype", "eprintclass", "archiveprefix", "primaryclass",
                    "isbn", "issn", "url"),
    "Other": ("note", "addendum", "pubstate", "language", "langid"),
}  # fmt: skip
_ORDER = [name for group in EXPORTED_FIELDS.values() for name in group]
#: Name lists written out (author and editor first).
PERSON_ROLES = ("author", "editor", "translator", "bookauthor")
#: Values written without braces or with BibTeX's month macros.
_VERBATIM = frozenset({"url", "doi", "eprint"})
_BARE_PERCENT = re.compile(r"(?<!\\)%")


def export_entry(record: Record, key: str, *, doi: str, url: str, month: int | None) -> str:
    """One entry, fields one a line, only bibliographic fields; ``month = dec`` as a macro."""
    rows: list[tuple[str, str]] = []
    for role in PERSON_ROLES:
        people = record.persons.get(role)
        if people:
            rows.append((role, "{" + " and ".join(str(p) for p in people) + "}"))
    fields = dict(record.fields)
    if doi:
        fields["doi"] = doi
    else:
        fields.pop("doi", None)
    if url:
        fields["url"] = url
    else:
        fields.pop("url", None)
    if month:
        fields["month"] = MONTH_MACROS[month - 1]
    if record.type == "article":
        fields.pop("publisher", None)  # not a field of @article in biblatex's data model
    for name in _ORDER:
        value = fields.get(name, "").strip()
        if not value:
            continue
        if name == "month" and month:
            rows.append((name, value))  # a macro, as BibTeX styles expect
        elif name in _VERBATIM:
            rows.append((name, "{" + value + "}"))
        else:
            # a bare % is text in a braced value, but LaTeX reads it as a comment later
            rows.append((name, "{" + _BARE_PERCENT.sub(r"\\%", " ".join(value.split())) + "}"))
    width = max((len(n) for n, _ in rows), default=0)
    body = ",\n".join(f"  {n.ljust(width)} = {v}" for n, v in rows)
    return f"@{record.type}{{{key},\n{body}\n}}"
