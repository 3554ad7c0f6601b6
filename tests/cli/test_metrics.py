"""``portfolio metrics`` against a local stand-in for OpenAlex and Semantic Scholar, with
answers written in each service's documented format: the counts file, what the build shows
from it (each paper, the lists, the totals on the home page and the CV), and what a run in
which services fail keeps."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fakeservices import Reply, Services, services
from test_importer import run

from helpers import build, copy_root, pdf_text, run_check
from portfolio.services import _http as http

JSON = "application/json"
KEY = "test-key"


def openalex(work: int, doi: str, count: int, years: dict[int, int]) -> Reply:
    """A work as OpenAlex's /works/doi:<DOI> gives it (the fields we read, and a few more)."""
    return Reply(body=json.dumps({
        "id": f"https://openalex.org/W{work}", "doi": f"https://doi.org/{doi}", "title": "...",
        "cited_by_count": count,
        "counts_by_year": [{"year": y, "cited_by_count": n} for y, n in sorted(years.items(), reverse=True)],
    }), content_type=JSON)  # fmt: skip


def s2(paper: str, count: int) -> Reply:
    return Reply(body=json.dumps({"paperId": paper, "url": f"https://www.semanticscholar.org/paper/{paper}",
                                  "citationCount": count}), content_type=JSON)  # fmt: skip


NOT_FOUND = Reply(404, json.dumps({"error": "not found"}), JSON)


def oa(doi: str) -> str:
    return f"/works/doi:{doi}?api_key={KEY}"


def sem(paper: str) -> str:
    return f"/graph/v1/paper/{paper}?fields=citationCount,url"


def first_answers(fake: Services) -> None:
    fake.reply(oa("10.1000/engine.1"), openalex(2000000001, "10.1000/engine.1", 12, {2024: 4, 2025: 8}))
    fake.reply(
        oa("10.48550/arxiv.2301.00001"), openalex(2000000002, "10.48550/arxiv.2301.00001", 7, {2025: 7})
    )
    fake.reply(oa("10.1000/engine.2"), openalex(2000000003, "10.1000/engine.2", 3, {2025: 3}))
    fake.reply(oa("10.1000/loom.4"), NOT_FOUND)  # OpenAlex does not know it: Semantic Scholar does
    fake.reply(sem("DOI:10.1000/loom.4"), s2("abc123", 5))
    fake.reply(oa("10.48550/arxiv.2503.00003"), NOT_FOUND)  # nobody knows it: no number at all
    fake.reply(sem("ARXIV:2503.00003"), NOT_FOUND)
    fake.reply(oa("10.1000/engine.0"), openalex(2000000004, "10.1000/engine.0", 9, {2023: 2, 2024: 7}))


def counted_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """test-metrics with its counts read once, from the first answers."""
    srcdir = copy_root(tmp_path, "metrics")
    with services(monkeypatch) as fake:
        first_answers(fake)
        assert run(srcdir, "metrics")[0] == 0
    return srcdir


def day(date: dt.date) -> str:
    return f"{date.day} {date.strftime('%b')} {date.year}"


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    monkeypatch.setenv("PORTFOLIO_OPENALEX_KEY", KEY)
    monkeypatch.setenv("PORTFOLIO_S2_KEY", KEY)


