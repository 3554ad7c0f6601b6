"""The CV of the real site: the page, the PDF (read with pypdf, an independent reader), the
JSON Resume export (validated against the official schema, from npm) and the biography's
parts rendered from the same file.  Facts are checked against tests/facts.toml (held to
the seeds by test_facts.py), refs.bib as bibtexparser reads it and the project pages'
front matter."""

from __future__ import annotations

import io
import json
import re
import urllib.request
from typing import Any

import bibtexparser
import jsonschema
import pytest
import yaml
from pypdf import PdfReader

from helpers import (
    CONF,
    FACTS,
    OWNER_KEYS,
    ROOT,
    Site,
    fold,
    full_name,
    named_people,
    pdf_text,
    project_front_matter,
)

pytestmark = pytest.mark.skipif(
    not CONF.get("portfolio_cv"), reason="this site has no CV: conf.py sets no portfolio_cv"
)
BIB = bibtexparser.parse_string((ROOT / "refs.bib").read_text("utf-8")).entries
HIS = [e for e in BIB if e.key in OWNER_KEYS]
OWNER = CONF["portfolio_owner_names"][0]
#: the CV's facts as PyYAML reads them (the CV file of conf.py)
CVDATA: dict[str, Any] = (
    yaml.safe_load((ROOT / CONF["portfolio_cv"]).read_text(encoding="utf-8"))
    if CONF.get("portfolio_cv")
    else {}
)
#: tests/facts.toml's CV facts (held to the sources by test_facts.py); a site without them checks none
EXPERIENCES = FACTS.get("experiences", [])
REVIEWING = FACTS.get("reviewing", [])
REVIEW_URLS = [r["url"] for r in CVDATA.get("reviewing", []) if isinstance(r, dict) and r.get("url")]
GROUP = {"article": "Journal articles", "inproceedings": "Conference papers", "misc": "Preprints"}


def title(entry: Any) -> str:
    return str(entry.fields_dict["title"].value).replace("{", "").replace("}", "")


def project_pages() -> list[dict[str, Any]]:
    return [meta for _, meta in project_front_matter()]


@pytest.fixture(scope="module")
def pdf(site: Site) -> PdfReader:
    assert site.returncode == 0, site.stderr
    return PdfReader(site.out / "cv.pdf")


# -- the page --------------------------------------------------------------------------------
def test_cv_page_shows_every_fact(site: Site) -> None:
    cv = site.main("cv.html")
    section = {s["id"]: " ".join(s.get_text(" ").split()) for s in cv.select("section[id^=cv-]")}
    for where, start, end in EXPERIENCES:
        assert re.search(rf"{re.escape(where)}.*{start} to {end}", section["cv-education"]), where
    for venue in REVIEWING:
        assert venue in section["cv-service"], venue
    if "membership" in FACTS:
        assert FACTS["membership"] in section["cv-service"]
    if "talk" in FACTS:
        month, host = FACTS["talk"]
        assert month in section["cv-talks"] and host in section["cv-talks"]
    # his publications, each once, in the group of its entry type, newest first within it
    groups = {s.select_one("h3").get_text().rstrip("¶"): s for s in cv.select("#cv-publications section")}
    assert list(groups) == [g for g in ("Journal articles", "Conference papers", "Preprints") if g in groups]
    for entry in HIS:
        shown = [fold(t.get_text()) for t in groups[GROUP[entry.entry_type]].select(".portfolio-title")]
        assert shown.count(fold(title(entry))) == 1, title(entry)
    assert sum(len(g.select("li.portfolio-paper")) for g in groups.values()) == len(HIS)
    assert {s.get_text() for s in cv.select("#cv-publications strong.portfolio-owner")} <= set(
        CONF["portfolio_owner_names"]
    )
    # the projects, from the project pages, with their repositories
    for project in project_pages():
        assert project["name"] in section["cv-projects"]
        if project.get("repository"):
            assert cv.select_one(f"#cv-projects a[href='{project['repository']}']"), project["name"]
    assert cv.select_one("a.portfolio-cv-pdf")["href"] == "cv.pdf"


def test_cv_is_in_the_navigation_and_linked_from_home_and_biography(site: Site) -> None:
    nav = site.soup("index.html").select(".sidebar-tree a[href]")
    assert "cv.html" in [a["href"] for a in nav]
    for page in ("index.html", "biography.html"):
        hrefs = [a["href"] for a in site.main(page).select("a[href]")]
        assert "cv.html" in [h.split("#")[0] for h in hrefs] and "cv.pdf" in hrefs, page


