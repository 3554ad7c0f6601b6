"""What a project's repository copies from its page: a ``CITATION.cff`` (what GitHub's
"Cite this repository" reads), a badge, and README snippets with the page's permanent URL.

Each project gets ``projects/<id>/CITATION.cff`` and ``projects/<id>/badge.svg`` beside its
page, and a "Link here from your README" section on the page showing them; all from
``refs.bib`` (the project's first paper is its preferred citation) and the front matter."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from sphinx.application import Sphinx

from .. import changes
from ..bib import Paper
from ..config import owner_name
from ..domain import get_domain
from ..model import Project
from ..output import base_url, is_html, write_if_changed

#: Citation File Format types by the kind of the paper (CFF 1.2.0 schema's enum).
_CFF_TYPES = {
    "journal": "article",
    "conference": "conference-paper",
    "chapter": "generic",
    "book": "book",
    "thesis": "thesis",
    "report": "report",
    "patent": "generic",
    "web": "website",
    "preprint": "article",
    "other": "generic",
}


def files(project: Project) -> tuple[str, str]:
    """Paths of the project's CITATION.cff and badge in the built site: a folder named like
    its page (``projects/engine.html`` -> ``projects/engine/``)."""
    return f"{project.docname}/CITATION.cff", f"{project.docname}/badge.svg"


#: The Citation File Format's name fields (Author.fields).
CFF_NAME = {
    "literal": "name",
    "family": "family-names",
    "given": "given-names",
    "particle": "name-particle",
    "suffix": "name-suffix",
}


def _reference(paper: Paper) -> dict[str, Any]:
    ref: dict[str, Any] = {
        "type": _CFF_TYPES.get(paper.kind, "generic"),
        "title": paper.title,
        "authors": [a.fields(CFF_NAME) for a in paper.authors if not a.is_others],
        "year": paper.year,
    }
    if paper.month:
        ref["month"] = paper.month
    if paper.kind == "conference" and paper.container:
        ref["conference"] = {"name": paper.container}
        ref["collection-title"] = paper.container
    elif paper.kind == "journal" and paper.container:
        ref["journal"] = paper.container
    elif paper.is_preprint:
        ref["journal"] = "arXiv"
    elif paper.container:
        ref["collection-title"] = paper.container
    if paper.volume.isdigit():
        ref["volume"] = int(paper.volume)
    if paper.number:
        ref["issue"] = paper.number
    pages = [p for p in re.split(r"[-\u2013\u2014]+", paper.pages) if p.strip()]
    if pages:
        ref["start"] = pages[0].strip()
        if len(pages) > 1:
            ref["end"] = pages[1].strip()
    if paper.publisher:
        ref["publisher"] = {"name": paper.publisher}
    if paper.doi:
        ref["doi"] = paper.doi
    url = paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else "")
    if url:
        ref["url"] = url
    if paper.arxiv:
        ref["identifiers"] = [
            {"type": "other", "value": f"arXiv:{paper.arxiv}", "description": "The arXiv preprint"}
        ]
    return ref


def cff_text(project: Project, paper: Paper | None, page_url: str) -> str:
    """The project's CITATION.cff (Citation File Format 1.2.0)."""
    data: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this software, please cite the paper below.",
        "type": "software",
        "title": project.name,
    }
    if paper is not None:
        data["authors"] = [a.fields(CFF_NAME) for a in paper.authors if not a.is_others]
    if project.tagline:
        data["abstract"] = project.tagline
    if project.repository:
        data["repository-code"] = project.repository
    if page_url:
        data["url"] = page_url
    if paper is not None:
        data["preferred-citation"] = _reference(paper)
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000))


def badge_svg(project: Project, owner: str, color: str, previous: str = "") -> str:
    """An accessible badge (its <title> names it), drawn locally by badgepy (the maintained
    fork of pybadges: the same look and measured text widths). It starts with a comment
    naming what it was drawn from: given the ``previous`` text of the file, an unchanged
    badge is returned without drawing it again (loading the drawing code takes 0.2 s).
    ``color`` is the site's accent colour (``portfolio_accent_color``), behind white text."""
    title = f"{project.name} in the research portfolio of {owner}"
    drawn_from = repr(("portfolio", project.name, color, title))
    stamp = f"<!-- badge {hashlib.sha256(drawn_from.encode()).hexdigest()[:16]} -->\n"
    if previous.startswith(stamp):
        return previous
    from badgepy import badge

    svg = badge(left_text="portfolio", right_text=project.name, right_color=color, whole_title=title)
    return stamp + str(svg)


