"""What scholarly indexes say about a researcher's papers: how often each is cited
(OpenAlex, then Semantic Scholar for what OpenAlex does not know) and which works his
author profiles list (OpenAlex, ORCID, DBLP).  Each request goes through the one network
policy (:mod:`._http`); each answer is checked before anything is taken from it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..bib import ARXIV_ID, Cited
from ._http import Client, SourceError, parse_json, parse_xml
from ._markup import plain

#: the services that count citations: their names, their keys' environment variables, and
#: where to get a key
KEYS = {
    "openalex": ("OpenAlex", "PORTFOLIO_OPENALEX_KEY", "https://openalex.org/settings/api"),
    "s2": (
        "Semantic Scholar",
        "PORTFOLIO_S2_KEY",
        "https://www.semanticscholar.org/product/api#api-key-form",
    ),
}
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)


def key_of(service: str) -> str:
    return os.environ.get(KEYS[service][1], "").strip()


def missing_key(service: str) -> str:
    """The line that says a key is missing and where to get one."""
    name, variable, where = KEYS[service]
    return f"note: no {name} key; get a free one at {where} and set {variable}"


@dataclass(frozen=True)
class Ids:
    """What a paper is known by."""

    key: str
    doi: str = ""
    arxiv: str = ""

    @property
    def what(self) -> str:
        return f"{self.key} (" + (f"DOI {self.doi}" if self.doi else f"arXiv {self.arxiv}") + ")"


# -- citation counts ------------------------------------------------------------------------
def _counted(
    client: Client, service: str, path: str, ids: Ids, field: str
) -> tuple[dict[str, Any], int] | None:
    """A service's record of one paper and the citation count in its ``field``; None when
    the service does not know the paper; a :class:`SourceError` when it could not say."""
    name, variable, _ = KEYS[service]
    headers = {"x-api-key": key_of(service)} if service == "s2" and key_of(service) else {}
    status, _, body = client.get(service, path, ids.what, accept="application/json", headers=headers)
    if status == 404:
        return None
    if status >= 400:
        raise SourceError(f"{ids.what}: {name} refused the request ({status}); check {variable}")
    data = parse_json(body, ids.what, name)
    count = data.get(field) if isinstance(data, dict) else None
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise SourceError(f"{ids.what}: {name}'s answer has no citation count; try again later")
    return data, count


def openalex_count(client: Client, ids: Ids, today: dt.date) -> Cited | None:
    """OpenAlex's count of one paper (by its DOI, or its arXiv DOI); None when OpenAlex
    does not know it; a :class:`SourceError` when it could not say."""
    doi = ids.doi or f"10.48550/arxiv.{ids.arxiv}"
    query = f"?api_key={quote(key_of('openalex'))}" if key_of("openalex") else ""
    found = _counted(client, "openalex", f"/works/doi:{quote(doi, safe='/')}{query}", ids, "cited_by_count")
    if found is None:
        return None
    work, count = found
    rows = work.get("counts_by_year") or []
    years = [
        (row["year"], row["cited_by_count"])
        for row in (rows if isinstance(rows, list) else [])
        if isinstance(row, dict)
        and isinstance(row.get("year"), int)
        and 1000 <= row["year"] <= 9999
        and isinstance(row.get("cited_by_count"), int)
        and row["cited_by_count"] >= 0
    ]  # what citations.json holds: a four-digit year, a count of at least 0
    record = work.get("id", "")
    record = record if isinstance(record, str) and re.fullmatch(r"https://openalex\.org/W\d+", record) else ""
    return Cited(count, "openalex", today.isoformat(), record, tuple(sorted(years)))


def s2_count(client: Client, ids: Ids, today: dt.date) -> Cited | None:
    """Semantic Scholar's count of one paper; None when it does not know it."""
    paper = f"DOI:{ids.doi}" if ids.doi else f"ARXIV:{ids.arxiv}"
    path = f"/graph/v1/paper/{quote(paper, safe=':/')}?fields=citationCount,url"
    found = _counted(client, "s2", path, ids, "citationCount")
    if found is None:
        return None
    data, count = found
    url = data.get("url", "")
    record = url if isinstance(url, str) and url.startswith("https://www.semanticscholar.org/") else ""
    return Cited(count, "semantic-scholar", today.isoformat(), record)


# -- an author's works --------------------------------------------------------------------------
@dataclass
class Work:
    """A work an author profile lists."""

    title: str
    year: str = ""
    doi: str = ""
    arxiv: str = ""
    dblp: str = ""
    sources: list[str] = field(default_factory=list)

    @property
    def identifier(self) -> str:
        """What ``portfolio add`` takes: the DOI, else the arXiv id, else the DBLP key."""
        if self.doi and not _ARXIV_DOI.match(self.doi):
            return self.doi
        return self.arxiv or self.doi or (f"DBLP:{self.dblp}" if self.dblp else "")


def _doi(value: Any) -> str:
    text = str(value or "").strip()
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", text, flags=re.I)
    return text.lower() if text.startswith("10.") else ""


def _arxiv_of(doi: str) -> str:
    m = _ARXIV_DOI.match(doi)
    return m.group(1) if m and ARXIV_ID.match(m.group(1)) else ""


