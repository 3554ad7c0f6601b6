"""BibTeX as people paste it (our own cases, one per class of real-world input): DBLP keys
and escapes, Zotero's biblatex, LaTeX markup, links written every way, private fields.
Every entry here is valid, so the build is silent and nothing is lost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
import pytest
from sphinx.util.inventory import InventoryFile
from test_bad_input import BASE_BIB

from helpers import Built, build, copy_root, run_check
from portfolio.bib import latex_to_text

PASTED = r"""
@inproceedings{DBLP:conf/cade/Moura021,
  author    = {Leonardo de Moura and Sebastian Ullrich},
  title     = {The Lean 4 Theorem Prover and Programming Language},
  booktitle = {Automated Deduction - {CADE} 28},
  pages     = {625--635},
  year      = {2021},
  url       = {https://doi.org/10.1007/978-3-030-79876-5\_37},
  doi       = {10.1007/978-3-030-79876-5\_37},
  timestamp = {Mon, 05 Jul 2021 12:00:00 +0200},
  biburl    = {https://dblp.org/rec/conf/cade/Moura021.bib},
  bibsource = {dblp computer science bibliography, https://dblp.org}
}

@article{DBLP:journals/corr/abs-2001-04301,
  author     = {Daniel Selsam and Sebastian Ullrich and Leonardo de Moura},
  title      = {Tabled Typeclass Resolution},
  journal    = {CoRR},
  volume     = {abs/2001.04301},
  year       = {2020},
  eprinttype = {arXiv},
  eprint     = {2001.04301}
}

@article{zotero_percent_2024,
  title        = {Cutting Memory by 61% Without Loss},
  subtitle     = {A Study},
  journaltitle = {Journal of Examples},
  date         = {2024-06-04},
  author       = {King, Ada and Lovelace, Ada},
  doi          = {https://doi.org/10.1000/ABC.123},
  url          = {https://doi.org/10.1000/abc.123},
  file         = {Full Text PDF:/home/someone/Zotero/storage/X/paper.pdf:application/pdf},
  keywords     = {selected, engines},
  x-summary    = {Memory falls by up to 61% in training and by 10x in inference, both measured.}
}

@proceedings{proc2019,
  editor    = {Babbage, Charles},
  title     = {Proceedings of the Engine Workshop},
  date      = {2019-03/2019-04},
  publisher = {Analytical Press}
}

@inproceedings{child2019,
  author   = {Lovelace, Ada},
  title    = {Notes on the Engine},
  crossref = {proc2019}
}

@xdata{press,
  publisher = {Analytical Press},
  location  = {London}
}

@book{xbook,
  author = {King, Ada},
  title  = {Le \emph{De Anima} and \mkbibquote{Intention}},
  year   = {1843},
  xdata  = {press}
}

@report{rep,
  author      = {Babbage, Charles},
  title       = {The \TeX book as methodology\hyphen independent text with $x^2$},
  type        = {techreport},
  number      = {7},
  institution = {Royal Society},
  date        = {1840}
}

@thesis{thes,
  author      = {King, Ada},
  title       = {On \textit{x} and \textbf{y}},
  type        = {phdthesis},
  institution = {University of London},
  date        = {1850}
}

@patent{pat,
  author = {Babbage, Charles},
  title  = {A Calculating Machine},
  number = {1234},
  type   = {patentus},
  date   = {1822-12-01}
}

@online{web,
  author       = {Lovelace, Ada},
  title        = {Notes Online},
  organization = {The Web},
  url          = {https://example.org/notes},
  date         = {2020}
}

@mvbook{works,
  author = {Babbage, Charles},
  title  = {Collected Works},
  date   = {1864/1865},
  publisher = {Analytical Press}
}

@collection{coll,
  editor    = {King, Ada},
  title     = {Essays},
  year      = {1860},
  publisher = {Analytical Press},
  bibtex_show = {true},
  preview   = {engine.png},
  selected  = {true}
}
"""


@pytest.fixture(scope="module")
def pasted(tmp_path_factory: pytest.TempPathFactory) -> Built:
    srcdir = copy_root(tmp_path_factory.mktemp("pasted"), files={"refs.bib": BASE_BIB + PASTED})
    news = (srcdir / "news.md").read_text(encoding="utf-8")
    (srcdir / "news.md").write_text(
        news + "\nSee {paper}`DBLP:conf/cade/Moura021` and {footcite:p}`DBLP:journals/corr/abs-2001-04301`.\n"
        "\n```{footbibliography}\n```\n",
        encoding="utf-8",
    )
    return build(srcdir, portfolio_export_all=True)


def page(built: Built, slug: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    main = built.soup(f"papers/{slug}.html").find(attrs={"role": "main"})
    links = [(a.get_text(), a["href"]) for a in main.select(".portfolio-links a")]
    return (
        main.find("h1").get_text().rstrip("¶").strip(),
        main.select_one(".portfolio-authors").get_text(),
        main.select_one(".portfolio-venue").get_text(),
        links,
    )


def test_pasted_entries_build_silently(pasted: Built) -> None:
    assert pasted.warnings == []


def test_keys_with_slashes_and_colons(pasted: Built) -> None:
    assert (pasted.outdir / "papers" / "DBLP-conf-cade-Moura021.html").is_file()
    hrefs = {a["href"] for a in pasted.soup("news.html").select("a.reference.internal")}
    assert "papers/DBLP-conf-cade-Moura021.html" in hrefs
    inventory = InventoryFile.load((pasted.outdir / "objects.inv").open("rb"), "", lambda *a: "/".join(a[1:]))
    papers = inventory["portfolio:paper"]
    assert papers["DBLP:conf/cade/Moura021"].uri.endswith("papers/DBLP-conf-cade-Moura021.html")
    exported = {
        e.key for e in bibtexparser.parse_string((pasted.outdir / "publications.bib").read_text()).entries
    }
    assert "DBLP:journals/corr/abs-2001-04301" in exported


def test_percent_is_text(pasted: Built) -> None:
    title, _, venue, _ = page(pasted, "zotero_percent_2024")
    assert title == "Cutting Memory by 61% Without Loss: A Study"
    summary = pasted.soup("papers/zotero_percent_2024.html").select_one(".portfolio-summary").get_text()
    assert summary == "Memory falls by up to 61% in training and by 10x in inference, both measured."
    assert venue == "Journal of Examples, Jun 2024"


def test_biblatex_dates_crossref_xdata_and_types(pasted: Built) -> None:
    assert page(pasted, "child2019")[2] == "Proceedings of the Engine Workshop, Mar 2019"
    assert page(pasted, "xbook")[2] == "Analytical Press, 1843"
    assert page(pasted, "rep")[2] == "Technical report 7, Royal Society, 1840"
    assert page(pasted, "thes")[2] == "PhD thesis, University of London, 1850"
    assert page(pasted, "pat")[2] == "U.S. patent 1234, Dec 1822"
    assert page(pasted, "web")[2] == "The Web, 2020"
    assert page(pasted, "works")[2] == "Analytical Press, 1864\u20131865"
    assert page(pasted, "coll")[1] == "Ada King"  # an editor-only entry lists its editors
    items = {i["id"]: i for i in json.loads((pasted.outdir / "publications.json").read_text())}
    assert items["child2019"]["container-title"] == "Proceedings of the Engine Workshop"
    assert items["child2019"]["issued"] == {"date-parts": [[2019, 3]]}
    assert items["works"]["issued"] == {"date-parts": [[1864], [1865]]}
    assert (items["pat"]["type"], items["rep"]["type"], items["thes"]["type"]) == (
        "patent",
        "report",
        "thesis",
    )
    assert items["coll"]["editor"] == [{"family": "King", "given": "Ada"}]
    assert "xdata" not in items and "press" not in items  # data for others, not a work


def test_latex_becomes_text_and_emphasis(pasted: Built) -> None:
    assert page(pasted, "xbook")[0] == "Le De Anima and \u201cIntention\u201d"
    assert page(pasted, "rep")[0] == "The TeXbook as methodology-independent text with x\u00b2"
    h1 = pasted.soup("papers/thes.html").find("h1")
    assert [e.get_text() for e in h1.find_all("em")] == ["x"]
    assert [e.get_text() for e in h1.find_all("strong")] == ["y"]
    listed = pasted.soup("publications.html").select_one("#pub-xbook .portfolio-title em")
    assert listed is not None and listed.get_text() == "De Anima"


def test_links_unescaped_and_one_per_destination(pasted: Built) -> None:
    _, authors, _, links = page(pasted, "DBLP-conf-cade-Moura021")
    assert links == [("DOI", "https://doi.org/10.1007/978-3-030-79876-5_37")]
    assert authors == "Leonardo de Moura, Sebastian Ullrich"
    assert page(pasted, "DBLP-journals-corr-abs-2001-04301")[3] == [
        ("arXiv", "https://arxiv.org/abs/2001.04301")
    ]
    assert page(pasted, "zotero_percent_2024")[3] == [("DOI", "https://doi.org/10.1000/ABC.123")]


def test_private_and_tool_fields_are_not_published(pasted: Built) -> None:
    exported = (pasted.outdir / "publications.bib").read_text(encoding="utf-8")
    blocks = " ".join(b.get_text() for b in pasted.soup("papers/coll.html").select(".portfolio-bibtex"))
    blocks += pasted.soup("papers/zotero_percent_2024.html").select_one(".portfolio-bibtex").get_text()
    for text in (exported, blocks):
        for name in ("file", "timestamp", "biburl", "bibsource", "bibtex_show", "preview", "selected",
                     "keywords", "x-summary"):  # fmt: skip
            assert not re.search(rf"^\s*{name}\s*=", text, re.M), name
        assert "/home/" not in text
    library = bibtexparser.parse_string(exported)
    entry = {e.key: e for e in library.entries}["zotero_percent_2024"]
    assert entry.fields_dict["doi"].value == "10.1000/ABC.123"
    assert entry.fields_dict["title"].value == "Cutting Memory by 61\\% Without Loss"
    assert "month" not in entry.fields_dict  # a biblatex date stays a date


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "@misc{DBLP:a/b,\n  title={A}, author={King, Ada}, year={2020}\n}\n"
            "@misc{DBLP:a:b,\n  title={B}, author={King, Ada}, year={2020}\n}",
            "refs.bib:32: WARNING: entry 'DBLP:a:b' would get the same page, DBLP-a-b.html, as entry 'DBLP:a/b' "
            "(line 29); rename one of the two keys [portfolio.bib_key]",
        ),
        (
            "@misc{mac,\n  title={A \\foo{B} C},\n  author={King, Ada},\n  year={2020}\n}",
            "refs.bib:30: WARNING: entry 'mac': field title: the LaTeX command \\foo has no text form and was left "
            "out; write that part in plain text or Unicode [portfolio.bib_latex]",
        ),
        (
            "@inproceedings{orphan,\n  title={A},\n  author={King, Ada},\n  year={2020},\n  crossref={nosuch}\n}",
            "refs.bib:33: WARNING: entry 'orphan': crossref 'nosuch' names no entry of the file; fix the key or "
            "remove the field [portfolio.bib_crossref]",
        ),
        (
            "@misc{baddate,\n  title={A},\n  author={King, Ada},\n  date={June 2024}\n}",
            "refs.bib:32: WARNING: entry 'baddate': date 'June 2024' is not a date such as 2024, 2024-06 or "
            "2024-06-04 [portfolio.bib_field]",
        ),
        (
            "@misc{both,\n  title={A},\n  author={King, Ada},\n  date={circa 2020},\n  year={2020}\n}",
            "refs.bib:32: WARNING: entry 'both': date 'circa 2020' is not a date such as 2024, 2024-06 or "
            "2024-06-04; the year field is used instead [portfolio.bib_field]",
        ),
    ],
    ids=["colliding-keys", "unknown-macro", "missing-crossref", "bad-date", "bad-date-with-year"],
)
def test_located_messages_same_in_check(tmp_path: Path, entry: str, message: str) -> None:
    srcdir = copy_root(tmp_path, files={"refs.bib": BASE_BIB + "\n" + entry + "\n"})
    built = build(srcdir)
    assert built.warnings == [message]
    proc = run_check(srcdir, "--source", ".")
    assert [line.replace(f"{srcdir}/", "") for line in proc.stderr.splitlines()] == [message]


#: Every accent command of LaTeX with the character it makes on "e" (or "a", "o", "c", "s").
ACCENTS = [
    ("\\'", "e", "\u00e9"),
    ("\\`", "e", "\u00e8"),
    ("\\^", "e", "\u00ea"),
    ("\\~", "n", "\u00f1"),
    ('\\"', "u", "\u00fc"),
    ("\\=", "a", "\u0101"),
    ("\\.", "z", "\u017c"),
    ("\\u", "g", "\u011f"),
    ("\\v", "s", "\u0161"),
    ("\\H", "o", "\u0151"),
    ("\\c", "c", "\u00e7"),
    ("\\k", "a", "\u0105"),
    ("\\r", "a", "\u00e5"),
]


@pytest.mark.parametrize(("command", "base", "char"), ACCENTS)
def test_every_accent_command_makes_its_character(command: str, base: str, char: str) -> None:
    """Braced, with a braced argument and bare (where LaTeX allows it), in a word, beside
    LaTeX's quotes: ``gr{\\`e}cque`` is "grècque", never "grecque" (issue 20)."""
    sep = " " if command[1].isalpha() else ""
    for written in (f"{{{command}{sep}{base}}}", f"{command}{{{base}}}", f"{command}{sep}{base}"):
        assert latex_to_text(f"gr{written}cque") == f"gr{char}cque", written
        assert (
            latex_to_text(f"``Caf{written}'' and `{written}t'")
            == f"\u201cCaf{char}\u201d and \u2018{char}t\u2019"
        )
    assert latex_to_text("H{\\'e}l{\\`e}ne Th{\\`a} caf\\`e") == "H\u00e9l\u00e8ne Th\u00e0 caf\u00e8"


def test_translators_and_book_authors_reach_the_page_and_both_exports(tmp_path: Path) -> None:
    """pybtex parses author and editor only; translator and bookauthor are name lists too
    (biblatex's example file has twelve such entries)."""
    entry = (
        "@incollection{lovelace1843notes,\n  title = {Notes by the Translator},\n"
        "  author = {Lovelace, Ada},\n  translator = {Lovelace, Ada and Somerville, Mary},\n"
        "  bookauthor = {Menabrea, Luigi Federico},\n  booktitle = {Sketch of the Analytical Engine},\n"
        "  year = {1843}\n}\n"
    )
    built = build(copy_root(tmp_path, files={"refs.bib": BASE_BIB + "\n" + entry}))
    assert built.warnings == []
    page = built.soup("papers/lovelace1843notes.html")
    shown = [p.get_text() for p in page.select(".portfolio-paper-contributors")]
    assert shown == [
        "Translated by Ada Lovelace and Mary Somerville.",
        "In a book by Luigi Federico Menabrea.",
    ]
    exported = bibtexparser.parse_string((built.outdir / "publications.bib").read_text(encoding="utf-8"))
    fields = {e.key: e.fields_dict for e in exported.entries}["lovelace1843notes"]
    assert fields["translator"].value == "Lovelace, Ada and Somerville, Mary"
    assert fields["bookauthor"].value == "Menabrea, Luigi Federico"
    item = {i["id"]: i for i in json.loads((built.outdir / "publications.json").read_text("utf-8"))}[
        "lovelace1843notes"
    ]
    assert item["translator"] == [
        {"family": "Lovelace", "given": "Ada"},
        {"family": "Somerville", "given": "Mary"},
    ]
    assert item["container-author"] == [{"family": "Menabrea", "given": "Luigi Federico"}]


def test_keywords_are_text_as_zotero_writes_them(tmp_path: Path) -> None:
    """A Zotero or JabRef export writes keywords in LaTeX; the topic tags show them as text."""
    from portfolio.bib import parse_bibliography

    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{k, title = {T}, author = {King, Ada}, year = {2024}, journal = {J},\n"
        "  keywords = {mind \\& body, {SNN}s, caf\\'e, plain}}\n",
        encoding="utf-8",
    )
    parsed = parse_bibliography(bib, ["Ada King"], "x-owner")
    assert parsed.problems == []
    assert parsed.papers["k"].keywords == ("mind & body", "SNNs", "café", "plain")
