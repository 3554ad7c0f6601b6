"""sphinx-sitemap lists the pages written in the current build only, so an incremental
`make html` (or `make live`) used to publish a sitemap of the few pages it rewrote.  Before
it writes the file, give it every page, in one stable order; it keeps the rest of the work
(URL scheme, languages, last-modified dates)."""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .feeds import _is_html


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
    if exception is not None or links is None or not _is_html(app):
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


def setup_sitemap(app: Sphinx) -> None:
    # a no-op unless sphinx-sitemap is loaded (its queue exists); it writes at priority 500
    app.connect("build-finished", complete_sitemap, priority=400)
