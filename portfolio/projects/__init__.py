"""Projects: a page's ``project:`` front matter made into a card with its papers, news and
related projects; project overviews; and what a project's repository copies from its page
(``CITATION.cff``, a badge, README snippets)."""

from __future__ import annotations

from ._pages import projects_in_toctree_order, setup_projects, year_range
from ._repository import files, link_here_section, write_project_files

__all__ = [
    "files",
    "link_here_section",
    "projects_in_toctree_order",
    "setup_projects",
    "write_project_files",
    "year_range",
]
