"""What the build writes, and where: the generated files (written only when their text
changes, so that a build that changes nothing rewrites nothing and a file watcher sees no
change), whether the builder writes a web site, the site's base URL and the relative URI of
one page seen from another; and how a command replaces a file, whole or not at all."""

from __future__ import annotations

import os
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The application of each environment, remembered at ``builder-inited``: transforms and
#: directives see only the environment, and Sphinx's own ``env._app`` is private.
_APPS: weakref.WeakKeyDictionary[BuildEnvironment, Sphinx] = weakref.WeakKeyDictionary()


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` (creating its folder) unless it holds that text already;
    whether it wrote."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def replace_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remember_app(app: Sphinx) -> None:
    """``builder-inited``: the environment's application, for :func:`app_of`."""
    _APPS[app.env] = app


def app_of(env: BuildEnvironment) -> Sphinx:
    """The application building ``env`` (remembered at ``builder-inited``)."""
    return _APPS[env]


def is_html(app: Sphinx) -> bool:
    """Whether the builder writes a web site of pages (``html``, ``dirhtml``), the only
    builders that get generated files."""
    from sphinx.builders.html import StandaloneHTMLBuilder

    return isinstance(app.builder, StandaloneHTMLBuilder) and app.builder.name != "singlehtml"


def base_url(app: Sphinx) -> str:
    """``html_baseurl`` ending in a slash, or "" when it is not set."""
    base = app.config.html_baseurl or ""
    return base if not base or base.endswith("/") else base + "/"


def relative_uri(env: BuildEnvironment, fromdoc: str, todoc: str, anchor: str = "") -> str:
    """URI of ``todoc#anchor`` as seen from ``fromdoc``, for the current builder."""
    uri = app_of(env).builder.get_relative_uri(fromdoc, todoc)
    return f"{uri}#{anchor}" if anchor else uri
