"""``publications.bib``, ``publications.json`` (CSL-JSON) and ``publications.ris`` of the owner's
papers, and a RIS file beside each paper's page."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

from .. import changes
from ..bib import Paper, csl_item, ris_file, ris_record
from ..domain import get_domain
from ..output import is_html, write_if_changed


def exported_papers(app: Sphinx) -> list[Paper]:
    """The exported papers: the owner's, or every entry with ``portfolio_export_all``."""
    every = app.config.portfolio_export_all
    papers = [p for p in get_domain(app.env).papers.values() if p.owner or every]
    return sorted(papers, key=lambda p: (-p.year, -(p.month or 0), p.key))


def ris_files(app: Sphinx) -> list[str]:
    """The RIS file beside each paper's page (``papers/<slug>.ris``)."""
    domain = get_domain(app.env)
    return [f"{domain.paper_docname(key)}.ris" for key in domain.papers]


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_html(app):
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
