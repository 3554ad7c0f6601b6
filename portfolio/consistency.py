"""What a build reads and writes again: the record of what changed (made here from the
inputs, :mod:`portfolio.changes`), the pages to read again and to rewrite because of it,
and the checks that need every page read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import changes
from .bib import without_controls
from .changes import EntryChange
from .cv import CV_TOPIC, load_cv
from .domain import PortfolioDomain, get_domain
from .model import suggest
from .news import select_news
from .papers import LINK, LIST, listing_layout, load_bibliography, write_stubs
from .projects import projects_in_toctree_order
from .warnings_ import Subtype, warn


def strip_controls(app: Sphinx, docname: str, source: list[str]) -> None:
    """A page's control characters (as text pasted from a PDF carries: in its prose, its
    front matter or a news item) are left out before it is parsed, each a located warning;
    no feed, sitemap, search index or PDF could hold them."""
    text, found = without_controls(source[0])
    if not found:
        return
    source[0] = text
    for line, char in found:
        warn(
            Subtype.control_char,
            f"a control character (U+{ord(char):04X}), as text pasted from a PDF carries, is left out; "
            "delete it from the line named",
            (docname, line),
        )


def check_references(app: Sphinx, env: BuildEnvironment) -> None:
    """Unknown paper keys or project ids named in news options and project front matter."""
    domain = get_domain(env)
    for item in sorted(domain.news.values(), key=lambda n: (n.docname, n.line)):
        for key in item.papers:
            if key not in domain.papers:
                warn(
                    Subtype.unknown_paper,
                    f"news item {item.id!r} names unknown paper {key!r}{suggest(key, domain.papers)}; "
                    "use a key from refs.bib",
                    (item.docname, item.line),
                )
        for pid in item.projects:
            if pid not in domain.projects:
                warn(
                    Subtype.unknown_project,
                    f"news item {item.id!r} names unknown project {pid!r}{suggest(pid, domain.projects)}; "
                    "use a project page's id",
                    (item.docname, item.line),
                )
    for project in sorted(domain.projects.values(), key=lambda p: p.docname):
        for key in project.papers:
            if key not in domain.papers:
                warn(
                    Subtype.unknown_paper,
                    f"project {project.id!r} lists unknown paper {key!r}{suggest(key, domain.papers)} "
                    "in its front matter; "
                    "use a key from refs.bib",
                    (project.docname, 1),
                )


def _digests(domain: PortfolioDomain) -> dict[str, str]:
    def h(value: object) -> str:
        return hashlib.sha256(repr(value).encode()).hexdigest()

    # the projects, and the order the toctrees give them (project cards follow it)
    ordered = [p.docname for p in projects_in_toctree_order(domain.env)]
    out = {"projects": h((sorted(map(repr, domain.projects.values())), ordered))}
    # the pages with a filtered publication list, which project pages link to
    out["filter-lists"] = h(sorted(d for d, topics in domain.consumers.items() if LIST in topics))
    for docname, specs in domain.data["news_lists"].items():  # what each news list shows
        shown = [
            [(n.id, n.date, domain.news_text(n), n.docname) for n in select_news(domain, spec)]
            for spec in specs
        ]
        out[f"news-list:{docname}"] = h(shown)
    by_paper: dict[str, list[tuple[str, str, str]]] = {}
    for ms in domain.mentions.values():
        for m in ms:
            by_paper.setdefault(m.paper, []).append((m.docname, m.anchor, domain.mention_label(m)))
    for key, found in by_paper.items():
        out[f"mentions:{key}"] = h(sorted(set(found)))
    return out


def read_inputs(app: Sphinx) -> None:
    """The inputs that are not pages, read before Sphinx decides what to read: this
    build's record of what changed (:mod:`portfolio.changes`) starts here."""
    entries, bib_read = load_bibliography(app)
    record = changes.begin(app.env, entries, bib_read, load_cv(app))
    write_stubs(app, None if record.fresh else record.entries)


def _entry_pages(domain: PortfolioDomain, entries: dict[str, EntryChange]) -> tuple[set[str], set[str]]:
    """The pages to read again and the pages to rewrite only, for the entries that changed:
    a paper's page, the pages that cite or link it, and the lists that show it before or
    after the change. A list whose entries change only in what they print is rewritten
    (the entries are drawn when the page is written); one that gains, loses or moves an
    entry is read again (a new keyword can add it to a list)."""
    docs = {domain.paper_docname(k) for k in entries if k in domain.papers}
    docs |= {d for d, ms in domain.mentions.items() if any(m.paper in entries for m in ms)}
    rewrite: set[str] = set()
    layout_changed = [pair for pair in entries.values() if listing_layout(pair[0]) != listing_layout(pair[1])]
    for docname, specs in domain.data["listings"].items():
        # project pages render their list when read; with a limit, a new title can move
        # an entry out of the list and empty a section
        read_again = any(spec.keys or spec.limit for spec in specs)
        pairs = entries.values() if read_again else layout_changed
        if any(spec.shows(p) for spec in specs for pair in pairs for p in pair):
            docs.add(docname)
        elif any(spec.shows(p) for spec in specs for pair in entries.values() for p in pair):
            rewrite.add(docname)
    return docs, rewrite


def outdated_docs(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The pages to read again because an input they show changed: an entry of refs.bib
    (see :func:`_entry_pages`) or a fact of the CV."""
    domain, record = get_domain(env), changes.current(env)
    docs, _ = _entry_pages(domain, record.entries)
    topics = {f"{CV_TOPIC}{fact}" for fact in record.cv}
    docs |= {d for d, shown in domain.consumers.items() if topics & shown}
    return sorted(d for d in docs if d in env.found_docs)


def snapshot(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Reading starts: which pages, and the shared data as it was."""
    record = changes.current(env)
    record.read = frozenset(docnames)
    # nothing to read and refs.bib unchanged: nothing the digests cover can change
    record.before = _digests(get_domain(env)) if docnames or record.entries else None


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """Pages to write again without reading them: their generated lists show data that
    changed (shared data the reading changed, entries of refs.bib that print differently)."""
    domain, record = get_domain(env), changes.current(env)
    if record.before is not None:
        after = _digests(domain)
        record.shared = frozenset(
            k for k in set(record.before) | set(after) if record.before.get(k) != after.get(k)
        )
    shared = record.shared
    docs: set[str] = set()
    if "projects" in shared:
        docs |= {d for d, topics in domain.consumers.items() if "projects" in topics}
    if "filter-lists" in shared:
        docs |= {d for d, topics in domain.consumers.items() if LINK in topics}
    docs |= {k.split(":", 1)[1] for k in shared if k.startswith("news-list:")}
    docs |= {domain.paper_docname(k.split(":", 1)[1]) for k in shared if k.startswith("mentions:")}
    docs |= _entry_pages(domain, record.entries)[1] - record.read
    if record.bib_read and not record.read and not docs and domain.papers:
        # refs.bib was saved with no change any page shows: Sphinx keeps the environment
        # (and both parses of the file, ours and sphinxcontrib-bibtex's) only when a page
        # is written, so write one small page rather than parse the file again every build
        docs.add(min(domain.paper_docname(k) for k in domain.papers))
    return sorted(d for d in docs if d in env.all_docs)
