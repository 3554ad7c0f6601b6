"""Markup at the door: the HTML, JATS and MathML that services put in titles and names
(Crossref's ``<i>Escherichia coli</i>``, ``CO<sub>2</sub>``, ``<scp>``, ``<mml:math>``)
become their LaTeX equivalents, or plain text, before anything is written to ``refs.bib``.

:func:`convert` returns both: the plain text (for keys, for comparing titles, for names)
and the LaTeX of the title, in which every other character LaTeX reads as a command is
escaped.  Tags never pass: an unknown one keeps its text and loses its tag.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: tag (without a namespace prefix) -> the LaTeX command around its text
_STYLES = {
    "i": "textit", "italic": "textit", "em": "emph", "b": "textbf", "bold": "textbf",
    "strong": "textbf", "sub": "textsubscript", "inf": "textsubscript", "sup": "textsuperscript",
    "sc": "textsc", "scp": "textsc", "tt": "texttt", "monospace": "texttt", "code": "texttt",
}  # fmt: skip
_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
_EMPTY_STYLE = re.compile(r"\\(textit|emph|textbf|textsubscript|textsuperscript|textsc|texttt)\{\s*\}")
_SPECIAL = re.compile(r"([&%$#_{}])|(\\)|(~)|(\^)")


def has_markup(text: str) -> bool:
    """Whether ``text`` holds a tag or an HTML entity."""
    return bool(_TAG.search(text) or re.search(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);", text))


def escape_latex(text: str) -> str:
    """Plain text as LaTeX: the characters LaTeX reads as commands escaped."""

    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return "\\" + m.group(1)
        if m.group(2):
            return "\\textbackslash{}"
        return "\\textasciitilde{}" if m.group(3) else "\\textasciicircum{}"

    return _SPECIAL.sub(one, text)


class _Reader(HTMLParser):
    def __init__(self, latex: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.escape = _in_latex if latex else escape_latex
        self.plain: list[str] = []
        self.latex: list[str] = []
        self.open: list[str] = []  # what each open tag closes with ("" for a dropped tag)
        self.math: list[list[str]] = []  # MathML being read: a stack of element texts
        self.math_tags: list[str] = []

    @staticmethod
    def _name(tag: str) -> str:
        return tag.rsplit(":", 1)[-1].lower()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = self._name(tag)
        if self.math_tags or name == "math":
            self.math_tags.append(name)
            self.math.append([])
            return
        command = _STYLES.get(name)
        if command:
            self.latex.append(f"\\{command}{{")
            self.open.append("}")
        else:
            self.open.append("")
        if name == "br":
            self.handle_endtag(tag)
            self._text(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._name(tag) == "br":
            self._text(" ")

    def handle_endtag(self, tag: str) -> None:
        name = self._name(tag)
        if self.math_tags:
            if name not in self.math_tags:
                return  # a stray end tag inside math
            while self.math_tags:
                closing = self.math_tags.pop()
                parts = self.math.pop()
                text = _math(closing, parts)
                if self.math:
                    self.math[-1].append(text)
                else:  # the formula ends: $...$ in LaTeX, its text in the plain form
                    formula = text.strip()
                    if formula:
                        self.latex.append(f"${formula}$")
                        self.plain.append(_math_plain(formula))
                if closing == name:
                    break
            return
        if self.open:
            self.latex.append(self.open.pop())

    def _text(self, data: str) -> None:
        self.plain.append(data)
        self.latex.append(self.escape(data))

    def handle_data(self, data: str) -> None:
        if self.math_tags:
            self.math[-1].append(self.escape(data.strip()) if data.strip() else "")
            return
        self._text(data)

    def close(self) -> None:
        super().close()
        while self.math_tags:
            self.handle_endtag(self.math_tags[0])
        self.latex.extend(reversed(self.open))
        self.open.clear()


def _math(name: str, parts: list[str]) -> str:
    """One MathML element as TeX, from its children's TeX."""
    parts = [p for p in parts if p]
    if name in {"msub", "msup"} and len(parts) == 2:
        return f"{{{parts[0]}}}{'_' if name == 'msub' else '^'}{{{parts[1]}}}"
    if name == "msubsup" and len(parts) == 3:
        return f"{{{parts[0]}}}_{{{parts[1]}}}^{{{parts[2]}}}"
    if name == "mfrac" and len(parts) == 2:
        return f"\\frac{{{parts[0]}}}{{{parts[1]}}}"
    if name == "msqrt":
        return f"\\sqrt{{{''.join(parts)}}}"
    if name == "mtext":
        return f"\\text{{{''.join(parts)}}}"
    return "".join(parts)


def _math_plain(formula: str) -> str:
    """A formula's text without its TeX: E_{0} -> E0."""
    text = re.sub(r"\\(frac|sqrt|text)\b", "", formula)
    return re.sub(r"[{}_^$\\]", "", text)


def _in_latex(text: str) -> str:
    """Text that is LaTeX already (a BibTeX value) with what the markup's entities gave it
    (``&amp;``, ``&lt;``) made LaTeX too."""
    text = re.sub(r"(?<!\\)&", r"\\&", text)
    return text.replace("<", "\\textless{}").replace(">", "\\textgreater{}")


def convert(text: str, latex: bool = False) -> tuple[str, str]:
    """(plain text, LaTeX) of a title or a name that may hold markup.  With ``latex``, the
    text between the tags is LaTeX already (a BibTeX value) and is kept as it is."""
    if not has_markup(text):
        return text, text if latex else escape_latex(text)
    reader = _Reader(latex)
    reader.feed(text)
    reader.close()
    text_only = " ".join("".join(reader.plain).split())
    as_latex = " ".join("".join(reader.latex).split())
    as_latex = _EMPTY_STYLE.sub("", as_latex)
    return text_only, as_latex


def plain(text: str) -> str:
    """The text of a name, a venue or any field without its markup."""
    return convert(text)[0]
