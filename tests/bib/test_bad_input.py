"""Every mistake a maintainer can make: one located line naming the fix; sources unchanged;
valid entries next to the bad one kept; hostile strings escaped."""

from __future__ import annotations

import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from helpers import ROOTS, build, copy_root, source_hashes, sphinx_command

BASE_BIB = (ROOTS / "test-basic" / "refs.bib").read_text(encoding="utf-8")
NEWS = (ROOTS / "test-basic" / "news.md").read_text(encoding="utf-8")
ALPHA = (ROOTS / "test-basic" / "projects" / "alpha.md").read_text(encoding="utf-8")
GOOD_KEYS = {"lovelace2024engine", "king2023loom", "babbage2022diff"}


def extra(entry: str) -> str:
    return BASE_BIB + "\n" + entry + "\n"


CASES: dict[str, tuple[dict[str, str | bytes | None], list[str]]] = {
    "bib-missing": (
        {"refs.bib": None},
        ["conf.py:1: WARNING: BibTeX file refs.bib not found; create it or set portfolio_bibfile to its path "
         "[portfolio.bib_missing]"],
    ),
    "bib-empty": (
        {"refs.bib": ""},
        ["refs.bib:1: WARNING: no BibTeX entries found; add one [portfolio.bib_empty]",
         'projects/alpha.md:13: WARNING: could not find bibtex key "lovelace2024engine" [bibtex.key_not_found]',
         "news.md:4: WARNING: news item 'loom-accepted' names unknown paper 'king2023loom'; use a key from refs.bib "
         "[portfolio.unknown_paper]",
         "news.md:10: WARNING: news item 'engine-published' names unknown paper 'lovelace2024engine'; use a key "
         "from refs.bib [portfolio.unknown_paper]",
         "projects/alpha.md:1: WARNING: project 'alpha' lists unknown paper 'lovelace2024engine' in its front "
         "matter; use a key from refs.bib [portfolio.unknown_paper]",
         "news.md:14: WARNING: unknown paper 'lovelace2024engine'; use a key from refs.bib or add the entry. "
         "[portfolio.unknown_paper]"],
    ),
    "bib-not-utf8": (
        {"refs.bib": extra("@misc{cafe, title={Caf\xe9}, author={King, Ada}, year={2020}}").encode("latin-1")},
        ["refs.bib:29: WARNING: not valid UTF-8 (byte 0xe9); re-save the file as UTF-8 [portfolio.bib_encoding]"],
    ),
    "bib-unbalanced-brace": (
        {"refs.bib": BASE_BIB.replace("year   = {2022},", "year   = {2022,")},
        ["refs.bib:22: WARNING: BibTeX syntax error in entry 'babbage2022diff': premature end of file (detected "
         "at line 28); check that entry's braces, quotes and commas [portfolio.bib_syntax]"],
    ),
    "bib-duplicate-key": (
        {"refs.bib": extra("@misc{king2023loom,\n  title={Again}, author={King, Ada}, year={2020}\n}")},
        ["refs.bib:29: WARNING: duplicate key 'king2023loom' at line 13, line 29; rename one of them (no entry "
         "was dropped) [portfolio.bib_duplicate]",
         "WARNING: bibliography data error in refs.bib: repeated bibliography entry: king2023loom "
         "[bibtex.bibfile_data_error]"],
    ),
    "bib-no-title": (
        {"refs.bib": extra("@misc{notitle,\n  author={King, Ada},\n  year={2020}\n}")},
        ["refs.bib:29: WARNING: entry 'notitle': missing required field(s) title; "
         "every entry needs title, author (or editor) and year (or date) [portfolio.bib_field]"],
    ),
    "bib-no-author": (
        {"refs.bib": extra("@misc{noauthor,\n  title={T},\n  year={2020}\n}")},
        ["refs.bib:29: WARNING: entry 'noauthor': missing required field(s) author; "
         "every entry needs title, author (or editor) and year (or date) [portfolio.bib_field]"],
    ),
    "bib-no-year": (
        {"refs.bib": extra("@misc{noyear,\n  title={T},\n  author={King, Ada}\n}")},
        ["refs.bib:29: WARNING: entry 'noyear': missing required field(s) year; "
         "every entry needs title, author (or editor) and year (or date) [portfolio.bib_field]"],
    ),
    "bib-unknown-type": (
        {"refs.bib": extra("@preprintx{pat,\n  title={P}, author={King, Ada}, year={2020}\n}")},
        ["refs.bib:29: WARNING: entry 'pat': unknown entry type @preprintx, shown as @misc; use a BibTeX or "
         "biblatex type such as @article, @inproceedings, @book, @thesis, @report or @misc [portfolio.bib_type]"],
    ),
    "bib-bad-year": (
        {"refs.bib": extra("@misc{yr,\n  title={P},\n  author={King, Ada},\n  year={around 2020}\n}")},
        ["refs.bib:32: WARNING: entry 'yr': year 'around 2020' is not a four-digit year [portfolio.bib_field]"],
    ),
    "bib-bad-month": (
        {"refs.bib": extra("@misc{mo,\n  title={P},\n  author={King, Ada},\n  year={2020},\n  month={Smarch}\n}")},
        ["refs.bib:33: WARNING: entry 'mo': month 'Smarch' is not a month; use jan..dec or 1..12 (it "
         "is left out) [portfolio.bib_field]"],
    ),
    "bib-javascript-url": (
        {"refs.bib": extra("@misc{js,\n  title={P},\n  author={King, Ada},\n  year={2020},\n  url={javascript:alert(1)}\n}")},
        ["refs.bib:33: WARNING: entry 'js': url 'javascript:alert(1)' is not an http(s) URL; the link is left out "
         "[portfolio.bib_url]"],
    ),
    "bib-data-url": (
        {"refs.bib": extra("@misc{dat,\n  title={P},\n  author={King, Ada},\n  year={2020},\n  x-code={data:text/html,hi}\n}")},
        ["refs.bib:33: WARNING: entry 'dat': x-code 'data:text/html,hi' is not an http(s) URL; the link is left out "
         "[portfolio.bib_url]"],
    ),
    "paper-role-unknown-key": (
        {"news.md": NEWS + "\nSee {paper}`nosuch2020`.\n"},
        ["news.md:22: WARNING: unknown paper 'nosuch2020'; use a key from refs.bib or add the entry. "
         "[portfolio.unknown_paper]"],
    ),
    "cite-unknown-key": (
        {"projects/alpha.md": ALPHA.replace("{footcite:p}`lovelace2024engine`", "{footcite:p}`nosuch2020`")},
        ['projects/alpha.md:13: WARNING: could not find bibtex key "nosuch2020" [bibtex.key_not_found]'],
    ),
    "news-no-date": (
        {"news.md": "# News\n\n:::{news}\n:id: x\nText.\n:::\n"},
        ["news.md:3: WARNING: news item has no date; write it as YYYY, YYYY-MM or YYYY-MM-DD after {news} "
         "[portfolio.news_date]",
        ],
    ),
    "news-impossible-date": (
        {"news.md": "# News\n\n:::{news} 2024-02-30\n:id: x\nText.\n:::\n"},
        ["news.md:3: WARNING: news item date '2024-02-30' is not a real date; write it as YYYY, YYYY-MM or "
         "YYYY-MM-DD after {news} [portfolio.news_date]"],
    ),
    "news-duplicate-id": (
        {"news.md": "# News\n\n:::{news} 2024\n:id: x\nA.\n:::\n\n:::{news} 2023\n:id: x\nB.\n:::\n"},
        ["news.md:8: WARNING: duplicate news id 'x', first declared at news.md:3; give one of them a different "
         ":id: [portfolio.news_duplicate]"],
    ),
    "news-unknown-paper": (
        {"news.md": "# News\n\n:::{news} 2024\n:id: x\n:papers: nosuch\nA.\n:::\n"},
        ["news.md:3: WARNING: news item 'x' names unknown paper 'nosuch'; use a key from refs.bib "
         "[portfolio.unknown_paper]"],
    ),
    "project-no-name": (
        {"projects/alpha.md": ALPHA.replace("  name: Alpha\n", "")},
        ["projects/alpha.md:2: WARNING: project front matter: missing required field 'name'; add e.g. "
         "'name: My Project' [portfolio.project_metadata]",
         "news.md:10: WARNING: news item 'engine-published' names unknown project 'alpha'; use a project page's "
         "id [portfolio.unknown_project]"],
    ),
    "project-misspelled-field": (
        {"projects/alpha.md": ALPHA.replace("  repository:", "  repositry:")},
        ["projects/alpha.md:5: WARNING: project front matter: unknown field 'repositry' (did you mean "
         "'repository'?); known fields are id, name, tagline, repository, website, papers, models, status, "
         "related [portfolio.project_metadata]",
         "news.md:10: WARNING: news item 'engine-published' names unknown project 'alpha'; use a project page's "
         "id [portfolio.unknown_project]"],
    ),
    "news-no-id": (
        {"news.md": "# News\n\n:::{news} 2024\nText.\n:::\n"},
        ["news.md:3: WARNING: news item of 2024 has no :id:; add one such as ':id: neurips-2024' (lower-case "
         "letters, digits, hyphens): it is the item's permanent anchor [portfolio.news_id]"],
    ),
    "paper-role-near-miss": (
        {"news.md": NEWS + "\nSee {paper}`king2023lom`.\n"},
        ["news.md:22: WARNING: unknown paper 'king2023lom' (did you mean 'king2023loom'?); use a key from "
         "refs.bib or add the entry. [portfolio.unknown_paper]"],
    ),
    "project-duplicate-id": (
        {"projects/beta.md": "---\norphan: true\nproject:\n  id: alpha\n  name: Beta\n---\n\n# Beta\n"},
        ["projects/beta.md:1: WARNING: duplicate project id 'alpha', first declared at projects/alpha.md:1; give "
         "one of them a different id in its front matter [portfolio.project_duplicate]"],
    ),
    "project-unknown-paper": (
        {"projects/alpha.md": ALPHA.replace("papers: [lovelace2024engine]", "papers: [lovelace2024engine, nosuch]")},
        ["projects/alpha.md:1: WARNING: project 'alpha' lists unknown paper 'nosuch' in its front matter; use a "
         "key from refs.bib [portfolio.unknown_paper]"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    srcdir = copy_root(tmp_path, files=files)
    before = source_hashes(srcdir)
    built = build(srcdir)
    assert built.warnings == expected
    assert source_hashes(srcdir) == before
    assert not any("Traceback" in w for w in built.warnings)
    if case.startswith("bib-") and case not in {
        "bib-missing",
        "bib-empty",
        "bib-not-utf8",
        "bib-unbalanced-brace",
    }:
        pages = {p.stem for p in (built.outdir / "papers").glob("*.html")}
        assert pages >= GOOD_KEYS  # the valid entries next to the bad one are all kept


def test_duplicate_key_keeps_both_entries(tmp_path: Path) -> None:
    from portfolio.bib import parse_bibliography

    path = tmp_path / "refs.bib"
    path.write_text(
        extra("@misc{king2023loom,\n  title={Again}, author={King, Ada}, year={2020}\n}"),
        encoding="utf-8",
    )
    bib = parse_bibliography(path, ["Ada King"], "")
    titles = {p.title for p in bib.papers.values()}
    assert {"Weaving Algebraic Patterns", "Again"} <= titles


@pytest.mark.parametrize("case", ["bib-unbalanced-brace", "bib-not-utf8", "news-impossible-date"])
def test_cli_fails_with_one_line_and_no_traceback(tmp_path: Path, case: str) -> None:
    srcdir = copy_root(tmp_path, files=CASES[case][0])
    proc = subprocess.run(
        sphinx_command(srcdir, tmp_path / "out", confdir=None, quiet=True),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and warnings[0].endswith(CASES[case][1][0].split("WARNING: ", 1)[1])


def test_hostile_strings_are_escaped(tmp_path: Path) -> None:
    hostile = extra(
        '@misc{hostile,\n  title={<script>alert("t")</script> \\& "quoted" $\\alpha$ {\\"o}},\n'
        "  author={<img src=x onerror=alert(1)> and King, Ada},\n  year={2020},\n"
        "  x-summary={<b>bold</b> & more}\n}"
    )
    srcdir = copy_root(tmp_path, files={"refs.bib": hostile})
    built = build(srcdir)
    assert built.warnings == []
    for page in ("papers/hostile.html", "publications.html"):
        html = (built.outdir / page).read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
        assert "&lt;script&gt;" in html
    title = built.soup("papers/hostile.html").select_one("meta[name=citation_title]")["content"]
    assert title.startswith('<script>alert("t")</script> & "quoted"') and "ö" in title


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            'portfolio_owner_names = "Ada Lovelace"',
            "conf.py:11: WARNING: portfolio_owner_names must be a list, not str ('Ada Lovelace'); fix it in "
            "conf.py (it is: every spelling of the portfolio owner's name, e.g. ['Ada Lovelace', 'A. Lovelace']; "
            "whose papers are listed, exported and highlighted in author lists (required)); using the default [] "
            "[portfolio.config]",
        ),
        (
            "portfolio_exports = 'yes'",
            "conf.py:11: WARNING: portfolio_exports must be a bool, not str ('yes'); fix it in conf.py (it is: "
            "write publications.bib and publications.json next to the home page); using the default True "
            "[portfolio.config]",
        ),
    ],
)
def test_bad_config_value(tmp_path: Path, line: str, message: str) -> None:
    conf = (ROOTS / "test-basic" / "conf.py").read_text(encoding="utf-8") + line + "\n"
    built = build(copy_root(tmp_path, files={"conf.py": conf}))
    assert [w for w in built.warnings if "portfolio.config" in w] == [message]


def test_one_megabyte_field(tmp_path: Path) -> None:
    big = "word " * 200_000  # 1 MB
    bib = extra(
        f"@misc{{huge,\n  title={{A Huge Entry}},\n  author={{King, Ada}},\n  year={{2020}},\n  note={{{big}}}\n}}"
    )
    srcdir = copy_root(tmp_path, files={"refs.bib": bib})
    before = source_hashes(srcdir)
    built = build(srcdir)
    assert built.warnings == []
    assert {p.stem for p in (built.outdir / "papers").glob("*.html")} == GOOD_KEYS | {"huge"}
    exported = (built.outdir / "publications.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"\bword\b", exported)) == 200_000  # his paper, exported whole
    assert source_hashes(srcdir) == before


@pytest.mark.parametrize("parallel", [1, 2])
def test_duplicate_news_id_across_pages_same_message_serial_or_parallel(
    tmp_path: Path, parallel: int
) -> None:
    """Under -j 2 a clash between pages read by different workers is found when their data is
    merged; the message must be the one a serial build gives."""
    more = "---\norphan: true\n---\n\n# More news\n\n:::{news} 2022\n:id: loom-accepted\nAgain.\n:::\n"
    srcdir = copy_root(tmp_path, files={"zz-news.md": more})
    warning = StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=warning, parallel=parallel)
    try:
        app.build()
    finally:
        app.cleanup()
    lines = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue()).replace(f"{srcdir}/", "").splitlines()
    assert [line for line in lines if line] == [
        "zz-news.md:7: WARNING: duplicate news id 'loom-accepted', first declared at news.md:4; "
        "give one of them a different :id: [portfolio.news_duplicate]"
    ]
