"""Permanent URLs: every address the site has published is recorded in a committed
manifest (``portfolio_url_manifest``, ``urls.txt``), and a build that no longer serves one
of them, and has no redirect for it, fails with a located message that says what to do.

A README links here for years; renaming a project file or a BibTeX key must not silently
break it.  Redirects are declared in one place, ``redirects`` in conf.py, and written as
static pages by sphinx-reredirects (they work on Read the Docs and any static host).

The build writes the addresses it serves to ``<doctrees>/urls.txt``; ``make urls`` copies
that over the manifest once new pages are meant to be permanent."""

from __future__ import annotations

import posixpath
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ..domain import get_domain
from ..output import is_html, write_if_changed
from ..projects import files as project_files
from ..warnings_ import Subtype, warn
from ._exports import ris_files

#: Files the portfolio publishes besides its pages (and, with a CV, CV_FILES).
_EXTRA = ("publications.bib", "publications.json", "publications.ris", "objects.inv")
CV_FILES = ("cv.pdf", "cv.json")


def served(app: Sphinx) -> set[str]:
    """Every address the current build serves: pages, the anchors of news items and other
    objects of ``objects.inv``, project files, exports and the feed."""
    builder = app.builder
    env = app.env
    urls = {builder.get_target_uri(doc) for doc in env.found_docs}
    domain = get_domain(env)
    for _, _, _, docname, anchor, _ in domain.get_objects():
        urls.add(builder.get_target_uri(docname) + (f"#{anchor}" if anchor else ""))
    for _, _, _, docname, anchor, _ in env.domains.standard_domain.get_objects():
        if docname in env.found_docs:
            urls.add(builder.get_target_uri(docname) + (f"#{anchor}" if anchor else ""))
    for project in domain.projects.values():
        urls.update(project_files(project))
    urls.update(_EXTRA)
    urls.update(ris_files(app))
    if app.config.portfolio_cv:
        urls.update(CV_FILES)
    if domain.news:
        urls.add(app.config.portfolio_feed_path)
    return urls


def relative_target(source: str, target: str) -> str:
    """A redirect's target as a path from its source's folder: ``/index.html`` from
    ``about`` is ``index.html``, from ``about/index`` it is ``../index.html``.

    A target written from the site's root ("/new.html") would otherwise stay absolute for a
    page at the top level (sphinx-reredirects 1.1 makes it relative only below it), and an
    absolute path leads nowhere under a prefix (Read the Docs' ``/en/latest/``, a
    subfolder) or from disk (``file:///new.html``). URLs and relative targets are kept."""
    if not target.startswith("/") or target.startswith("//"):
        return target
    return posixpath.relpath(target, posixpath.join("/", posixpath.dirname(source)))


def relative_redirects(app: Sphinx, config: Config) -> None:
    # on config-inited, before Sphinx compares the configuration with the pickled one
    redirects = getattr(config, "redirects", None)
    if redirects:
        config.redirects = {source: relative_target(source, target) for source, target in redirects.items()}


def redirected(app: Sphinx) -> set[str]:
    """Pages that a redirect of ``redirects`` (sphinx-reredirects) now serves."""
    sources = getattr(app.config, "redirects", {}) or {}
    return {src if src.endswith(".html") else f"{src}.html" for src in sources}


def _covered(url: str, moved: set[str]) -> bool:
    """A redirected page covers its anchors (the redirect keeps the #fragment) and the files
    published beside it (``projects/sad/CITATION.cff`` moves with ``projects/sad.html``,
    ``papers/x.ris`` with ``papers/x.html``)."""
    page = url.split("#")[0]
    if page.endswith(".ris"):
        return f"{page.removesuffix('.ris')}.html" in moved
    return page in moved or (not page.endswith(".html") and f"{page.rsplit('/', 1)[0]}.html" in moved)


def check_manifest(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_html(app) or not app.config.portfolio_url_manifest:
        return
    now = served(app)
    write_if_changed(Path(app.doctreedir, "urls.txt"), "".join(f"{u}\n" for u in sorted(now)))
    manifest = Path(app.confdir, app.config.portfolio_url_manifest)
    if not manifest.is_file():
        return
    moved = redirected(app)
    lines = manifest.read_text(encoding="utf-8").splitlines()
    recorded = {u.strip() for u in lines if u.strip() and not u.startswith("#")}
    gone = [
        (number, url.strip())
        for number, url in enumerate(lines, start=1)
        if url.strip()
        and not url.startswith("#")
        and url.strip() not in now
        and not _covered(url.strip(), moved)
    ]
    if len(gone) > max(10, len(recorded) // 2):
        # most of the manifest is gone: a copied site (a fork) rather than renamed pages
        warn(
            Subtype.url_removed,
            f"{len(gone)} of the {len(recorded)} URLs in {manifest.name} are no longer served (the first: "
            f"{gone[0][1]}); a new site inherited another's manifest: empty {manifest.name}, build, then "
            "run `make urls`; a site that moved pages on purpose adds redirects to conf.py instead",
            f"{manifest}:{gone[0][0]}",
        )
        gone = []
    for number, url in gone:
        page = url.split("#")[0]
        if "#" in url and page in now:
            fix = (
                "keep the anchor (a news item's :id:, a label) or, to retire it on purpose, delete this line"
            )
        else:
            source = page.removesuffix(".html")
            fix = (
                f"add a redirect to conf.py, e.g. redirects = {{'{source}': '/<new page>.html'}}, "
                "or, to retire it on purpose, delete this line"
            )
        warn(
            Subtype.url_removed, f"the published URL {url} is no longer served; {fix}", f"{manifest}:{number}"
        )
    new = len(now - recorded)
    if new:
        logging.getLogger(__name__).info(
            f"portfolio: {new} new URL(s) not yet in {manifest.name}; `make urls` records them as permanent"
        )
