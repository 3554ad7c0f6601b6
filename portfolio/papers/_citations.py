"""How often the owner's papers are cited, in total: ``{citation-summary}`` on any page (the
home page), and the CV.  The counts come from the data file that ``portfolio metrics``
writes (:mod:`portfolio.bib`); each paper's own count is drawn with the paper
(:func:`portfolio.papers._render.cited_node`).  Without counts nothing is shown."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..bib import SOURCES, Paper, totals
from ..domain import get_domain
from ..model import PaperFilter
from ..nodes import pending_citations
from ._render import date_text


def summary_parts(papers: list[Paper]) -> tuple[str, list[tuple[str, str]], str] | None:
    """("Cited 1,234 times; h-index 9", the sources as (name, address), the day) of the
    owner's counted papers; None when none is counted."""
    cited = [p.cited for p in papers if p.owner and p.cited is not None]
    if not cited:
        return None
    citations, h, day, _ = totals(cited)
    sources = sorted({SOURCES[c.source] for c in cited})
    return f"Cited {citations:,} times; h-index {h}", sources, date_text(day)


def summary_text(papers: list[Paper]) -> str:
    """The totals as one line of text ("" without counts): for the CV's PDF."""
    parts = summary_parts(papers)
    if parts is None:
        return ""
    text, sources, day = parts
    return f"{text} ({' and '.join(name for name, _ in sources)}, {day})."


def summary_node(papers: list[Paper]) -> nodes.paragraph | None:
    parts = summary_parts(papers)
    if parts is None:
        return None
    text, sources, day = parts
    para = nodes.paragraph(classes=["portfolio-citation-summary"])
    para += nodes.Text(f"{text} (counted by ")
    for i, (name, url) in enumerate(sources):
        if i:
            para += nodes.Text(" and ")
        para += nodes.reference(name, name, refuri=url)
    para += nodes.Text(f", {day}).")
    return para


class CitationSummary(SphinxDirective):
    """``{citation-summary}``: the totals of the owner's citation counts, drawn when the
    page is written (a page that shows them is written again when a count changes)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).note_listing(self.env.docname, PaperFilter(owner_only=True))
        node = pending_citations()
        self.set_source_info(node)
        return [node]


class FillCitationSummary(SphinxPostTransform):
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        found = list(self.document.findall(pending_citations))
        if not found:
            return
        summary = summary_node(list(get_domain(self.env).papers.values()))
        for node in found:
            node.replace_self(summary.deepcopy() if summary is not None else [])


def setup_citations(app: Sphinx) -> None:
    app.add_directive("citation-summary", CitationSummary)
    app.add_post_transform(FillCitationSummary)
