"""``add`` and ``refresh`` against the real responses other projects recorded from arXiv,
doi.org, Crossref, DataCite, dblp, OpenAlex and Semantic Scholar (../shared/import-recorded,
beside CI's checkout; this module skips without it).  Each response is served by the local
stand-in (tests/fakeservices.py) as the answer the importer asks for; every one ends in an
entry that builds with -W, or in one line with refs.bib untouched, never a traceback."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fakeservices import Reply, services
from test_importer import run

from conftest import OWNER_FIELD, SHARED
from helpers import build, copy_root, copy_site
from portfolio import sources

RECORDED = SHARED / "import-recorded"
pytestmark = pytest.mark.skipif(
    not RECORDED.is_dir(), reason=f"{RECORDED} is absent (it sits beside CI's checkout, not beside a clone)"
)


def recordings() -> list[Path]:
    return sorted(p for p in RECORDED.glob("*/*") if p.suffix != ".md" and not p.name.endswith(".meta.json"))


def meta_of(body: Path) -> dict[str, object]:
    """The sidecar of a recorded body: ``<name>.meta.json`` beside ``<name>.<ext>``."""
    name = body.name
    while "." in name:
        name = name.rsplit(".", 1)[0]
        sidecar = body.with_name(f"{name}.meta.json")
        if sidecar.is_file():
            return dict(json.loads(sidecar.read_text(encoding="utf-8")))
    raise AssertionError(f"no sidecar for {body}")


def as_request(body: Path, meta: dict[str, object]) -> tuple[str, str]:
    """(identifier to add, path the importer asks for) of one recording."""
    url = urlsplit(str(meta.get("url") or ""))
    folder = body.parent.name
    if folder == "arxiv-api":
        ident = parse_qs(url.query).get("id_list", [""])[0] or "2001.00001"  # a search page: another paper
        return ident, f"/api/query?id_list={quote(ident, safe='/')}"
    if folder == "dblp":
        key = re.sub(r"^/rec/|\.bib$", "", url.path) if url.path else "conf/test/Unknown24"
        return key, f"/rec/{key}.bib"
    # everything else is served as doi.org's answer for its DOI (content negotiation)
    match = re.search(
        r"(10\.\d{4,9}/[^?\s]+?)(?:/transform.*|/agency)?$", re.sub("%2F", "/", url.path, flags=re.I)
    )
    doi = match.group(1).lstrip("/") if match else "10.1000/recorded"
    doi = re.sub(r"^(dois|works|v1/works|ra)/", "", doi)
    return doi, "/" + quote(doi, safe="/:;()[]")


@pytest.mark.parametrize("body", recordings(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_add_with_every_recorded_response(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: Path
) -> None:
    monkeypatch.setattr(sources, "pause", lambda seconds: None)
    meta = meta_of(body)
    ident, path = as_request(body, meta)
    status = int(meta.get("status") or 200)
    reply = Reply(status, body.read_bytes(), str(meta.get("content_type") or "text/plain"))
    if meta.get("location"):
        reply.headers["Location"] = str(meta["location"])
    srcdir = copy_root(tmp_path)
    bib = srcdir / "refs.bib"
    before = bib.read_bytes()
    with services(monkeypatch) as fake:
        fake.reply(path, reply)
        arxiv_doi = re.match(r"10\.48550/arxiv\.(.+)$", ident, re.I)
        if arxiv_doi:  # arXiv's DOIs are read from arXiv: the same answer there
            fake.reply(f"/api/query?id_list={arxiv_doi.group(1)}", reply)
        if meta.get("location"):  # the answer after the redirect, recorded beside it
            after = body.with_name(body.name.replace(".302.html", ".after-redirect.bib"))
            fake.reply(
                urlsplit(str(meta["location"])).path, Reply(200, after.read_bytes(), "application/x-bibtex")
            )
        code, out, err = run(srcdir, "add", ident)
    sys.stdout.write(f"{body.name}: {err.strip() if code else 'added'}\n")  # with -s: what each one gave
    if code:
        assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
        assert bib.read_bytes() == before
        return
    added = bib.read_bytes()[len(before) :].decode("utf-8")
    assert bib.read_bytes().startswith(before) and added.count("\n@") == 1
    assert build(srcdir).warnings == [], added


# -- refresh: a preprint whose published version arXiv and doi.org know ------------------------
PREPRINTS = {
    "astro-ph/9812133": ("pubs-astro-ph_9812133.atom.xml", "10.1086/307221", "pubs-10.1086_307221.bib"),
    "1710.08557": (
        "pubs-1710.08557.atom.xml",
        "10.1186/s12984-017-0305-3",
        "pubs-10.1186_s12984-017-0305-3.bib",
    ),
}


def test_refresh_on_the_real_refs_bib_finds_published_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "pause", lambda seconds: None)
    site = copy_site(tmp_path / "site")
    bib = site / "refs.bib"
    original = bib.read_text(encoding="utf-8")
    extra = "".join(
        f"\n@misc{{recorded{i},\n  title        = {{A recorded preprint}},\n  author       = {{Someone, A. and others}},\n"
        f"  year         = {{2017}},\n  eprint       = {{{arxiv}}},\n  archivePrefix = {{arXiv}},\n"
        f"  x-source     = {{test}},\n  {OWNER_FIELD} = {{no}}\n}}\n"
        for i, arxiv in enumerate(PREPRINTS)
    )
    bib.write_text(original + extra, encoding="utf-8")
    with services(monkeypatch) as fake:
        for arxiv, (feed, doi, published) in PREPRINTS.items():
            fake.reply(
                f"/api/query?id_list={arxiv}", Reply(body=(RECORDED / "arxiv-api" / feed).read_bytes())
            )
            fake.reply(f"/{doi}", Reply(body=(RECORDED / "doi-content-negotiation" / published).read_bytes(),
                                        content_type="application/x-bibtex"))  # fmt: skip
        # the site's own preprints are asked about too: the stand-in knows none of them, so each
        # is one line of the report (and the exit status says that some could not be checked)
        code, report, _ = run(site, "refresh")
        if re.search(r"^\s*eprint\s*=", original, re.M):
            assert code == 1 and re.search(
                r"^refs.bib:\d+: \S+: arXiv \S+: arXiv refused the id \(status 404\)", report, re.M
            )
        assert (
            "recorded1: would set @article" in report
            and "journal = {Journal of NeuroEngineering and Rehabilitation}" in report
        )
        assert "recorded0: would set @article" in report and "published as doi:10.1086/307221" in report
        _, report, _ = run(site, "refresh", "--write")
    text = bib.read_text(encoding="utf-8")
    assert text.startswith(original)  # his entries, every byte, as they were
    assert "@article{recorded1," in text and "@article{recorded0," in text
    assert text.count("x-source     = {test}") == 2 and f"{OWNER_FIELD} = {{no}}" in text


@pytest.mark.parametrize("body", sorted(RECORDED.glob("arxiv-api/*.400.atom.xml")), ids=lambda p: p.name)
def test_arxivs_error_feeds_are_one_line(monkeypatch: pytest.MonkeyPatch, body: Path) -> None:
    """A malformed id is refused before asking; asked anyway, arXiv's 400 feed is one line."""
    monkeypatch.setattr(sources, "pause", lambda seconds: None)
    ident = parse_qs(urlsplit(str(meta_of(body)["url"])).query)["id_list"][0]
    with services(monkeypatch) as fake:
        fake.reply(f"/api/query?id_list={ident}", Reply(400, body.read_bytes(), "application/atom+xml"))
        with pytest.raises(sources.SourceError) as caught:
            sources.fetch_arxiv(sources.Client(), ident)
    assert str(caught.value).startswith(
        f"arXiv {ident}: arXiv refused the id (incorrect id format for {ident})"
    )
    assert "\n" not in str(caught.value)
