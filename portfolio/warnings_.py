"""Every warning the extension emits: one subtype each, documented here.

A warning is always emitted through :func:`warn`, so it carries ``type="portfolio"``,
its subtype and a location; ``-W`` turns each into a build error.  The table in
``docs/reference/warnings.md`` is generated from this enum, so the two cannot drift.
"""

from __future__ import annotations

import enum
from typing import Any


class Subtype(enum.Enum):
    """Warning subtypes, ``portfolio.<value>``; the docstring of each member says how to fix it."""

    bib_missing = "bib_missing"
    bib_encoding = "bib_encoding"
    bib_syntax = "bib_syntax"
    bib_empty = "bib_empty"
    bib_duplicate = "bib_duplicate"
    bib_field = "bib_field"
    bib_type = "bib_type"
    bib_url = "bib_url"
    bib_latex = "bib_latex"
    bib_crossref = "bib_crossref"
    bib_key = "bib_key"
    unknown_paper = "unknown_paper"
    unknown_project = "unknown_project"
    unknown_news = "unknown_news"
    news_date = "news_date"
    news_id = "news_id"
    news_duplicate = "news_duplicate"
    project_metadata = "project_metadata"
    project_duplicate = "project_duplicate"
    url_removed = "url_removed"
    feed = "feed"
    cv = "cv"
    config = "config"
    requirement = "requirement"
    control_char = "control_char"
    metrics = "metrics"

    @property
    def fix(self) -> str:
        return _FIXES[self][1]

    @property
    def cause(self) -> str:
        return _FIXES[self][0]


