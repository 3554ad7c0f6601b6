"""Where ``python -m portfolio add`` and ``refresh`` read a paper: arXiv (its Atom API),
doi.org (content negotiation: BibTeX from Crossref, DataCite or any registration agency,
arXiv's own ``10.48550/arXiv.*`` DOIs included), dblp (``/rec/<key>.bib``) and OpenReview
(API v2 notes).  Each answer becomes one :class:`Record`; anything else is a
:class:`SourceError` whose message is one line naming the identifier and what to do.

On the network, every request follows one policy (:mod:`._http`: a deadline for the whole
request, a cap on the decoded body, retries that honour ``Retry-After``, each service's
address replaceable by a ``PORTFOLIO_*_URL`` variable); what comes back is checked at the
door (:mod:`._markup`: no HTML, JATS or MathML tag reaches ``refs.bib``; XML is read only
when it is whole)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..bib import ARXIV, ARXIV_URL
from ._http import Client, SourceError, parse_json, parse_xml
from ._markup import convert, has_markup, plain


@dataclass
class Record:
    """A paper as a service describes it, in BibTeX's terms: plain Unicode text, all markup
    taken off at the door; the title also as LaTeX, with the markup's LaTeX equivalents."""

    source: str  # the address it was read from
    entry_type: str = "misc"
    title: str = ""
    title_latex: str = ""  # \textit{E. coli}, CO\textsubscript{2}; "" when it is the title, escaped
    authors: list[tuple[str, str]] = field(default_factory=list)  # (family, given)
    year: str = ""
    month: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # journal, booktitle, volume, doi...
    arxiv: str = ""
    journal_ref: str = ""  # arXiv's note of the published version


# -- identifiers ---------------------------------------------------------------------------
_ARXIV = re.compile(rf"^(?:arxiv:)?({ARXIV})$", re.I)
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
_DBLP = re.compile(
    r"^(?:DBLP:)?((?:journals|conf|books|series|phd|reference|persons)/[^\s#?]+?)(?:\.html|\.bib)?$"
)
_DBLP_URL = re.compile(r"dblp\.org/rec/(?:bib/)?([^\s#?]+?)(?:\.html|\.bib|\.xml)?$")
_OPENREVIEW = re.compile(r"openreview\.net/(?:forum|pdf)\?(?:.*&)?id=([\w-]+)")


