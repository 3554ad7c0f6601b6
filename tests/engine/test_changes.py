"""What changed in a build: one record beside the environment (portfolio.changes), a parse
of refs.bib that reads only the entries whose text changed, and the pages and files each
kind of change reaches (and nothing else)."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

from helpers import copy_root, rebuild
from portfolio import changes
from portfolio.bib import parse_bibliography
from portfolio.domain import PortfolioDomain

OWNERS = ["Ada Lovelace"]


def _edit(path: Path, old: str, new: str) -> None:
    time.sleep(0.01)  # a new modification time
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pickled_tables(srcdir: Path) -> set[str]:
    with (srcdir / "_build" / "doctrees" / "environment.pickle").open("rb") as f:
        env = pickle.load(f)
    return set(env.domaindata["portfolio"])


# -- the record ------------------------------------------------------------------------
def test_the_record_lives_beside_the_environment_for_one_build(tmp_path: Path) -> None:
    """The domain data holds only its declared tables, in memory and in the saved
    environment, after a first build, an entry's edit and a save that changes nothing; the
    record of what changed is gone when each build ends."""
    srcdir = copy_root(tmp_path)
    declared = set(PortfolioDomain.initial_data) | {"version"}
    bib = srcdir / "refs.bib"
    edits = [
        lambda: None,
        lambda: _edit(bib, "title  = {The Difference Engine}", "title  = {The Difference Engine II}"),
        lambda: _edit(bib, "@", "% saved again\n@"),
    ]
    for make_edit in edits:
        make_edit()
        _, _, app = rebuild(srcdir)
        assert set(app.env.domaindata["portfolio"]) == declared
        assert _pickled_tables(srcdir) == declared
        assert app.env not in changes._RECORDS  # dropped at build-finished
        assert changes.current(app.env) == changes.Changes()  # outside a build: a fresh one


def test_generated_files_are_kept_only_when_nothing_they_show_changed(tmp_path: Path) -> None:
    """``Changes.unchanged``, which every writer of generated files asks: a fresh build, a
    changed entry among the file's (any entry, for a file of all of them) or a missing file
    means writing again."""
    here, gone = tmp_path / "a.ris", tmp_path / "b.ris"
    here.write_text("kept", encoding="utf-8")
    edited = changes.Changes(fresh=False, entries={"lovelace2024": (None, None)})
    assert changes.Changes(fresh=False).unchanged([here])
    assert changes.Changes(fresh=False).unchanged([here], ["lovelace2024"])
    assert not changes.Changes(fresh=True).unchanged([here])
    assert not changes.Changes(fresh=False).unchanged([here, gone])
    assert edited.unchanged([here], ["babbage2022"])
    assert not edited.unchanged([here], ["babbage2022", "lovelace2024"])
    assert not edited.unchanged([here])  # a file of every entry


def test_a_no_op_build_writes_no_generated_file_and_restores_a_missing_one(tmp_path: Path) -> None:
    """With nothing changed, the exports, the RIS files and the paper stubs keep their
    modification times; one deleted from the output is written again; an entry's edit
    rewrites its RIS file and the exports, not the other papers' files."""
    srcdir = copy_root(tmp_path)
    rebuild(srcdir)
    out = srcdir / "_build" / "html"
    files = [out / "publications.bib", out / "publications.json", out / "papers" / "king2023loom.ris",
             out / "papers" / "babbage2022diff.ris", srcdir / "papers" / "king2023loom.rst"]  # fmt: skip
    stamps = {path: path.stat().st_mtime_ns for path in files}
    time.sleep(0.01)
    read, written, _ = rebuild(srcdir)
    assert (read, written) == (set(), set())
    assert {path: path.stat().st_mtime_ns for path in files} == stamps
    (out / "publications.bib").unlink()
    rebuild(srcdir)
    assert (out / "publications.bib").is_file()
    stamps = {path: path.stat().st_mtime_ns for path in files}
    time.sleep(0.01)
    _edit(srcdir / "refs.bib", "{Weaving Algebraic Patterns}", "{Weaving Algebraic Patterns Again}")
    rebuild(srcdir)
    changed = {path for path in files if path.stat().st_mtime_ns != stamps[path]}
    # the edited paper's RIS file, stub and the exports of the owner's papers; no other file
    assert changed == {out / "papers" / "king2023loom.ris", srcdir / "papers" / "king2023loom.rst",
                       out / "publications.bib", out / "publications.json"}  # fmt: skip
    assert "Patterns Again" in (out / "publications.bib").read_text(encoding="utf-8")


CV_YAML = """\
education:
  - title: Self-taught mathematics
    organisation: Home tutors
    start: 1830
talks:
  - date: 1843-07
    title: notes read to a learned society
"""


def test_a_cv_fact_reads_again_only_the_pages_that_show_it(tmp_path: Path) -> None:
    srcdir = copy_root(
        tmp_path,
        files={
            "cv.yaml": CV_YAML,
            "cv.md": "---\norphan: true\n---\n\n# CV\n\n:::{cv}\n:::\n",
            "bio.md": "---\norphan: true\n---\n\n# Biography\n\n## Education\n\n:::{cv-section} education\n:::\n",
        },
    )
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('portfolio_cv = "cv.yaml"\n')
    rebuild(srcdir)
    cv = srcdir / "cv.yaml"
    _edit(cv, "notes read to a learned society", "notes read to the Royal Society")
    read, _, _ = rebuild(srcdir)
    assert read == {"cv"}  # the biography shows the education only
    _edit(cv, "Home tutors", "Tutors at home")
    read, _, _ = rebuild(srcdir)
    assert read == {"cv", "bio"}
    _edit(cv, "talks:", "# talks, newest first\ntalks:")  # a comment: no fact changed
    read, _, _ = rebuild(srcdir)
    assert read == set()


