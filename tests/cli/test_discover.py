"""``portfolio discover`` against a local stand-in for OpenAlex, ORCID and DBLP, with
answers written in each service's documented format: exactly the papers refs.bib lacks,
across result pages; ``--add`` appends them, every other byte of refs.bib as it was;
``--ignore`` keeps a namesake's paper out for good."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakeservices import Reply, Services, services
from test_importer import ARXIV, BIBTEX, DBLP_BIB, JOURNAL_BIB, run

from helpers import build, copy_root
from portfolio.services import _http as http

JSON = "application/json"
IDS = '{"openalex": "A5000000001", "orcid": "0000-0002-1825-0097", "dblp": "12/3456"}'
SELECT = "&select=id,doi,title,publication_year&api_key=k"


def works_page(works: list[tuple[str, str | None, int]], cursor: str | None) -> Reply:
    """A page of OpenAlex's /works?filter=author.id:... with cursor paging."""
    results = [{"id": f"https://openalex.org/W{i}", "doi": f"https://doi.org/{doi}" if doi else None,
                "title": title, "publication_year": year} for i, (title, doi, year) in enumerate(works)]  # fmt: skip
    meta = {"count": 5, "per_page": 200, "next_cursor": cursor}
    return Reply(body=json.dumps({"meta": meta, "results": results}), content_type=JSON)


ORCID = {
    "group": [
        {"work-summary": [{"title": {"title": {"value": "Looped Engines and RNNs for the Analytical Engine"}},
                           "publication-date": {"year": {"value": "2025"}},
                           "external-ids": {"external-id": [
                               {"external-id-type": "doi", "external-id-value": "10.1000/ENGINE.2"}]}}]},
        {"work-summary": [{"title": {"title": {"value": "A paper of another Ada King"}},
                           "publication-date": {"year": {"value": "2021"}},
                           "external-ids": {"external-id": [
                               {"external-id-type": "doi", "external-id-value": "10.1000/namesake.9"}]}}]},
    ]
}  # fmt: skip
DBLP = """<?xml version="1.0" encoding="US-ASCII"?>
<dblpperson name="Ada King" pid="12/3456" n="3">
<person key="homepages/12/3456" mdate="2025-01-01"><author pid="12/3456">Ada King</author></person>
<r><article key="journals/je/LovelaceBS25" mdate="2025-03-01">
<author pid="12/3456">Ada Lovelace</author><title>Looped Engines and RNNs for the Analytical Engine.</title>
<year>2025</year><journal>J. Engines</journal><ee>https://doi.org/10.1000/engine.2</ee></article></r>
<r><inproceedings key="conf/looms/King24" mdate="2024-06-01">
<author pid="12/3456">Ada King</author><title>Punched Cards for <i>Patterns</i>.</title>
<year>2024</year><booktitle>Looms</booktitle><ee>https://example.org/looms24</ee></inproceedings></r>
<r><inproceedings key="conf/looms/King23" mdate="2023-06-01">
<author pid="12/3456">Ada King</author><title>Weaving Algebraic Patterns.</title>
<year>2023</year><booktitle>Looms</booktitle><ee>https://arxiv.org/abs/2301.00001</ee></inproceedings></r>
</dblpperson>
"""


def profiles(fake: Services) -> None:
    author = "/works?filter=author.id:A5000000001&per-page=200&cursor={}" + SELECT
    fake.reply(author.format("%2A"), works_page([
        ("Notes on the Analytical Engine", "10.1000/engine.1", 2024),  # in refs.bib by DOI
        ("Weaving Algebraic Patterns", "10.48550/arxiv.2301.00001", 2023),  # by its arXiv id
        ("Weaving algebraic patterns", "10.1000/loom.published", 2024),  # its published version, by title
    ], "page2"))  # fmt: skip
    fake.reply(author.format("page2"), works_page([
        ("Looped Engines and RNNs for the Analytical Engine", "10.1000/engine.2", 2025),  # new
        ("Looped Engines and RNNs for the Analytical Engine", "10.48550/arxiv.2501.01234", 2025),  # its preprint
    ], None))  # fmt: skip
    fake.reply("/v3.0/0000-0002-1825-0097/works", Reply(body=json.dumps(ORCID), content_type=JSON))
    fake.reply("/pid/12/3456.xml", Reply(body=DBLP, content_type="application/xml"))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    monkeypatch.setenv("PORTFOLIO_OPENALEX_KEY", "k")
    srcdir = copy_root(tmp_path)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"portfolio_author_ids = {IDS}\n")
    (srcdir / "discover-ignore.txt").write_text(
        "# not hers\nhttps://doi.org/10.1000/NAMESAKE.9\n", encoding="utf-8"
    )
    return srcdir


