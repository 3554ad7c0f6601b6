"""The talks page ({talks}): the CV's talks newest first, each a section with a permanent
anchor kept in urls.txt, its date, event and links; the CV lists the same talks."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

from helpers import CV_YAML, FACTS, ROOT, Site, build, cv_root, run_check

TALKS = """talks:
  - date: 1843-07
    title: notes read to a learned society
  - date: 1844-02
    title: the engine explained
    event: Royal Institution
    url: https://example.org/ri
    slides: https://example.org/ri/slides.pdf
    video: https://example.org/ri/video
  - date: 1844-02
    title: the engine explained again
    event: Royal Institution
"""
OLD_TALKS = "talks:\n  - date: 1843-07\n    title: notes read to a learned society\n"


def talks_root(tmp_path: Path, talks: str = TALKS) -> Path:
    assert OLD_TALKS in CV_YAML
    srcdir = cv_root(tmp_path, CV_YAML.replace(OLD_TALKS, talks))
    (srcdir / "talks.md").write_text("# Talks\n\n:::{talks}\n:::\n", encoding="utf-8")
    index = srcdir / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("news\npublications\n", "news\ntalks\npublications\n")
    )
    return srcdir


def test_talks_newest_first_with_anchors_dates_and_links(tmp_path: Path) -> None:
    built = build(talks_root(tmp_path))
    assert built.warnings == []
    soup = BeautifulSoup((built.outdir / "talks.html").read_text(encoding="utf-8"), "html.parser")
    talks = soup.select("section.portfolio-talk")
    assert [t["id"] for t in talks] == [
        "talk-1844-02-royal-institution",
        "talk-1844-02-royal-institution-2",
        "talk-1843-07-notes-read-to-a-learned-society",
    ]
    first = talks[0]
    assert first.h2 is not None and first.h2.get_text().rstrip("¶") == "The engine explained"
    time = first.select_one("time")
    assert time is not None and time["datetime"] == "1844-02" and time.get_text() == "February 1844"
    assert [(a.get_text(), a["href"]) for a in first.select("p.portfolio-talk-links a")] == [
        ("Event page", "https://example.org/ri"),
        ("Slides", "https://example.org/ri/slides.pdf"),
        ("Video", "https://example.org/ri/video"),
    ]
    assert not talks[2].select("p.portfolio-talk-links")  # no link given, none shown
    # the CV lists the same talks, with the same links
    cv = BeautifulSoup((built.outdir / "cv.html").read_text(encoding="utf-8"), "html.parser")
    items = [li.get_text(" ", strip=True) for li in cv.select("ul.portfolio-cv-talks > li")]
    assert len(items) == 3 and items[0].startswith("February 1844: the engine explained")
    assert {a["href"] for a in cv.select("ul.portfolio-cv-talks a")} == {
        "https://example.org/ri",
        "https://example.org/ri/slides.pdf",
        "https://example.org/ri/video",
    }
    # each anchor is a label: in objects.inv (so urls.txt records it as permanent), {ref}-able
    with (built.outdir / "objects.inv").open("rb") as f:
        labels = InventoryFile.load(f, "", lambda base, uri: uri)["std:label"]
    assert {t["id"]: labels[t["id"]][2] for t in talks} == {t["id"]: f"talks.html#{t['id']}" for t in talks}


def test_a_talk_link_that_is_not_http_is_one_located_line(tmp_path: Path) -> None:
    srcdir = talks_root(tmp_path, TALKS.replace("https://example.org/ri/slides.pdf", "slides.pdf"))
    message = (
        "cv.yaml:22: WARNING: talk 'the engine explained': slides 'slides.pdf' is not an http(s) "
        "address; write it as https://... [portfolio.cv]"
    )
    assert build(srcdir).warnings == [message]
    proc = run_check(srcdir, "--source", ".")
    assert proc.returncode == 1 and proc.stderr.replace(f"{srcdir}/", "").splitlines() == [message]


def test_the_site_lists_his_talk(site: Site) -> None:
    """His talk (tests/facts.toml: its month and host) on the talks page, with its date, its
    link and an anchor that urls.txt keeps; the page is in the sitemap."""
    if "talk" not in FACTS:
        pytest.skip("tests/facts.toml names no talk (a fork's owner may have none)")
    month, host = FACTS["talk"]
    assert site.returncode == 0, site.stderr
    soup = BeautifulSoup((site.out / "talks.html").read_text(encoding="utf-8"), "html.parser")
    (talk,) = [s for s in soup.select("section.portfolio-talk") if host in s.get_text()]
    time = talk.select_one("time")
    assert time is not None and time.get_text() == month and time["datetime"].startswith(month[-4:])
    assert next(a["href"] for a in talk.select("p.portfolio-talk-links a")).startswith("https://")
    assert f"talks.html#{talk['id']}" in (ROOT / "urls.txt").read_text(encoding="utf-8").split()
    assert "/talks.html</loc>" in (site.out / "sitemap.xml").read_text(encoding="utf-8")
