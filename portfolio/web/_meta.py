"""Machine-readable metadata: Google Scholar (Highwire) ``citation_*`` tags and JSON-LD
``ScholarlyArticle`` on paper pages, JSON-LD ``Person`` on the home page."""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urljoin

from docutils import nodes
from sphinx.application import Sphinx

from ..bib import Paper
from ..domain import get_domain
from ..output import base_url, is_html
from ._profiles import same_as


def _meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{html.escape(value, quote=True)}">'


def _json_ld(data: dict[str, Any]) -> str:
    # no "<", ">" or "&" at all inside the script element, whatever the fields hold
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def description(paper: Paper) -> str:
    """A unique description: our summary, or title, authors and venue."""
    if paper.summary:
        return paper.summary
    who = paper.authors_text
    return f"{paper.title}. {who}. {paper.venue + ', ' if paper.venue else ''}{paper.year}."


def highwire_tags(paper: Paper) -> list[str]:
    """Google Scholar's (Highwire Press) tags, as its inclusion guidelines and Zotero's
    Embedded Metadata reader expect them."""
    tags = [_meta("citation_title", paper.title)]
    tags += [
        _meta("citation_author", f"{a.family}, {a.given}".strip(", "))
        for a in paper.authors
        if not a.is_others
    ]
    date = f"{paper.year}/{paper.month:02d}" if paper.month else str(paper.year)
    tags.append(_meta("citation_publication_date", date))
    if paper.kind == "journal" and paper.container:
        tags.append(_meta("citation_journal_title", paper.container))
    elif paper.kind == "conference" and paper.container:
        tags.append(_meta("citation_conference_title", paper.container))
    elif paper.kind == "chapter" and paper.container:
        tags.append(_meta("citation_inbook_title", paper.container))
    elif paper.kind == "thesis" and paper.publisher:
        tags.append(_meta("citation_dissertation_institution", paper.publisher))
    elif paper.kind == "report" and paper.publisher:
        tags.append(_meta("citation_technical_report_institution", paper.publisher))
    elif paper.is_preprint:
        tags.append(_meta("citation_technical_report_institution", "arXiv"))
        tags.append(_meta("citation_technical_report_number", f"arXiv:{paper.arxiv}"))
    pages = [p.strip() for p in re.split(r"[-\u2013\u2014]+", paper.pages, maxsplit=1) if p.strip()]
    first, last = [*pages, "", ""][:2]
    for name, value in (
        ("citation_volume", paper.volume),
        ("citation_issue", paper.number if paper.kind in {"journal", "conference"} else ""),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
        ("citation_publisher", paper.publisher),
        ("citation_doi", paper.doi),
        ("citation_arxiv_id", paper.arxiv),
        ("citation_pdf_url", paper.pdf),
    ):
        if value:
            tags.append(_meta(name, value))
    return tags


def scholarly_article(paper: Paper, url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title[:110],
        "name": paper.title,
        "author": [{"@type": "Person", "name": a.display} for a in paper.authors if not a.is_others],
        "datePublished": f"{paper.year}-{paper.month:02d}" if paper.month else str(paper.year),
        "url": url,
    }
    if paper.container:
        data["isPartOf"] = {
            "@type": "Periodical" if paper.kind == "journal" else "CreativeWork",
            "name": paper.container,
        }
    if paper.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi}
    same = [url for label, url in paper.links if label in {"Paper", "PDF", "arXiv", "DOI"}]
    if same:
        data["sameAs"] = same
    if paper.summary:
        data["description"] = paper.summary
    return data


def first_paragraph(doctree: nodes.document, limit: int = 200) -> str:
    """The page's first paragraph of prose: one that stands in the page's own sections
    (not in a card, a list, a button row or a generated block), shortened at a word."""
    for para in doctree.findall(nodes.paragraph):
        if para["classes"] or not isinstance(para.parent, (nodes.section, nodes.document)):
            continue
        text = " ".join(para.astext().split())
        if len(text) >= 20:
            return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ""


def page_description(app: Sphinx, pagename: str, context: dict[str, Any], doctree: nodes.document) -> str:
    """One description per page, for the meta description and every link preview: the
    paper's summary, the project's tagline, the page's own ``description`` or its first
    paragraph; never button labels or headings."""
    domain = get_domain(app.env)
    paper = domain.paper_of_doc(pagename)
    if paper is not None:
        return description(paper)
    for project in domain.projects.values():
        if project.docname == pagename and project.tagline:
            return f"{project.name}: {project.tagline}"
    for meta in doctree.findall(nodes.meta):  # the page's own (MyST html_meta)
        if meta.get("name") == "description" and meta.get("content"):
            return str(meta["content"])
    return (
        first_paragraph(doctree)
        or f"{context.get('title', pagename)} in the research portfolio of {app.config.project}."
    )


def page_without_document(app: Sphinx, pagename: str, context: dict[str, Any]) -> list[str]:
    """Description and OpenGraph tags for pages Sphinx makes without a document (search),
    which sphinxext-opengraph does not see."""
    name = context.get("title", pagename)
    if pagename == "404":  # served at any address: no URL of its own
        text = f"This page does not exist in the research portfolio of {app.config.project}."
        tags = [_meta("description", text), _property("og:description", text)]
    else:
        url = base_url(app) + app.builder.get_target_uri(pagename)
        text = f"{name} in the research portfolio of {app.config.project}."
        tags = [
            _meta("description", text),
            _property("og:title", f"{name} | {app.config.project}"),
            _property("og:type", "website"),
            _property("og:url", url),
            _property("og:description", text),
        ]
    image = getattr(app.config, "ogp_image", None)
    if image:
        tags.append(_property("og:image", urljoin(base_url(app), image)))
        tags.append(_property("og:image:alt", app.config.ogp_image_alt or app.config.project))
    tags.extend(getattr(app.config, "ogp_custom_meta_tags", []))
    return tags


def _property(name: str, value: str) -> str:
    return f'<meta property="{name}" content="{html.escape(value, quote=True)}">'


def add_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not is_html(app):
        return
    if doctree is None:
        tags = page_without_document(app, pagename, context)
        if tags:
            context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)
        return
    domain = get_domain(app.env)
    extra: list[str] = []
    text = page_description(app, pagename, context, doctree)
    if not any(m.get("name") == "description" for m in doctree.findall(nodes.meta)):
        extra.append(_meta("description", text))
    # sphinxext-opengraph takes page fields named og:* over what it scrapes from the page
    og = {"og:description": text}
    paper = domain.paper_of_doc(pagename)
    if paper is not None or pagename == app.config.portfolio_news_page:
        og["og:type"] = "article"
    context["meta"] = {**(context.get("meta") or {}), **og}
    if paper is not None and paper.owner:
        # Scholar's inclusion guidelines: an author's site tags the author's own papers only
        url = base_url(app) + app.builder.get_target_uri(pagename)
        extra += highwire_tags(paper)
        extra.append(_json_ld(scholarly_article(paper, url)))
    elif pagename == app.config.root_doc and app.config.portfolio_person:
        person = {
            "@context": "https://schema.org",
            "@type": "Person",
            **app.config.portfolio_person,
        }
        if same_as(app.config):
            person["sameAs"] = same_as(app.config)
        if base_url(app):
            person.setdefault("url", base_url(app))
        extra.append(_json_ld(person))
    if extra:
        context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(extra)
