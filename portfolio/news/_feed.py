"""The Atom feed of news items (feedgen), with absolute links from ``html_baseurl``,
announced by ``<link rel="alternate">`` on every page.  HTML builders only."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

from docutils import nodes
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
    page = base + builder.get_target_uri(app.config.portfolio_news_page)
    head = {
        "id": page,
        "title": feed_title(app),
        "author": app.config.author or app.config.project,
        "self": base + app.config.portfolio_feed_path,
        "language": app.config.language or "en",
    }
    entries = []
    for item in domain.news_sorted():
        url = f"{base}{builder.get_target_uri(item.docname)}#{item.anchor}"
        year, month, day = item.date
        # Atom needs a full timestamp: an item dated by month or year gets its first day.
        when = dt.datetime(year, month or 1, day or 1, tzinfo=dt.UTC).isoformat()
        entries.append([url, domain.news_title(item), domain.news_text(item), when, list(item.tags)])
    target = Path(app.outdir, app.config.portfolio_feed_path)
    stamp = Path(app.doctreedir, "portfolio-feed.sha256")
    digest = hashlib.sha256(json.dumps([head, entries, version("feedgen")]).encode()).hexdigest()
    if target.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return  # the feed it wrote last holds the same news
    write_if_changed(target, atom(head, entries))
    write_if_changed(stamp, digest)


def atom(head: dict[str, str], entries: list[list[Any]]) -> str:
    """The Atom document, newest first (feedgen; imported here, when the news changed)."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(head["id"])
    fg.title(head["title"])
    fg.author({"name": head["author"]})
    fg.link(href=head["id"], rel="alternate")
    fg.link(href=head["self"], rel="self")
    fg.language(head["language"])
    for url, title, summary, when, tags in reversed(entries):  # feedgen prepends: oldest first
        entry = fg.add_entry()
        entry.id(url)
        entry.title(title)
        entry.link(href=url)
        entry.summary(summary)
        entry.published(dt.datetime.fromisoformat(when))
        entry.updated(dt.datetime.fromisoformat(when))
        for tag in tags:
            entry.category(term=tag)
    fg.updated(max(dt.datetime.fromisoformat(when) for _, _, _, when, _ in entries))
    return str(fg.atom_str(pretty=True).decode("utf-8"))


class FeedRole(SphinxRole):
    """``{feed}`Atom feed` ``: a link to the news feed, relative to the current page."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        uri = "../" * self.env.docname.count("/") + self.config.portfolio_feed_path
        text = self.text or "Atom feed"
        return [nodes.reference(self.rawtext, text, refuri=uri, classes=["portfolio-feed"])], []


def setup_feed(app: Sphinx) -> None:
    app.add_role("feed", FeedRole())
