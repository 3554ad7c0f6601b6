"""News: dated items written with the ``news`` directive, lists of them anywhere, and
their Atom feed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._feed import add_feed_link, write_feed
from ._items import name_news_labels, select_news

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["add_feed_link", "name_news_labels", "select_news", "setup_news", "write_feed"]


def setup_news(app: Sphinx) -> None:
    from ._feed import setup_feed
    from ._items import setup_items

    setup_items(app)
    setup_feed(app)
