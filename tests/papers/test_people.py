"""Co-author links (portfolio_people): each listed person's name, in any of its spellings,
links to their homepage on the lists, the paper pages, the project pages and the CV; the
owner's name stays bold; a name the table lacks stays text; a bad address is one located
line in the build and in `portfolio check`, and that name stays text."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from helpers import build, cv_root, run_check

PEOPLE = """
portfolio_people = {
    "Charles Babbage": "https://example.org/babbage",
    "Joseph Marie Jacquard": {"url": "https://example.org/jacquard", "spellings": ["Joseph Jacquard"]},
    "Ada Lovelace": "https://example.org/ada",
}
"""


def with_people(tmp_path: Path, people: str = PEOPLE) -> Path:
    srcdir = cv_root(tmp_path)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + people, encoding="utf-8")
    return srcdir


def authors(page: Path) -> list[list[tuple[str, str]]]:
    """Each author list of the page: (name, its link or its tag)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [
        [(c.get_text(), c.get("href") or c.name) for c in names.children if getattr(c, "name", None)]
        for names in soup.select(".portfolio-authors")
    ]


BABBAGE = ("Charles Babbage", "https://example.org/babbage")
JACQUARD = ("Joseph Jacquard", "https://example.org/jacquard")


def test_two_people_linked_on_lists_paper_pages_and_the_cv(tmp_path: Path) -> None:
    built = build(with_people(tmp_path))
    assert built.warnings == []
    out = built.outdir
    engine = [("Ada Lovelace", "strong"), BABBAGE]  # the owner is never a link
    assert authors(out / "papers" / "lovelace2024engine.html") == [engine]
    assert authors(out / "papers" / "king2023loom.html") == [[("Ada King", "strong"), JACQUARD]]
    assert authors(out / "papers" / "babbage2022diff.html") == [[BABBAGE]]
    publications = authors(out / "publications.html")
    assert engine in publications and [("Ada King", "strong"), JACQUARD] in publications
    cv = authors(out / "cv.html")
    assert engine in cv and [("Ada King", "strong"), JACQUARD] in cv
    assert engine in authors(out / "projects" / "alpha.html")
    # the machine-read outputs name everyone, linked or not
    assert "Babbage, Charles" in (out / "publications.bib").read_text(encoding="utf-8")


def test_a_bad_address_is_one_located_line_and_the_name_stays_text(tmp_path: Path) -> None:
    srcdir = with_people(tmp_path, PEOPLE.replace("https://example.org/jacquard", "jacquard.html"))
    line = (srcdir / "conf.py").read_text(encoding="utf-8").splitlines().index("portfolio_people = {") + 1
    message = (
        f"conf.py:{line}: WARNING: portfolio_people: the address of 'Joseph Marie Jacquard' is "
        "'jacquard.html', not an http(s) address; write it as https://... (the name is shown as text)"
    )
    built = build(srcdir)
    assert built.warnings == [f"{message} [portfolio.config]"]
    assert authors(built.outdir / "papers" / "king2023loom.html") == [[("Ada King", "strong")]]
    page = (built.outdir / "papers" / "king2023loom.html").read_text(encoding="utf-8")
    assert "Joseph Jacquard" in page  # as text
    assert authors(built.outdir / "papers" / "babbage2022diff.html") == [[BABBAGE]]
    proc = run_check(srcdir, "--source", ".")
    assert proc.returncode == 1
    assert [x.replace(f"{srcdir}/", "") for x in proc.stderr.splitlines()] == [
        f"{message} [portfolio.config]"
    ]


def test_a_new_homepage_reaches_the_lists_on_the_next_build(tmp_path: Path) -> None:
    """The lists kept as HTML between builds are drawn again when the table changes."""
    srcdir = with_people(tmp_path)
    build(srcdir)
    conf = srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace("example.org/jacquard", "example.org/jmj"), encoding="utf-8"
    )
    built = build(srcdir)
    assert [("Ada King", "strong"), ("Joseph Jacquard", "https://example.org/jmj")] in authors(
        built.outdir / "publications.html"
    )
