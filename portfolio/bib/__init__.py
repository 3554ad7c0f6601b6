"""BibTeX without Sphinx: LaTeX to text, the BibTeX and biblatex data models, reading
``refs.bib`` into located papers and problems, and writing BibTeX, RIS and CSL-JSON.  The
build and the commands (``portfolio check``, ``add``) share it; importing it imports no
Sphinx and no docutils.  The papers' citation counts (``_metrics``) are here too: data
about the entries that the commands write and the build reads."""

from __future__ import annotations

from ._bibtex import EXPORTED_FIELDS, PERSON_ROLES, export_entry
from ._csl import csl_item
from ._datamodel import (
    ARXIV,
    ARXIV_ID,
    ARXIV_URL,
    MONTH_ABBR,
    MONTH_MACROS,
    MONTHS,
    When,
    is_doi,
    normalize_doi,
    parse_date,
    parse_month,
)
from ._entry import owner_spellings
from ._latex import (
    CONTROL,
    EM,
    STRONG,
    SUB,
    SUP,
    latex_to_text,
    plain,
    to_text,
    unescape_verbatim,
    without_controls,
)
from ._metrics import SOURCES, Cited, Metrics, h_index, metrics_text, read_metrics, totals
from ._model import UNREADABLE, Author, Bibliography, Cached, EntryCache, Paper, Problem, page_slug
from ._people import People, read_people
from ._read import parse_bibliography
from ._ris import ris_file, ris_record

__all__ = [
    "ARXIV",
    "ARXIV_ID",
    "ARXIV_URL",
    "CONTROL",
    "EM",
    "EXPORTED_FIELDS",
    "MONTHS",
    "MONTH_ABBR",
    "MONTH_MACROS",
    "PERSON_ROLES",
    "SOURCES",
    "STRONG",
    "SUB",
    "SUP",
    "UNREADABLE",
    "Author",
    "Bibliography",
    "Cached",
    "Cited",
    "EntryCache",
    "Metrics",
    "Paper",
    "People",
    "Problem",
    "When",
    "csl_item",
    "export_entry",
    "h_index",
    "is_doi",
    "latex_to_text",
    "metrics_text",
    "normalize_doi",
    "owner_spellings",
    "page_slug",
    "parse_bibliography",
    "parse_date",
    "parse_month",
    "plain",
    "read_metrics",
    "read_people",
    "ris_file",
    "ris_record",
    "to_text",
    "totals",
    "unescape_verbatim",
    "without_controls",
]
