"""Each page loads the stylesheets and scripts of other extensions only if it uses them:
sphinx-design's (55 KB of CSS, and its tabs script) where the page has a design component
(the project cards), sphinx-copybutton's where the page has a code block (the BibTeX on
paper pages). Fewer render-blocking files make the first paint sooner on a phone.
Code blocks are made keyboard-focusable, since a long line makes them scroll.

Sphinx adds the same assets to every page; a change made here in ``html-page-context``
applies to this page only (Sphinx restores the lists after each page).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: file names (without folder or query) of each optional asset family
DESIGN = frozenset({"sphinx-design.min.css", "design-tabs.js"})
COPYBUTTON = frozenset({"copybutton.css", "copybutton.js", "clipboard.min.js"})


def _uses_design(doctree: nodes.document) -> bool:
    return any(
        str(cls).startswith("sd-") for node in doctree.findall(nodes.Element) for cls in node["classes"]
    )


def _uses_code(doctree: nodes.document) -> bool:
    return next(iter(doctree.findall(nodes.literal_block)), None) is not None


def _name(asset: Any) -> str:
    return str(getattr(asset, "filename", asset) or "").rsplit("/", 1)[-1].split("?")[0]


def _drop(assets: list[Any], names: frozenset[str]) -> None:
    assets[:] = [a for a in assets if _name(a) not in names]


def trim_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    unused: set[str] = set()
    checks: list[tuple[frozenset[str], Callable[[nodes.document], bool]]] = [
        (DESIGN, _uses_design),
        (COPYBUTTON, _uses_code),
    ]
    for names, used in checks:
        if doctree is None or not used(doctree):
            unused |= names
    if unused:
        for key in ("css_files", "script_files"):
            if isinstance(context.get(key), list):
                _drop(context[key], frozenset(unused))


#: Pygments' block as Sphinx writes it; a line longer than the column scrolls sideways
_CODE_BLOCK = re.compile(r'(<div class="highlight"><pre)>')


def focusable_code(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Code blocks take keyboard focus (``tabindex="0"``), so that one that scrolls sideways
    can be scrolled without a mouse (WCAG 2.1.1; axe's scrollable-region-focusable)."""
    body = context.get("body")
    if isinstance(body, str) and '<div class="highlight"><pre>' in body:
        context["body"] = _CODE_BLOCK.sub(r'\1 tabindex="0">', body)
