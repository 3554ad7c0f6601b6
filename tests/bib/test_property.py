"""Property test: BibTeX entries with arbitrary Unicode, braces and LaTeX in every field.
The build never crashes, never drops an entry silently (an entry without a page has a
warning that names it or points inside it), and never lets a field's "<" into the HTML
unescaped."""

from __future__ import annotations

import re
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ROOTS, build, copy_root

PROBE = "<zq-probe"  # inserted into fields; must only ever appear escaped

LATEX = ["\\&", '{\\"o}', "$x^2$", "\\textbf{b}", "--", "{\\'e}", "\\%", "~", "{{Nested}}", "\\alpha", "\\"]
plain = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="{}\\@"),
    min_size=0,
    max_size=20,
)
piece = st.one_of(plain, st.sampled_from([*LATEX, PROBE, "<script>", '"', "&amp;", "]]>", "\u202e", "\x00"]))
field_text = st.lists(piece, min_size=1, max_size=6).map("".join)
#: a value, or a value in a group of its own (title = {{...}}, as BibTeX protects case)
value = st.one_of(field_text, field_text.map(lambda t: "{" + t + "}"))
key = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=3, max_size=10).map(lambda k: "k" + k)


def entry(k: str, title: str, author: str, venue: str, summary: str) -> str:
    return (
        f"@article{{{k},\n  title = {{{title}}},\n  author = {{{author} and Lovelace, Ada}},\n"
        f"  journal = {{{venue}}},\n  year = {{2021}},\n  x-summary = {{{summary}}}\n}}\n"
    )


entries = st.lists(
    st.tuples(key, value, value, value, value), min_size=1, max_size=4, unique_by=lambda e: e[0]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=entries)
def test_arbitrary_fields_never_crash_or_inject(tmp_path_factory, generated) -> None:  # type: ignore[no-untyped-def]
    base = (ROOTS / "test-basic" / "refs.bib").read_text(encoding="utf-8")
    texts = [entry(*e) for e in generated]
    bib = base + "\n" + "\n".join(texts)
    srcdir = copy_root(tmp_path_factory.mktemp("prop"), files={"refs.bib": bib})
    built = build(srcdir)  # an exception here is a crash
    first = base.count("\n") + 2  # the line of the first generated entry
    for (k, *_), text in zip(generated, texts, strict=True):
        lines = range(first, first + text.count("\n"))
        first += text.count("\n") + 1
        if (built.outdir / "papers" / f"{k}.html").is_file():
            continue
        # no page: a warning says why, naming the entry or located inside it
        located = [
            w for w in built.warnings if (m := re.match(r"refs\.bib:(\d+):", w)) and int(m[1]) in lines
        ]
        assert located or any(k in w for w in built.warnings), (k, list(lines), built.warnings)
    for html in Path(built.outdir).rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert PROBE not in text, html.name  # the theme's own <script> tags are fine; a field's never
