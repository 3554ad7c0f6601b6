"""The ``portfolio`` domain: papers, projects and news as typed, cross-referenceable objects.

All state shared between documents lives in ``Domain.data`` (with ``clear_doc`` and
``merge_domaindata``), so the extension is parallel safe.  ``get_objects()`` exports
every object to ``objects.inv``; each one is also a ``std:label``.
"""

from __future__ import annotations

import copyreg
import os
import pickle
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from .bib import EntryCache, Paper, Problem
from .config import default
from .model import Mention, NewsItem, NewsSpec, PaperFilter, Project, suggest
from .model import duplicate_message as model_duplicate_message
from .warnings_ import Subtype, warn, where

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


@dataclass
class BibState:
    path: str = ""
    stamp: tuple[object, ...] = (0.0, 0, "")
    papers: dict[str, Paper] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    by_slug: dict[str, str] = field(default_factory=dict)  # page name -> key
    cache: EntryCache = field(default_factory=EntryCache)  # for the next parse of the file

    def __post_init__(self) -> None:
        self.by_slug = {paper.slug: key for key, paper in self.papers.items()}


class PortfolioXRefRole(XRefRole):
    """``{paper}`key` `` and friends: cross-references into the portfolio domain."""

    def __init__(self, reftype: str) -> None:
        super().__init__(innernodeclass=nodes.inline, warn_dangling=True)
        self._reftype = reftype

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.refdomain, self.reftype = "portfolio", self._reftype
        self.classes = ["xref", "portfolio", f"portfolio-{self._reftype}"]
        return self.create_xref_node()


class PortfolioDomain(Domain):
    name = "portfolio"
    label = "Research portfolio"
    object_types = {  # noqa: RUF012 (Sphinx's API)
        "paper": ObjType("paper", "paper", "ref"),
        "project": ObjType("project", "project", "ref"),
        "news": ObjType("news item", "news", "ref"),
    }
    roles = {  # noqa: RUF012
        "paper": PortfolioXRefRole("paper"),
        "project": PortfolioXRefRole("project"),
        "news": PortfolioXRefRole("news"),
    }
    initial_data = {  # noqa: RUF012
        "bib": BibState(),
        "paper_dir": default("portfolio_paper_dir"),
        "projects": {},  # id -> Project
        "news": {},  # id -> NewsItem
        "mentions": {},  # docname -> list[Mention]
        "consumers": {},  # docname -> set of topics it renders ("news", "projects")
        "listings": {},  # docname -> list of PaperFilter: which papers the page shows
        "news_lists": {},  # docname -> list of NewsSpec: which news items the page shows
        "cv": None,  # the CV file's facts (portfolio.cv.CV), read once per build
    }
    data_version = 7

    # -- typed accessors ------------------------------------------------------
    @property
    def bib(self) -> BibState:
        return cast(BibState, self.data["bib"])

    @property
    def papers(self) -> dict[str, Paper]:
        return self.bib.papers

    @property
    def projects(self) -> dict[str, Project]:
        return cast(dict[str, Project], self.data["projects"])

    @property
    def news(self) -> dict[str, NewsItem]:
        return cast(dict[str, NewsItem], self.data["news"])

    @property
    def mentions(self) -> dict[str, list[Mention]]:
        return cast(dict[str, list[Mention]], self.data["mentions"])

    @property
    def consumers(self) -> dict[str, set[str]]:
        return cast(dict[str, set[str]], self.data["consumers"])

    def paper_docname(self, key: str) -> str:
        """Document of a paper's page: its key made safe for a file name and URL."""
        paper = self.papers.get(key)
        return f"{self.data['paper_dir']}/{paper.slug if paper else key}"

    def paper_of_doc(self, docname: str) -> Paper | None:
        """The paper whose generated page is ``docname``, if it is one."""
        prefix = self.data["paper_dir"] + "/"
        if not docname.startswith(prefix):
            return None
        key = self.bib.by_slug.get(docname[len(prefix) :])
        return self.papers[key] if key is not None else None

    def mentions_of(self, key: str) -> list[Mention]:
        found = {(m.docname, m.anchor): m for ms in self.mentions.values() for m in ms if m.paper == key}
        return [found[k] for k in sorted(found)]

    def note_mention(self, mention: Mention) -> None:
        self.mentions.setdefault(mention.docname, []).append(mention)

    def note_listing(self, docname: str, spec: PaperFilter) -> None:
        self.data["listings"].setdefault(docname, []).append(spec)

    def note_news_list(self, docname: str, spec: NewsSpec) -> None:
        self.data["news_lists"].setdefault(docname, []).append(spec)

    def note_consumer(self, docname: str, topic: str) -> None:
        self.consumers.setdefault(docname, set()).add(topic)

    def news_text(self, item: NewsItem) -> str:
        """A news item's text as readers see it, for every output that is not its own page
        (feeds, inventory, "Mentioned in", excerpts, previews): a ``{paper}`` or
        ``{project}`` reference reads as its title, never as its key."""
        return " ".join(" ".join(self._plain(child) for child in item.body).split())

    def news_title(self, item: NewsItem) -> str:
        """The item's ``:title:``, or the first sentence of its text."""
        return item.title or first_sentence(self.news_text(item))

    def _plain(self, node: nodes.Node) -> str:
        if isinstance(node, pending_xref) and node.get("refdomain") == "portfolio":
            found = self._lookup(node["reftype"], node["reftarget"])
            if found is not None and not node.get("refexplicit"):
                return found[2]
        if isinstance(node, nodes.Text):
            return str(node)
        if isinstance(node, nodes.Element):
            return "".join(self._plain(child) for child in node.children)
        return ""

    def mention_label(self, mention: Mention) -> str:
        """What a "Mentioned in" list says of a mention: a news item by its title."""
        if mention.anchor.startswith("news-"):
            item = self.news.get(mention.anchor.removeprefix("news-"))
            if item is not None and item.docname == mention.docname:
                return self.news_title(item)
        return mention.label

    def news_sorted(self) -> list[NewsItem]:
        return sorted(self.news.values(), key=lambda n: n.sort_key)

    # -- Domain API -----------------------------------------------------------
    def clear_doc(self, docname: str) -> None:
        for table in (self.projects, self.news):
            for key in [k for k, v in table.items() if v.docname == docname]:
                del table[key]
        self.mentions.pop(docname, None)
        self.consumers.pop(docname, None)
        self.data["listings"].pop(docname, None)
        self.data["news_lists"].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for table in ("projects", "news"):
            for key, value in otherdata[table].items():
                if value.docname in wanted:
                    other = self.data[table].get(key)
                    if other is not None and other.docname != value.docname:
                        # workers finish in any order: the first declaration is the one a
                        # serial build reads first (documents are read in name order)
                        first, again = sorted((other, value), key=lambda x: (x.docname, x.line))
                        subtype = Subtype.news_duplicate if table == "news" else Subtype.project_duplicate
                        message = duplicate_message(self.env, table, key, first)
                        warn(subtype, message, (again.docname, again.line))
                        self.data[table][key] = first
                        continue
                    self.data[table][key] = value
        for table in ("mentions", "consumers", "listings", "news_lists"):
            for docname, value in otherdata[table].items():
                if docname in wanted:
                    self.data[table][docname] = value

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for key, paper in self.papers.items():
            yield key, paper.title, "paper", self.paper_docname(key), "", 1
        for pid, project in self.projects.items():
            yield pid, project.title, "project", project.docname, "", 1
        for nid, item in self.news.items():
            yield nid, self.news_title(item), "news", item.docname, item.anchor, 1

    def _lookup(self, typ: str, target: str) -> tuple[str, str, str] | None:
        """(docname, anchor, title) of an object, or None."""
        if typ == "paper" and target in self.papers:
            return self.paper_docname(target), "", self.papers[target].title
        if typ == "project" and target in self.projects:
            p = self.projects[target]
            return p.docname, "", p.title
        if typ == "news" and target in self.news:
            n = self.news[target]
            return n.docname, n.anchor, self.news_title(n)
        return None

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        found = self._lookup(typ, target)
        if found is None:
            return None  # reported by warn_missing() below, with our own subtype
        docname, anchor, title = found
        if not node.get("refexplicit"):
            contnode = nodes.inline(title, title, classes=contnode["classes"])
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        results: list[tuple[str, nodes.reference]] = []
        for typ in ("paper", "project", "news"):
            found = self._lookup(typ, target)
            if found:
                docname, anchor, title = found
                ref = make_refnode(builder, fromdocname, docname, anchor, contnode, title)
                results.append((f"portfolio:{typ}", ref))
        return results


