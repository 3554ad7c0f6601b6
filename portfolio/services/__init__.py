"""The services that commands read papers from (arXiv, doi.org, Crossref, DataCite,
DBLP, OpenReview): one network policy for all of them (``_http``: a deadline for the whole
request, a cap on the decoded body, retries, addresses replaceable for mirrors and tests),
markup taken off at the door (``_markup``), and each service's answer made into a
:class:`Record` (``_sources``).  No Sphinx."""

from __future__ import annotations

from ._http import DEADLINE, MAX_BODY, SERVICES, Client, SourceError, parse_json, parse_xml
from ._markup import convert
from ._sources import Record, fetch, fetch_arxiv, fetch_doi, parse_identifier

__all__ = [
    "DEADLINE", "MAX_BODY", "SERVICES", "Client", "Record", "SourceError", "convert", "fetch", "fetch_arxiv",
    "fetch_doi", "parse_identifier", "parse_json", "parse_xml",
]  # fmt: skip
