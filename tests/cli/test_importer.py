"""``python -m portfolio add`` and ``refresh`` against a local server (tests/fakeservices.py)
that answers with responses written here in each service's own format (arXiv's Atom, doi.org's
and dblp's BibTeX, OpenReview's JSON), error cases included: the entry each builds, the file
left byte for byte as it was around it, the build that follows, and one line for each
failure with the file untouched.  tests/cli/test_importer_recorded.py does the same with
responses other projects recorded from the real services."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fakeservices import Reply, services

from helpers import CONF, OWNER_FIELD, ROOT, build, copy_root, copy_site, sphinx_command
from portfolio.cli import main as cli_main
from portfolio.services import _http as http

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/test</id>
  <title>arXiv Query: id_list=2501.01234</title>
  <updated>2026-01-05T00:00:00Z</updated>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  {entry}
</feed>"""
ENTRY = """<entry>
    <id>http://arxiv.org/abs/2501.01234v2</id>
    <updated>2025-03-01T10:00:00Z</updated>
    <published>2025-01-02T10:00:00Z</published>
    <title>Looped Engines and RNNs for the
      Analytical Engine</title>
    <summary>Not read by the importer.</summary>
    <author><name>Ada Lovelace</name></author>
    <author><name>Charles Babbage</name></author>
    <author><name>Mary Somerville</name></author>
    {extra}
    <link href="https://arxiv.org/abs/2501.01234v2" rel="alternate" type="text/html"/>
    <arxiv:primary_category term="cs.LG"/>
  </entry>"""
PUBLISHED = ('<arxiv:doi>10.1000/engine.2</arxiv:doi>\n'
             '    <arxiv:journal_ref>Journal of Engines 12, 34-56 (2025)</arxiv:journal_ref>')  # fmt: skip
ARXIV = ATOM.format(total=1, entry=ENTRY.format(extra=""))
ARXIV_PUBLISHED = ATOM.format(total=1, entry=ENTRY.format(extra=PUBLISHED))
JOURNAL_BIB = (
    " @article{Lovelace_2025, title={Looped Engines and RNNs for the Analytical Engine}, volume={12},"
    " url={http://dx.doi.org/10.1000/engine.2}, DOI={10.1000/engine.2}, number={3}, journal={Journal of"
    " Engines}, publisher={Engine Press}, author={Lovelace, Ada and Babbage, Charles and Somerville, Mary},"
    " year={2025}, month=mar, pages={34\u201356} }"
)
CONFERENCE_BIB = (
    "@inproceedings{King_2024, title={Weaving with the {Jacquard} Loom}, booktitle={Proceedings of Looms"
    " 2024}, publisher={Loom Society}, author={King, Ada and Jacquard, Joseph-Marie}, year={2024},"
    " pages={1\u20139}, DOI={10.1000/loom.3}}"
)
DBLP_BIB = """
@inproceedings{DBLP:conf/looms/King24,
  author       = {Ada King and
                  Joseph{-}Marie Jacquard},
  title        = {Punched Cards for Patterns},
  booktitle    = {Proceedings of Looms 2024},
  pages        = {10--19},
  year         = {2024},
  url          = {https://example.org/looms/10},
  biburl       = {https://dblp.org/rec/conf/looms/King24.bib},
  bibsource    = {dblp computer science bibliography, https://dblp.org}
}
"""
OPENREVIEW = json.dumps({"notes": [{"id": "AbCdEf123", "forum": "AbCdEf123", "pdate": 1717200000000,
    "content": {"title": {"value": "Engines that Reason in Loops"},
                "authors": {"value": ["Ada Lovelace", "Charles Babbage"]},
                "venue": {"value": "ICLR 2024 Tiny Papers"}}}], "count": 1})  # fmt: skip
BIBTEX = "application/x-bibtex; charset=utf-8"

