"""Lists of papers drawn once: the HTML of each group of a publications list, kept between
builds beside the doctrees, so that when a page with 1,000 entries is written again and
an entry changed, only that entry's group is built and translated again.

A group's key is everything its HTML depends on: the page, the builder, the list's
options, and for each paper its entry (the parse's digest), its owner flags, and the
projects its tags name.  What else could change the HTML (conf.py, the theme, the versions
of Sphinx and of this extension's rendering code) empties the cache: a configuration
change makes the build fresh (:mod:`portfolio.changes`), and the code's digest is part of
the file.

The HTML goes into the page as a :class:`prerendered` node whose one child is the entries'
text, so that Sphinx's search indexes the words it indexed before, and so does every
reader of the page's text (descriptions, previews).
"""

from __future__ import annotations

import hashlib
import pickle
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import docutils
import sphinx
from docutils import nodes
from sphinx.application import Sphinx

from .. import changes

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

    from ..bib import Paper

FILE = "portfolio-lists.pickle"
#: the modules whose code draws a list entry
_RENDERING = ("_render.py", "_filters.py", "_lists.py", "_prerender.py")


class prerendered(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """A list of papers as HTML (``html``); its text child is what the list says."""


def visit_prerendered(self: HTML5Translator, node: prerendered) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def _code_digest() -> str:
    here = Path(__file__).parent
    parts = [sphinx.__version__, docutils.__version__]  # and the code that draws the lists:
    parts += [(here / name).read_text(encoding="utf-8") for name in _RENDERING]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


@dataclass
class ListCache:
    path: Path
    code: str
    #: docname -> key -> (html, text), as the file held it and as this build wrote it
    pages: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    written: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)


_CACHES: weakref.WeakKeyDictionary[Sphinx, ListCache] = weakref.WeakKeyDictionary()


def _cache(app: Sphinx) -> ListCache | None:
    """This build's cache (None for builders that do not write HTML as the HTML builder does)."""
    if getattr(app.builder, "format", "") != "html" or getattr(app.builder, "docsettings", None) is None:
        return None  # a builder that writes no HTML, or not through Sphinx's HTML writer
    cache = _CACHES.get(app)
    if cache is None:
        cache = ListCache(Path(app.doctreedir) / FILE, _code_digest())
        if not changes.current(app.env).fresh:
            try:
                with cache.path.open("rb") as f:
                    code, pages = pickle.load(f)
                if code == cache.code:
                    cache.pages = pages
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
                pass  # no cache yet, or one this version cannot read: every list is drawn
        _CACHES[app] = cache
    return cache


def group_key(app: Sphinx, docname: str, options: Iterable[Any], papers: list[Paper],
              tags: dict[str, list[str]]) -> str:  # fmt: skip
    """The key of one group of a list: ``options`` are the list's, ``tags`` the projects
    (id and name) each paper's tags show."""
    parts: list[Any] = [docname, app.builder.name, *options]
    for paper in papers:
        owners = tuple(a.is_owner for a in (*paper.authors, *paper.translators, *paper.bookauthors))
        parts.append((paper.digest, paper.cited, paper.owner, owners, tuple(tags.get(paper.key, ()))))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cached(app: Sphinx, docname: str, key: str) -> prerendered | None:
    """The group drawn before, if it is in the cache."""
    cache = _cache(app)
    found = cache.pages.get(docname, {}).get(key) if cache is not None else None
    if cache is None or found is None:
        return None
    cache.written.setdefault(docname, {})[key] = found
    return _node(*found)


def keep(app: Sphinx, doctree: nodes.document, docname: str, key: str, lst: nodes.Element) -> None:
    """Translate ``lst`` (in place in ``doctree``) as the page's writer will, keep its HTML,
    and put it in the page drawn."""
    cache = _cache(app)
    if cache is None:
        return
    settings = doctree.settings
    doctree.settings = app.builder.docsettings  # type: ignore[attr-defined]  # as write_doc sets them
    try:
        translator = cast("HTML5Translator", app.builder.create_translator(doctree, app.builder))
        lst.walkabout(translator)
    finally:
        doctree.settings = settings
    drawn = ("".join(translator.body), lst.astext())
    cache.written.setdefault(docname, {})[key] = drawn
    lst.replace_self(_node(*drawn))


def _node(html: str, text: str) -> prerendered:
    node = prerendered("", nodes.Text(text))
    node["html"] = html
    return node


def save(app: Sphinx, exception: Exception | None) -> None:
    """The groups of the pages written in this build replace theirs; the others stay,
    unless their page is gone."""
    cache = _CACHES.pop(app, None)
    if cache is None or exception is not None or not cache.written:
        return
    pages = {d: groups for d, groups in cache.pages.items() if d in app.env.all_docs}
    pages.update(cache.written)
    if pages == cache.pages:
        return  # every group written was drawn from the cache
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    with cache.path.open("wb") as f:
        pickle.dump((cache.code, pages), f, pickle.HIGHEST_PROTOCOL)


def setup_prerender(app: Sphinx) -> None:
    app.add_node(prerendered, html=(visit_prerendered, None))
