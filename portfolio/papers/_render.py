"""Docutils nodes for papers, shared by the paper pages, publication lists and projects."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref

from ..bib import EM, MONTH_ABBR, STRONG, SUB, SUP, Author, Paper, People, read_people

NOBODY = People()


def people_of(config: Any) -> People:
    """The co-authors to link (``portfolio_people``; its problems are said at start-up)."""
    return _people(json.dumps(config.portfolio_people, sort_keys=True, default=str))


@cache
def _people(table: str) -> People:
    return read_people(json.loads(table))


def segments(markup: str) -> list[tuple[str, bool, bool, str]]:
    """Split text with markers into (text, emphasised, strong, "sub" or "sup" or "") runs."""
    out: list[tuple[str, bool, bool, str]] = []
    em = strong = False
    script = ""
    buf = ""
    for ch in markup:
        if ch in (*EM, *STRONG, *SUB, *SUP):
            if buf:
                out.append((buf, em, strong, script))
                buf = ""
            em = ch == EM[0] if ch in EM else em
            strong = ch == STRONG[0] if ch in STRONG else strong
            if ch in SUB or ch in SUP:
                script = ("sub" if ch == SUB[0] else "sup") if ch in (SUB[0], SUP[0]) else ""
        else:
            buf += ch
    if buf:
        out.append((buf, em, strong, script))
    return out


def rich(markup: str) -> list[nodes.Node]:
    """Text nodes for a title: ``\\emph{...}`` as ``<em>``, ``\\textbf{...}`` as ``<strong>``,
    ``\\textsubscript{...}`` and ``\\textsuperscript{...}`` as ``<sub>`` and ``<sup>``."""
    out: list[nodes.Node] = []
    for text, em, strong, script in segments(markup):
        node: nodes.Node = nodes.Text(text)
        if script:
            node = (nodes.subscript if script == "sub" else nodes.superscript)(text, "", node)
        if em:
            node = nodes.emphasis(text, "", node)
        if strong:
            node = nodes.strong(text, "", node)
        out.append(node)
    return out


def authors_node(paper: Paper, people: People = NOBODY, limit: int = 0) -> nodes.inline:
    """Every author; each spelling of the owner's name is wrapped in ``<strong>``, and each
    co-author that ``people`` lists links to their homepage.

    With a ``limit``, a longer list is folded where scripts run: its first ``limit`` names,
    the owner's wherever it stands (an ellipsis for the names skipped before it) and a
    button that unfolds the rest in place (``portfolio-authors.js``).  Every name is in the
    page, so a reader without scripts, a crawler and the search index see them all."""
    node = nodes.inline(classes=["portfolio-authors"])
    authors = paper.authors
    shown = set(range(len(authors)))
    if limit > 0 and len(authors) > limit + 1:  # folding a single name would save nothing
        shown = set(range(limit)) | {i for i, a in enumerate(authors) if a.is_owner}
    last = len(authors) - 1
    for i, author in enumerate(authors):
        sep = (" and " if (i == last and author.is_others) else ", ") if i else ""
        if author.is_owner:
            name: nodes.Node = nodes.strong(author.display, author.display, classes=["portfolio-owner"])
        elif homepage := people.homepage(author):
            name = nodes.reference(
                author.display, author.display, refuri=homepage, classes=["portfolio-coauthor"]
            )
        else:
            name = nodes.Text(author.display)
        if i not in shown:
            node += nodes.inline("", "", nodes.Text(sep), name, classes=["portfolio-fold"])
            continue
        if i and i - 1 not in shown:  # names folded before this one
            node += nodes.raw("", ELLIPSIS, format="html", classes=["no-search"])
        node += [nodes.Text(sep), name] if sep else [name]
    if folded := len(authors) - len(shown):
        node += nodes.raw("", MORE.format(n=folded), format="html", classes=["no-search"])
    return node


#: where folded names were, while the list is folded (not read aloud: the button says it)
ELLIPSIS = '<span class="portfolio-ellipsis" aria-hidden="true">, \u2026</span>'
#: the button that unfolds a list (and folds it again); shown only where scripts run
MORE = (
    '<button type="button" class="portfolio-more" aria-expanded="false" '
    'data-more="{n} more authors" data-less="fewer authors">{n} more authors</button>'
)


def names_text(people: tuple[Author, ...]) -> str:
    """A, B and C (or "A and others")."""
    names = [a.display for a in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def venue_text(paper: Paper) -> str:
    when = f"{paper.year}\u2013{paper.year_end}" if paper.year_end else str(paper.year)
    if paper.month and not paper.year_end:
        when = f"{MONTH_ABBR[paper.month - 1]} {paper.year}"
    return f"{paper.venue}, {when}" if paper.venue else when


def links_node(paper: Paper, classes: tuple[str, ...] = ("portfolio-links",)) -> nodes.inline:
    node = nodes.inline(classes=list(classes))
    for i, (label, url) in enumerate(paper.links):
        if i:
            node += nodes.Text(" ")
        node += nodes.reference(
            label,
            label,
            refuri=url,
            classes=["portfolio-button"],
            reftitle=f"{label}: {paper.title}",
        )
    return node


def paper_xref(paper: Paper, text: str | None = None, *, listing: bool = True) -> pending_xref:
    """A link to the paper's page; ``listing`` marks it as not a hand-written mention."""
    inner = nodes.inline(paper.title, "", *rich(paper.title_markup or paper.title))
    if text is not None:
        inner = nodes.inline(text, text)
    ref = pending_xref(
        "",
        inner,
        refdomain="portfolio",
        reftype="paper",
        reftarget=paper.key,
        refexplicit=True,
        refwarn=True,
    )
    ref["portfolio_listing"] = listing
    return ref


def date_text(iso: str) -> str:
    """``2026-12-07`` as pages print a day: ``7 Dec 2026``."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTH_ABBR[month - 1]} {year}"


def cited_node(paper: Paper) -> nodes.inline | None:
    """ "Cited by N", linked to the service's record of the paper, with the service and the
    day it counted; None when no service knows the paper."""
    cited = paper.cited
    if cited is None:
        return None
    node = nodes.inline(classes=["portfolio-cited"])
    text = f"Cited by {cited.count:,}"
    node += nodes.reference(text, text, refuri=cited.record) if cited.record else nodes.Text(text)
    node += nodes.Text(f" ({cited.source_name}, {date_text(cited.date)})")
    return node


def paper_entry(paper: Paper, people: People = NOBODY, limit: int = 0) -> nodes.list_item:
    """One publication: linked title, authors, venue and year, link buttons."""
    item = nodes.list_item(classes=["portfolio-paper"], ids=[f"pub-{paper.slug}"])
    para = nodes.paragraph()
    para += nodes.strong("", "", paper_xref(paper), classes=["portfolio-title"])
    para += nodes.Text(". ")
    para += authors_node(paper, people, limit)
    para += nodes.Text(". ")
    para += nodes.emphasis(venue_text(paper), venue_text(paper), classes=["portfolio-venue"])
    para += nodes.Text(".")
    cited = cited_node(paper)
    if cited is not None:
        para += nodes.Text(" ")
        para += cited
        para += nodes.Text(".")
    item += para
    if paper.links:
        item += nodes.paragraph("", "", links_node(paper))
    return item


def paper_list(papers: list[Paper], people: People = NOBODY, limit: int = 0) -> nodes.bullet_list:
    """A list of papers; each author list longer than ``limit`` folded (0: never)."""
    lst = nodes.bullet_list(classes=["portfolio-papers"])
    for paper in papers:
        lst += paper_entry(paper, people, limit)
    return lst
