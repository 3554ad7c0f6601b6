"""The sitemap and ``robots.txt``.  sphinx-sitemap lists the pages written in the current
build only, so an incremental `make html` (or `make live`) used to publish a sitemap of the
few pages it rewrote.  Before it writes the file, give it every page, in one stable order;
it keeps the rest of the work (URL scheme, languages, last-modified dates)."""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..output import base_url, is_html, write_if_changed


def _drain(links: Any) -> dict[str, Any]:
    """Empty sphinx-sitemap's queue: link -> last-modified date."""
    out: dict[str, Any] = {}
    while True:
        try:
            link, last_updated = links.get_nowait()
        except queue.Empty:
            return out
        out[link] = last_updated


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    links = getattr(app, "sitemap_links", None)  # sphinx-sitemap's queue (it sets env.app's)
    if exception is not None or links is None or not is_html(app):
        return
    from sphinx_sitemap import add_html_link

    written = _drain(links)
    for docname in sorted(app.env.found_docs):  # each one, exclusions applied as it does
        add_html_link(app, docname, "page.html", {}, None)
    every = {link: written.get(link, last) for link, last in _drain(links).items()}
    if app.config.portfolio_cv and (Path(app.outdir) / "cv.pdf").is_file():
        every.setdefault("cv.pdf", None)  # the CV's PDF, a document of its own
    for link in sorted(every):
        links.put((link, every[link]))


def write_robots(app: Sphinx, exception: Exception | None) -> None:
    """robots.txt pointing crawlers at the sitemap, with the absolute URL from html_baseurl."""
    if exception is not None or not is_html(app) or not app.config.portfolio_robots:
        return
    base = base_url(app)
    lines = ["User-agent: *", "Disallow:"]
    if base:
        lines.append(f"Sitemap: {base}sitemap.xml")
    write_if_changed(Path(app.outdir) / "robots.txt", "\n".join(lines) + "\n")
