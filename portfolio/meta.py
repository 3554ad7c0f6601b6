"""Machine-readable metadata: Google Scholar (Highwire) ``citation_*`` tags and JSON-LD
``ScholarlyArticle`` on paper pages, JSON-LD ``Person`` on the home page."""

from __future__ import annotations

import html
import json
from typing import Any

from sphinx.application import Sphinx

from .bibfile import Paper
from .domain import get_domain
from .feeds import _is_html, base_url


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
    tags = [_meta("citation_title", paper.title)]
    tags += [_meta("citation_author", f"{a.family}, {a.given}") for a in paper.authors if not a.is_others]
    date = f"{paper.year}/{paper.month:02d}" if paper.month else str(paper.year)
    tags.append(_meta("citation_publication_date", date))
    if paper.kind == "journal" and paper.venue:
        tags.append(_meta("citation_journal_title", paper.venue))
    elif paper.kind == "conference" and paper.venue:
        tags.append(_meta("citation_conference_title", paper.venue))
    elif paper.arxiv:
        tags.append(_meta("citation_technical_report_institution", "arXiv"))
        tags.append(_meta("citation_technical_report_number", f"arXiv:{paper.arxiv}"))
    for name, value in (
        ("citation_volume", paper.volume),
        ("citation_issue", paper.number),
        ("citation_publisher", paper.publisher),
        ("citation_doi", paper.doi),
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
    if paper.venue:
        data["isPartOf"] = {
            "@type": "Periodical" if paper.kind == "journal" else "CreativeWork",
            "name": paper.venue,
        }
    if paper.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi}
    same = [url for _, url in paper.links if url]
    if same:
        data["sameAs"] = same
    if paper.summary:
        data["description"] = paper.summary
    return data


def page_without_document(app: Sphinx, pagename: str, context: dict[str, Any]) -> list[str]:
    """Description and OpenGraph tags for pages Sphinx makes without a document (search),
    which sphinxext-opengraph does not see."""
    name = context.get("title", pagename)
    if pagename == "404":  # served at any address: a description, no URL of its own
        return [
            _meta(
                "description", f"This page does not exist in the research portfolio of {app.config.project}."
            )
        ]
    url = base_url(app) + app.builder.get_target_uri(pagename)
    return [
        _meta("description", f"{name} in the research portfolio of {app.config.project}."),
        f'<meta property="og:title" content="{html.escape(f"{name} | {app.config.project}")}">',
        '<meta property="og:type" content="website">',
        f'<meta property="og:url" content="{html.escape(url)}">',
    ]


def add_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not _is_html(app):
        return
    if doctree is None:
        tags = page_without_document(app, pagename, context)
        if tags:
            context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)
        return
    domain = get_domain(app.env)
    extra: list[str] = []
    paper = domain.paper_of_doc(pagename)
    if paper is not None:
        url = base_url(app) + app.builder.get_target_uri(pagename)
        extra.append(_meta("description", description(paper)))
        extra += highwire_tags(paper)
        extra.append(_json_ld(scholarly_article(paper, url)))
    elif pagename == app.config.root_doc and app.config.portfolio_person:
        person = {
            "@context": "https://schema.org",
            "@type": "Person",
            **app.config.portfolio_person,
        }
        if base_url(app):
            person.setdefault("url", base_url(app))
        extra.append(_json_ld(person))
    if extra:
        context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(extra)


def setup_meta(app: Sphinx) -> None:
    # before sphinxext-opengraph, which then keeps our description instead of adding its own
    app.connect("html-page-context", add_metadata, priority=450)
