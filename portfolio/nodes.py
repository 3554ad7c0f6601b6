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


class placeholder(nodes.General, nodes.Element):  # noqa: N801
    """Filled after all documents are read (lists that depend on other pages)."""


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
    app.add_node(placeholder)