def test_counts_are_read_written_and_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = copy_root(tmp_path, "metrics")
    today = dt.date.today()
    with services(monkeypatch) as fake:
        first_answers(fake)
        status, out, err = run(srcdir, "metrics")
        s2_keys = [h.get("x-api-key") for path, h, _ in fake.requests if path.startswith("/graph/")]
    assert (status, err) == (0, ""), out
    assert out.splitlines()[-1] == (
        "metrics: 5 of 6 papers counted (4 from OpenAlex, 1 from Semantic Scholar), 1 unknown to the services, "
        "0 failed; 36 citations, h-index 4; wrote citations.json"
    )
    assert s2_keys == [KEY, KEY]
    data = json.loads((srcdir / "citations.json").read_text(encoding="utf-8"))
    assert data["updated"] == today.isoformat()
    papers = data["papers"]
    assert set(papers) == {"lovelace2024engine", "king2023loom", "lovelace2025loops", "king2024cards",
                           "lovelace2023tables"}  # fmt: skip
    assert papers["lovelace2024engine"] == {
        "count": 12, "source": "openalex", "date": today.isoformat(), "record": "https://openalex.org/W2000000001",
        "by_year": {"2024": 4, "2025": 8},
    }  # fmt: skip
    assert papers["king2024cards"] == {"count": 5, "source": "semantic-scholar", "date": today.isoformat(),
                                       "record": "https://www.semanticscholar.org/paper/abc123"}  # fmt: skip
    # the h-index by hand: 12, 9, 7, 5, 3 -> four papers with at least four citations each
    counts = sorted((p["count"] for p in papers.values()), reverse=True)
    h = max(h for h in range(len(counts) + 1) if all(n >= h for n in counts[:h]))
    assert (sum(counts), h) == (36, 4)

    built = build(srcdir)
    assert built.warnings == []
    cited = built.soup("papers/lovelace2024engine.html").select_one(".portfolio-cited")
    assert cited is not None and cited.get_text() == f"Cited by 12 (OpenAlex, {day(today)})"
    assert cited.a["href"] == "https://openalex.org/W2000000001"
    cited = built.soup("papers/king2024cards.html").select_one(".portfolio-cited")
    assert cited is not None and cited.get_text() == f"Cited by 5 (Semantic Scholar, {day(today)})"
    assert cited.a["href"] == "https://www.semanticscholar.org/paper/abc123"
    assert built.soup("papers/lovelace2025notes.html").select_one(".portfolio-cited") is None  # no invented 0
    entry = built.soup("publications.html").select_one("#pub-king2023loom .portfolio-cited")
    assert entry is not None and entry.get_text().startswith("Cited by 7 (OpenAlex")
    summary = f"Cited 36 times; h-index {h} (counted by OpenAlex and Semantic Scholar, {day(today)})."
    home = built.soup("index.html").select_one(".portfolio-citation-summary")
    assert home is not None and home.get_text() == summary
    assert [a["href"] for a in home.select("a")] == [
        "https://openalex.org",
        "https://www.semanticscholar.org",
    ]
    cv = built.soup("cv.html").select_one("#cv-publications .portfolio-citation-summary")
    assert cv is not None and cv.get_text() == summary
    assert f"Cited 36 times; h-index {h} (OpenAlex and Semantic Scholar, {day(today)})." in pdf_text(
        built.outdir / "cv.pdf"
    )


def test_a_run_where_services_fail_keeps_their_papers_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = counted_site(tmp_path, monkeypatch)
    counts = srcdir / "citations.json"
    data = json.loads(counts.read_text(encoding="utf-8"))
    for paper in data["papers"].values():  # as if counted a while ago
        paper["date"] = "2026-01-05"
    counts.write_text(json.dumps(data), encoding="utf-8")
    busy = Reply(429, "slow down", headers={"Retry-After": "0"})
    with services(monkeypatch) as fake:
        first_answers(fake)
        fake.reply(oa("10.1000/engine.1"), busy)  # asked four times, busy each time
        fake.reply(oa("10.1000/engine.0"), Reply(500, "oops"))
        fake.reply(oa("10.1000/engine.2"), openalex(2000000003, "10.1000/engine.2", 4, {2025: 4}))
        fake.reply(sem("DOI:10.1000/loom.4"), s2("abc123", 6))
        status, out, _ = run(srcdir, "metrics")
        port = fake.url.rsplit(":", 1)[1]
    assert status == 1
    bib = (srcdir / "refs.bib").read_text(encoding="utf-8").splitlines()
    line = {key: bib.index(next(x for x in bib if x.endswith(f"{{{key},"))) + 1
            for key in ("lovelace2024engine", "lovelace2023tables")}  # fmt: skip
    assert out.splitlines()[:2] == [
        f"{srcdir / 'refs.bib'}:{line['lovelace2024engine']}: lovelace2024engine (DOI 10.1000/engine.1): "
        f"127.0.0.1:{port} answered 429 after 4 tries; try again in a few minutes; kept its count of 12 from "
        "2026-01-05",
        f"{srcdir / 'refs.bib'}:{line['lovelace2023tables']}: lovelace2023tables (DOI 10.1000/engine.0): "
        f"127.0.0.1:{port} answered 500 after 4 tries; try again in a few minutes; kept its count of 9 from "
        "2026-01-05",
    ]
    papers = json.loads(counts.read_text(encoding="utf-8"))["papers"]
    today = dt.date.today().isoformat()
    assert (papers["lovelace2024engine"]["count"], papers["lovelace2024engine"]["date"]) == (12, "2026-01-05")
    assert (papers["lovelace2023tables"]["count"], papers["lovelace2023tables"]["date"]) == (9, "2026-01-05")
    assert (papers["lovelace2025loops"]["count"], papers["lovelace2025loops"]["date"]) == (4, today)
    assert (papers["king2024cards"]["count"], papers["king2024cards"]["date"]) == (6, today)
    assert build(srcdir).warnings == []


