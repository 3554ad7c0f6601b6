"""``cv.pdf`` and ``cv.json``, written with the site from the same sources as the CV page.

The PDF is typeset by Typst, through the ``typst`` wheel (the compiler and its fonts in one
pinned package, on every Python we support), from our own template
(``portfolio/templates/cv.typ``, no Typst packages: nothing is downloaded).  It is tagged
and conforms to PDF/UA-1 and PDF/A-2b, with the document's title and author in its
metadata.  The same inputs give the same bytes: the date it names (and its metadata's) is
``SOURCE_DATE_EPOCH`` when set, else the day of the build; and the file is made again only
when what it shows changes (a digest of the data, the template and Typst's version, kept
with the doctrees), so a no-op build or an edit elsewhere costs nothing.

``cv.json`` is the same CV in the JSON Resume format, which CV tools and job sites read."""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..bib import Paper
from ..config import conf_location, no_font_for, owner_name, typst_fonts, without_glyphs
from ..domain import get_domain
from ..model import PaperFilter
from ..output import base_url, is_html, write_if_changed
from ..papers import TYPE_GROUPS, group_papers, select_papers, summary_text, venue_text
from ..warnings_ import Subtype, warn
from ..web import profiles
from ._data import CV, Month, generated_on
from ._page import PDF, cv_path, get_cv

TEMPLATE = Path(__file__).parents[1] / "templates" / "cv.typ"
JSON = "cv.json"


def _link(paper: Any) -> tuple[str, str]:
    if paper.doi:
        return f"https://doi.org/{paper.doi}", f"doi:{paper.doi}"
    if paper.arxiv:
        return f"https://arxiv.org/abs/{paper.arxiv}", f"arXiv:{paper.arxiv}"
    return (paper.url, paper.url) if paper.url else ("", "")


def _stays(items: Any) -> list[dict[str, str]]:
    return [
        {
            "title": s.title,
            "organisation": s.organisation,
            "when": s.when(short=True),
            "note": s.note,
            "advisor": s.advisor,
            "advisor_url": s.advisor_url,
        }
        for s in items
    ]


def owner_papers(app: Sphinx) -> list[Paper]:
    """The papers a CV lists: the owner's, newest first."""
    return select_papers(get_domain(app.env).papers.values(), PaperFilter(owner_only=True))


def cv_document(app: Sphinx, cv: CV, papers: list[Paper]) -> dict[str, Any]:
    """Everything the PDF shows, as plain data (the template's one input)."""
    groups = group_papers(papers, "type")
    publications = []
    for name, title in TYPE_GROUPS.items():
        entries = []
        for paper in groups.get(name, []):
            url, text = _link(paper)
            authors = [a for a in paper.authors if not a.is_others]
            entries.append(
                {
                    "authors": [{"name": a.display, "owner": a.is_owner} for a in authors],
                    "others": len(authors) < len(paper.authors),
                    "title": paper.title,
                    "venue": venue_text(paper),
                    "link": url,
                    "link_text": text,
                }
            )
        if entries:
            publications.append({"title": title, "entries": entries})
    from ..projects import projects_in_toctree_order

    projects = projects_in_toctree_order(app.env)
    by_id = {p.id: p for p in projects}
    site = base_url(app)
    name = owner_name(app.config)
    return {
        "title": f"{name}: curriculum vitae",
        "name": name,
        "accent": app.config.portfolio_accent_color,  # the site's: headings, rules and links
        "headline": cv.headline,
        "links": ([{"name": "Website", "url": site}] if site else [])
        + [{"name": n, "url": u} for n, u in profiles(app.config)],
        "education": _stays(cv.education),
        "positions": _stays(cv.positions),
        "publications": publications,
        "citations": summary_text(papers),
        "projects": [
            {"name": p.name, "tagline": p.tagline.rstrip("."), "repository": p.repository} for p in projects
        ],
        "open_source": [
            {
                "projects": [
                    {"name": by_id[link.project].name, "url": by_id[link.project].repository}
                    if link.project in by_id
                    else {"name": link.name, "url": link.url}
                    for link in item.projects
                ],
                "what": item.what,
            }
            for item in cv.open_source
        ],
        "talks": [
            {
                "title": t.title[:1].upper() + t.title[1:],
                "event": t.event,
                "url": t.url,
                "when": t.date.text(True),
            }
            for t in cv.talks
        ],
        "memberships": list(cv.memberships),
        "reviewing": [{"name": r.name, "url": r.url} for r in cv.reviewing],
    }