#: identifier -> (path, reply, entry type, title as written, venue field)
CASES = {
    "arXiv id": ("2501.01234", "/api/query?id_list=2501.01234", Reply(body=ARXIV), "misc",
                 "{Looped Engines and {RNNs} for the Analytical Engine}", None),
    "arXiv URL with version": ("https://arxiv.org/abs/2501.01234v2", "/api/query?id_list=2501.01234v2",
                               Reply(body=ARXIV), "misc", None, None),
    "journal DOI": ("https://doi.org/10.1000/engine.2", "/10.1000/engine.2",
                    Reply(body=JOURNAL_BIB, content_type=BIBTEX), "article", None, "journal = {Journal of Engines}"),
    "conference DOI": ("10.1000/loom.3", "/10.1000/loom.3", Reply(body=CONFERENCE_BIB, content_type=BIBTEX),
                       "inproceedings", "{Weaving with the Jacquard Loom}", "booktitle = {Proceedings of Looms 2024}"),
    "DBLP key": ("DBLP:conf/looms/King24", "/rec/conf/looms/King24.bib", Reply(body=DBLP_BIB, content_type=BIBTEX),
                 "inproceedings", "{Punched Cards for Patterns}", "pages = {10--19}"),
    "OpenReview URL": ("https://openreview.net/forum?id=AbCdEf123", "/notes?id=AbCdEf123",
                       Reply(body=OPENREVIEW, content_type="application/json"), "inproceedings",
                       "{Engines that Reason in Loops}", "booktitle = {ICLR 2024 Tiny Papers}"),
}  # fmt: skip


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services' rate limits are kept by a pause, and a failed request is asked again
    after a pause (what Retry-After asks for, else 2, 4, 8 s); here none is waited for."""
    monkeypatch.setattr(http, "pause", lambda seconds: None)


def run(srcdir: Path, *args: str) -> tuple[int, str, str]:
    """The command in-process (the environment points it at the local server)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli_main([*args, "--conf", str(srcdir), "--source", "."])
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_add_builds_one_entry_in_the_files_style(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    identifier, path, reply, entry_type, title, venue = CASES[case]
    srcdir = copy_root(tmp_path)
    before = (srcdir / "refs.bib").read_bytes()
    with services(monkeypatch) as fake:
        fake.reply(path, reply)
        status, out, err = run(srcdir, "add", identifier)
    assert (status, err) == (0, ""), err
    after = (srcdir / "refs.bib").read_bytes()
    assert after.startswith(before)  # every byte before it stays
    added = after[len(before) :].decode("utf-8")
    assert added.startswith(f"\n@{entry_type}{{"), added
    assert added.count("\n@") == 1 and added.endswith("}\n")
    if title:
        assert f"  title        = {title}," in added
    if venue:
        name, value = venue.split(" = ", 1)
        assert re.search(rf"\n  {name.strip()} +{re.escape('= ' + value)},\n", added), added
    assert "x-owner      = {yes}" in added and "x-source     = {" in added
    key = added.split("{", 1)[1].split(",", 1)[0]
    assert f"{{paper}}`{key}`" in out and f"page: papers/{key}.html" in out
    assert [r[0] for r in fake.requests] == [path]
    assert "portfolio-importer" in fake.requests[0][1]["User-Agent"]
    built = build(srcdir)
    assert built.warnings == []
    page = built.soup(f"papers/{key}.html")
    owner = [s.get_text() for s in page.select(".portfolio-paper-meta strong.portfolio-owner")]
    assert owner and set(owner) <= {"Ada Lovelace", "Ada King"}


def test_arxiv_entry_has_every_author_and_its_eprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = copy_root(tmp_path)
    with services(monkeypatch) as fake:
        fake.reply("/api/query?id_list=2501.01234", Reply(body=ARXIV))
        assert run(srcdir, "add", "arXiv:2501.01234")[0] == 0
    text = (srcdir / "refs.bib").read_text(encoding="utf-8")
    assert "@misc{lovelace2025looped," in text
    assert "author       = {Lovelace, Ada and Babbage, Charles and Somerville, Mary}," in text
    assert "eprint       = {2501.01234},\n  archivePrefix = {arXiv}," in text
    assert "url          = {https://arxiv.org/abs/2501.01234}," in text


def test_a_paper_already_there_is_refused_naming_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = copy_root(tmp_path)
    bib = srcdir / "refs.bib"
    with services(monkeypatch) as fake:
        fake.reply(
            "/10.1000/engine.1", Reply(body=JOURNAL_BIB.replace("engine.2", "engine.1"), content_type=BIBTEX)
        )
        before = bib.read_bytes()
        status, out, err = run(srcdir, "add", "10.1000/engine.1")
    assert status == 1 and out == "" and bib.read_bytes() == before
    assert err == (
        "error: 10.1000/engine.1: refs.bib has this paper already, as 'lovelace2024engine' "
        "(same DOI, arXiv id or title)\n"
    )


def test_dry_run_writes_nothing_and_news_adds_a_stub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = copy_root(tmp_path)
    bib, news = srcdir / "refs.bib", srcdir / "news.md"
    before, news_before = bib.read_bytes(), news.read_bytes()
    with services(monkeypatch) as fake:
        fake.reply("/api/query?id_list=2501.01234", Reply(body=ARXIV))
        status, out, _ = run(srcdir, "add", "2501.01234", "--dry-run")
        assert status == 0 and "(dry run: nothing written)" in out and bib.read_bytes() == before
        status, out, _ = run(srcdir, "add", "2501.01234", "--news")
    assert status == 0 and news.read_bytes().startswith(news_before)
    stub = news.read_text(encoding="utf-8")[len(news_before.decode()) :]
    assert ":papers: lovelace2025looped\nNew paper: {paper}`lovelace2025looped`.\n:::\n" in stub
    assert build(srcdir).warnings == []


def test_add_to_the_real_refs_bib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Appended to the site's own refs.bib: every other entry byte-identical, the site builds
    with -W, and the new page shows every author with the owner's name in bold."""
    site = copy_site(tmp_path / "site")
    before = (site / "refs.bib").read_bytes()
    owner = CONF["portfolio_owner_names"][0]  # the site's owner, as the third author
    feed = ARXIV.replace("<name>Mary Somerville</name>", f"<name>{owner}</name>")
    with services(monkeypatch) as fake:
        fake.reply("/api/query?id_list=2501.01234", Reply(body=feed))
        status, _, err = run(site, "add", "2501.01234")
    assert status == 0, err
    after = (site / "refs.bib").read_bytes()
    assert after.startswith(before)
    assert re.search(rf"{re.escape(OWNER_FIELD)}\s*=\s*\{{yes\}}", after[len(before) :].decode("utf-8"))
    proc = subprocess.run(
        sphinx_command(site / "docs", tmp_path / "html", tmp_path / "doctrees", confdir=site),
        cwd=site, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    page = BeautifulSoup(
        (tmp_path / "html" / "papers" / "lovelace2025looped.html").read_text("utf-8"), "html5lib"
    )
    authors = page.select_one(".portfolio-paper-meta .portfolio-authors")
    names = ["Ada Lovelace", "Charles Babbage", owner]
    assert authors.get_text() == ", ".join(names)
    assert [s.get_text() for s in authors.select("strong")] == [
        n for n in names if n in CONF["portfolio_owner_names"]
    ]


# -- failures: one line, the file untouched ---------------------------------------------------
FAILURES: dict[str, tuple[str, list[Reply], str]] = {
    "404": ("10.1000/nosuch", [Reply(404, "<html><body>DOI Not Found</body></html>", "text/html")],
            "error: DOI 10.1000/nosuch: doi.org knows no such DOI (404); check it on the paper's page"),
    "429 Retry-After": ("10.1000/busy", [Reply(429, "slow down", headers={"Retry-After": "1"})],
                        "error: DOI 10.1000/busy: 127.0.0.1:{port} answered 429 after 4 tries; try again in 1 s"),
    "no such arXiv id": ("2501.99999", [Reply(body=ATOM.format(total=0, entry=""))],
                         "error: arXiv 2501.99999: arXiv has no paper with this id (no entry); check it on arxiv.org"),
    "withdrawn": ("2501.01234", [Reply(body=ATOM.format(total=1, entry=ENTRY.format(
                      extra="<arxiv:comment>This paper has been withdrawn by the authors</arxiv:comment>")))],
                  "error: arXiv 2501.01234: its authors have withdrawn this paper on arXiv (This paper has been "
                  "withdrawn by the authors); add its published version by DOI, or leave it out"),
    "malformed": ("2501.01234", [Reply(body="<html><p>Service Unavailable</p>")],
                  "error: arXiv 2501.01234: arXiv's answer is not complete XML (broken at line 1); nothing was "
                  "written (try again later)"),
    "truncated feed": ("2501.01234", [Reply(body=ATOM.format(total=1, entry=ENTRY.format(extra=""))[:ATOM.format(
                           total=1, entry=ENTRY.format(extra="")).index("Charles") + 4])],
                       "error: arXiv 2501.01234: arXiv's answer is not complete XML (broken at line 16); nothing "
                       "was written (try again later)"),
    "deep JSON": ("https://openreview.net/forum?id=Deep1", [Reply(body='{"notes": ' + "[" * 100_000 + "]" * 100_000 + "}",
                                                                  content_type="application/json")],
                  "error: OpenReview Deep1: OpenReview's answer nests deeper than any record; nothing was written "
                  "(try again later)"),
    "notes of another shape": ("https://openreview.net/forum?id=Odd1", [Reply(body='{"notes": [["a list"]]}',
                                                                            content_type="application/json")],
                               "error: OpenReview Odd1: OpenReview's note is not in the form it documents; try again "
                               "later"),
    "redirect to a file": ("10.1000/moved", [Reply(302, "", headers={"Location": "file:///etc/passwd"})],
                           "error: DOI 10.1000/moved: refused a redirect to 'file:///etc/passwd': only the http(s) "
                           "addresses of the services this command reads are followed"),
    "redirect elsewhere": ("10.1000/away", [Reply(302, "", headers={"Location": "https://example.org/x.bib"})],
                           "error: DOI 10.1000/away: refused a redirect to 'https://example.org/x.bib': only the "
                           "http(s) addresses of the services this command reads are followed"),
    "malformed BibTeX": ("10.1000/broken", [Reply(body="@article{x, title={unclosed", content_type=BIBTEX)],
                         "error: DOI 10.1000/broken: the answer is not BibTeX (syntax error in line 1: premature end "
                         "of file); try another identifier of the paper"),
    "timeout": ("10.1000/slow", [Reply(body=JOURNAL_BIB, content_type=BIBTEX, delay=3)],
                "error: DOI 10.1000/slow: 127.0.0.1:{port} did not finish answering within 1 s; nothing was "
                "written (try again later)"),
    "stalls mid-answer": ("10.1000/trickle", [Reply(body=JOURNAL_BIB, content_type=BIBTEX, trickle=0.2)],
                          "error: DOI 10.1000/trickle: 127.0.0.1:{port} did not finish answering within 1 s; "
                          "nothing was written (try again later)"),
    "trickles its headers": ("10.1000/headers", [Reply(body=JOURNAL_BIB, content_type=BIBTEX, trickle=0.2,
                                                        trickle_headers=True)],
                             "error: DOI 10.1000/headers: 127.0.0.1:{port} did not finish answering within 1 s; "
                             "nothing was written (try again later)"),
    "a shorter body than announced": ("10.1000/short", [Reply(body=JOURNAL_BIB, content_type=BIBTEX, length=10_000)],
                                      "error: DOI 10.1000/short: 127.0.0.1:{port} failed (ProtocolError); try again "
                                      "later"),
}  # fmt: skip
PATHS = {"2501.99999": "/api/query?id_list=2501.99999", "2501.01234": "/api/query?id_list=2501.01234",
         "https://openreview.net/forum?id=Deep1": "/notes?id=Deep1",
         "https://openreview.net/forum?id=Odd1": "/notes?id=Odd1"}  # fmt: skip


@pytest.mark.parametrize("case", list(FAILURES))
def test_each_failure_is_one_line_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    identifier, replies, message = FAILURES[case]
    monkeypatch.setattr(http, "DEADLINE", 1.0)
    srcdir = copy_root(tmp_path)
    bib = srcdir / "refs.bib"
    before, mtime = bib.read_bytes(), bib.stat().st_mtime_ns
    with services(monkeypatch) as fake:
        fake.reply(PATHS.get(identifier, f"/{identifier}"), *replies)
        started = time.monotonic()
        status, out, err = run(srcdir, "add", identifier)
        took = time.monotonic() - started
        port = fake.url.rsplit(":", 1)[1]
    assert (status, out) == (1, "")
    assert err == message.format(port=port) + "\n"
    assert bib.read_bytes() == before and bib.stat().st_mtime_ns == mtime
    assert not list(srcdir.glob(".refs.bib.*"))  # no temporary file left
    assert took < 3.0  # within the deadline of 1 s, however the answer trickles
    if case == "429 Retry-After":  # retried, each time after the pause the service asked for
        assert len(fake.requests) == 4


def test_offline_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = copy_root(tmp_path)
    before = (srcdir / "refs.bib").read_bytes()
    monkeypatch.setenv("PORTFOLIO_ARXIV_URL", "http://127.0.0.1:9")  # nothing listens there
    status, out, err = run(srcdir, "add", "2501.01234")
    assert (status, out) == (1, "")
    assert err == (
        "error: arXiv 2501.01234: cannot reach 127.0.0.1:9 (connection refused or no network); "
        "check the network connection and try again\n"
    )
    assert (srcdir / "refs.bib").read_bytes() == before


def test_a_busy_service_is_waited_for_as_it_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = copy_root(tmp_path)
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)
    with services(monkeypatch) as fake:
        fake.reply("/10.1000/engine.2", Reply(429, "slow down", headers={"Retry-After": "7"}),
                   Reply(body=JOURNAL_BIB, content_type=BIBTEX))  # fmt: skip
        status, _, err = run(srcdir, "add", "10.1000/engine.2")
    assert status == 0, err
    assert waits == [7.0] and len(fake.requests) == 2


# -- refresh ----------------------------------------------------------------------------------
PREPRINT = """
@misc{lovelace2025looped,
  title        = {Looped Engines and {RNNs} for the Analytical Engine},
  author       = {Lovelace, Ada and others},
  year         = {2025},
  eprint       = {2501.01234},
  archivePrefix = {arXiv},
  x-summary    = {Our summary, kept.},
  keywords     = {engines},
  x-owner      = {yes}
}
"""


def test_refresh_reports_then_writes_the_published_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = copy_root(tmp_path)
    bib = srcdir / "refs.bib"
    original = bib.read_text(encoding="utf-8")
    bib.write_text(original + PREPRINT, encoding="utf-8")
    with services(monkeypatch) as fake:
        fake.reply("/api/query?id_list=2501.01234", Reply(body=ARXIV_PUBLISHED))
        fake.reply("/10.1000/engine.2", Reply(body=JOURNAL_BIB, content_type=BIBTEX))
        status, report, _ = run(srcdir, "refresh")
        assert status == 0 and bib.read_text(encoding="utf-8") == original + PREPRINT  # a report only
        assert "lovelace2025looped: would set @article, author = {Lovelace, Ada and Babbage, Charles and " \
            "Somerville, Mary}, journal = {Journal of Engines}" in report  # fmt: skip
        assert "published as doi:10.1000/engine.2 (Journal of Engines 12, 34-56 (2025))" in report
        assert report.rstrip().endswith("1 entry to update; run with --write to apply")
        status, report, _ = run(srcdir, "refresh", "--write")
    assert status == 0 and report.rstrip().endswith("1 entry updated")
    text = bib.read_text(encoding="utf-8")
    assert text.startswith(original)  # every other entry as it was
    entry = text[len(original) :]
    assert entry.startswith("\n@article{lovelace2025looped,")  # the key kept: no URL changes
    for kept in ("x-summary    = {Our summary, kept.}", "keywords     = {engines}", "x-owner      = {yes}",
                 "eprint       = {2501.01234}"):  # fmt: skip
        assert kept in entry
    for new in ("journal      = {Journal of Engines}", "volume       = {12}", "pages        = {34--56}",
                "doi          = {10.1000/engine.2}", "author       = {Lovelace, Ada and Babbage, Charles and Somerville, Mary}"):  # fmt: skip
        assert new in entry, entry
    assert entry.index("doi          =") < entry.index("x-summary")
    built = build(srcdir)
    assert built.warnings == []
    assert "Journal of Engines" in built.soup("papers/lovelace2025looped.html").get_text()


def test_refresh_never_removes_an_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcdir = copy_root(tmp_path)
    bib = srcdir / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + PREPRINT, encoding="utf-8")
    before = bib.read_bytes()
    with services(monkeypatch) as fake:
        fake.reply("/api/query?id_list=2501.01234", Reply(503, "down"))
        status, report, _ = run(srcdir, "refresh", "--write")
    assert status == 1 and bib.read_bytes() == before
    assert "lovelace2025looped: arXiv 2501.01234: 127.0.0.1:" in report and "0 entries updated" in report


def test_the_command_runs_from_the_command_line() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "portfolio", "add", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and "--dry-run" in proc.stdout and "--news" in proc.stdout
