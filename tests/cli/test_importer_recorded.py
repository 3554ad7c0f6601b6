"""``add`` and ``refresh`` against the real responses other projects recorded from arXiv,
doi.org, Crossref, DataCite, dblp, OpenAlex and Semantic Scholar (../shared/import-recorded,
beside CI's checkout; this module skips without it).  Each response is served by the local
stand-in (tests/fakeservices.py) where its service answers, and ends as tests/recorded.toml
says: an entry with the recording's title that builds with -W, or the one line written
there with refs.bib untouched."""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fakeservices import Reply, services
from test_importer import run

from helpers import OWNER_FIELD, SHARED, build, copy_root, copy_site, fold, named_people
from portfolio.services import _http as http
from portfolio.services import _sources as sources

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
    # doi.org's answer for its DOI (content negotiation), or Crossref's behind its redirect
    match = re.search(
        r"(10\.\d{4,9}/[^?\s]+?)(?:/transform.*|/agency)?$", re.sub("%2F", "/", url.path, flags=re.I)
    )
    doi = match.group(1).lstrip("/") if match else "10.1000/recorded"
    doi = re.sub(r"^(dois|works|v1/works|ra)/", "", doi)
    return doi, "/" + quote(doi, safe="/:;()[]")


#: the expected outcome of each recording (tests/recorded.toml)
EXPECTED = tomllib.loads((Path(__file__).parent / "recorded.toml").read_text(encoding="utf-8"))


def classified(name: str) -> str:
    """Where tests/recorded.toml puts a recording: "added", "refused" or "not_asked"."""
    found = [kind for kind in ("added", "refused") if name in EXPECTED[kind]]
    found += ["not_asked"] * any(fnmatch.fnmatch(name, pattern) for pattern in EXPECTED["not_asked"])
    assert len(found) == 1, f"{name}: {found or 'not in tests/recorded.toml'}"
    return found[0]


def test_every_recording_has_an_expected_outcome() -> None:
    names = [f"{p.parent.name}/{p.name}" for p in recordings()]
    kinds = [classified(name) for name in names]
    assert kinds.count("added") == len(EXPECTED["added"]) and kinds.count("refused") == len(
        EXPECTED["refused"]
    )


def recorded_text(body: Path) -> str:
    """The recording, or for a redirect the answer recorded after it."""
    if body.name.endswith(".302.html"):
        body = body.with_name(body.name.replace(".302.html", ".after-redirect.bib"))
    return body.read_text(encoding="utf-8")


def recorded_titles(body: Path) -> set[str]:
    """The title a recording gives, read without the importer: the Atom entry's; or the
    BibTeX entry's, as bibtexparser decodes it and as written with its LaTeX syntax taken
    out (a broken formula, as Crossref's ``$\\{upOmega}$``, stops the first reading midway)."""
    text = recorded_text(body)
    if body.suffix == ".xml":
        atom = "{http://www.w3.org/2005/Atom}"
        entry = ET.fromstring(text).find(f"{atom}entry")
        assert entry is not None
        return {fold(entry.findtext(f"{atom}title") or "")}
    decoded = fold(named_people(text).entries[0].fields_dict["title"].value)
    written = re.search(r"\btitle\s*=\s*\{(.*)\},?\s*$", text, re.M | re.I)
    return {decoded, fold(re.sub(r"[\\${}]", "", written.group(1))) if written else decoded}


@pytest.mark.parametrize(
    "body",
    [p for p in recordings() if classified(f"{p.parent.name}/{p.name}") != "not_asked"],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_add_with_every_recorded_response(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: Path
) -> None:
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    name = f"{body.parent.name}/{body.name}"
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
        if body.parent.name == "crossref-api":  # doi.org sends a BibTeX request on to Crossref
            crossref = str(meta["url"])
            fake.reply(path, Reply(302, "", headers={"Location": crossref}))
            fake.reply(urlsplit(crossref).path, reply)
        else:
            fake.reply(path, reply)
        if meta.get("location"):  # the answer after the redirect, recorded beside it
            after = body.with_name(body.name.replace(".302.html", ".after-redirect.bib"))
            fake.reply(
                urlsplit(str(meta["location"])).path, Reply(200, after.read_bytes(), "application/x-bibtex")
            )
        code, out, err = run(srcdir, "add", ident)
    if name in EXPECTED["refused"]:
        assert code == 1 and out == "" and err.count("\n") == 1, err
        assert err.startswith(EXPECTED["refused"][name]), err
        assert bib.read_bytes() == before
        return
    assert code == 0, err
    added = bib.read_bytes()[len(before) :].decode("utf-8")
    assert bib.read_bytes().startswith(before) and added.count("\n@") == 1
    (entry,) = named_people(added).entries
    assert fold(entry.fields_dict["title"].value) in recorded_titles(body)
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
    monkeypatch.setattr(http, "pause", lambda seconds: None)
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
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    ident = parse_qs(urlsplit(str(meta_of(body)["url"])).query)["id_list"][0]
    with services(monkeypatch) as fake:
        fake.reply(f"/api/query?id_list={ident}", Reply(400, body.read_bytes(), "application/atom+xml"))
        with pytest.raises(sources.SourceError) as caught:
            sources.fetch_arxiv(sources.Client(), ident)
    assert str(caught.value).startswith(
        f"arXiv {ident}: arXiv refused the id (incorrect id format for {ident})"
    )
    assert "\n" not in str(caught.value)