def parse_identifier(text: str) -> tuple[str, str]:
    """(service, identifier) of what a maintainer pastes: an arXiv id or URL (old and new
    style, with or without version), a DOI or doi.org URL, a DBLP key or URL, an OpenReview
    forum URL.  arXiv's own DOIs (10.48550/arXiv.*) are read from arXiv."""
    text = text.strip()
    arxiv_doi = re.match(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arXiv\.(.+)$", text, re.I)
    candidates = [
        ("arxiv", _ARXIV.match(arxiv_doi.group(1)) if arxiv_doi else None),
        ("arxiv", _ARXIV.match(text) or ARXIV_URL.match(text)),
        ("doi", _DOI.match(text)),
        ("openreview", _OPENREVIEW.search(text)),
        ("dblp", _DBLP_URL.search(text) or _DBLP.match(text)),
    ]
    for service, match in candidates:
        if match:
            return service, match.group(1).rstrip(".")
    raise SourceError(
        f"{text!r} is not an identifier this command reads; give an arXiv id (2406.02528), a DOI "
        "(10.18653/v1/2023.findings-emnlp.936), a DBLP key (journals/corr/abs-2302-13939) or an "
        "OpenReview forum URL"
    )


def bare_arxiv(identifier: str) -> str:
    """An arXiv id without its version (2406.02528v3 -> 2406.02528)."""
    return re.sub(r"v\d+$", "", identifier)


# -- the services --------------------------------------------------------------------------
def from_bibtex(text: str, source: str, what: str) -> Record:
    """A record from a service's BibTeX (doi.org, dblp): the first entry, read by pybtex."""
    from pybtex.database import parse_string
    from pybtex.scanner import PybtexError

    from ..bib import latex_to_text

    try:
        data = parse_string(text.strip(), "bibtex")
    except RecursionError:
        raise SourceError(f"{what}: the answer nests braces deeper than any entry; "
                          "try another identifier of the paper") from None  # fmt: skip
    except PybtexError as err:
        raise SourceError(f"{what}: the answer is not BibTeX ({str(err).splitlines()[0]}); "
                          "try another identifier of the paper") from None  # fmt: skip
    if not data.entries:
        raise SourceError(f"{what}: the answer holds no BibTeX entry; try another identifier of the paper")
    entry = next(iter(data.entries.values()))

    def text_of(value: str) -> str:
        """Plain text of a field: a service's markup made LaTeX first, then all of it text."""
        if has_markup(value):
            value = convert(value, latex=True)[1]
        return " ".join(latex_to_text(value).split())

    record = Record(source=source, entry_type=entry.type.lower())
    raw_title = entry.fields.get("title", "")
    record.title = text_of(raw_title)
    if has_markup(raw_title):  # the markup's LaTeX kept: italics, subscripts, formulas
        record.title_latex = " ".join(convert(raw_title, latex=True)[1].split())
    role = "author" if "author" in entry.persons else "editor"
    for person in entry.persons.get(role, []):
        family = text_of(" ".join(person.prelast_names + person.last_names))
        given = text_of(" ".join(person.first_names + person.middle_names))
        if person.lineage_names:
            family = f"{family}, {text_of(' '.join(person.lineage_names))}"
        record.authors.append((family, given))
    record.year = entry.fields.get("year", "").strip()
    record.month = entry.fields.get("month", "").strip().lower()[:3]
    for name in ("journal", "booktitle", "volume", "number", "pages", "publisher", "address", "doi", "url",
                 "series", "school", "institution", "howpublished"):  # fmt: skip
        if entry.fields.get(name):
            record.fields[name] = (
                text_of(entry.fields[name]) if name not in {"doi", "url"} else entry.fields[name]
            )
    if "pages" in record.fields:
        record.fields["pages"] = re.sub(r"\s*[-\u2013\u2014]+\s*", "--", record.fields["pages"])
    eprint = entry.fields.get("eprint", "")
    if eprint and entry.fields.get("eprinttype", entry.fields.get("archiveprefix", "")).lower() == "arxiv":
        record.arxiv = bare_arxiv(eprint)
    return record


def title(text: str) -> tuple[str, str]:
    """(plain text, LaTeX) of a title as a service gives it, its white space folded."""
    plain_text, latex = convert(" ".join(text.split()))
    return plain_text, latex


def fetch_doi(client: Client, doi: str) -> Record:
    what = f"DOI {doi}"
    status, ctype, body = client.get(
        "doi", f"/{quote(doi, safe='/:;()[]')}", what, accept="application/x-bibtex"
    )
    if status == 404:
        raise SourceError(f"{what}: doi.org knows no such DOI (404); check it on the paper's page")
    if status >= 400:
        raise SourceError(
            f"{what}: doi.org refused it ({status}); check that it is a DOI such as 10.1000/xyz"
        )
    if "html" in ctype or body.lstrip().startswith("<"):
        raise SourceError(f"{what}: doi.org answered a web page, not BibTeX; the DOI may not be registered")
    record = from_bibtex(body, f"https://doi.org/{doi}", what)
    record.fields.setdefault("doi", doi)
    if doi.lower().startswith("10.48550/arxiv."):
        record.arxiv = bare_arxiv(doi.split(".", 2)[2] if doi.count(".") >= 2 else "")
    return record


def fetch_dblp(client: Client, key: str) -> Record:
    what = f"DBLP key {key}"
    status, _, body = client.get("dblp", f"/rec/{key}.bib", what, accept="application/x-bibtex")
    if status == 404:
        raise SourceError(f"{what}: dblp has no such record (404); copy the key from the paper's dblp page")
    if status >= 400:
        raise SourceError(f"{what}: dblp refused it ({status})")
    return from_bibtex(body, f"https://dblp.org/rec/{key}", what)


def fetch_arxiv(client: Client, identifier: str) -> Record:
    import feedparser

    what = f"arXiv {identifier}"
    status, _, body = client.get("arxiv", f"/api/query?id_list={quote(identifier, safe='/')}", what)
    try:  # whole, or refused: feedparser would read a truncated feed as far as it goes
        parse_xml(body, what, "arXiv")
    except SourceError:
        if status < 400:
            raise
        body = ""  # an error page, not arXiv's error feed
    feed = feedparser.parse(body)
    entries = [e for e in feed.entries if e.get("title", "").strip() != "Error"]
    if status >= 400 or (feed.entries and not entries):
        detail = feed.entries[0].get("summary", "").strip() if feed.entries else f"status {status}"
        raise SourceError(f"{what}: arXiv refused the id ({detail}); check it on arxiv.org")
    if not entries or not entries[0].get("id"):
        raise SourceError(f"{what}: arXiv has no paper with this id (no entry); check it on arxiv.org")
    entry = entries[0]
    answered = bare_arxiv(entry["id"].rsplit("/abs/", 1)[-1])
    if answered.lower() != bare_arxiv(identifier).lower():
        raise SourceError(
            f"{what}: arXiv answered with another paper ({answered}); check the id on arxiv.org"
        )
    comment = " ".join(str(entry.get("arxiv_comment", "")).split())
    if re.search(r"has been withdrawn", comment, re.I) or re.match(
        r"this (paper|article|submission) has been withdrawn",
        " ".join(entry.get("summary", "").split()),
        re.I,
    ):
        note = comment or "withdrawn"
        raise SourceError(
            f"{what}: its authors have withdrawn this paper on arXiv ({note}); "
            "add its published version by DOI, or leave it out"
        )
    record = Record(source=f"https://arxiv.org/abs/{bare_arxiv(identifier)}")
    record.title, record.title_latex = title(entry.get("title", ""))
    for author in entry.get("authors", []):
        name = plain(" ".join(author.get("name", "").split()))
        given, _, family = name.rpartition(" ")
        record.authors.append((family, given))
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    if published:
        record.year = str(published.tm_year)
    record.arxiv = bare_arxiv(entry["id"].rsplit("/abs/", 1)[-1])
    record.fields["url"] = f"https://arxiv.org/abs/{record.arxiv}"
    if entry.get("arxiv_doi"):
        record.fields["doi"] = entry["arxiv_doi"].strip()
    record.journal_ref = " ".join(entry.get("arxiv_journal_ref", "").split())
    if not record.title or not record.authors or not record.year:
        raise SourceError(f"{what}: arXiv's entry lacks a title, authors or a date; check it on arxiv.org")
    return record


def fetch_openreview(client: Client, forum: str) -> Record:
    what = f"OpenReview {forum}"
    status, _, body = client.get("openreview", f"/notes?id={quote(forum)}", what, accept="application/json")
    data = parse_json(body, what, "OpenReview")
    if not isinstance(data, dict):
        raise SourceError(f"{what}: OpenReview's answer is not a list of notes; try again later")
    if status == 404 or not data.get("notes"):
        raise SourceError(
            f"{what}: OpenReview has no note with this id; copy the forum URL from the paper's page"
        )
    if status >= 400:
        raise SourceError(f"{what}: OpenReview refused it ({status}: {data.get('message', '')})")
    note = data["notes"][0] if isinstance(data["notes"], list) else None
    if not isinstance(note, dict) or not isinstance(note.get("content", {}), dict):
        raise SourceError(f"{what}: OpenReview's note is not in the form it documents; try again later")
    content = note.get("content", {})

    def value(name: str) -> Any:
        item = content.get(name, {})
        return item.get("value") if isinstance(item, dict) else item

    record = Record(source=f"https://openreview.net/forum?id={forum}", entry_type="inproceedings")
    record.title, record.title_latex = title(str(value("title") or ""))
    for name in value("authors") or []:
        given, _, family = plain(" ".join(str(name).split())).rpartition(" ")
        record.authors.append((family, given))
    when = note.get("pdate") or note.get("odate") or note.get("cdate")
    if isinstance(when, int | float) and 0 < when < 1e14:
        record.year = str(time.gmtime(when / 1000).tm_year)
    venue = plain(" ".join(str(value("venue") or "").split()))
    if not venue or venue.lower().startswith(("submitted to", "under review")):
        raise SourceError(f"{what}: OpenReview lists no accepted venue for it ({venue or 'none'}); "
                          "add it when it is accepted, or by its arXiv id")  # fmt: skip
    if re.search(r"\b(transactions|journal)\b", venue, re.I):
        record.entry_type, record.fields["journal"] = "article", venue
    else:
        record.fields["booktitle"] = venue
    record.fields["url"] = f"https://openreview.net/forum?id={forum}"
    if not record.title or not record.authors or not record.year:
        raise SourceError(f"{what}: the note lacks a title, authors or a date")
    return record


def fetch(client: Client, service: str, identifier: str) -> Record:
    fetcher = {"arxiv": fetch_arxiv, "doi": fetch_doi, "dblp": fetch_dblp, "openreview": fetch_openreview}
    return fetcher[service](client, identifier)
