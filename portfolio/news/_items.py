"""News: dated items written with the ``news`` directive, grouped by year on their page,
excerpted anywhere with ``news-list``, and published as an Atom feed (see feeds.py).

Why a directive and not one page per item: a news item is usually one sentence, so one
file each would bury the maintainer in files and give every sentence a page of its own;
a directive keeps all items in one editable page while still giving each a permanent
anchor (``news.html#news-<id>``) derived from its explicit ``:id:``, never from its
position or text, so it does not move when newer items arrive or the wording changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..bib import MONTH_ABBR
from ..domain import PortfolioDomain, duplicate_message, get_domain
from ..model import Mention, NewsItem, NewsSpec, date_problem, id_problem, news_order, read_news_date
from ..nodes import news_date, news_item, pending_news
from ..output import relative_uri
from ..warnings_ import Subtype, warn


def date_label(date: tuple[int, int, int]) -> str:
    year, month, day = date
    if day:
        return f"{day} {MONTH_ABBR[month - 1]} {year}"
    if month:
        return f"{MONTH_ABBR[month - 1]} {year}"
    return str(year)


def date_iso(date: tuple[int, int, int]) -> str:
    year, month, day = date
    return "-".join(f"{v:02d}" if i else str(v) for i, v in enumerate((year, month, day)) if v)


def _keys(arg: str | None) -> tuple[str, ...]:
    return tuple(k for k in re.split(r"[\s,]+", arg or "") if k)


class News(SphinxDirective):
    """A news item::

    :::{news} 2024-09
    :id: neurips-2024
    :papers: lovelace1843notes
    :projects: engine
    :tags: award
    Four papers accepted at NeurIPS 2024.
    :::
    """

    required_arguments = 0
    optional_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "id": directives.unchanged_required,
        "title": directives.unchanged_required,
        "papers": directives.unchanged,
        "projects": directives.unchanged,
        "tags": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        domain = get_domain(self.env)
        raw_date = self.arguments[0] if self.arguments else ""
        date = read_news_date(raw_date)
        item_id = self.options.get("id", "")
        if date is None or date_problem(raw_date):
            warn(Subtype.news_date, date_problem(raw_date), self.get_location())
            return []
        if id_problem(raw_date, item_id):
            warn(Subtype.news_id, id_problem(raw_date, item_id), self.get_location())
            return []
        if item_id in domain.news:
            other = domain.news[item_id]
            warn(
                Subtype.news_duplicate,
                duplicate_message(self.env, "news", item_id, other),
                self.get_location(),
            )
            return []

        node = news_item(ids=[f"news-{item_id}"], classes=["portfolio-news-item"])
        node["portfolio_date"] = date
        node["portfolio_order"] = news_order(date, self.env.docname, self.lineno)
        when = news_date(date_label(date), date_label(date), datetime=date_iso(date))
        body = nodes.container(classes=["portfolio-news-body"])
        self.state.nested_parse(self.content, self.content_offset, body)
        self.set_source_info(node)
        head = nodes.paragraph(classes=["portfolio-news-date"])
        head += when
        node += head
        node += body
        text = " ".join(body.astext().split())
        papers, projects = _keys(self.options.get("papers")), _keys(self.options.get("projects"))
        for key in papers:  # checked against refs.bib once every page is read (checks.py)
            domain.note_mention(Mention(key, self.env.docname, f"news-{item_id}", "", self.lineno))
        domain.news[item_id] = NewsItem(
            id=item_id,
            docname=self.env.docname,
            line=self.lineno,
            date=date,
            title=self.options.get("title", ""),
            text=text,
            body=tuple(cast(nodes.Element, c.deepcopy()) for c in body.children),
            papers=papers,
            projects=projects,
            tags=_keys(self.options.get("tags")),
        )
        # its display name is set once every page is read (name_news_labels): it may name
        # papers and projects by their titles
        self.env.domains.standard_domain.note_hyperlink_target(
            f"news-{item_id}", self.env.docname, f"news-{item_id}", date_label(date)
        )
        return [node]


def name_news_labels(app: Sphinx, env: Any) -> None:
    """Give each news item's ``std:label`` the text readers see ("Jul 2025: New preprint: A
    Survey on Latent Reasoning"), once every page (and so every project) is known."""
    domain = get_domain(env)
    labels = env.domains.standard_domain.labels
    for item in domain.news.values():
        if item.anchor in labels:
            docname, labelid, _ = labels[item.anchor]
            labels[item.anchor] = (docname, labelid, f"{date_label(item.date)}: {domain.news_title(item)}")


