"""Projects: a page's ``project:`` front matter becomes a header card, automatic
"Papers", "News" and "Related projects" sections, and a card on project overviews."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .. import papers as render
from ..bib import Paper
from ..domain import duplicate_message, get_domain
from ..model import Mention, NewsSpec, PaperFilter, Project, front_matter_line, project_from_meta
from ..nodes import pending_filter_link, pending_news, pending_projects
from ..output import app_of, relative_uri
from ..papers import LINK, filtered_list_uri
from ..warnings_ import Subtype, warn
from ._repository import link_here_section


def _front_matter(document: nodes.document) -> tuple[dict[str, Any] | None, int]:
    for docinfo in document.findall(nodes.docinfo):
        for fld in docinfo.findall(nodes.field):
            if fld[0].astext() == "project":
                raw = fld[1].astext()
                try:
                    value = json.loads(raw)
                except ValueError:
                    value = raw
                return (value if isinstance(value, dict) else {"__invalid__": value}), fld.line or 1
    return None, 0


class ProjectFrontMatter(SphinxTransform):
    """Turn ``project:`` front matter into the page's project card and sections."""

    default_priority = 600  # before doctree-read, so the sections reach the page's TOC

    def apply(self, **kwargs: Any) -> None:
        meta, line = _front_matter(self.document)
        if meta is None:
            return
        docname = self.env.docname
        location = (docname, line)
        project = self._validate(meta, location)
        if project is None:
            return
        domain = get_domain(self.env)
        if project.id in domain.projects:
            other = domain.projects[project.id]
            warn(
                Subtype.project_duplicate,
                duplicate_message(self.env, "project", project.id, other),
                location,
            )
            return
        domain.projects[project.id] = project
        domain.note_listing(docname, PaperFilter(keys=project.papers))
        domain.note_news_list(docname, NewsSpec(project=project.id))
        for key in project.papers:
            domain.note_mention(Mention(key, docname, "", "", line))
        self.env.domains.standard_domain.note_hyperlink_target(project.id, docname, "", project.title)
        top = next(iter(self.document.findall(nodes.section)), None)
        if top is None:
            return
        title_index = 1 if top.children and isinstance(top[0], nodes.title) else 0
        top.insert(title_index, self._card(project))
        papers = [domain.papers[k] for k in project.papers if k in domain.papers]
        papers_in_order = list(papers)  # the first is the project's main paper
        sections: list[nodes.section] = []
        if project.papers:
            section = _section("project-papers", "Papers")
            papers.sort(key=lambda p: (-p.year, p.title.casefold()))
            section += render.paper_list(
                papers, render.people_of(self.config), self.config.portfolio_author_limit
            )
            # the publication list filtered to this project, if the site has one (FillFilterLinks)
            section += pending_filter_link(project=project.id)
            domain.note_consumer(docname, LINK)
            sections.append(section)
        section = _section("project-news", "News")
        section += pending_news(limit=0, project=project.id, paper="")  # see note_news_list
        sections.append(section)
        if project.related:
            section = _section("related-projects", "Related projects")
            lst = nodes.bullet_list()
            for pid in project.related:
                ref = pending_xref(
                    "",
                    nodes.inline(pid, pid),
                    refdomain="portfolio",
                    reftype="project",
                    reftarget=pid,
                )
                ref.line = line
                ref["refdoc"] = docname
                lst += nodes.list_item("", nodes.paragraph("", "", ref))
            section += lst
            sections.append(section)
        sections.append(
            link_here_section(app_of(self.env), project, papers_in_order[0] if papers_in_order else None)
        )
        # generated sections go before a closing "References" section, if the page has one
        refs = [
            i for i, c in enumerate(top.children) if isinstance(c, nodes.section) and "references" in c["ids"]
        ]
        at = refs[-1] if refs else len(top.children)
        top[at:at] = sections

    def _validate(self, meta: dict[str, Any], location: tuple[str, int]) -> Project | None:
        title = next(iter(self.document.findall(nodes.title)), None)
        project, problem, key = project_from_meta(meta, self.env.docname, title.astext() if title else "")
        if problem:
            source = self.env.doc2path(self.env.docname)
            line = (
                front_matter_line(source.read_text(encoding="utf-8"), key)
                if source.is_file()
                else location[1]
            )
            warn(Subtype.project_metadata, problem, (location[0], line))
        if project is None:
            return None
        years = year_span([p for k in project.papers if (p := get_domain(self.env).papers.get(k))])
        return dataclasses.replace(project, line=location[1], years=years)

    def _card(self, project: Project) -> nodes.container:
        card = nodes.container(classes=["portfolio-project-card"])
        if project.tagline:
            card += nodes.paragraph(project.tagline, project.tagline, classes=["portfolio-tagline"])
        facts = [f for f in (project.years, project.status) if f]
        if facts:
            text = " · ".join(facts)
            card += nodes.paragraph(text, text, classes=["portfolio-project-facts"])
        links = nodes.paragraph(classes=["portfolio-links"])
        buttons = [("Code", project.repository), ("Website", project.website)]
        buttons += [(f"Model: {label}", url) for label, url in project.models]
        for label, url in buttons:
            if url:
                if len(links):
                    links += nodes.Text(" ")
                links += nodes.reference(label, label, refuri=url, classes=["portfolio-button"])
        if len(links):
            card += links
        return card


