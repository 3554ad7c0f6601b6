"""Search that ranks a research portfolio: Sphinx's own index, read in the browser by
``_static/portfolio-search.js``, which folds sections under their page, forgives a typo in
a name, narrows by year and ranks papers and projects above the pages that list them.

The search page carries what the index cannot: each page's kind and years, and the
summaries of papers and projects, as inline JSON (``#portfolio-search-meta``,
``#portfolio-search-summaries``). Nothing is added to any other page.
"""

from __future__ import annotations

import json
from typing import Any

from sphinx.application import Sphinx

from ..domain import get_domain
from ..papers import venue_text
from ..projects import year_range

#: the inline data's ids, read by portfolio-search.js
META_ID = "portfolio-search-meta"
SUMMARIES_ID = "portfolio-search-summaries"


def page_kinds(app: Sphinx) -> dict[str, list[Any]]:
    """``docname -> [kind, year, ...]`` for every page that is not a plain page: papers
    ("related" when the owner is not an author) with their year, projects with the years
    their page shows, and the pages that list papers, news or projects ("list": broad
    pages, ranked below what they list)."""
    domain = get_domain(app.env)
    found = app.env.found_docs
    kinds: dict[str, list[Any]] = {}
    for key, paper in domain.papers.items():
        docname = domain.paper_docname(key)
        if docname in found:
            kinds[docname] = ["paper" if paper.owner else "related", paper.year]
    for project in domain.projects.values():
        # the years its page shows: "2022-2024" is 2022, 2023 and 2024
        span = year_range([p for k in project.papers if (p := domain.papers.get(k))])
        years = list(range(span[0], span[1] + 1)) if span else []
        kinds[project.docname] = ["project", *years]
    for table in ("listings", "news_lists", "consumers"):
        for docname in domain.data[table]:
            if docname in found:
                kinds.setdefault(docname, ["list"])
    return dict(sorted(kinds.items()))


def summaries(app: Sphinx) -> dict[str, str]:
    """``docname -> summary`` of the pages the domain describes, shown under their search
    result instead of a summary made by fetching the page: a paper's authors and venue, a
    project's tagline."""
    domain = get_domain(app.env)
    found = app.env.found_docs
    out = {}
    for key, paper in domain.papers.items():
        docname = domain.paper_docname(key)
        if docname in found:
            out[docname] = f"{paper.authors_text}. {venue_text(paper)}."
    for project in domain.projects.values():
        if project.tagline:
            out[project.docname] = project.tagline
    return dict(sorted(out.items()))


def _inline(data: object) -> str:
    # no "<" can close the element early, whatever a docname or a title holds
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def add_search_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename != "search" or not getattr(app.builder, "search", False):
        return
    app.add_js_file(None, body=_inline(page_kinds(app)), type="application/json", id=META_ID)
    app.add_js_file(None, body=_inline(summaries(app)), type="application/json", id=SUMMARIES_ID)
    # deferred: runs after searchtools.js has defined Search, before it starts searching
    app.add_js_file("portfolio-search.js", defer="defer")
