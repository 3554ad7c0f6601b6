"""The services that commands read (arXiv, doi.org, Crossref, DataCite, DBLP, OpenReview
for a paper; OpenAlex, Semantic Scholar, ORCID and DBLP for citation counts and an author's
works): one network policy for all of them (``_http``: a deadline for the whole
request, a cap on the decoded body, retries, addresses replaceable for mirrors and tests),
markup taken off at the door (``_markup``), and each service's answer made into a
:class:`Record` (``_sources``).  No Sphinx."""

from __future__ import annotations

from ._http import DEADLINE, MAX_BODY, SERVICES, Client, SourceError, parse_json, parse_xml
from ._markup import convert
from ._scholarly import (
    Ids,
    Work,
    dblp_works,
    key_of,
    missing_key,
    openalex_count,
    openalex_works,
    orcid_works,
    s2_count,
)
from ._sources import Record, fetch, fetch_arxiv, fetch_doi, parse_identifier

__all__ = [
    "DEADLINE",
    "MAX_BODY",
    "SERVICES",
    "Client",
    "Ids",
    "Record",
    "SourceError",
    "Work",
    "convert",
    "dblp_works",
    "fetch",
    "fetch_arxiv",
    "fetch_doi",
    "key_of",
    "missing_key",
    "openalex_count",
    "openalex_works",
    "orcid_works",
    "parse_identifier",
    "parse_json",
    "parse_xml",
    "s2_count",
]  # fmt: skip
