"""Papers: a page per entry of ``refs.bib`` (with "Cite this paper" in several styles),
the lists of papers (grouped, filtered), the ``{paper}`` role, the "Mentioned in"
backlinks, and how often they are cited (each paper, and the totals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._citations import summary_node, summary_text
from ._cite import check_cite_styles, copy_references, style_path
from ._filters import LINK, LIST, add_authors_script, add_filter_script, filtered_list_uri
from ._lists import TYPE_GROUPS, fill_paper_lists, group_papers, group_sections, listing_layout, select_papers
from ._pages import (
    collect_mentions,
    load_bibliography,
    register_pybtex_plugins,
    share_paper_navigation,
    write_stubs,
)
from ._prerender import save as save_lists
from ._references import format_references_ahead, keep_references
from ._render import paper_list, people_of, venue_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = [
    "LINK",
    "LIST",
    "TYPE_GROUPS",
    "add_authors_script",
    "add_filter_script",
    "check_cite_styles",
    "collect_mentions",
    "copy_references",
    "fill_paper_lists",
    "filtered_list_uri",
    "format_references_ahead",
    "group_papers",
    "group_sections",
    "keep_references",
    "listing_layout",
    "load_bibliography",
    "paper_list",
    "people_of",
    "register_pybtex_plugins",
    "save_lists",
    "select_papers",
    "setup_papers",
    "share_paper_navigation",
    "style_path",
    "summary_node",
    "summary_text",
    "venue_text",
    "write_stubs",
]


def setup_papers(app: Sphinx) -> None:
    from ._citations import setup_citations
    from ._filters import setup_filters
    from ._lists import setup_listing
    from ._pages import setup_pages
    from ._prerender import setup_prerender
    from ._references import FillReferences

    setup_pages(app)
    setup_listing(app)
    setup_prerender(app)
    setup_filters(app)
    setup_citations(app)
    app.add_post_transform(FillReferences)
