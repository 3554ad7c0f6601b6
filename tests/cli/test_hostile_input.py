"""What comes from outside is handled at the door: an answer too large or inflating past
the cap is refused with the memory it takes bounded, a service's HTML, JATS or MathML
markup becomes LaTeX (and shows as italics and subscripts on the page), and a control
character in any input is a located warning, with every output still valid."""

from __future__ import annotations

import gzip
import re
import tracemalloc
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from fakeservices import Reply, services
from test_importer import BIBTEX, run

from helpers import SHARED, build, build_apart, copy_root, cv_root, pdf_text
from portfolio.bib import page_slug
from portfolio.services import _http as http
from portfolio.services import convert

TAG = re.compile(r"</?[A-Za-z][\w.:-]*[\s/>]")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "pause", lambda seconds: None)


# -- size ---------------------------------------------------------------------------------------
BIG = b"@article{big, title={" + b"a" * (48 << 20) + b"}, author={King, Ada}, year={2024}}"
BOMB = gzip.compress(b"@article{bomb, title={" + b"\0" * (64 << 20) + b"}}", compresslevel=9)


@pytest.mark.parametrize(
    ("case", "reply"),
    [
        ("declared too large", Reply(body=BIG, content_type=BIBTEX)),
        ("too large, length not declared", Reply(body=BIG, content_type=BIBTEX, length=-1)),
        ("a gzip bomb", Reply(body=BOMB, content_type=BIBTEX, headers={"Content-Encoding": "gzip"})),
    ],
)
def test_an_answer_past_the_cap_is_refused_with_memory_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, reply: Reply
) -> None:
    monkeypatch.setattr(http, "MAX_BODY", 1 << 20)
    srcdir = copy_root(tmp_path)
    before = (srcdir / "refs.bib").read_bytes()
    with services(monkeypatch) as fake:
        fake.reply("/10.1000/huge", reply)
        port = fake.url.rsplit(":", 1)[1]
        tracemalloc.start()
        try:
            status, out, err = run(srcdir, "add", "10.1000/huge")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert (status, out) == (1, "")
    assert err == (
        f"error: DOI 10.1000/huge: 127.0.0.1:{port}'s answer is larger than 1 MB"
        f"{' once decoded' if case != 'declared too large' else ''}; nothing was written (try again later)\n"
    )
    assert peak < 8 << 20, f"{peak / 2**20:.1f} MB"  # the answer is 48 MB, or 64 MB inflated
    assert (srcdir / "refs.bib").read_bytes() == before


# -- markup ---------------------------------------------------------------------------------------
MARKED_UP = (
    "@article{King_2024, title={Growth of <i>Escherichia coli</i> in CO<sub>2</sub>-rich air at "
    '<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:msub><mml:mi>T</mml:mi><mml:mn>0</mml:mn>'
    "</mml:msub></mml:math> &amp; beyond}, author={King, Ada and Jacquard, <scp>Joseph</scp>}, "
    "journal={Journal of <i>Microbial</i> Engines}, year={2024}, DOI={10.1000/coli.1}}"
)


def test_a_services_markup_becomes_latex_and_shows_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = copy_root(tmp_path)
    before = (srcdir / "refs.bib").read_text(encoding="utf-8")
    with services(monkeypatch) as fake:
        fake.reply("/10.1000/coli.1", Reply(body=MARKED_UP, content_type=BIBTEX))
        status, _, err = run(srcdir, "add", "10.1000/coli.1")
    assert status == 0, err
    added = (srcdir / "refs.bib").read_text(encoding="utf-8")[len(before) :]
    assert not TAG.search(added) and "&amp;" not in added, added
    title = re.search(r"title\s*=\s*\{(.*)\},\n", added)
    assert title is not None
    assert title.group(1) == (
        r"Growth of \textit{Escherichia coli} in {CO}\textsubscript{2}-rich air at ${T}_{0}$ \& beyond"
    )
    assert "Jacquard, Joseph" in added and "journal      = {Journal of Microbial Engines}" in added
    built = build(srcdir)
    assert built.warnings == []
    key = re.match(r"\n@article\{([^,]+),", added)
    assert key is not None
    h1 = built.soup(f"papers/{page_slug(key.group(1))}.html").find("h1")
    assert h1 is not None
    assert h1.find("em").get_text() == "Escherichia coli" and h1.find("sub").get_text() == "2"
    assert "T₀" in h1.get_text() and "&" in h1.get_text() and "<" not in h1.get_text()
    entry = built.soup("publications.html").find(string=re.compile("Escherichia"))
    assert entry is not None and entry.parent.name == "em"


