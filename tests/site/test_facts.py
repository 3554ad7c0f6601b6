"""tests/facts.toml holds what the seeds say, so that the site tests run in a clone that
has no ../shared; here it is held to the seeds themselves, where they are present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import FACTS, SEEDS, seed

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"{SEEDS} is absent (it sits beside CI's checkout, not beside a clone)"
)


def test_seed_paper_titles_are_the_paper_lists() -> None:
    titles = re.findall(
        r"^(?:[\d.]+)?[A-Z]{2}[A-Z][a-z]{2} \d{1,2}(?:, \d{4})?(?:Code)?\n(.+)$", seed("002"), re.M
    )
    assert titles == FACTS["seed_paper_titles"]


def test_homepage_news_dates_are_the_homepages() -> None:
    home = seed("000")
    news = home[home.index("Recent News") : home.index("Experiences")]
    dates = [f"{m[:3]} {y}" for m, y in re.findall(r"^- (\w{3,4})\. (\d{4}) - ", news, re.M)]
    assert dates == FACTS["homepage_news_dates"]


MONTH_NAMES = {"Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "May": "May",
               "Jun": "June", "July": "July", "Aug": "August", "Sept": "September", "Oct": "October",
               "Nov": "November", "Dec": "December"}  # fmt: skip


def test_cv_facts_are_the_homepages() -> None:
    home = seed("000")
    experiences = re.findall(
        r"^- (\w+)\. (\d{4}) - (?:(Now)|(\w+)\. (\d{4})), [^,]+, (.+)$",
        home[home.index("Experiences") :],
        re.M,
    )
    assert [
        [where, f"{MONTH_NAMES[m]} {y}", "now" if now else f"{MONTH_NAMES[m2]} {y2}"]
        for m, y, now, m2, y2, where in experiences
    ] == FACTS["experiences"]
    services = home[home.index("Professional Services") :]
    assert FACTS["membership"] in services.split("**Reviewer**")[0]
    assert re.findall(r"^\[([^\]]+)\]\(", services.split("**Reviewer**")[1], re.M) == FACTS["reviewing"]
    month, host = FACTS["talk"]
    assert re.search(rf"^- {month[:3]}\. {month[-4:]} - Invited to give a talk at the {host}", home, re.M)


REFERENCE = SEEDS.parent / "reference" / "papers.bib"
#: Bibliographic fields that refs.bib shares with the reference file and must state alike.
SHARED_FIELDS = ("title", "author", "editor", "year", "month", "journal", "volume", "number", "pages",
                 "doi", "eprint", "url", "publisher")  # fmt: skip


def test_refs_bib_states_what_the_reference_states() -> None:
    """Every shared bibliographic field of refs.bib equals the reference file's (gathered from
    the papers' repositories and official records).  A venue may be a booktitle here where the
    reference has howpublished (an ICLR Tiny Paper is an @inproceedings here); its text is equal."""
    import bibtexparser

    from helpers import ROOT

    def read(path: Path) -> dict[str, dict[str, str]]:
        entries = bibtexparser.parse_string(path.read_text(encoding="utf-8")).entries
        return {e.key: {f.key.lower(): str(f.value) for f in e.fields} for e in entries}

    ours, reference = read(ROOT / "refs.bib"), read(REFERENCE)
    assert set(ours) == set(reference)
    for key, theirs in reference.items():
        mine = ours[key]
        for name in SHARED_FIELDS:
            assert mine.get(name) == theirs.get(name), f"{key}: {name} differs from {REFERENCE.name}"
        venue = theirs.get("booktitle") or theirs.get("howpublished")
        assert (mine.get("booktitle") or mine.get("howpublished")) == venue, f"{key}: venue"
        owner = theirs.get("x-rjz-author", "").split()[0]
        assert mine["x-rjz-author"] == ("no" if owner == "unverified" else owner), key


def _words(text: str) -> list[str]:
    text = re.sub(r"https?://\S+", " ", text.replace("\u201a\u00c4\u00ea", "-"))
    return re.findall(r"[a-z0-9%]+(?:[.'\u2019-][a-z0-9%]+)*", text.lower())


def _runs(words: list[str], n: int) -> set[str]:
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_our_words_are_ours() -> None:
    """No run of 10 words of the site's prose or summaries repeats a seed, apart from the
    names of papers, venues and people (fields of refs.bib, link texts of the seeds)."""
    import bibtexparser

    from helpers import ROOT

    n = 10
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    seed_runs = set().union(*(_runs(_words(line), n) for text in seeds for line in text.splitlines()))
    names: set[str] = set()
    entries = bibtexparser.parse_string((ROOT / "refs.bib").read_text(encoding="utf-8")).entries
    for entry in entries:
        for f in entry.fields:
            if not f.key.startswith("x-"):
                names |= _runs(_words(str(f.value).replace("{", "").replace("}", "")), n)
    for text in seeds:
        for link_text in re.findall(r"\[([^\]]+)\]\(", text):
            names |= _runs(_words(link_text), n)
    ours = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")}
    ours |= {
        f"x-summary of {e.key}": str(e.fields_dict["x-summary"].value)
        for e in entries
        if "x-summary" in e.fields_dict
    }
    for where, text in ours.items():
        paragraphs = re.split(r"\n\s*\n|\n\s*[-*] ", text)  # runs may cross wrapped lines
        shared = set().union(*(_runs(_words(para), n) for para in paragraphs)) & seed_runs
        assert not shared - names, f"{where} repeats a seed: {sorted(shared - names)[:3]}"
