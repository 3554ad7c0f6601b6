"""What the web sees beyond the pages: metadata for Google Scholar and link previews,
search, the sitemap and robots.txt, permanent URLs, the exports, the owner's profiles and
each page's assets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._assets import focusable_code, trim_assets
from ._exports import ris_files, write_exports
from ._meta import add_metadata
from ._preview import use_preview, write_preview
from ._profiles import add_footer_icons, profiles, same_as
from ._search import add_search_script
from ._sitemap import complete_sitemap, write_robots
from ._urls import check_manifest, relative_redirects

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = [
    "add_footer_icons",
    "add_metadata",
    "add_search_script",
    "check_manifest",
    "complete_sitemap",
    "focusable_code",
    "profiles",
    "relative_redirects",
    "ris_files",
    "same_as",
    "setup_web",
    "trim_assets",
    "use_preview",
    "write_exports",
    "write_preview",
    "write_robots",
]


def setup_web(app: Sphinx) -> None:
    from ._profiles import setup_profiles

    setup_profiles(app)
