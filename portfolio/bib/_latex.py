"""BibTeX field values (LaTeX) to Unicode text, with pylatexenc.

:func:`to_text` returns the text with emphasis kept as marker characters (see
:data:`EM`), so that HTML can show ``\\emph{...}`` as ``<em>`` and plain outputs drop the
markers with :func:`plain`, plus the LaTeX commands it did not know: the caller reports
those, located, instead of losing text silently.  Pure Python (no Sphinx): the build and
``python -m portfolio check`` share it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pylatexenc import latex2text, latexwalker, macrospec

#: Private-use characters that bracket emphasised (italic), strong (bold), subscript and
#: superscript text (``\textsubscript{2}``, as the importer writes a service's ``<sub>``).
EM = ("\ue000", "\ue001")
STRONG = ("\ue002", "\ue003")
SUB = ("\ue004", "\ue005")
SUP = ("\ue006", "\ue007")
_MARKERS = re.compile("[\ue000-\ue007]")
#: Characters that no XML document or Typst file takes, as text pasted from a PDF carries
#: them: the C0 controls but tab, newline and return, DEL, and the non-characters U+FFFE/F.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

#: Commands that BibTeX data uses and pylatexenc does not know, as (name, argspec, text);
#: ``%s`` stands for the argument.  biblatex's own commands first.
_EXTRA_MACROS: tuple[tuple[str, str, str], ...] = (
    ("mkbibquote", "{", "\u201c%s\u201d"),
    ("enquote", "{", "\u201c%s\u201d"),
    ("mkbibemph", "{", EM[0] + "%s" + EM[1]),
    ("mkbibitalic", "{", EM[0] + "%s" + EM[1]),
    ("mkbibbold", "{", STRONG[0] + "%s" + STRONG[1]),
    ("emph", "{", EM[0] + "%s" + EM[1]),
    ("textit", "{", EM[0] + "%s" + EM[1]),
    ("textsl", "{", EM[0] + "%s" + EM[1]),
    ("textbf", "{", STRONG[0] + "%s" + STRONG[1]),
    ("textsubscript", "{", SUB[0] + "%s" + SUB[1]),
    ("textsuperscript", "{", SUP[0] + "%s" + SUP[1]),
    ("texttt", "{", "%s"),
    ("textsc", "{", "%s"),
    ("textup", "{", "%s"),
    ("textnormal", "{", "%s"),
    ("mkbibacro", "{", "%s"),
    ("autocap", "{", "%s"),
    ("url", "{", "%s"),
    ("nolinkurl", "{", "%s"),
    ("hyphen", "", "-"),
    ("slash", "", "/"),
    ("TeX", "", "TeX"),
    ("LaTeX", "", "LaTeX"),
    ("LaTeXe", "", "LaTeX2e"),
    ("BibTeX", "", "BibTeX"),
    ("textless", "", "<"),
    ("textgreater", "", ">"),
    ("textbackslash", "", "\\"),
    ("textasciitilde", "", "~"),
    ("textasciicircum", "", "^"),
    ("textunderscore", "", "_"),
    ("textbar", "", "|"),
    ("textendash", "", "\u2013"),
    ("textemdash", "", "\u2014"),
    ("textquotedbl", "", '"'),
    ("protect", "", ""),
    ("relax", "", ""),
    ("nobreakspace", "", " "),
    ("addspace", "", " "),
    ("addcomma", "", ","),
    ("adddot", "", "."),
    ("addcolon", "", ":"),
    ("addsemicolon", "", ";"),
    ("addperiod", "", "."),
    ("isdot", "", ""),
    ("nopunct", "", ""),
    ("bibstring", "{", "%s"),
)

_SUPERSCRIPTS = dict(zip("0123456789+-=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-=()aeijoruvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₒᵣᵤᵥₓ", strict=True))
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|(\\?[A-Za-z0-9+\-=]))")
#: A ``%`` that is not escaped: literal text in a braced BibTeX value, never a comment.
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_LATEX_SYNTAX = re.compile(r"[\\{}$~%&^_]|--|''")
_BEYOND_BRACES = re.compile(r"[\\$~%&^_]|--|''")  # markup that needs the parser
#: LaTeX's `single quotes' and a lone opening quote; never the accent commands \` and \'
_SINGLE_QUOTES = re.compile(r"(?<![`\\])`(?!`)((?:[^`'\\]|\\.)*)'(?!')")
_LONE_BACKTICK = re.compile(r"(?<![`\\])`(?!`)")


@dataclass(frozen=True)
class Converted:
    text: str  # with EM/STRONG markers
    unknown: tuple[str, ...]  # LaTeX commands that were not understood ("\\foo")


def plain(text: str) -> str:
    """Text without emphasis markers."""
    return _MARKERS.sub("", text)


def _scripts(match: re.Match[str]) -> str:
    table = _SUPERSCRIPTS if match.group(1) == "^" else _SUBSCRIPTS
    body = match.group(2) if match.group(2) is not None else match.group(3)
    if body and all(c in table for c in body):
        return "".join(table[c] for c in body)
    return match.group(0)


class _ToText(latex2text.LatexNodes2Text):  # type: ignore[misc]  # pylatexenc has no types
    """pylatexenc's converter, with math written as readable Unicode (x², x₁, Greek letters)."""

    def math_node_to_text(self, node: latexwalker.LatexMathNode) -> str:
        inner = "".join(n.latex_verbatim() for n in node.nodelist)
        inner = _SCRIPT.sub(_scripts, inner)
        return str(_converter().latex_to_text(inner))