def _section(ident: str, title: str) -> nodes.section:
    section = nodes.section(ids=[ident], names=[ident])
    section += nodes.title(title, title)
    return section


class ProjectCards(SphinxDirective):
    """Cards for projects: every project, or the ids given in ``:projects:`` in that order."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"projects": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).note_consumer(self.env.docname, "projects")
        get_domain(self.env).note_consumer(self.env.docname, LINK)  # each card's filtered list
        ids = [p for p in re.split(r"[\s,]+", self.options.get("projects", "")) if p]
        node = pending_projects(projects=ids)
        self.set_source_info(node)
        return [node]


class FillProjectCards(SphinxPostTransform):
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        for node in list(self.document.findall(pending_projects)):
            if node["projects"]:
                projects = []
                for pid in node["projects"]:
                    if pid in domain.projects:
                        projects.append(domain.projects[pid])
                    else:
                        warn(
                            Subtype.unknown_project,
                            f"unknown project {pid!r} in project-cards",
                            node,
                        )
            else:
                projects = projects_in_toctree_order(self.env)
            row = nodes.container(
                classes=[
                    "sd-row",
                    "sd-row-cols-1",
                    "sd-row-cols-sm-2",
                    "sd-row-cols-md-3",
                    "sd-g-3",
                ]
            )
            for project in projects:
                row += self._card(project)
            grid = nodes.container(
                classes=["sd-container-fluid", "sd-sphinx-override", "sd-mb-4", "portfolio-cards"]
            )
            grid += row
            node.replace_self(grid)

    def _card(self, project: Project) -> nodes.container:
        uri = relative_uri(self.env, self.env.docname, project.docname)
        title = nodes.paragraph(classes=["sd-card-title", "sd-font-weight-bold"])
        title += nodes.reference(project.name, project.name, refuri=uri, internal=True)
        body = nodes.container(classes=["sd-card-body"])
        body += title
        if project.tagline:
            body += nodes.paragraph(project.tagline, project.tagline, classes=["sd-card-text"])
        facts = " · ".join(f for f in (project.years, project.status) if f)
        if facts:
            body += nodes.paragraph(facts, facts, classes=["sd-card-text", "portfolio-project-facts"])
        count = sum(key in get_domain(self.env).papers for key in project.papers)
        uri = filtered_list_uri(self.env, self.env.docname, project.id) if count else ""
        if uri:  # its papers in the publication list, filtered to the project
            text = f"{count} paper{'s' if count != 1 else ''}"
            link = nodes.reference(text, text, refuri=uri, internal=True)
            body += nodes.paragraph("", "", link, classes=["sd-card-text", "portfolio-card-papers"])
        card = nodes.container(
            classes=["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "portfolio-card"]
        )
        card += body
        col = nodes.container(classes=["sd-col", "sd-d-flex-row"])
        col += card
        return col


def projects_in_toctree_order(env: Any) -> list[Project]:
    """Every project in the order the site's toctrees list its page (the projects page's
    toctree, flagship first); a project in no toctree comes last, by name."""
    position: dict[str, int] = {}

    def walk(docname: str) -> None:
        for child in env.toctree_includes.get(docname, []):
            if child not in position:
                position[child] = len(position)
                walk(child)

    walk(env.config.root_doc)
    projects = get_domain(env).projects.values()
    return sorted(projects, key=lambda p: (position.get(p.docname, len(position)), p.name.casefold()))


def year_range(papers: list[Paper]) -> tuple[int, int] | None:
    """One rule for every project: from its papers' first public version (the arXiv
    listing's year, or the paper's) to the latest paper's year; None without papers."""
    if not papers:
        return None
    first = min(
        min(p.year, 2000 + int(p.arxiv[:2])) if re.match(r"\d{4}\.", p.arxiv) else p.year for p in papers
    )
    return first, max(p.year for p in papers)


def year_span(papers: list[Paper]) -> str:
    """The years a project's page shows (``year_range``): "2022\u20132024" or "2024"."""
    span = year_range(papers)
    if span is None:
        return ""
    first, last = span
    return f"{first}\u2013{last}" if last > first else str(first)


def setup_projects(app: Sphinx) -> None:
    app.add_transform(ProjectFrontMatter)
    app.add_directive("project-cards", ProjectCards)
    app.add_post_transform(FillProjectCards)
