"""Cite this paper at the cost of what changed (portfolio.papers._references): references
kept between builds beside the environment, formatted again only for an entry that changed,
and formatted in background processes on a cold build, each the reference a page makes
itself."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, copy_root, rebuild
from portfolio.bib import csl_item, parse_bibliography
from portfolio.papers import _cite as cite
from portfolio.papers import _references as references

STYLES = {"APA": "apa", "IEEE": "ieee", "Chicago": "chicago-notes-bibliography"}


def references_on(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    out = {}
    for item in soup.select("div.portfolio-cite-item"):
        label = item.select_one("p.portfolio-cite-style")
        text = item.select_one("p.portfolio-reference")
        assert label is not None and text is not None
        out[label.get_text()] = text.get_text()
    return out


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the items citeproc-py formats in this process, from now on."""
    calls: list[str] = []
    compute = cite.compute

    def count(item: dict[str, Any], styles: dict[str, Path]) -> list[cite.Formatted]:
        calls.append(item["id"])
        return compute(item, styles)

    monkeypatch.setattr(cite, "compute", count)
    return calls


def test_kept_references_are_used_until_their_entry_changes(tmp_path: Path, counted: list[str]) -> None:
    srcdir = copy_root(tmp_path)
    _, _, app = rebuild(srcdir)
    kept_file = Path(app.doctreedir) / references.FILE
    kept = json.loads(kept_file.read_text(encoding="utf-8"))
    assert set(kept) == {"lovelace2024engine", "king2023loom", "babbage2022diff"}
    assert sorted(counted) == sorted(kept)  # each formatted once
    engine = srcdir / "_build" / "html" / "papers" / "lovelace2024engine.html"
    before = references_on(engine)
    assert set(before) == set(STYLES) and "Analytical Engine" in before["APA"], before

    # every page read again (the environment thrown away): each reference is the kept one
    counted.clear()
    (Path(app.doctreedir) / "environment.pickle").unlink()
    read, _, _ = rebuild(srcdir)
    assert "papers/lovelace2024engine" in read and counted == []
    assert references_on(engine) == before

    # one entry's title edited: that entry alone is formatted again, and shows the edit
    time.sleep(0.01)
    bib = srcdir / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Analytical Engine", "Difference Engine"), "utf-8")
    rebuild(srcdir)
    assert counted == ["lovelace2024engine"]
    after = references_on(engine)
    assert "Difference Engine" in after["APA"] and "Analytical Engine" not in after["APA"]
    assert set(json.loads(kept_file.read_text(encoding="utf-8"))) == set(kept)


def test_an_unreadable_kept_file_is_formatted_again_and_replaced_whole(tmp_path: Path) -> None:
    srcdir = copy_root(tmp_path)
    _, _, app = rebuild(srcdir)
    kept_file = Path(app.doctreedir) / references.FILE
    good = json.loads(kept_file.read_text(encoding="utf-8"))
    for damage in ("{not json", json.dumps({"lovelace2024engine": ["digest"]}), "[]"):
        kept_file.write_text(damage, encoding="utf-8")
        (Path(app.doctreedir) / "environment.pickle").unlink()  # every page read again
        rebuild(srcdir)
        assert json.loads(kept_file.read_text(encoding="utf-8")) == good, damage
        assert not kept_file.with_name(kept_file.name + ".part").exists()


@pytest.fixture(scope="module")
def many() -> dict[str, dict[str, Any]]:
    """Enough of the site's papers, each under several ids, to be formatted ahead."""
    bib = parse_bibliography(ROOT / "refs.bib", ["Nobody"], "x")
    items = [csl_item(paper) for paper in bib.papers.values()]
    copies = -(-references.AHEAD_FROM // len(items))
    return {f"{item['id']}-{n}": dict(item, id=f"{item['id']}-{n}") for n in range(copies) for item in items}


def styles() -> dict[str, Path]:
    return cite.resolved(tuple(STYLES.items()), str(ROOT))


def test_references_formatted_ahead_are_the_ones_a_page_makes(
    tmp_path: Path, many: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch, counted: list[str]
) -> None:
    monkeypatch.setattr(references, "_cores", lambda: 3)  # two workers, whatever this machine has
    store = references.Store.open(tmp_path / references.FILE)
    store.ahead(many, styles())
    assert len({id(w) for w in store.workers.values()}) == 2 and set(store.workers) == set(many)
    for key, item in many.items():
        made_of, formatted = store.get(key, item, styles())
        assert made_of == references.digest(item, styles())
        assert formatted == cite.compute(item, styles()), key
    assert not store.workers
    assert len(counted) == len(many)  # the comparisons above, and none in the store
    store.close(set(many))
    assert set(json.loads(store.path.read_text(encoding="utf-8"))) == set(many)


def test_a_worker_that_fails_leaves_its_papers_to_the_page(
    tmp_path: Path, many: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch, counted: list[str]
) -> None:
    monkeypatch.setattr(references, "_cores", lambda: 2)
    monkeypatch.setattr(references, "WORKER", "import sys; sys.exit(3)")
    store = references.Store.open(tmp_path / references.FILE)
    store.ahead(many, styles())
    assert store.workers
    key, item = next(iter(many.items()))
    assert store.get(key, item, styles())[1] == cite.compute(item, styles())
    assert counted.count(item["id"]) == 2  # formatted here, since the worker gave nothing
    store.close(set(many))


def test_few_or_kept_papers_start_no_worker(tmp_path: Path, many: dict[str, dict[str, Any]]) -> None:
    store = references.Store.open(tmp_path / references.FILE)
    few = dict(list(many.items())[: references.AHEAD_FROM - 1])
    store.ahead(few, styles())
    assert not store.workers
    for key, item in many.items():
        store.kept[key] = (references.digest(item, styles()), [])
    store.ahead(many, styles())
    assert not store.workers
