"""``publications.bib``, ``publications.json`` (CSL-JSON) and ``publications.ris`` of the owner's
papers, and a RIS file beside each paper's page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import changes
from .bibmodel import Paper
from .domain import get_domain
from .feeds import _is_html, base_url
from .output import write_if_changed
from .ris import ris_file, ris_record


def exported_papers(app: Sphinx) -> list[Paper]:
    """The exported papers: the owner's, or every entry with ``portfolio_export_all``."""
    every = app.config.portfolio_export_all
    papers = [p for p in get_domain(app.env).papers.values() if p.owner or every]
    return sorted(papers, key=lambda p: (-p.year, -(p.month or 0), p.key))


#: CSL-JSON's name fields (Author.fields).
CSL_NAME = {
    "literal": "literal",
    "family": "family",
    "given": "given",
    "particle": "non-dropping-particle",
    "suffix": "suffix",
}


def csl_item(paper: Paper) -> dict[str, Any]:
    """A CSL-JSON item that citation engines (citeproc-js in Zotero and Citation.js,
    citeproc-py) render as the BibTeX entry says.

    An arXiv preprint is CSL's preprint type (``article``) published by arXiv with its
    identifier as the number, as Zotero writes it.  A published paper's arXiv id has no CSL
    field that styles print in the right place (``number`` reads as an article number), so
    it is left out there; the paper's page and BibTeX carry it.  BibTeX's "and others" has
    no CSL form: the list ends before it."""
    item: dict[str, Any] = {"id": paper.key, "type": paper.csl_type, "title": paper.title}
    names = [a.fields(CSL_NAME) for a in paper.authors if not a.is_others]
    if names:
        item[paper.names_role] = names
    for variable, people in (("translator", paper.translators), ("container-author", paper.bookauthors)):
        if people:
            item[variable] = [a.fields(CSL_NAME) for a in people if not a.is_others]
    parts = [
        paper.year,
        *([paper.month] if paper.month else []),
        *([paper.day] if paper.month and paper.day else []),
    ]
    item["issued"] = {"date-parts": [parts, [paper.year_end]] if paper.year_end else [parts]}
    optional = {
        "container-title": paper.container,
        "event-title": paper.event if paper.event != paper.container else "",
        "collection-title": paper.series,
        "genre": paper.genre,
        "publisher": paper.publisher,
        "publisher-place": paper.place,
        "edition": paper.edition,
        "volume": paper.volume,
        "page": paper.pages,
        "DOI": paper.doi,
        "URL": paper.url,
    }
    item.update({key: value for key, value in optional.items() if value})
    if paper.kind in {"report", "patent"} and paper.number:
        item["number"] = paper.number
    elif paper.number:
        item["issue"] = paper.number
    if paper.is_preprint:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv}"
        item.setdefault("URL", f"https://arxiv.org/abs/{paper.arxiv}")
    return item


def ris_files(app: Sphinx) -> list[str]:
    """The RIS file beside each paper's page (``papers/<slug>.ris``)."""
    domain = get_domain(app.env)
    return [f"{domain.paper_docname(key)}.ris" for key in domain.papers]


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not _is_html(app):
        return
    out = Path(app.outdir)
    domain = get_domain(app.env)
    record = changes.current(app.env)
    for key, paper in domain.papers.items():  # linked from the paper's page
        target = out / f"{domain.paper_docname(key)}.ris"
        if not record.unchanged([target], [key]):
            write_if_changed(target, ris_record(paper))
    if not app.config.portfolio_exports:
        return
    names = ("publications.bib", "publications.json", "publications.ris")
    if record.unchanged(out / name for name in names):
        return  # no entry changed since these were written
    papers = exported_papers(app)
    write_if_changed(out / "publications.bib", "\n\n".join(p.bibtex for p in papers) + "\n")
    # one item a line: readable in a diff, and written by json's C encoder (an indented
    # dump goes through its Python one, 0.4 s at 1,000 papers)
    items = ",\n".join(json.dumps(csl_item(p), ensure_ascii=False) for p in papers)
    write_if_changed(out / "publications.json", f"[\n{items}\n]\n" if items else "[]\n")
    write_if_changed(out / "publications.ris", ris_file(papers))


def write_robots(app: Sphinx, exception: Exception | None) -> None:
    """robots.txt pointing crawlers at the sitemap, with the absolute URL from html_baseurl."""
    if exception is not None or not _is_html(app) or not app.config.portfolio_robots:
        return
    base = base_url(app)
    lines = ["User-agent: *", "Disallow:"]
    if base:
        lines.append(f"Sitemap: {base}sitemap.xml")
    write_if_changed(Path(app.outdir) / "robots.txt", "\n".join(lines) + "\n")


def setup_exports(app: Sphinx) -> None:
    app.connect("build-finished", write_exports)
    app.connect("build-finished", write_robots)