def test_a_run_where_every_service_fails_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = counted_site(tmp_path, monkeypatch)
    before = (srcdir / "citations.json").read_bytes()
    monkeypatch.setenv("PORTFOLIO_OPENALEX_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("PORTFOLIO_S2_URL", "http://127.0.0.1:9")
    status, out, _ = run(srcdir, "metrics")
    assert status == 1
    assert (
        out.splitlines()[-1] == "metrics: every request failed; citations.json is unchanged (try again later)"
    )
    assert sum("cannot reach 127.0.0.1:9" in line for line in out.splitlines()) == 6
    assert (srcdir / "citations.json").read_bytes() == before


def test_without_keys_each_is_one_line_and_semantic_scholar_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PORTFOLIO_OPENALEX_KEY")
    monkeypatch.delenv("PORTFOLIO_S2_KEY")
    srcdir = copy_root(tmp_path, "metrics")
    with services(monkeypatch) as fake:
        for paper, count in (("DOI:10.1000/engine.1", 11), ("ARXIV:2301.00001", 6), ("DOI:10.1000/engine.2", 2),
                             ("DOI:10.1000/loom.4", 5), ("DOI:10.1000/engine.0", 1)):  # fmt: skip
            fake.reply(sem(paper), s2(paper.replace(":", "-"), count))
        status, out, _ = run(srcdir, "metrics")
        asked = {path.split("?")[0].split("/")[1] for path, _, _ in fake.requests}
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == ("note: no OpenAlex key; get a free one at https://openalex.org/settings/api and set "
                        "PORTFOLIO_OPENALEX_KEY; asking Semantic Scholar for every paper")  # fmt: skip
    assert lines[1].startswith(
        "note: no Semantic Scholar key; get a free one at https://www.semanticscholar.org/"
    )
    assert asked == {"graph"}  # OpenAlex was not asked without its key
    assert lines[-1].startswith("metrics: 5 of 6 papers counted (5 from Semantic Scholar)")


def test_a_site_without_counts_shows_none(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path, "metrics")
    assert not (srcdir / "citations.json").exists()
    built = build(srcdir)
    assert built.warnings == []
    for page in ("index.html", "publications.html", "papers/lovelace2024engine.html", "cv.html"):
        html = built.soup(page)
        assert not html.select(".portfolio-cited, .portfolio-citation-summary"), page


def test_a_damaged_counts_file_is_a_located_warning(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path, "metrics")
    (srcdir / "citations.json").write_text(
        '{"updated": "2026-12-01",\n "papers": {\n  "lovelace2024engine": {"count": -3, "source": "openalex", '
        '"date": "2026-12-01"},\n  "king2023loom": {"count": 4, "source": "openalex", "date": "2026-12-01"}}}\n',
        encoding="utf-8",
    )
    built = build(srcdir)
    assert built.warnings == [
        "citations.json:3: WARNING: the count of 'lovelace2024engine' is not as portfolio metrics writes it; "
        "it is left out [portfolio.metrics]"
    ]
    assert built.soup("papers/lovelace2024engine.html").select_one(".portfolio-cited") is None
    # portfolio check says the same, without a build
    check = run_check(srcdir, "--source", ".")
    assert check.returncode == 1
    assert [line.replace(f"{srcdir}/", "") for line in check.stderr.splitlines()] == built.warnings
    assert (
        built.soup("papers/king2023loom.html")
        .select_one(".portfolio-cited")
        .get_text()
        .startswith("Cited by 4")
    )
