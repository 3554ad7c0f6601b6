"""``portfolio metrics`` against the real OpenAlex and Semantic Scholar responses other
projects recorded (../shared/import-recorded, beside CI's checkout; this module skips
without it), each served where its service answers: the counts are the ones the records
hold (read here with json), a record without a count is one line, an unknown paper none."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from fakeservices import Reply, services
from test_importer import run

from helpers import SHARED, copy_root
from portfolio.services import _http as http

RECORDED = SHARED / "import-recorded"
pytestmark = pytest.mark.skipif(
    not RECORDED.is_dir(), reason=f"{RECORDED} is absent (it sits beside CI's checkout, not beside a clone)"
)
#: recording -> (its paper's DOI or arXiv id, the service)
PAPERS = {
    "openalex/commonmeta-works-10.1145_3448016.3452841.json": ("10.1145/3448016.3452841", "openalex"),
    "openalex/commonmeta-works-10.7600_jspfsm.56.60.json": ("10.7600/jspfsm.56.60", "openalex"),
    "openalex/commonmeta-works-sici-10.1890_0012-9658-2006-87.json": (
        "10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2", "openalex"),
    "openalex/paperqa-works-select-10.1002_wrna.1370.json": ("10.1002/wrna.1370", "openalex"),
    "openalex/paperqa-works-10.1046_j.1365-2699.2003.00795.404.html": ("10.1046/j.1365-2699.2003.00795", "openalex"),
    "semantic-scholar/paperqa-paper-DOI-10.1038_s42256-024-00832-8.json": ("10.1038/s42256-024-00832-8", "s2"),
    "semantic-scholar/paperqa-paper-DOI-10.48550_arxiv.2312.07559.json": ("arXiv:2312.07559", "s2"),
    "semantic-scholar/paperqa-paper-DOI-10.1101_2024.04.01.587366.404.json": ("10.1101/2024.04.01.587366", "s2"),
}  # fmt: skip


def entry(i: int, ident: str) -> str:
    link = f"eprint = {{{ident.split(':', 1)[1]}}}, archivePrefix = {{arXiv}}" if ident.startswith("arXiv:") \
        else f"doi = {{{ident}}}"  # fmt: skip
    return f"@article{{rec{i}, title = {{Recorded {i}}}, author = {{Lovelace, Ada}}, journal = {{J}}, year = {{2024}}, {link}}}\n"


def test_counts_from_recorded_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    monkeypatch.setenv("PORTFOLIO_OPENALEX_KEY", "k")
    monkeypatch.setenv("PORTFOLIO_S2_KEY", "k")
    idents = list(dict.fromkeys(ident for ident, _ in PAPERS.values()))
    srcdir = copy_root(tmp_path, files={"refs.bib": "".join(entry(i, x) for i, x in enumerate(idents))})
    expected: dict[str, int | None] = {}
    with services(monkeypatch) as fake:
        for name, (ident, service) in PAPERS.items():
            body = (RECORDED / name).read_bytes()
            meta = json.loads(
                (RECORDED / name.replace(".json", ".meta.json").replace(".html", ".meta.json")).read_text()
            )
            status = int(meta.get("status") or 200)
            doi = ident if not ident.startswith("arXiv:") else f"10.48550/arxiv.{ident[6:]}"
            if service == "openalex":
                path = f"/works/doi:{quote(doi, safe='/')}?api_key=k"
            else:
                paper = f"DOI:{ident}" if not ident.startswith("arXiv:") else f"ARXIV:{ident[6:]}"
                path = f"/graph/v1/paper/{quote(paper, safe=':/')}?fields=citationCount,url"
            fake.reply(path, Reply(status, body, "application/json"))
            record = json.loads(body) if status == 200 else {}
            expected[ident] = (
                record.get("cited_by_count", record.get("citationCount")) if status == 200 else None
            )
        status, out, _ = run(srcdir, "metrics")
    counts = json.loads((srcdir / "citations.json").read_text(encoding="utf-8"))["papers"]
    by_ident = {ident: counts.get(f"rec{i}", {}).get("count") for i, ident in enumerate(idents)}
    for ident, count in expected.items():
        assert by_ident[ident] == count, ident  # the record's own number, or none
    # the records that hold no count (an answer to select=, a title-only answer) are one line each
    assert expected["10.1002/wrna.1370"] is None and expected["arXiv:2312.07559"] is None
    assert status == 1 and sum("has no citation count" in line for line in out.splitlines()) == 2
    recorded = json.loads((RECORDED / "openalex/commonmeta-works-10.1145_3448016.3452841.json").read_text())
    paper = counts[f"rec{idents.index('10.1145/3448016.3452841')}"]
    assert paper["record"] == recorded["id"]
    assert paper["by_year"] == {str(r["year"]): r["cited_by_count"] for r in recorded["counts_by_year"]}
