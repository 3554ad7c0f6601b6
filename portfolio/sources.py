"""Where ``python -m portfolio add`` and ``refresh`` read a paper: arXiv (its Atom API),
doi.org (content negotiation: BibTeX from Crossref, DataCite or any registration agency,
arXiv's own ``10.48550/arXiv.*`` DOIs included), dblp (``/rec/<key>.bib``) and OpenReview
(API v2 notes).  Each answer becomes one :class:`Record`; anything else is a
:class:`SourceError` whose message is one line naming the identifier and what to do.

On the network: every request has a timeout; 429 and 5xx are retried with backoff,
honouring ``Retry-After`` (urllib3's ``Retry``); the ``User-Agent`` names the project and a
contact (``PORTFOLIO_CONTACT``, which Crossref's polite pool asks for); requests to one
service are spaced by its published rate (arXiv asks for one every 3 s).  Each service's
address can be replaced (mirrors, and the tests' local server) by an environment variable
that replaces its scheme and host and keeps the path, for example
``PORTFOLIO_ARXIV_URL=http://127.0.0.1:8123``; redirects are followed through the same
table, and a redirect to any other host is refused, so with the variables set to a local
server the command talks to nothing else."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

#: service -> (environment variable, public scheme://host, seconds between two requests)
SERVICES = {
    "arxiv": ("PORTFOLIO_ARXIV_URL", "https://export.arxiv.org", 3.0),
    "doi": ("PORTFOLIO_DOI_URL", "https://doi.org", 0.0),
    "crossref": ("PORTFOLIO_CROSSREF_URL", "https://api.crossref.org", 0.0),
    "datacite": ("PORTFOLIO_DATACITE_URL", "https://api.datacite.org", 0.0),
    "dblp": ("PORTFOLIO_DBLP_URL", "https://dblp.org", 1.0),
    "openreview": ("PORTFOLIO_OPENREVIEW_URL", "https://api2.openreview.net", 1.0),
}
TIMEOUT = 20.0  # seconds, per request
pause = time.sleep  # the wait between two requests to one service (the tests do not wait)
USER_AGENT = "portfolio-importer/0.1 (Sphinx research portfolio extension)"


class SourceError(Exception):
    """One line for the maintainer: the identifier, what went wrong and what to do."""


@dataclass
class Record:
    """A paper as a service describes it, in BibTeX's terms (plain Unicode text)."""

    source: str  # the address it was read from
    entry_type: str = "misc"
    title: str = ""
    authors: list[tuple[str, str]] = field(default_factory=list)  # (family, given)
    year: str = ""
    month: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # journal, booktitle, volume, doi...
    arxiv: str = ""
    journal_ref: str = ""  # arXiv's note of the published version


# -- identifiers ---------------------------------------------------------------------------
_ARXIV_NEW = r"\d{4}\.\d{4,5}(?:v\d+)?"
_ARXIV_OLD = r"[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?"
_ARXIV = re.compile(rf"^(?:arxiv:)?({_ARXIV_NEW}|{_ARXIV_OLD})$", re.I)
_ARXIV_URL = re.compile(rf"arxiv\.org/(?:abs|pdf|html)/({_ARXIV_NEW}|{_ARXIV_OLD})(?:\.pdf)?/?$", re.I)
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
        ("arxiv", _ARXIV.match(text) or _ARXIV_URL.search(text)),
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


# -- the network ---------------------------------------------------------------------------
def base(service: str) -> str:
    variable, public, _ = SERVICES[service]
    return os.environ.get(variable, "").rstrip("/") or public


def _mapped(url: str) -> str:
    """A service's public address with its base replaced as configured; refused otherwise."""
    parts = urlsplit(url)
    for service, (_, public, _) in SERVICES.items():
        if f"{parts.scheme}://{parts.netloc}" == public or parts.netloc == urlsplit(public).netloc:
            target = urlsplit(base(service))
            return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))
        if f"{parts.scheme}://{parts.netloc}" == base(service):
            return url
    raise SourceError(
        f"refused a redirect to {parts.netloc}, which is none of the services this command reads"
    )


