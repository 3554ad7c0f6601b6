"""What changed since the last build: one :class:`Changes` record per build.

It is made at ``builder-inited``, when the inputs that are not pages have been read
(``refs.bib``, the CV file) and compared with the previous environment's, and completed
when Sphinx knows which pages it reads (``env-before-read-docs``) and when the reading is
done (``env-updated``).  Every consumer reads it: which pages to read again
(:func:`portfolio.consistency.outdated_docs`), which to rewrite without reading
(:func:`portfolio.consistency.pages_to_rewrite`), which generated files to write again.
It lives beside the environment, never in it, and is dropped when the build ends, so
nothing of one build's changes survives into the next."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.environment import CONFIG_OK

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .bib import Paper
    from .cv import CV

#: (before, after) of an entry: None where it did not exist
EntryChange = tuple["Paper | None", "Paper | None"]


@dataclass
class Changes:
    """The inputs that changed in this build, and what reading the pages changed."""

    #: no previous environment to compare with (first build, or conf.py changed): every
    #: generated file is written again
    fresh: bool = True
    #: the entries of refs.bib added, removed or changed, by key
    entries: dict[str, EntryChange] = field(default_factory=dict)
    #: refs.bib was read in this build (its parse must be kept: the environment is saved)
    bib_read: bool = False
    #: the CV's facts that changed, by field of :class:`portfolio.cv._data.CV`
    cv: frozenset[str] = frozenset()
    #: the pages Sphinx reads in this build (filled when reading starts)
    read: frozenset[str] = frozenset()
    #: digests of the data shared between pages, before reading (None: nothing is read,
    #: so none of it can change)
    before: dict[str, str] | None = None
    #: the shared data that the reading changed (filled when reading ends)
    shared: frozenset[str] = frozenset()

    def unchanged(self, files: Iterable[Path], keys: Iterable[str] | None = None) -> bool:
        """Whether generated ``files`` hold what this build would write again: the build is
        not fresh, none of the entries ``keys`` changed (None: no entry at all) and every
        file is there."""
        if self.fresh:
            return False
        if self.entries if keys is None else any(key in self.entries for key in keys):
            return False
        return all(path.is_file() for path in files)


_RECORDS: weakref.WeakKeyDictionary[BuildEnvironment, Changes] = weakref.WeakKeyDictionary()


def begin(
    env: BuildEnvironment, entries: dict[str, EntryChange], bib_read: bool, cv: frozenset[str]
) -> Changes:
    """This build's record, from the new inputs compared with the previous environment's."""
    record = Changes(env.config_status != CONFIG_OK, entries, bib_read, cv)
    _RECORDS[env] = record
    return record


def current(env: BuildEnvironment) -> Changes:
    """This build's record (a fresh one outside a build, e.g. in a test's bare app)."""
    return _RECORDS.get(env) or Changes()


def cv_changes(old: CV, new: CV) -> frozenset[str]:
    """The fields of the CV whose facts differ."""
    return frozenset(
        f.name for f in fields(new) if f.compare and getattr(old, f.name) != getattr(new, f.name)
    )


def end(app: Sphinx, exception: Exception | None) -> None:
    _RECORDS.pop(app.env, None)