# -- the parse ---------------------------------------------------------------------------
ENTRY = """@article{{key{n},
  title = {{Engine number {n}}},
  author = {{Lovelace, Ada and Babbage, Charles}},
  journal = {{Journal of Engines}},
  year = {{{year}}},
}}
"""


def _bib(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return path


def _same(a: object, b: object) -> None:
    """Two parses of the same text: the same papers, problems and pybtex data."""
    assert a.papers == b.papers  # type: ignore[attr-defined]
    assert a.problems == b.problems  # type: ignore[attr-defined]
    assert (a.data is None) == (b.data is None)  # type: ignore[attr-defined]
    if a.data is not None:  # type: ignore[attr-defined]
        assert a.data.to_string("bibtex") == b.data.to_string("bibtex")  # type: ignore[attr-defined]


def test_the_parse_reads_only_the_entries_whose_text_changed(tmp_path: Path) -> None:
    entries = [ENTRY.format(n=n, year=2000 + n) for n in range(20)]
    path = _bib(tmp_path, "% a lab's papers\n\n" + "\n".join(entries))
    first = parse_bibliography(path, OWNERS, "")
    assert first.parsed == 20 and len(first.papers) == 20 and first.problems == []
    again = parse_bibliography(path, OWNERS, "", first.cache)
    assert again.parsed == 0
    _same(again, first)
    # one title edited, two lines added above entry 5, a bad year below: each paper is
    # where it now is, and the problem is located on its line
    entries[3] = entries[3].replace("Engine number 3", "Engine number three")
    entries[5] = "% moved down\n\n" + entries[5]
    entries[12] = entries[12].replace("year = {2012}", "year = {twenty-twelve}")
    _bib(tmp_path, "% a lab's papers\n\n" + "\n".join(entries))
    edited = parse_bibliography(path, OWNERS, "", first.cache)
    assert edited.parsed == 3  # entry 3, the text before entry 5 (the end of entry 4), entry 12
    _same(edited, parse_bibliography(path, OWNERS, ""))
    assert edited.papers["key3"].title == "Engine number three"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[edited.papers["key19"].line - 1] == "@article{key19,"
    [problem] = edited.problems
    assert lines[problem.line - 1].strip() == "year = {twenty-twelve},", problem
    # other owner options: nothing is taken from the cache
    assert parse_bibliography(path, ["Charles Babbage"], "", edited.cache).parsed == 20


def test_a_file_whose_entries_depend_on_each_other_is_read_whole(tmp_path: Path) -> None:
    """crossref, xdata and @string make an entry's meaning depend on other text: such a
    file, and one that repeats a key or does not parse, is read whole, with every problem
    located as before."""
    crossref = (
        "@proceedings{conf, title = {Proceedings of Engines}, year = {1843}, editor = {King, Ada}}\n"
        "@inproceedings{paper, title = {A Paper}, author = {Lovelace, Ada}, crossref = {conf}}\n"
    )
    string = '@string{eng = "Journal of Engines"}\n' + ENTRY.format(n=1, year=1843).replace(
        "{Journal of Engines}", "eng"
    )
    duplicate = ENTRY.format(n=1, year=1843) + ENTRY.format(n=1, year=1844)
    broken = ENTRY.format(n=1, year=1843) + ENTRY.format(n=2, year=1844).replace("number 2},", "number 2,")
    for text in (crossref, string, duplicate, broken):
        path = _bib(tmp_path, text)
        whole = parse_bibliography(path, OWNERS, "")
        assert whole.cache.entries == {}, text  # nothing was kept entry by entry
        again = parse_bibliography(path, OWNERS, "", whole.cache)
        assert again.parsed == whole.parsed == {broken: 0, string: 1}.get(text, 2), text  # all again
        _same(again, whole)
    assert parse_bibliography(_bib(tmp_path, crossref), OWNERS, "").papers["paper"].container == (
        "Proceedings of Engines"
    )
    assert parse_bibliography(_bib(tmp_path, string), OWNERS, "").papers["key1"].venue == "Journal of Engines"


def test_a_first_parse_reports_what_pybtex_would_only_print(tmp_path: Path) -> None:
    """However pybtex's strict mode was left by another reader, an undefined macro in an
    entry is a located problem of the first parse (not a line on stderr and a dropped
    check), and the mode is left as it was."""
    import pybtex.errors

    path = _bib(tmp_path, ENTRY.format(n=1, year=1843).replace("{Journal of Engines}", "jnl"))
    previous = pybtex.errors.strict
    pybtex.errors.set_strict_mode(False)
    try:
        [problem] = parse_bibliography(path, OWNERS, "").problems
        assert pybtex.errors.strict is False
    finally:
        pybtex.errors.set_strict_mode(previous)
    assert "undefined string" in problem.message and "jnl" in problem.message
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1] == "@article{key1,"