@functools.cache
def _contexts() -> tuple[macrospec.LatexContextDb, latex2text.LatexContextDb]:
    parse_db = latexwalker.get_default_latex_context_db()
    parse_db.add_context_category(
        "portfolio-bib",
        macros=[macrospec.MacroSpec(name, spec) for name, spec, _ in _EXTRA_MACROS],
        prepend=True,
    )
    text_db = latex2text.get_default_latex_context_db()
    text_db.add_context_category(
        "portfolio-bib",
        macros=[latex2text.MacroTextSpec(name, simplify_repl=repl) for name, _, repl in _EXTRA_MACROS],
        prepend=True,
    )
    return parse_db, text_db


@functools.cache
def _converter() -> _ToText:
    return _ToText(latex_context=_contexts()[1], math_mode="text", keep_braced_groups=False)


def _unknown_macros(nodes: list[latexwalker.LatexNode] | None, known: latex2text.LatexContextDb) -> set[str]:
    found: set[str] = set()
    for node in nodes or []:
        if node is None:
            continue
        if node.isNodeType(latexwalker.LatexMacroNode):
            if known.get_macro_spec(node.macroname) is None and node.macroname.isalpha():
                found.add("\\" + node.macroname)
            for arg in node.nodeargd.argnlist if node.nodeargd else []:
                found |= _unknown_macros([arg], known)
        elif node.isNodeType(latexwalker.LatexEnvironmentNode):
            found.add(f"\\begin{{{node.environmentname}}}")
        if hasattr(node, "nodelist"):
            found |= _unknown_macros(node.nodelist, known)
    return found


@functools.lru_cache(maxsize=8192)  # names and venues repeat across a bibliography
def to_text(value: str) -> Converted:
    """Render one BibTeX field value (LaTeX) as Unicode text with emphasis markers.

    A bare ``%`` is text (BibTeX passes it through; every BibTeX-reading web tool shows it),
    never the start of a comment that would swallow the rest of the value."""
    if "`" in value:  # LaTeX's `single quotes'
        value = _LONE_BACKTICK.sub("\u2018", _SINGLE_QUOTES.sub("\u2018\\1\u2019", value))
    if not _LATEX_SYNTAX.search(value):  # most names and titles: nothing to convert
        return Converted(" ".join(value.split()), ())
    if not _BEYOND_BRACES.search(value):  # only braces, e.g. {BERT}
        return Converted(" ".join(value.replace("{", "").replace("}", "").split()), ())
    source = _BARE_PERCENT.sub(r"\\%", value)
    parse_db, text_db = _contexts()
    walker = latexwalker.LatexWalker(source, latex_context=parse_db, tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    unknown = tuple(sorted(_unknown_macros(nodes, text_db)))
    text = _converter().nodelist_to_text(nodes)
    return Converted(" ".join(text.split()), unknown)


def latex_to_text(value: str) -> str:
    """Plain Unicode text of a BibTeX field value (no markers)."""
    return plain(to_text(value).text)


def unescape_verbatim(value: str) -> str:
    """A URL, DOI or eprint as BibTeX exports write it (DBLP: ``\\_``; others ``\\%``,
    ``\\&``, ``\\#``, ``\\~``, ``{\\_}``), back to the characters it stands for."""
    if "\\" not in value and "{" not in value:
        return "".join(value.split())
    value = re.sub(r"\\url\{(.*)\}", r"\1", value.strip(), flags=re.DOTALL)
    value = re.sub(r"\{?\\([_%&#~$])\}?", r"\1", value)
    value = value.replace("{", "").replace("}", "")
    return "".join(value.split())


def without_controls(text: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` without its control characters (:data:`CONTROL`; a vertical tab or a form
    feed becomes a space, as it separated words), and the (line, character) of each."""
    found: list[tuple[int, str]] = []
    if not CONTROL.search(text):
        return text, found
    line, start = 1, 0
    for m in CONTROL.finditer(text):
        line += text.count("\n", start, m.start())
        start = m.start()
        found.append((line, m.group(0)))
    return CONTROL.sub(lambda m: " " if m.group(0) in "\x0b\x0c" else "", text), found