def openalex_works(client: Client, author: str) -> list[Work]:
    """Every work of an OpenAlex author (``A5023888391``), all result pages."""
    what = f"OpenAlex author {author}"
    if not re.fullmatch(r"A\d+", author):
        raise SourceError(
            f"{what}: not an OpenAlex author id (A followed by digits); copy it from openalex.org"
        )
    works: list[Work] = []
    cursor = "*"
    key = f"&api_key={quote(key_of('openalex'))}" if key_of("openalex") else ""
    for _ in range(100):  # at most 100 pages of 200
        path = (f"/works?filter=author.id:{author}&per-page=200&cursor={quote(cursor)}"
                f"&select=id,doi,title,publication_year{key}")  # fmt: skip
        status, _, body = client.get("openalex", path, what, accept="application/json")
        if status >= 400:
            raise SourceError(
                f"{what}: OpenAlex refused the request ({status}); check the id and PORTFOLIO_OPENALEX_KEY"
            )
        data = parse_json(body, what, "OpenAlex")
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise SourceError(f"{what}: OpenAlex's answer lists no works; try again later")
        for item in results:
            if isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"].strip():
                doi = _doi(item.get("doi"))
                title = plain(" ".join(item["title"].split()))
                year = str(item.get("publication_year") or "")
                works.append(Work(title, year, doi, _arxiv_of(doi), sources=["OpenAlex"]))
        meta = data.get("meta")
        cursor = str(meta.get("next_cursor") or "") if isinstance(meta, dict) else ""
        if not cursor or not results:
            return works
    return works


def orcid_works(client: Client, orcid: str) -> list[Work]:
    """Every work of an ORCID record (``0000-0002-1825-0097``)."""
    what = f"ORCID {orcid}"
    if not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid):
        raise SourceError(f"{what}: not an ORCID iD (0000-0000-0000-0000); copy it from orcid.org")
    body = _profile(client, "orcid", f"/v3.0/{orcid}/works", what, "ORCID has no such record; check the iD")
    data = parse_json(body, what, "ORCID")
    groups = data.get("group") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise SourceError(f"{what}: ORCID's answer lists no works; try again later")
    works = []
    for group in groups:
        summaries = group.get("work-summary") if isinstance(group, dict) else None
        summary = (
            summaries[0]
            if isinstance(summaries, list) and summaries and isinstance(summaries[0], dict)
            else {}
        )
        title = _path(summary, "title", "title", "value")
        if not isinstance(title, str) or not title.strip():
            continue
        year = str(_path(summary, "publication-date", "year", "value") or "")
        work = Work(plain(" ".join(title.split())), year, sources=["ORCID"])
        for ext in _path(summary, "external-ids", "external-id") or []:
            kind = str(_path(ext, "external-id-type") or "").lower()
            value = str(_path(ext, "external-id-value") or "").strip()
            if kind == "doi" and _doi(value):
                work.doi = _doi(value)
            elif kind == "arxiv" and ARXIV_ID.match(value.removeprefix("arXiv:")):
                work.arxiv = value.removeprefix("arXiv:")
        work.arxiv = work.arxiv or _arxiv_of(work.doi)
        works.append(work)
    return works


def _profile(client: Client, service: str, path: str, what: str, unknown: str) -> str:
    """The body of an author profile's answer; 404 is ``unknown``, any other error one line."""
    accept = "application/xml" if path.endswith(".xml") else "application/json"
    status, _, body = client.get(service, path, what, accept=accept)
    if status == 404:
        raise SourceError(f"{what}: {unknown}")
    if status >= 400:
        name = {"orcid": "ORCID", "dblp": "dblp"}[service]
        raise SourceError(f"{what}: {name} refused the request ({status}); try again later")
    return body


def _path(value: Any, *names: str) -> Any:
    for name in names:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def dblp_works(client: Client, pid: str) -> list[Work]:
    """Every work of a DBLP person record (``12/3456``)."""
    what = f"DBLP person {pid}"
    if not re.fullmatch(r"[\w-]+/[\w-]+", pid):
        raise SourceError(f"{what}: not a DBLP pid (such as 12/3456); copy it from the person's dblp page")
    body = _profile(client, "dblp", f"/pid/{pid}.xml", what, "dblp has no such person; check the pid")
    root = parse_xml(body, what, "dblp")
    works = []
    for record in root.iter("r"):
        for entry in record:
            found = entry.find("title")
            title = "".join(found.itertext()).strip().rstrip(".") if found is not None else ""
            if not title:
                continue
            work = Work(plain(" ".join(title.split())), (entry.findtext("year") or "").strip(),
                        dblp=entry.get("key", ""), sources=["DBLP"])  # fmt: skip
            for ee in entry.findall("ee"):
                link = (ee.text or "").strip()
                if _doi(link):
                    work.doi = work.doi or _doi(link)
                m = re.match(r"^https?://arxiv\.org/abs/(.+?)(?:v\d+)?$", link)
                if m and ARXIV_ID.match(m.group(1)):
                    work.arxiv = m.group(1)
            work.arxiv = work.arxiv or _arxiv_of(work.doi)
            works.append(work)
    return works
