"""Lists of papers: the ``publications`` directive (grouped by year, type or topic, with
counts, exports and filters), rendered when its page is written (``fill_paper_lists``), and
what decides whether a changed entry only rewrites a list's page or reads it again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from ..bib import Paper
from ..config import topic_name
from ..domain import get_domain
from ..model import PaperFilter
from ..nodes import pending_papers
from . import _filters as filters
from . import _prerender as prerender
from . import _render as render

#: the ``group`` of the placeholder that becomes a list's filter form
FORM = "\0filters"


def select_papers(papers: Iterable[Paper], spec: PaperFilter) -> list[Paper]:
    """The papers a publications list shows, newest first (then by title), limited."""
    shown = sorted(
        (p for p in papers if spec.shows(p)), key=lambda p: (-p.year, -(p.month or 0), p.title.casefold())
    )
    return shown[: spec.limit] if spec.limit else shown


#: ``:group-by: type``: the groups a CV has, in its order (every other kind is "other")
TYPE_GROUPS = {
    "journal": "Journal articles",
    "conference": "Conference papers",
    "preprint": "Preprints",
    "other": "Other publications",
}


def group_papers(papers: list[Paper], group_by: str) -> dict[str, list[Paper]]:
    """Papers by year, by type (``TYPE_GROUPS``), or by topic (each of its keywords but
    "selected"; "other" if none)."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if group_by == "year":
            groups[str(paper.year)].append(paper)
        elif group_by == "type":
            groups[paper.kind if paper.kind in TYPE_GROUPS else "other"].append(paper)
        else:
            for topic in [k for k in paper.keywords if k != "selected"] or ["other"]:
                groups[topic].append(paper)
    return groups


def group_sections(
    config: Any, papers: list[Paper], group_by: str, fields: dict[str, Any], prefix: str = ""
) -> list[nodes.section]:
    """One section per group, titled, with the placeholder its entries fill when the page is
    written (``fill_paper_lists``); ``prefix`` makes the sections' ids unique on the page."""
    groups = group_papers(papers, group_by)
    if group_by == "year":
        order = sorted(groups, reverse=True)
    elif group_by == "type":
        order = [g for g in TYPE_GROUPS if g in groups]
    else:
        order = sorted(groups)
    out = []
    for name in order:
        title = {"year": name, "type": TYPE_GROUPS.get(name, name)}.get(group_by) or topic_name(config, name)
        section = nodes.section(ids=[f"{prefix}{group_by}-{name}"], names=[], classes=["portfolio-group"])
        section += nodes.title(title, title)
        section += pending_papers(group=name, **fields)
        out.append(section)
    return out


def listing_layout(paper: Paper | None) -> tuple[object, ...]:
    """What of a paper decides a list's layout (whether and in which section it appears):
    entries that differ only elsewhere rewrite the list's page without reading it again."""
    return () if paper is None else (paper.owner, paper.year, paper.kind, paper.keywords)