class GroupNewsByYear(SphinxTransform):
    """On the page that declares news items, put them in one section per year, newest first."""

    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        items = list(self.document.findall(news_item))
        if not items:
            return
        parent = items[0].parent
        index = parent.index(items[0])
        for item in items:
            item.parent.remove(item)
        by_year: dict[int, list[news_item]] = defaultdict(list)
        for item in items:
            by_year[item["portfolio_date"][0]].append(item)
        sections = []
        for year in sorted(by_year, reverse=True):
            section = nodes.section(ids=[f"year-{year}"], names=[f"year-{year}"])
            section += nodes.title(str(year), str(year))
            ordered = sorted(by_year[year], key=lambda n: n["portfolio_order"])
            section.extend(ordered)
            sections.append(section)
        parent[index:index] = sections


class NewsList(SphinxDirective):
    """The latest news items, from wherever they are declared: ``:limit:``, ``:project:``,
    ``:paper:``; shows a line per item linking to its permalink."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "limit": directives.positive_int,
        "project": directives.unchanged_required,
        "paper": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        spec = NewsSpec(
            self.options.get("limit", 0), self.options.get("project", ""), self.options.get("paper", "")
        )
        get_domain(self.env).note_news_list(self.env.docname, spec)
        node = pending_news(limit=spec.limit, project=spec.project, paper=spec.paper)
        self.set_source_info(node)
        return [node]


def select_news(domain: PortfolioDomain, spec: NewsSpec) -> list[NewsItem]:
    """The items a news list shows: newest first, filtered by project or paper, limited."""
    items = domain.news_sorted()
    if spec.project:
        project = domain.projects.get(spec.project)
        papers = set(project.papers) if project else set()
        items = [n for n in items if spec.project in n.projects or papers & set(n.papers)]
    elif spec.paper:
        items = [n for n in items if spec.paper in n.papers]
    return items[: spec.limit] if spec.limit else items


class FillNewsLists(SphinxPostTransform):
    default_priority = 5  # before references in the copied bodies are resolved

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        for node in list(self.document.findall(pending_news)):
            items = select_news(domain, NewsSpec(node["limit"], node["project"], node["paper"]))
            if not items:
                text = "No news yet."
                node.replace_self(nodes.paragraph(text, text, classes=["portfolio-no-news"]))
                continue
            lst = nodes.bullet_list(classes=["portfolio-news-list"])
            for item in items:
                lst += self._entry(item)
            node.replace_self(lst)

    def _entry(self, item: NewsItem) -> nodes.list_item:
        uri = relative_uri(self.env, self.env.docname, item.docname, item.anchor)
        when = news_date(date_label(item.date), date_label(item.date), datetime=date_iso(item.date))
        para = nodes.paragraph(classes=["portfolio-news-line"])
        para += nodes.reference("", "", when, refuri=uri, internal=True, classes=["portfolio-permalink"])
        para += nodes.Text(" — ")
        first = item.body[0].deepcopy() if item.body else nodes.paragraph(text=item.text)
        para.extend(first.children if isinstance(first, nodes.paragraph) else [first])
        for ref in para.findall(pending_xref):
            ref["refdoc"] = self.env.docname
            ref["portfolio_copy"] = True  # checked where the item is declared, not again here
        return nodes.list_item("", para)


def setup_items(app: Sphinx) -> None:
    app.add_directive("news", News)
    app.add_directive("news-list", NewsList)
    app.add_transform(GroupNewsByYear)
    app.add_post_transform(FillNewsLists)
