"""The CV: its facts from one YAML file, its page (and parts of it anywhere), ``cv.pdf``
typeset by Typst and ``cv.json`` (JSON Resume).

Reading the facts needs no Sphinx (``portfolio check`` reads them too); the build's parts
are imported when the build first asks for them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._data import CV, Month, read_cv

if TYPE_CHECKING:
    from ._files import write_cv_files
    from ._page import CV_TOPIC, check_cv_projects, load_cv, setup_cv

__all__ = ["CV", "CV_TOPIC", "Month", "check_cv_projects", "load_cv", "read_cv", "setup_cv", "write_cv_files"]

#: the build's parts, and the module of each
_BUILD = {
    "CV_TOPIC": "_page",
    "check_cv_projects": "_page",
    "load_cv": "_page",
    "setup_cv": "_page",
    "write_cv_files": "_files",
}


def __getattr__(name: str) -> Any:
    if name in _BUILD:
        return getattr(importlib.import_module(f"{__name__}.{_BUILD[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