def render_pdf(document: dict[str, Any], timestamp: int, fonts: list[str]) -> bytes:
    import typst

    data = json.dumps(document, ensure_ascii=False, sort_keys=True)
    return bytes(
        typst.compile(
            str(TEMPLATE),
            root=str(TEMPLATE.parent),
            sys_inputs={"data": data},
            font_paths=fonts,
            ignore_system_fonts=True,  # bundled and conf.py's fonts only: the same PDF on every machine
            pdf_standards=["a-2b", "ua-1"],
            timestamp=timestamp,
        )
    )


def _iso(month: Month | None) -> str:
    return month.iso() if month else ""


def json_resume(app: Sphinx, cv: CV, document: dict[str, Any], papers: list[Paper]) -> dict[str, Any]:
    """The CV in the JSON Resume schema (https://jsonresume.org/schema)."""

    def stay(s: Any, kind: str) -> dict[str, Any]:
        item = {kind: s.organisation, ("studyType" if kind == "institution" else "position"): s.title}
        item["startDate"] = _iso(s.start)
        if s.end:
            item["endDate"] = _iso(s.end)
        return item

    basics: dict[str, Any] = {"name": document["name"]}
    if cv.headline:
        basics["label"] = cv.headline
    if document["links"] and document["links"][0]["name"] == "Website":
        basics["url"] = document["links"][0]["url"]
    basics["profiles"] = [{"network": n, "url": u} for n, u in profiles(app.config)]
    publications = []
    for paper in papers:
        url, _ = _link(paper)
        item = {"name": paper.title, "publisher": paper.venue or "arXiv", "releaseDate": str(paper.year)}
        if paper.month:
            item["releaseDate"] += f"-{paper.month:02d}"
        if url:
            item["url"] = url
        publications.append(item)
    return {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": basics,
        "education": [stay(s, "institution") for s in cv.education],
        "work": [stay(s, "name") for s in cv.positions],
        "volunteer": [
            {"organization": r["name"], "position": "Reviewer", **({"url": r["url"]} if r["url"] else {})}
            for r in document["reviewing"]
        ],
        "publications": publications,
        "projects": [
            {
                "name": p["name"],
                "description": p["tagline"],
                **({"url": p["repository"]} if p["repository"] else {}),
            }
            for p in document["projects"]
        ],
        "meta": {"canonical": f"{basics.get('url', '')}{JSON}"},
    }


def write_cv_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_html(app) or cv_path(app.config, app.confdir) is None:
        return
    cv = get_cv(app.env)
    papers = owner_papers(app)
    document = cv_document(app, cv, papers)
    out = Path(app.outdir)
    write_if_changed(
        out / JSON, json.dumps(json_resume(app, cv, document, papers), ensure_ascii=False, indent=1) + "\n"
    )
    try:  # its version, not the module: a build whose PDF is made already imports no typst
        typst_version = version("typst")
    except PackageNotFoundError:  # said at start-up (portfolio/requirements.py)
        return

    missing = without_glyphs(app, json.dumps(document, ensure_ascii=False))
    if missing:  # Typst would stop at the first (a PDF/A holds no glyph it cannot draw)
        source = cv_path(app.config, app.confdir)
        text = source.read_text(encoding="utf-8") if source else ""
        where = (
            f"{source}:{text[: text.index(missing[0])].count(chr(10)) + 1}"
            if missing[0] in text
            else conf_location(app, "portfolio_fonts")  # from refs.bib: a paper's title
        )
        warn(Subtype.cv, no_font_for("cv.pdf", missing) + " (conf.py)", where)
        return
    fonts, fonts_key = typst_fonts(app)
    digest = hashlib.sha256(
        json.dumps([document, typst_version, fonts_key], sort_keys=True).encode() + TEMPLATE.read_bytes()
    ).hexdigest()
    stamp = Path(app.doctreedir, "cv.pdf.sha256")
    pdf = out / PDF
    if pdf.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return  # what the PDF shows is unchanged: the file stays as it is
    day, timestamp = generated_on(os.environ.get("SOURCE_DATE_EPOCH"))
    site = base_url(app)
    document["generated"] = f"Generated on {day.isoformat()} from the sources of {site or app.config.project}"
    try:
        data = render_pdf(document, timestamp, fonts)
    except Exception as err:  # typst.TypstError: the template or a value it cannot set
        warn(Subtype.cv, f"cv.pdf could not be made: {err}", str(TEMPLATE))
        return
    if not pdf.is_file() or pdf.read_bytes() != data:
        pdf.write_bytes(data)
    stamp.write_text(digest, encoding="utf-8")