def fill_paper_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The entries of each publications list, drawn when its page is written.

    On ``doctree-resolved``, after the post-transforms: a list of 1,000 entries is about
    12,000 nodes, which each of some 30 post-transforms would walk for nothing (the entries
    need none of them: their links point at the papers' pages directly)."""
    env = app.env
    domain = get_domain(env)
    projects: dict[str, list[str]] = {}  # of the filterable entries' tags, once per page
    tags: dict[str, list[str]] = {}  # the same, with the projects' names (a group's key)
    selected: dict[PaperFilter, list[Paper]] = {}  # each list's papers, once per page (not per group)
    grouped: dict[tuple[PaperFilter, str], dict[str, list[Paper]]] = {}
    for node in list(doctree.findall(pending_papers)):
        spec = PaperFilter(owner_only=node["owner_only"], keyword=node["keyword"], limit=node["limit"])
        if spec not in selected:
            selected[spec] = select_papers(domain.papers.values(), spec)
        papers = selected[spec]
        if node["group"] == FORM:
            form = filters.form_html(papers, domain, app.config)
            # not indexed for search (Sphinx indexes the text of raw HTML otherwise)
            node.replace_self(nodes.raw("", form, format="html", classes=["no-search"]))
            continue
        listed = len(papers)  # in the whole list, every group
        if node["group"]:
            if (spec, node["group_by"]) not in grouped:
                grouped[spec, node["group_by"]] = group_papers(papers, node["group_by"])
            papers = grouped[spec, node["group_by"]].get(node["group"], [])
        if node.get("filters") and not tags:
            projects = filters.projects_by_paper(domain)
            tags = {k: [f"{p}:{domain.projects[p].name}" for p in pids] for k, pids in projects.items()}
        people, limit = render.people_of(app.config), app.config.portfolio_author_limit
        options = (spec, node["group"], node["group_by"], bool(node.get("filters")), listed > filters.LONG,
                   limit, tuple(sorted(people.links.items())))  # fmt: skip
        key = prerender.group_key(app, docname, options, papers, tags if node.get("filters") else {})
        drawn = prerender.cached(app, docname, key)
        if drawn is not None:
            node.replace_self(drawn)
            continue
        lst = render.paper_list(papers, people, limit)
        if node.get("filters"):
            if listed > filters.LONG:
                lst["classes"].append("portfolio-papers-long")
            for i, paper in enumerate(papers):
                item = cast(nodes.list_item, lst[i])
                lst[i] = filters.filterable(item, paper, projects.get(paper.key, []), domain, app.config)
        # every paper listed has a page: link it here rather than through a thousand
        # pending references for the resolver
        for ref in list(lst.findall(pending_xref)):
            paper = domain.papers[ref["reftarget"]]
            todoc = domain.paper_docname(paper.key)
            ref.replace_self(make_refnode(app.builder, docname, todoc, "", ref[0], paper.title))
        node.replace_self(lst)
        prerender.keep(app, doctree, docname, key, lst)


class Publications(SphinxDirective):
    """List papers from refs.bib: ``:group-by: year|type|topic|none``, ``:selected:``, ``:all:``."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "group-by": lambda arg: directives.choice(arg, ("year", "type", "topic", "none")),
        "selected": directives.flag,
        "keyword": directives.unchanged_required,
        "all": directives.flag,
        "limit": directives.positive_int,
        "exports": directives.flag,
        "count": directives.flag,
        "filters": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        """The page's layout (count, exports, one section per group) is made here; the
        entries are rendered when the page is written (``fill_paper_lists``), so that an
        edit to an entry rewrites the page without reading it again."""
        domain = get_domain(self.env)
        keyword = "selected" if "selected" in self.options else self.options.get("keyword", "")
        limit = self.options.get("limit", 0)
        spec = PaperFilter(owner_only="all" not in self.options, keyword=keyword, limit=limit)
        domain.note_listing(self.env.docname, spec)
        papers = select_papers(domain.papers.values(), spec)
        out: list[nodes.Node] = []
        if "count" in self.options:
            n = len(papers)
            text = f"{n} publication{'s' if n != 1 else ''}, newest first."
            out.append(nodes.paragraph(text, "", nodes.Text(text), classes=["portfolio-count"]))
        if "exports" in self.options and self.config.portfolio_exports:
            out.append(self._exports())
        group_by = self.options.get("group-by", "none")
        fields = {
            "owner_only": spec.owner_only,
            "keyword": spec.keyword,
            "limit": limit,
            "group_by": group_by,
            "filters": "filters" in self.options,
        }
        if fields["filters"]:  # the form and the entries' projects come from the project pages
            domain.note_consumer(self.env.docname, filters.LIST)
            domain.note_consumer(self.env.docname, "projects")
            out.append(pending_papers(group=FORM, **fields))
        if group_by == "none":
            out.append(pending_papers(group="", **fields))
            return out
        return out + group_sections(self.config, papers, group_by, fields)

    def _exports(self) -> nodes.paragraph:
        depth = self.env.docname.count("/")
        prefix = "../" * depth
        para = nodes.paragraph(classes=["portfolio-exports"])
        para += nodes.Text("Download every entry as ")
        para += nodes.reference("BibTeX", "BibTeX", refuri=f"{prefix}publications.bib")
        para += nodes.Text(" or ")
        para += nodes.reference("CSL-JSON", "CSL-JSON", refuri=f"{prefix}publications.json")
        para += nodes.Text(" (Zotero, citation engines) or ")
        para += nodes.reference("RIS", "RIS", refuri=f"{prefix}publications.ris")
        para += nodes.Text(" (EndNote, Mendeley).")
        return para


def setup_listing(app: Sphinx) -> None:
    app.add_directive("publications", Publications)