def snippets(project: Project, page_url: str, badge_url: str, owner: str) -> dict[str, str]:
    alt = f"{project.name} in the research portfolio of {owner}"
    return {
        "Markdown": f"[![{alt}]({badge_url})]({page_url})",
        "reStructuredText": f".. image:: {badge_url}\n   :alt: {alt}\n   :target: {page_url}",
    }


def _urls(app: Sphinx, project: Project) -> tuple[str, str, str]:
    """Absolute URLs of the project's page, CITATION.cff and badge (for READMEs)."""
    base = base_url(app)
    cff, badge = files(project)
    return base + app.builder.get_target_uri(project.docname), base + cff, base + badge


def link_here_section(app: Sphinx, project: Project, paper: Paper | None) -> nodes.section:
    """The project page's "Link here from your README" section."""
    owner = owner_name(app.config)
    page_url, _, badge_url = _urls(app, project)
    name = project.docname.rsplit("/", 1)[-1]  # the files' folder, relative to the page
    alt = f"{project.name} in the research portfolio of {owner}"
    section = nodes.section(ids=["link-here"], names=["link here from your readme"])
    section += nodes.title("Link here from your README", "Link here from your README")
    intro = (
        "For the project's repository: a badge that links to this page, its citation for "
        "GitHub's \u201cCite this repository\u201d, and the BibTeX of its paper."
    )
    section += nodes.paragraph(intro, intro)
    para = nodes.paragraph()
    para += nodes.Text("Badge: ")
    para += nodes.raw("", f'<img src="{name}/badge.svg" alt="{html.escape(alt)}">', format="html")
    section += para
    for label, code in snippets(project, page_url, badge_url, owner).items():
        section += nodes.rubric(label, label)
        block = nodes.literal_block(code, code, language="markdown" if label == "Markdown" else "rst")
        block["classes"].append("portfolio-snippet")
        section += block
    section += nodes.rubric("CITATION.cff", "CITATION.cff")
    para = nodes.paragraph()
    para += nodes.Text("Save as CITATION.cff at the repository's root (")
    para += nodes.reference("download", "download", refuri=f"{name}/CITATION.cff")
    para += nodes.Text("):")
    section += para
    text = cff_text(project, paper, page_url)
    block = nodes.literal_block(text, text, language="yaml")
    block["classes"].append("portfolio-snippet")
    section += block
    if paper is not None:
        section += nodes.rubric("BibTeX", "BibTeX")
        block = nodes.literal_block(paper.bibtex, paper.bibtex, language="bibtex")
        block["classes"].append("portfolio-bibtex")
        section += block
    return section


def write_project_files(app: Sphinx, exception: Exception | None) -> None:
    """Every project's CITATION.cff and badge, beside its page."""
    if exception is not None or not is_html(app):
        return
    domain = get_domain(app.env)
    owner = owner_name(app.config)
    record = changes.current(app.env)
    projects = domain.projects.values()
    if "projects" not in record.shared and record.unchanged(
        (Path(app.outdir, name) for p in projects for name in files(p)),
        (key for p in projects for key in p.papers),
    ):
        return  # neither a project nor one of its papers changed since these were written
    for project in domain.projects.values():
        paper = next((domain.papers[k] for k in project.papers if k in domain.papers), None)
        page_url = _urls(app, project)[0]
        cff, badge = files(project)
        write_if_changed(Path(app.outdir, cff), cff_text(project, paper, page_url))
        target = Path(app.outdir, badge)
        previous = target.read_text(encoding="utf-8") if target.is_file() else ""
        svg = badge_svg(project, owner, app.config.portfolio_accent_color, previous)
        if svg != previous:  # else the file holds it already
            write_if_changed(target, svg)
