"""Filters on a publications list (``:filters:``): a visitor narrows the list by free text
(title, authors, venue), year, type, topic and project, and the view lives in the URL.

The build writes every entry, with its facets as ``data-*`` attributes, and the form; the
script (``_static/portfolio-filters.js``) only shows and hides.  Without JavaScript the page
is the full list and the form and the facet links stay hidden (a class set by a one-line
script just before the form shows them before they are painted, so nothing moves when the
filter script runs).

The facets come from ``refs.bib`` (year, entry type, ``keywords``) and from the project
pages (the projects whose front matter lists the paper); a project page links to the list
filtered to it."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

from ..bib import Paper
from ..config import topic_name
from ..domain import PortfolioDomain, get_domain
from ..nodes import pending_filter_link
from ..output import relative_uri

#: Readable names of the kinds of paper, in the order the Type filter lists them.
KIND_NAMES = {
    "journal": "Journal article",
    "conference": "Conference paper",
    "preprint": "Preprint",
    "chapter": "Book chapter",
    "book": "Book",
    "thesis": "Thesis",
    "report": "Report",
    "patent": "Patent",
    "web": "Web page",
    "other": "Other",
}
#: consumer topics (PortfolioDomain.note_consumer): the page with the filtered list, the
#: pages that link to it (project pages)
LIST, LINK = "filter-list", "filter-link"
#: a list longer than this lays out only the entries on screen (portfolio.css)
LONG = 100
#: runs just after the form is parsed, before anything below it is: shows the filters (and
#: the entries' facet links) only where scripts run, and the form only whole (a form painted
#: half-parsed, on a slow network, spreads its first fields over the row, and they move when
#: the rest arrive)
SHOW_FILTERS = 'document.documentElement.classList.add("portfolio-js");'
#: folds long author lists where scripts run; set in the head, before any list is drawn (a
#: class of its own: ``portfolio-js`` shows the filters' form, which must wait until whole)
FOLD_AUTHORS = 'document.documentElement.classList.add("portfolio-folding");'


class paper_item(nodes.list_item):  # noqa: N801 (docutils naming)
    """An entry of a filterable list; HTML: ``<li data-year data-type data-topics data-projects>``."""


def visit_paper_item(self: HTML5Translator, node: paper_item) -> None:
    data = {f"data-{name}": value for name, value in node["facets"].items()}
    self.body.append(self.starttag(node, "li", "", **data))


def depart_paper_item(self: HTML5Translator, node: paper_item) -> None:
    self.body.append("</li>\n")


def topic_token(keyword: str) -> str:
    """A keyword as one token of ``data-topics`` and of the URL (``?topic=...``)."""
    return nodes.make_id(keyword) or "topic"


def topics_of(paper: Paper) -> list[str]:
    return [k for k in paper.keywords if k != "selected"]


def projects_by_paper(domain: PortfolioDomain) -> dict[str, list[str]]:
    """Paper key -> the ids of the projects that list it, in project-title order."""
    out: dict[str, list[str]] = {}
    for project in sorted(domain.projects.values(), key=lambda p: (p.name.casefold(), p.id)):
        for key in project.papers:
            out.setdefault(key, []).append(project.id)
    return out


def facets(paper: Paper, projects: list[str]) -> dict[str, str]:
    return {
        "year": str(paper.year),
        "type": paper.kind,
        "topics": " ".join(topic_token(k) for k in topics_of(paper)),
        "projects": " ".join(projects),
    }


def tags(
    paper: Paper, projects: list[str], domain: PortfolioDomain, config: Config
) -> nodes.paragraph | None:
    """The entry's topics and projects as links that apply that filter."""
    links: list[tuple[str, str, str]] = []
    for keyword in topics_of(paper):
        name = topic_name(config, keyword)
        links.append((name, f"?topic={quote(topic_token(keyword))}", f"Show only the papers on {name}"))
    for pid in projects:
        name = domain.projects[pid].name
        links.append((name, f"?project={quote(pid)}", f"Show only the papers of {name}"))
    if not links:
        return None
    para = nodes.paragraph(classes=["portfolio-tags"])
    for i, (text, uri, title) in enumerate(links):
        if i:
            para += nodes.Text(" ")
        para += nodes.reference(text, text, refuri=uri, reftitle=title, classes=["portfolio-tag"])
    return para


