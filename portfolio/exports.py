"""``publications.bib`` and ``publications.json`` (CSL-JSON) of the owner's papers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .bibfile import Paper
from .domain import get_domain
from .feeds import _is_html, base_url


def owner_papers(app: Sphinx) -> list[Paper]:
    """The exported papers: the owner's, or every entry with ``portfolio_export_all``."""
    every = app.config.portfolio_export_all
    papers = [p for p in get_domain(app.env).papers.values() if p.owner or every]
    return sorted(papers, key=lambda p: (-p.year, -(p.month or 0), p.key))


def csl_item(paper: Paper) -> dict[str, Any]:
    item: dict[str, Any] = {"id": paper.key, "type": paper.csl_type, "title": paper.title}
    item["author"] = [
        {"literal": "others"} if a.is_others else {"family": a.family, "given": a.given}
        for a in paper.authors
    ]
    parts = [paper.year] + ([paper.month] if paper.month else [])
    item["issued"] = {"date-parts": [parts]}
    if paper.venue:
        item["container-title"] = paper.venue
    optional = {
        "DOI": paper.doi,
        "URL": paper.url,
        "volume": paper.volume,
        "issue": paper.number,
        "page": paper.pages,
        "publisher": paper.publisher,
    }
    item.update({key: value for key, value in optional.items() if value})
    if paper.arxiv:
        item["number"] = f"arXiv:{paper.arxiv}"
    return item


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not _is_html(app) or not app.config.portfolio_exports:
        return
    papers = owner_papers(app)
    out = Path(app.outdir)
    bib = "\n\n".join(p.bibtex for p in papers) + "\n"
    (out / "publications.bib").write_text(bib, encoding="utf-8")
    data = [csl_item(p) for p in papers]
    (out / "publications.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def write_robots(app: Sphinx, exception: Exception | None) -> None:
    """robots.txt pointing crawlers at the sitemap, with the absolute URL from html_baseurl."""
    if exception is not None or not _is_html(app) or not app.config.portfolio_robots:
        return
    base = base_url(app)
    lines = ["User-agent: *", "Disallow:"]
    if base:
        lines.append(f"Sitemap: {base}sitemap.xml")
    (Path(app.outdir) / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def setup_exports(app: Sphinx) -> None:
    app.connect("build-finished", write_exports)
    app.connect("build-finished", write_robots)
