"""Our docutils nodes.  Each subclasses a docutils node, so every builder that has no
visitor of its own renders it like its base class (Sphinx dispatches along the MRO)."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


class news_item(nodes.container):  # noqa: N801 (docutils naming)
    """One dated news item; HTML: ``<article id=...>``."""


class news_date(nodes.inline):  # noqa: N801
    """A date; HTML: ``<time datetime=...>``."""


class pending(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """What is filled after every page is read (it lists what other pages hold).  Each kind
    below has its own transform, which finds only its own nodes, as Sphinx's ``todolist``."""


class pending_papers(pending):  # noqa: N801
    """A group of a publications list, or its filter form (``group``): the papers'
    entries drawn when the page is written (:func:`portfolio.papers.fill_paper_lists`)."""


class pending_mentions(pending):  # noqa: N801
    """A paper page's "Mentioned in": the pages that cite or name the paper (``paper``)."""


class pending_news(pending):  # noqa: N801
    """A news list (``limit``, ``project``, ``paper``)."""


class pending_projects(pending):  # noqa: N801
    """Project cards (``projects``: the ids, or all in toctree order when empty)."""


class pending_filter_link(pending):  # noqa: N801
    """A project page's link to the publications list filtered to the project (``project``)."""


class pending_cv_project(pending):  # noqa: N801
    """A CV contribution's link to a project's repository or website (``project``)."""


class pending_cv_projects(pending):  # noqa: N801
    """The CV's list of projects."""


class pending_citations(pending):  # noqa: N801
    """The totals of the owner's citation counts (citations, h-index, the day)."""


class pending_references(pending):  # noqa: N801
    """A paper page's "Cite this paper" (``paper``): its references, formatted when the page
    is written (:mod:`portfolio.papers._references`)."""


#: every kind of pending node
PENDING = (
    pending_papers, pending_mentions, pending_news, pending_projects,
    pending_filter_link, pending_cv_project, pending_cv_projects, pending_citations,
    pending_references,
)  # fmt: skip


def visit_news_item(self: HTML5Translator, node: news_item) -> None:
    self.body.append(self.starttag(node, "article", CLASS="portfolio-news-item"))


def depart_news_item(self: HTML5Translator, node: news_item) -> None:
    self.body.append("</article>\n")


def visit_news_date(self: HTML5Translator, node: news_date) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def depart_news_date(self: HTML5Translator, node: news_date) -> None:
    self.body.append("</time>")


def setup_nodes(app: Sphinx) -> None:
    app.add_node(news_item, html=(visit_news_item, depart_news_item))
    app.add_node(news_date, html=(visit_news_date, depart_news_date))
    for node in PENDING:
        app.add_node(node)
