"""Checks that need every page read, and the pages to rewrite when shared data changes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import PortfolioDomain, get_domain
from .filters import LINK, LIST
from .model import suggest
from .news import select_news
from .projects import projects_in_toctree_order
from .warnings_ import Subtype, warn


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


def snapshot(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    domain = get_domain(env)
    # nothing to read and refs.bib unchanged: nothing the digests cover can change
    idle = not docnames and not domain.data.get("bib_changed")
    domain.data["snapshot"] = None if idle else _digests(domain)
    domain.data["reading"] = bool(docnames)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """Pages whose generated lists depend on data that changed in this build's reading."""
    domain = get_domain(env)
    before: dict[str, str] | None = domain.data.pop("snapshot", {})
    changed: set[str] = set()
    if before is not None:  # None: this build read nothing (see snapshot)
        after = _digests(domain)
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    docs: set[str] = set()
    if "projects" in changed:
        docs |= {d for d, topics in domain.consumers.items() if "projects" in topics}
    if "filter-lists" in changed:
        docs |= {d for d, topics in domain.consumers.items() if LINK in topics}
    docs |= {k.split(":", 1)[1] for k in changed if k.startswith("news-list:")}
    docs |= domain.data.pop("bib_rewrite", set())  # lists of papers whose entries changed
    reading = domain.data.pop("reading", False)
    if domain.data.pop("bib_reparsed", False) and not reading and not docs and domain.papers:
        # refs.bib was saved with no change any page shows: Sphinx keeps the environment
        # (and both parses of the file, ours and sphinxcontrib-bibtex's) only when a page
        # is written, so write one small page rather than parse the file again every build
        docs.add(min(domain.paper_docname(k) for k in domain.papers))
    for key in (k.split(":", 1)[1] for k in changed if k.startswith("mentions:")):
        docs.add(domain.paper_docname(key))
    return sorted(d for d in docs if d in env.all_docs)


def setup_consistency(app: Sphinx) -> None:
    app.connect("env-check-consistency", check_references)
    app.connect("env-before-read-docs", snapshot)
    app.connect("env-updated", pages_to_rewrite)