def test_biography_renders_education_talks_and_service_from_the_cv(site: Site) -> None:
    bio = site.main("biography.html")
    text = {s["id"]: " ".join(s.get_text(" ").split()) for s in bio.select("section[id]")}
    # each degree of the CV file, in its order, with its dates as FACTS gives them
    degrees = [" ".join(li.get_text(" ").split()) for li in bio.select("#education li")]
    assert len(degrees) == len(CVDATA.get("education", []))
    for shown, degree in zip(degrees, CVDATA.get("education", []), strict=True):
        assert shown.startswith(f"{degree['title']} , {degree['organisation']}".replace("'", "\u2019")), shown
        if degree.get("advisor"):
            assert f"advised by {degree['advisor']}" in shown
    for (where, start, end), shown in zip(EXPERIENCES, degrees, strict=False):
        assert where in shown and f"{start} to {end}" in shown, shown
    advisors = [d["advisor_url"] for d in CVDATA.get("education", []) if d.get("advisor_url")]
    assert [a["href"] for a in bio.select("#education li a")] == advisors
    if "talk" in FACTS:
        month, host = FACTS["talk"]
        assert text["talks"].startswith(f"Talks ¶ {month}: invited talk at the {host}")
    reviewers = [a.get_text() for a in bio.select("#service li a")]
    assert reviewers == [r["name"] for r in CVDATA.get("reviewing", []) if r.get("url")]
    if REVIEWING:
        assert reviewers == REVIEWING
    if "membership" in FACTS:
        assert f"Membership : {FACTS['membership']}." in text["service"]
    # and what the CV page says is the same list
    assert [a.get_text() for a in site.main("cv.html").select("#cv-service li a")] == reviewers


def test_print_shows_the_cv_alone_with_its_links(browser: Any, base_url: str) -> None:
    from webchecks import watched_page

    with watched_page(browser) as (page, _, errors):
        page.goto(f"{base_url}cv.html")
        page.emulate_media(media="print")
        for selector in (".sidebar-drawer", ".toc-drawer", ".theme-toggle-container", ".sidebar-search"):
            assert not page.locator(selector).first.is_visible(), selector
        after = page.evaluate(
            "getComputedStyle(document.querySelector('#cv-service li a'), '::after').content"
        )
        assert REVIEW_URLS, "the CV file gives no reviewing venue with a URL to print"
        assert CVDATA["reviewing"][0]["name"] not in after and REVIEW_URLS[0] in after
        text = PdfReader(io.BytesIO(page.pdf())).pages[0].extract_text()
        assert "Curriculum vitae" in text and "Search" not in text
        assert errors == []


# -- the PDF ---------------------------------------------------------------------------------
def test_pdf_holds_every_fact(pdf: PdfReader) -> None:
    text = pdf_text(pdf)
    folded = fold(text)
    for entry in HIS:
        assert fold(title(entry)) in folded, title(entry)
    for venue in REVIEWING:
        assert venue in text, venue
    for where, start, end in EXPERIENCES:
        short = [d if d == "now" else f"{d.split()[0][:3]} {d.split()[1]}" for d in (start, end)]
        assert where in text and f"{short[0]} to {short[1]}" in text, where
    # the names as written (accents, Polish and other letters the fonts must have)
    for name in [OWNER, *unusual_names()]:
        assert name in text, name
    for project in project_pages():
        assert project["name"] in text
    assert re.search(r"Generated on \d{4}-\d{2}-\d{2} from the sources of ", text)


def unusual_names() -> list[str]:
    """Up to four co-authors of the owner's papers whose names are not plain ASCII, decoded
    from LaTeX by bibtexparser."""
    names = [
        full_name(n)
        for e in named_people((ROOT / "refs.bib").read_text("utf-8")).entries
        if e.key in OWNER_KEYS and "author" in e.fields_dict
        for n in e.fields_dict["author"].value
    ]
    return sorted({n for n in names if not n.isascii() and "{" not in n and "\\" not in n})[:4]


def test_pdf_metadata_fonts_links_and_tags(pdf: PdfReader) -> None:
    assert pdf.metadata.title == f"{OWNER}: curriculum vitae" and pdf.metadata.author == OWNER
    fonts = 0
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font.get("/BaseFont")
            fonts += 1
    assert fonts
    uris = [
        a.get_object()["/A"]["/URI"]
        for page in pdf.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]
    dois = [str(e.fields_dict["doi"].value) for e in HIS if "doi" in e.fields_dict]
    assert {f"https://doi.org/{d}" for d in dois} <= set(uris)
    assert set(REVIEW_URLS) <= set(uris)
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog  # tagged
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part\W+1", xmp) and re.search(r"pdfaid:part\W+2", xmp)


def test_cv_files_are_published(site: Site, base_url: str) -> None:
    urls = (ROOT / "urls.txt").read_text(encoding="utf-8").split()
    assert {"cv.html", "cv.pdf", "cv.json"} <= set(urls)
    assert "cv.pdf</loc>" in site.html("sitemap.xml")
    with urllib.request.urlopen(f"{base_url}cv.pdf", timeout=10) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"


def test_cv_json_is_a_valid_json_resume(site: Site) -> None:
    schema = json.loads((ROOT / "node_modules" / "@jsonresume" / "schema" / "schema.json").read_text("utf-8"))
    resume = json.loads((site.out / "cv.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(resume)
    assert resume["basics"]["name"] == OWNER
    institutions = [e["institution"] for e in resume["education"]]
    assert institutions == [d["organisation"] for d in CVDATA.get("education", [])]
    assert all(i.startswith(where) for i, (where, _, _) in zip(institutions, EXPERIENCES, strict=False))
    for shown, degree in zip(resume["education"], CVDATA.get("education", []), strict=True):
        assert shown["startDate"] == str(degree["start"])
        assert shown.get("endDate") == (str(degree["end"]) if degree.get("end") else None)
    assert sorted(p["name"] for p in resume["publications"]) == sorted(title(e) for e in HIS)
    assert [v["organization"] for v in resume["volunteer"]] == [
        r["name"] for r in CVDATA.get("reviewing", [])
    ]