class Client:
    """One HTTP client for a run: retries, timeouts, a User-Agent, one request at a time per
    service spaced by its rate limit."""

    def __init__(self, contact: str = "", sleep: Any = None) -> None:
        import urllib3

        contact = contact or os.environ.get("PORTFOLIO_CONTACT", "")
        self.headers = {"User-Agent": USER_AGENT + (f" mailto:{contact}" if contact else "")}
        retry = urllib3.Retry(
            total=4,
            connect=2,
            read=2,
            status=4,
            backoff_factor=1.0,
            backoff_max=30.0,
            status_forcelist=(429, 500, 502, 503, 504),
            respect_retry_after_header=True,
            allowed_methods=("GET",),
            raise_on_status=False,
            redirect=False,  # redirects are followed below, through the address table
        )
        self.http = urllib3.PoolManager(retries=retry, timeout=urllib3.Timeout(total=TIMEOUT))
        self.sleep = sleep or pause
        self.last: dict[str, float] = {}

    def get(self, service: str, path: str, what: str, accept: str = "*/*") -> tuple[int, str, str]:
        """(status, content type, body) of ``base(service) + path``, following redirects."""
        import urllib3

        _, _, interval = SERVICES[service]
        wait = self.last.get(service, -1e9) + interval - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        url = base(service) + path
        for _ in range(5):
            try:
                response = self.http.request("GET", url, headers={**self.headers, "Accept": accept})
            except urllib3.exceptions.MaxRetryError as err:
                reason = err.reason
                host = urlsplit(url).netloc
                if isinstance(
                    reason, urllib3.exceptions.NewConnectionError
                ):  # before: it is a timeout's subclass
                    raise SourceError(f"{what}: cannot reach {host} (connection refused or no network); "
                                      "check the network connection and try again") from None  # fmt: skip
                if isinstance(reason, urllib3.exceptions.TimeoutError):
                    raise SourceError(
                        f"{what}: {host} did not answer within {TIMEOUT:.0f} s; try again later"
                    ) from None
                if isinstance(reason, urllib3.exceptions.ResponseError):
                    raise SourceError(f"{what}: {host} is busy (still {reason}); "
                                      "try again in a few minutes") from None  # fmt: skip
                raise SourceError(f"{what}: cannot reach {host} ({type(reason).__name__}); "
                                  "check the network connection and try again") from None  # fmt: skip
            except urllib3.exceptions.HTTPError as err:
                raise SourceError(f"{what}: {urlsplit(url).netloc} failed ({type(err).__name__}); "
                                  "try again later") from None  # fmt: skip
            finally:
                self.last[service] = time.monotonic()
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                location = response.headers["Location"]
                if location.startswith("/"):
                    parts = urlsplit(url)
                    location = urlunsplit((parts.scheme, parts.netloc, location, "", ""))
                url = _mapped(location)
                continue
            if response.status == 429 or response.status >= 500:
                raise SourceError(f"{what}: {urlsplit(url).netloc} answered {response.status} after retries; "
                                  "try again in a few minutes")  # fmt: skip
            body = response.data.decode("utf-8", "replace")
            return response.status, response.headers.get("Content-Type", ""), body
        raise SourceError(f"{what}: too many redirects from {urlsplit(url).netloc}")


# -- the services --------------------------------------------------------------------------
def from_bibtex(text: str, source: str, what: str) -> Record:
    """A record from a service's BibTeX (doi.org, dblp): the first entry, read by pybtex."""
    from pybtex.database import parse_string
    from pybtex.scanner import PybtexError

    from .latex import latex_to_text

    try:
        data = parse_string(text.strip(), "bibtex")
    except PybtexError as err:
        raise SourceError(f"{what}: the answer is not BibTeX ({str(err).splitlines()[0]}); "
                          "try another identifier of the paper") from None  # fmt: skip
    if not data.entries:
        raise SourceError(f"{what}: the answer holds no BibTeX entry; try another identifier of the paper")
    entry = next(iter(data.entries.values()))

    def text_of(value: str) -> str:
        return " ".join(latex_to_text(value).split())

    record = Record(source=source, entry_type=entry.type.lower())
    record.title = text_of(entry.fields.get("title", ""))
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
    feed = feedparser.parse(body)
    entries = [e for e in feed.entries if e.get("title", "").strip() != "Error"]
    if status >= 400 or (feed.entries and not entries):
        detail = feed.entries[0].get("summary", "").strip() if feed.entries else f"status {status}"
        raise SourceError(f"{what}: arXiv refused the id ({detail}); check it on arxiv.org")
    if feed.bozo and not feed.entries:
        raise SourceError(f"{what}: arXiv's answer is not an Atom feed; try again later")
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
    record.title = " ".join(entry.get("title", "").split())
    for author in entry.get("authors", []):
        name = " ".join(author.get("name", "").split())
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
    try:
        data = json.loads(body)
    except ValueError:
        raise SourceError(f"{what}: OpenReview's answer is not JSON; try again later") from None
    if status == 404 or not data.get("notes"):
        raise SourceError(
            f"{what}: OpenReview has no note with this id; copy the forum URL from the paper's page"
        )
    if status >= 400:
        raise SourceError(f"{what}: OpenReview refused it ({status}: {data.get('message', '')})")
    content = data["notes"][0].get("content", {})

    def value(name: str) -> Any:
        item = content.get(name, {})
        return item.get("value") if isinstance(item, dict) else item

    record = Record(source=f"https://openreview.net/forum?id={forum}", entry_type="inproceedings")
    record.title = " ".join(str(value("title") or "").split())
    for name in value("authors") or []:
        given, _, family = " ".join(str(name).split()).rpartition(" ")
        record.authors.append((family, given))
    when = data["notes"][0].get("pdate") or data["notes"][0].get("odate") or data["notes"][0].get("cdate")
    if when:
        record.year = str(time.gmtime(int(when) / 1000).tm_year)
    venue = " ".join(str(value("venue") or "").split())
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