_FIXES: dict[Subtype, tuple[str, str]] = {
    Subtype.bib_missing: (
        "The file named by ``portfolio_bibfile`` does not exist.",
        "Create it or point ``portfolio_bibfile`` in conf.py at the right path.",
    ),
    Subtype.bib_encoding: (
        "The BibTeX file is not valid UTF-8.",
        "Re-save the file as UTF-8.",
    ),
    Subtype.bib_syntax: (
        "The BibTeX file cannot be parsed (for example an unbalanced brace).",
        "Fix the syntax at the line named in the message.",
    ),
    Subtype.bib_empty: (
        "The BibTeX file holds no entries.",
        "Add at least one entry.",
    ),
    Subtype.bib_duplicate: (
        "Two entries share one key; neither is dropped, but links would be ambiguous.",
        "Rename one of the two keys named in the message.",
    ),
    Subtype.bib_field: (
        "An entry lacks a title, an author or editor, or a year or date (the entry gets no page), "
        "or a date, month or eprint cannot be read (that field is left out).",
        "Add or correct the field named in the message.",
    ),
    Subtype.bib_type: (
        "An entry uses an entry type that neither BibTeX nor biblatex defines; it is shown as @misc.",
        "Use one of the standard BibTeX or biblatex entry types listed in the message.",
    ),
    Subtype.bib_url: (
        "A link field is not an http(s) URL, or the doi field holds no DOI; the link is left out.",
        "Use an https:// address (other schemes such as javascript: are refused) or a DOI such as "
        "10.1000/xyz.",
    ),
    Subtype.bib_latex: (
        "A shown field (title, venue, summary...) uses a LaTeX command that has no text form; "
        "the command is left out of the page.",
        "Write that part in plain text or Unicode (an accent as é, a symbol as itself).",
    ),
    Subtype.bib_crossref: (
        "A crossref or xdata field names an entry that is not in the file, or refers back to "
        "the entry itself; nothing is inherited from it.",
        "Correct the key in the field, add the parent entry, or remove the field.",
    ),
    Subtype.bib_key: (
        "Two keys give the same page address (keys that differ only in case or in characters "
        "that cannot be part of a URL, such as DBLP:a/b and DBLP-a-b).",
        "Rename one of the two keys named in the message.",
    ),
    Subtype.unknown_paper: (
        "A reference names a paper key that is not in the BibTeX file.",
        "Use a key from refs.bib or add the entry.",
    ),
    Subtype.unknown_project: (
        "A reference names a project that no page declares.",
        "Use the id of a project page (its file name) or add the page.",
    ),
    Subtype.unknown_news: (
        "A reference names a news id that no news item declares.",
        "Use the :id: of an existing news item.",
    ),
    Subtype.news_date: (
        "A news item has no date, or a date that is not a real YYYY, YYYY-MM or YYYY-MM-DD date.",
        "Give the item a date such as 2024-09 as the directive argument.",
    ),
    Subtype.news_id: (
        "A news item has no :id:, or one that is not lower-case letters, digits and hyphens.",
        "Give it a permanent :id: such as neurips-2024; its link is news.html#news-<id>.",
    ),
    Subtype.news_duplicate: (
        "Two news items share one id, so their permalinks would collide.",
        "Give one of them a different :id:.",
    ),
    Subtype.project_metadata: (
        "A project page's front matter is missing a required field or has a field of the wrong type.",
        "Correct the ``project:`` block in the page's front matter as the message says.",
    ),
    Subtype.project_duplicate: (
        "Two project pages declare the same project id.",
        "Give one of them a different ``id`` in its front matter.",
    ),
    Subtype.url_removed: (
        "An address recorded in the URL manifest (urls.txt) is no longer served: a project file "
        "or a BibTeX key was renamed, or a news id removed.",
        "Add a redirect to ``redirects`` in conf.py (old page to new), keep the id, or delete the "
        "manifest's line to retire the address on purpose.",
    ),
    Subtype.config: (
        "A ``portfolio_*`` option in conf.py has a value of the wrong type; the default is used.",
        "Give the option a value of the type named in the message.",
    ),
    Subtype.requirement: (
        "conf.py lacks something the extension needs: an extension (myst_parser, "
        "sphinxcontrib.bibtex, sphinx_design), MyST's colon_fence, portfolio_owner_names, or what "
        "an option it sets relies on (sphinx_reredirects for redirects, furo for the profiles).",
        "Make the change the message names in conf.py; the list is in the configuration reference.",
    ),
    Subtype.cv: (
        "The CV file (``portfolio_cv``) is missing, is not valid YAML, or has an entry with an "
        "unknown field, a date that is not YYYY or YYYY-MM, or without a required field (a "
        "degree or position without its organisation); that entry is left out.",
        "Correct the line named in the message; the fields of each part are listed in the guide.",
    ),
    Subtype.feed: (
        "The Atom feed cannot be written with absolute links.",
        "Set ``html_baseurl`` in conf.py (Read the Docs sets it for you).",
    ),
    Subtype.metrics: (
        "The citation counts (portfolio_metrics, written by portfolio metrics) cannot be read, "
        "or one paper's count is not as the command writes it; that count is not shown.",
        "Run portfolio metrics again, or correct the line named.",
    ),
    Subtype.control_char: (
        "A source (refs.bib, a page, a news item, front matter) holds a control character, as "
        "text pasted from a PDF carries (a form feed, a vertical tab, U+0001...); no feed, "
        "sitemap or PDF can hold one, so it is left out (a form feed or vertical tab becomes a space).",
        "Delete the character at the line named; most editors show it as a box or a symbol.",
    ),
}


def warn(subtype: Subtype, message: str, location: Any) -> None:
    """Emit one located, typed warning (an error under ``-W``)."""
    from sphinx.util import logging  # imported here: the checker must not pull in Sphinx

    logging.getLogger(__name__).warning(message, type="portfolio", subtype=subtype.value, location=location)


def where(env: Any, docname: str, line: int = 0) -> str:
    """``docs/news.md:12``-style place of a document, for messages that name a second place."""
    path = str(env.doc2path(docname, False))
    return f"{path}:{line}" if line else path