def filterable(item: nodes.list_item, paper: Paper, projects: list[str], domain: PortfolioDomain,
               config: Config) -> paper_item:  # fmt: skip
    """The entry as a filterable item: the same content, its facets, its tags."""
    out = paper_item("", *item.children, ids=item["ids"], classes=item["classes"])
    out["facets"] = facets(paper, projects)
    para = tags(paper, projects, domain, config)
    if para is not None:
        out += para
    return out


def _select(name: str, label: str, everything: str, options: Iterable[tuple[str, str]]) -> str:
    opts = [f'<option value="">{html.escape(everything)}</option>']
    opts += [f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in options]
    return (
        f'<div class="portfolio-filter"><label for="pf-{name}">{label}</label>'
        f'<select id="pf-{name}" name="{name}">{"".join(opts)}</select></div>'
    )


def form_html(papers: list[Paper], domain: PortfolioDomain, config: Config) -> str:
    """The filter form for the papers of one list: only the values they have."""
    years = sorted({p.year for p in papers}, reverse=True)
    kinds = [k for k in KIND_NAMES if any(p.kind == k for p in papers)]
    topics = {topic_token(k): topic_name(config, k) for p in papers for k in topics_of(p)}
    keys = {p.key for p in papers}
    projects = sorted(
        (p for p in domain.projects.values() if keys.intersection(p.papers)),
        key=lambda p: (p.name.casefold(), p.id),
    )
    parts = [
        '<div class="portfolio-filter portfolio-filter-text"><label for="pf-q">Filter</label>'
        '<input type="search" id="pf-q" name="q" placeholder="Title, author or venue" '
        'spellcheck="false"></div>',
        _select("year", "Year", "All years", ((str(y), str(y)) for y in years)),
        _select("type", "Type", "All types", ((k, KIND_NAMES[k]) for k in kinds)),
        _select("topic", "Topic", "All topics", sorted(topics.items(), key=lambda t: t[1].casefold())),
        _select("project", "Project", "All projects", ((p.id, p.name) for p in projects)),
        '<button type="reset" class="portfolio-filter-clear">Clear filters</button>',
        # the count as shown (at once) and as announced (once typing pauses)
        f'<p class="portfolio-filter-count" aria-hidden="true" data-total="{len(papers)}"></p>',
        '<p class="portfolio-filter-status portfolio-sr-only" role="status" aria-atomic="true"></p>',
    ]
    return (
        '<form class="portfolio-filters" role="search" aria-label="Filter the publications" '
        f'autocomplete="off">{"".join(parts)}</form>\n'
        f"<script>{SHOW_FILTERS}</script>\n"
    )


def filtered_list_uri(env: BuildEnvironment, fromdoc: str, project: str) -> str:
    """The publication list filtered to ``project``, as seen from ``fromdoc``: the first page
    (by name) whose list has filters; "" when no page has one.  The page that links to it
    notes itself a consumer of :data:`LINK`, so it is written again when that changes."""
    domain = get_domain(env)
    pages = sorted(d for d, topics in domain.consumers.items() if LIST in topics)
    return f"{relative_uri(env, fromdoc, pages[0])}?project={quote(project)}" if pages else ""


class FillFilterLinks(SphinxPostTransform):
    """A project page's link to the publication list filtered to the project."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(pending_filter_link)):
            uri = filtered_list_uri(self.env, self.env.docname, node["project"])
            if not uri:
                node.parent.remove(node)
                continue
            text = "Find them in the publication list"
            para = nodes.paragraph(classes=["portfolio-filter-link"])
            para += nodes.reference(text, text, refuri=uri)
            node.replace_self(para)


def add_filter_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    if doctree is None or LIST not in get_domain(app.env).consumers.get(pagename, set()):
        return
    app.add_js_file("portfolio-filters.js", defer="defer")


def add_authors_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Pages with a folded author list load the script of its button, and set the class that
    folds it in their head, before the list is drawn (nothing moves when the page loads)."""
    if 'class="portfolio-more"' not in context.get("body", ""):
        return
    # in the head (the theme puts script files at the end of the body, after the lists)
    context["metatags"] = context.get("metatags", "") + f"\n<script>{FOLD_AUTHORS}</script>"
    app.add_js_file("portfolio-authors.js", defer="defer")


def setup_filters(app: Sphinx) -> None:
    app.add_node(paper_item, html=(visit_paper_item, depart_paper_item))
    app.add_post_transform(FillFilterLinks)