def test_discover_proposes_exactly_what_refs_bib_lacks(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (site / "refs.bib").read_bytes()
    with services(monkeypatch) as fake:
        profiles(fake)
        status, out, err = run(site, "discover")
        pages = [path for path, _, _ in fake.requests if path.startswith("/works?")]
    assert (status, err) == (0, ""), out
    assert out.splitlines() == [
        "10.1000/engine.2  2025  Looped Engines and RNNs for the Analytical Engine  (DBLP, OpenAlex, ORCID)",
        "DBLP:conf/looms/King24  2024  Punched Cards for Patterns  (DBLP)",
        "discover: 2 new of 5 listed by DBLP, OpenAlex, ORCID (2 in refs.bib, 1 ignored)",
    ]
    assert len(pages) == 2  # both result pages were read
    assert (site / "refs.bib").read_bytes() == before  # discover alone writes nothing


def test_add_appends_them_and_the_site_builds(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (site / "refs.bib").read_text(encoding="utf-8")
    with services(monkeypatch) as fake:
        profiles(fake)
        fake.reply("/10.1000/engine.2", Reply(body=JOURNAL_BIB, content_type=BIBTEX))
        fake.reply("/rec/conf/looms/King24.bib", Reply(body=DBLP_BIB, content_type=BIBTEX))
        status, out, _ = run(site, "discover", "--add")
    assert status == 0, out
    assert out.splitlines()[-1].endswith("; added 2")
    after = (site / "refs.bib").read_text(encoding="utf-8")
    assert after.startswith(before)  # every byte before them as it was
    added = after[len(before) :]
    assert added.count("\n@") == 2 and "doi          = {10.1000/engine.2}" in added
    assert "Punched Cards for Patterns" in added
    assert build(site).warnings == []
    with services(monkeypatch) as fake:  # and now nothing is new
        profiles(fake)
        _, out, _ = run(site, "discover")
    assert out.splitlines() == [
        "discover: 0 new of 5 listed by DBLP, OpenAlex, ORCID (4 in refs.bib, 1 ignored)"
    ]


def test_an_ignored_paper_is_never_proposed_again(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, _ = run(site, "discover", "--ignore", "https://doi.org/10.1000/Engine.2")
    assert status == 0 and out == "ignored 10.1000/engine.2: portfolio discover will not propose it again " \
        "(discover-ignore.txt)\n"  # fmt: skip
    assert run(site, "discover", "--ignore", "10.1000/engine.2")[1].endswith("on the ignore list already "
                                                                             "(discover-ignore.txt)\n")  # fmt: skip
    lines = (site / "discover-ignore.txt").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "10.1000/engine.2" and lines[0].startswith("#")
    with services(monkeypatch) as fake:
        profiles(fake)
        _, out, _ = run(site, "discover")
    assert [line.split("  ")[0] for line in out.splitlines()[:-1]] == ["DBLP:conf/looms/King24"]


def test_without_profiles_or_with_a_failing_one_it_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    srcdir = copy_root(tmp_path)
    status, _, err = run(srcdir, "discover")
    assert status == 2 and err.startswith("error: no author profiles: set portfolio_author_ids in conf.py")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('portfolio_author_ids = {"orcid": "0000-0002-1825-0097", "dblp": "12/3456"}\n')
    with services(monkeypatch) as fake:
        fake.reply("/v3.0/0000-0002-1825-0097/works", Reply(body='{"group": [', content_type=JSON))
        fake.reply("/pid/12/3456.xml", Reply(body=DBLP, content_type="application/xml"))
        status, out, _ = run(srcdir, "discover")
    lines = out.splitlines()
    assert lines[0] == "error: ORCID 0000-0002-1825-0097: ORCID's answer is not JSON; try again later"
    assert lines[-1].startswith("discover: ") and status == 0  # DBLP was still read


def test_an_arxiv_only_paper_is_proposed_by_its_arxiv_id(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with services(monkeypatch) as fake:
        profiles(fake)
        author = "/works?filter=author.id:A5000000001&per-page=200&cursor=%2A" + SELECT
        fake.reply(author, works_page([("Looped Engines and RNNs for the Analytical Engine",
                                        "10.48550/arxiv.2501.01234", 2025)], None))  # fmt: skip
        fake.reply("/v3.0/0000-0002-1825-0097/works", Reply(body='{"group": []}', content_type=JSON))
        fake.reply("/pid/12/3456.xml", Reply(body="<dblpperson/>", content_type="application/xml"))
        fake.reply("/api/query?id_list=2501.01234", Reply(body=ARXIV))
        _, out, _ = run(site, "discover", "--add")
    assert out.splitlines()[0].startswith("2501.01234  2025  Looped Engines")
    assert "eprint       = {2501.01234}" in (site / "refs.bib").read_text(encoding="utf-8")


def test_works_are_merged_by_identifier_or_title_never_by_an_empty_title() -> None:
    from portfolio.cli._discover import merged
    from portfolio.services import Work

    works = [
        Work("脉冲神经网络", "2024", doi="10.1000/a", sources=["ORCID"]),  # fold() keeps no letter of these
        Work("语言模型", "2024", doi="10.1000/b", sources=["DBLP"]),
        Work("语言模型", "2024", doi="10.1000/b", sources=["OpenAlex"]),  # the same DOI: one work
        Work("Looped Engines", "2025", arxiv="2501.01234", sources=["DBLP"]),
        Work("Looped engines", "2025", doi="10.1000/engine.2", sources=["OpenAlex"]),  # the same title
    ]
    found = merged(works)
    assert [(w.doi, w.arxiv, w.sources) for w in found] == [
        ("10.1000/a", "", ["ORCID"]),
        ("10.1000/b", "", ["DBLP", "OpenAlex"]),
        ("10.1000/engine.2", "2501.01234", ["DBLP", "OpenAlex"]),
    ]