RECORDED = SHARED / "import-recorded"


@pytest.mark.skipif(not RECORDED.is_dir(), reason=f"{RECORDED} is absent (it sits beside CI's checkout)")
def test_markup_in_recorded_records_never_passes_the_door() -> None:
    """Every string with markup in the JSON records that services gave other projects
    (Crossref's JATS abstracts, DataCite, OpenAlex): no tag survives, as plain text or LaTeX."""
    import json

    seen = 0

    def walk(value: object) -> None:
        nonlocal seen
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and TAG.search(value):
            seen += 1
            plain, latex = convert(value)
            assert not TAG.search(plain) and not TAG.search(latex), value[:200]

    for path in sorted(RECORDED.glob("*/*.json")):
        if path.name.endswith(".meta.json"):
            continue
        try:
            walk(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            continue  # an error page recorded as .json
    assert seen >= 2  # the JATS abstracts at least


# -- control characters -------------------------------------------------------------------------
def test_control_characters_are_left_out_located_and_outputs_stay_valid(tmp_path: Path) -> None:
    srcdir = cv_root(tmp_path)
    edits = {
        "refs.bib": ("Notes on the {Analytical Engine}", "Notes on the\x0b{Analytical Engine}\x01"),
        "news.md": ("Weaving accepted.", "Weaving\x0caccepted."),
        "projects/alpha.md": ("The first engine.", "The first\x01 engine."),
        "cv.yaml": ("Analyst of engines", "Analyst of\x1f engines"),
    }
    for name, (old, new) in edits.items():
        path = srcdir / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('extensions.append("sphinx_sitemap")\nproject = "Test\\x0cLab"\n')
    conf_line = (srcdir / "conf.py").read_text(encoding="utf-8").count("\n")
    sources = {name: (srcdir / name).read_bytes() for name in edits}
    built = build_apart(srcdir)  # sphinx-sitemap starts a manager process: not in the session's
    assert built.returncode == 0
    fix = "as text pasted from a PDF carries, is left out; delete it from the line named [portfolio.control_char]"
    cv_fix = "as text pasted from a PDF carries, is left out; delete it from the line named [portfolio.cv]"
    assert sorted(built.warnings) == sorted([
        f"refs.bib:2: WARNING: a control character (U+000B), {fix}",
        f"refs.bib:2: WARNING: a control character (U+0001), {fix}",
        f"news.md:7: WARNING: a control character (U+000C), {fix}",
        f"projects/alpha.md:4: WARNING: a control character (U+0001), {fix}",
        f"cv.yaml:1: WARNING: a control character (U+001F), {cv_fix}",
        f"conf.py:{conf_line}: WARNING: project holds a control character (U+000C), as text pasted from a PDF "
        "carries; it is left out; delete it from conf.py [portfolio.control_char]",
    ]), built.warnings  # fmt: skip
    assert {name: (srcdir / name).read_bytes() for name in edits} == sources  # no source changed
    feed = ET.parse(built.outdir / "news.xml").getroot()
    assert "Weaving accepted." in ET.tostring(feed, encoding="unicode")
    assert feed.findtext("{http://www.w3.org/2005/Atom}title") == "Test Lab: news"  # the form feed is a space
    assert ET.parse(built.outdir / "sitemap.xml").getroot().tag.endswith("urlset")
    assert "Analyst of engines" in pdf_text(built.outdir / "cv.pdf")
    assert (
        built.soup("papers/lovelace2024engine.html")
        .find("h1")
        .get_text()
        .startswith("Notes on the Analytical Engine")
    )
    assert "The first engine." in built.soup("projects/alpha.html").get_text()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("", b"@article{x}"),
        ("gzip", gzip.compress(b"@article{x}")),
        ("deflate", zlib.compress(b"@article{x}")),  # zlib's format, as the standard says
        ("deflate", zlib.compress(b"@article{x}")[2:-4]),  # bare deflate, as some servers send
    ],
)
def test_each_encoding_is_inflated_however_it_arrives(encoding: str, body: bytes) -> None:
    decoder = http._Decoder(encoding, "DOI 10.1000/x", "host")
    for i in range(len(body)):  # a byte at a time, as a slow service sends it
        decoder.feed(body[i : i + 1])
    assert decoder.body() == b"@article{x}"


def test_an_encoding_not_asked_for_is_one_line() -> None:
    with pytest.raises(http.SourceError) as caught:
        http._Decoder("br", "DOI 10.1000/x", "host")
    assert (
        str(caught.value)
        == "DOI 10.1000/x: host answered in an encoding it was not asked for (br); try again later"
    )
