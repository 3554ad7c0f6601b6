"""The engine's CV on the small test root (Ada Lovelace, two papers, one project): the page
and the PDF follow their inputs in incremental builds and nothing else, the PDF is the same
bytes for the same inputs, and bad CV data is one located line each."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import CJK_FONT, CV_PAGE, CV_YAML, build, cv_root, pdf_text, run_check, sphinx_command


def test_page_and_pdf_follow_their_inputs_and_nothing_else(tmp_path: Path) -> None:
    srcdir = cv_root(tmp_path)
    built = build(srcdir)
    assert built.warnings == []
    pdf = built.outdir / "cv.pdf"
    first = pdf.read_bytes()
    assert "Sep 1842 to Aug 1843" in pdf_text(pdf) and "Notes on the Analytical Engine" in pdf_text(pdf)
    assert "September 1842 to August 1843" in built.soup("cv.html").select_one("#cv-positions").get_text()
    # one position's dates and one paper's title change: the page and the PDF show both
    (srcdir / "cv.yaml").write_text(CV_YAML.replace("1843-08", "1844-02"), encoding="utf-8")
    bib = srcdir / "refs.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("{Analytical Engine}", "{Difference Engine}"), "utf-8"
    )
    built = build(srcdir)
    assert built.warnings == []
    page = built.soup("cv.html")
    assert "September 1842 to February 1844" in page.select_one("#cv-positions").get_text()
    assert "Notes on the Difference Engine" in page.select_one("#cv-publications").get_text()
    text = pdf_text(pdf)
    assert "Sep 1842 to Feb 1844" in text and "Notes on the Difference Engine" in text
    assert pdf.read_bytes() != first
    # a news item changes: the PDF is not made again
    second, stamp = pdf.read_bytes(), pdf.stat().st_mtime_ns
    news = srcdir / "news.md"
    news.write_text(news.read_text(encoding="utf-8").replace("published", "printed", 1), encoding="utf-8")
    build(srcdir)
    assert pdf.read_bytes() == second and pdf.stat().st_mtime_ns == stamp


def test_same_inputs_give_the_same_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    one = build(cv_root(tmp_path / "one")).outdir / "cv.pdf"
    two = build(cv_root(tmp_path / "two")).outdir / "cv.pdf"
    assert one.read_bytes() == two.read_bytes()
    reader = PdfReader(io.BytesIO(one.read_bytes()))
    assert (
        reader.metadata.creation_date.year == 2023
        and reader.metadata.title == "Ada Lovelace: curriculum vitae"
    )
    assert "Generated on 2023-11-14 from the sources of https://example.org/lab/" in pdf_text(one)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("end: 1835", "end: 1835-13", "cv.yaml:6: WARNING: education entry 'Self-taught mathematics': end: "
         "'1835-13' is not a date such as 2023 or 2023-07 [portfolio.cv]"),
        ("    end: 1843-08", "    ends: 1843-08", "cv.yaml:11: WARNING: positions entry: unknown field 'ends' "
         "(did you mean 'end'?) [portfolio.cv]"),
        ("    organisation: Analytical Engine project\n", "", "cv.yaml:8: WARNING: positions entry needs "
         "organisation; add it [portfolio.cv]"),
        ("start: 1830", "start: [1830", "cv.yaml:6: WARNING: YAML syntax error: expected ',' or ']', but got "
         "':'; fix the line named [portfolio.cv]"),
        ("    end: 1835", "    end: 1829", "cv.yaml:6: WARNING: education entry 'Self-taught mathematics': end 1829 "
         "is before start 1830; swap them [portfolio.cv]"),
        ("[alpha]", "[beta]", "cv.yaml:13: WARNING: open_source names project 'beta', which no project page "
         "declares; use a project page's id, or write the project as {name, url} [portfolio.cv]"),
    ],
    ids=["bad-date", "unknown-field", "no-organisation", "yaml-syntax", "end-before-start", "unknown-project"],
)  # fmt: skip
def test_bad_cv_data_is_one_located_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in CV_YAML
    srcdir = cv_root(tmp_path, CV_YAML.replace(old, new, 1))
    built = build(srcdir)
    assert built.warnings == [message]
    assert (srcdir / "cv.yaml").read_text(encoding="utf-8") == CV_YAML.replace(old, new, 1)  # untouched
    proc = run_check(srcdir, "--source", ".")  # the same line without a build
    assert proc.returncode == 1 and [line.replace(f"{srcdir}/", "") for line in proc.stderr.splitlines()] == [
        message
    ]


def test_missing_file_and_unknown_part(tmp_path: Path) -> None:
    srcdir = cv_root(tmp_path)
    (srcdir / "cv.yaml").unlink()
    (srcdir / "cv.md").write_text(CV_PAGE.replace(":::{cv}", ":::{cv-section} awards"), encoding="utf-8")
    built = build(srcdir)
    assert built.warnings == [
        "conf.py:11: WARNING: the CV file cv.yaml does not exist; create it or fix portfolio_cv "
        "[portfolio.cv]",
        "cv.md:7: WARNING: unknown CV part 'awards'; use one of education, positions, open-source, talks, "
        "service [portfolio.cv]",
    ]


def test_the_pdf_is_made_without_a_network(tmp_path: Path) -> None:
    """The whole build, cv.pdf included, in a network namespace with no interface but
    loopback (``unshare -rn``): Typst has its fonts and our template imports no package."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode:
        pytest.skip("unshare -rn (util-linux, user namespaces) is not available to cut the network")
    srcdir = cv_root(tmp_path)
    out = tmp_path / "out"
    cmd = [unshare, "-rn", *sphinx_command(srcdir, out / "html", out / "doctrees", confdir=srcdir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (out / "html" / "cv.pdf").read_bytes().startswith(b"%PDF-")


def _fills(pdf: Path) -> set[tuple[int, int, int]]:
    """The RGB colours the PDF's first page fills text and rules with, as 0-255 triples."""
    from pypdf import PdfReader

    data = PdfReader(pdf).pages[0].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    found = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) scn", data)
    return {(round(float(r) * 255), round(float(g) * 255), round(float(b) * 255)) for r, g, b in found}


def test_the_pdf_takes_the_sites_accent_colour(tmp_path: Path) -> None:
    """portfolio_accent_color colours the PDF's headings and links, as it does the site."""
    default = build(cv_root(tmp_path / "default"))
    assert (0x1F, 0x4E, 0x8C) in _fills(default.outdir / "cv.pdf")
    red = build(cv_root(tmp_path / "red"), portfolio_accent_color="#8c1f2e")
    assert red.warnings == []
    fills = _fills(red.outdir / "cv.pdf")
    assert (0x8C, 0x1F, 0x2E) in fills and (0x1F, 0x4E, 0x8C) not in fills


def test_chinese_in_the_cv_needs_a_font_and_is_set_with_one(tmp_path: Path) -> None:
    """Typst's bundled fonts have no Chinese: without portfolio_fonts the build names the
    characters at their line of cv.yaml and makes no PDF Typst would refuse; with a font that
    has them, cv.pdf carries them as text."""
    yaml_text = CV_YAML.replace("Self-taught mathematics", "Self-taught mathematics 数学")
    bare = build(cv_root(tmp_path / "bare", yaml_text))
    assert [w for w in bare.warnings if "cv.pdf" in w] == [
        "cv.yaml:3: WARNING: cv.pdf cannot show '数学': Typst's bundled fonts have no Chinese, Japanese or Korean "
        "characters; name a font file that has them in portfolio_fonts (conf.py) [portfolio.cv]"
    ]
    assert not (bare.outdir / "cv.pdf").exists()
    fonts = build(cv_root(tmp_path / "fonts", yaml_text), portfolio_fonts=[str(CJK_FONT)])
    assert fonts.warnings == []
    assert "Self-taught mathematics 数学" in pdf_text(fonts.outdir / "cv.pdf")