def warn_missing(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """One typed, located warning for an unknown paper, project or news id (instead of
    Sphinx's generic "reference target not found")."""
    if domain.name != "portfolio":
        return None
    if node.get("portfolio_copy"):  # an excerpt of a news item: reported where it is declared
        return True
    typ, target = node["reftype"], node["reftarget"]
    portfolio = cast(PortfolioDomain, domain)
    subtype = {
        "paper": Subtype.unknown_paper,
        "project": Subtype.unknown_project,
        "news": Subtype.unknown_news,
    }[typ]
    known: dict[str, list[str]] = {
        "paper": list(portfolio.papers),
        "project": list(portfolio.projects),
        "news": list(portfolio.news),
    }
    hint = suggest(target, known[typ])
    warn(subtype, f"unknown {typ} {target!r}{hint}; {subtype.fix[0].lower()}{subtype.fix[1:]}", node)
    return True


def duplicate_message(env: BuildEnvironment, table: str, key: str, first: NewsItem | Project) -> str:
    return model_duplicate_message(table, key, where(env, first.docname, first.line))


def first_sentence(text: str, limit: int = 120) -> str:
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = m.group(1) if m else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def get_domain(env: BuildEnvironment) -> PortfolioDomain:
    return cast(PortfolioDomain, env.get_domain("portfolio"))


# -- parallel reading ------------------------------------------------------------
# With -j, Sphinx forks readers, and each sends the whole environment back, pickled, once per
# chunk of pages: the parsed refs.bib twice over (ours, and sphinxcontrib-bibtex's pybtex data),
# though no reader changes either.  At 1,000 papers that was a third of a second of unpickling
# per chunk, in the main process, which made -j 2 slower than -j 1.  Lent objects travel back
# by reference instead: their id, which names the same object in the main process (a fork
# keeps addresses).  Only a reader does that; the main process pickles them in full.
_LENT: dict[int, object] = {}
_LENDER = [0]  # the pid of the build that lent them


def _returned(ident: int) -> object:
    return _LENT[ident]


def _reduce(obj: object) -> Any:
    if os.getpid() != _LENDER[0] and _LENT.get(id(obj)) is obj:
        return _returned, (id(obj),)
    return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def lend_to_readers(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: the parsed refs.bib comes back from readers by reference."""
    _LENT.clear()
    if app.parallel < 2 or not docnames:
        return
    bibdata = env.domains["cite"].data.get("bibdata") if "cite" in env.domains else None
    for obj in (get_domain(env).bib, getattr(bibdata, "data", None)):
        if obj is not None:
            _LENT[id(obj)] = obj
            copyreg.pickle(type(obj), _reduce)
    _LENDER[0] = os.getpid()


def end_lending(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: every reader is done."""
    _LENT.clear()
