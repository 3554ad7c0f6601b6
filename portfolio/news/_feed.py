"""The Atom feed of news items (feedgen), with absolute links from ``html_baseurl``,
announced by ``<link rel="alternate">`` on every page.  HTML builders only."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from docutils import nodes
from feedgen.feed import FeedGenerator
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from ..domain import get_domain
from ..output import base_url, is_html, write_if_changed
from ..warnings_ import Subtype, warn


def feed_title(app: Sphinx) -> str:
    return app.config.portfolio_feed_title or f"{app.config.project}: news"


def add_feed_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not is_html(app) or not base_url(app) or not get_domain(app.env).news:
        return
    href = html.escape(base_url(app) + app.config.portfolio_feed_path)
    title = html.escape(feed_title(app))
    link = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}">'
    context["metatags"] = context.get("metatags", "") + "\n" + link


def write_feed(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_html(app):
        return
    domain = get_domain(app.env)
    if not domain.news:
        return
    base = base_url(app)
    if not base:
        warn(
            Subtype.feed,
            "cannot write the Atom feed: html_baseurl is not set; set it in conf.py",
            None,
        )
        return
    builder = app.builder
    news_page = app.config.portfolio_news_page
    fg = FeedGenerator()
    fg.id(base + builder.get_target_uri(news_page))
    fg.title(feed_title(app))
    fg.author({"name": app.config.author or app.config.project})
    fg.link(href=base + builder.get_target_uri(news_page), rel="alternate")
    fg.link(href=base + app.config.portfolio_feed_path, rel="self")
    fg.language(app.config.language or "en")
    items = domain.news_sorted()
    for item in reversed(items):  # feedgen prepends; oldest first gives newest first
        url = f"{base}{builder.get_target_uri(item.docname)}#{item.anchor}"
        year, month, day = item.date
        # Atom needs a full timestamp: an item dated by month or year gets its first day.
        when = dt.datetime(year, month or 1, day or 1, tzinfo=dt.UTC)
        entry = fg.add_entry()
        entry.id(url)
        entry.title(domain.news_title(item))
        entry.link(href=url)
        entry.summary(domain.news_text(item))
        entry.published(when)
        entry.updated(when)
        for tag in item.tags:
            entry.category(term=tag)
    fg.updated(max(dt.datetime(y, m or 1, d or 1, tzinfo=dt.UTC) for y, m, d in (n.date for n in items)))
    write_if_changed(
        Path(app.outdir, app.config.portfolio_feed_path), fg.atom_str(pretty=True).decode("utf-8")
    )


class FeedRole(SphinxRole):
    """``{feed}`Atom feed` ``: a link to the news feed, relative to the current page."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        uri = "../" * self.env.docname.count("/") + self.config.portfolio_feed_path
        text = self.text or "Atom feed"
        return [nodes.reference(self.rawtext, text, refuri=uri, classes=["portfolio-feed"])], []


def setup_feed(app: Sphinx) -> None:
    app.add_role("feed", FeedRole())
