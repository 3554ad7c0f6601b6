"""Folded author lists as the build writes them (the browser's side is tests/web/test_authors.py):
in lists, the first names, the owner's wherever it stands, an ellipsis for the names skipped
before it and a button naming how many are folded; every name still in the page; the paper
page and a text build whole."""

from __future__ import annotations

from pathlib import Path

from helpers import build, copy_root

LONG = """
@article{many2024,
  title   = {Many Hands},
  author  = {One, Anne and Two, Ben and Three, Cy and Four, Di and Lovelace, Ada and Six, Ed},
  journal = {Journal of Engines},
  year    = {2024}
}
"""


def root(tmp_path: Path) -> Path:
    srcdir = copy_root(tmp_path)
    bib = srcdir / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + LONG, encoding="utf-8")
    return srcdir


def test_a_long_list_is_folded_around_the_owner(tmp_path: Path) -> None:
    built = build(root(tmp_path), portfolio_author_limit=2)
    assert built.warnings == []
    names = built.soup("publications.html").select_one("#pub-many2024 .portfolio-authors")
    assert names is not None
    folded = [f.get_text() for f in names.select(".portfolio-fold")]
    assert folded == [", Cy Three", ", Di Four", ", Ed Six"]
    ellipsis = names.select_one(".portfolio-ellipsis")
    assert ellipsis is not None and ellipsis["aria-hidden"] == "true"
    # right before his name (in the span that keeps it out of the search index)
    assert ellipsis.parent.find_next_sibling("strong").get_text() == "Ada Lovelace"
    button = names.select_one("button.portfolio-more")
    assert button is not None and button["type"] == "button" and button["aria-expanded"] == "false"
    assert button.get_text() == "3 more authors" and button["data-less"] == "fewer authors"
    text = " ".join(names.get_text(" ").split())
    for name in ("Anne One", "Ben Two", "Cy Three", "Di Four", "Ada Lovelace", "Ed Six"):
        assert name in text  # every name is in the page
    # the page loads the button's script and folds the list from its head
    page = (built.outdir / "publications.html").read_text(encoding="utf-8")
    head = page.split("</head>")[0]
    assert 'classList.add("portfolio-folding")' in head and "portfolio-authors.js" in page
    # a short list, the paper's own page and the search index: whole, no button
    assert not built.soup("publications.html").select("#pub-lovelace2024engine button")
    assert not built.soup("papers/many2024.html").select(".portfolio-fold, button.portfolio-more")
    assert "more authors" not in (built.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert "portfolio-authors.js" not in (built.outdir / "papers" / "many2024.html").read_text(
        encoding="utf-8"
    )


def test_zero_never_folds_and_a_text_build_names_everyone(tmp_path: Path) -> None:
    built = build(root(tmp_path), portfolio_author_limit=0)
    assert not built.soup("publications.html").select(".portfolio-fold, button.portfolio-more")
    text = build(root(tmp_path / "text"), "text", portfolio_author_limit=2)
    listed = (text.outdir / "publications.txt").read_text(encoding="utf-8")
    assert "Anne One, Ben Two, Cy Three, Di Four, **Ada Lovelace**, Ed Six" in " ".join(listed.split())
    assert "more authors" not in listed
