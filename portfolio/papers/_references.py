"""Cite this paper at the cost of what changed: each paper's references are formatted once
for what they are made from, kept between builds, and on a cold build formatted beside the
reading instead of before it.

- **Where they go.**  A paper page holds a placeholder (:class:`~portfolio.nodes.pending_references`)
  that :class:`FillReferences` replaces when the page is written, in the main process whatever
  ``-j`` is (Sphinx resolves every doctree there).
- **Kept.**  ``portfolio-references.json``, beside the environment in the doctree folder,
  holds each paper's references with a digest of what made them: the CSL item, the styles'
  files, citeproc-py's version and :data:`VERSION` (this module's, raised when the
  formatting changes).  A page written again whose digest is the same takes them from
  there; an edited entry is formatted again, alone.  A no-op build opens nothing.
- **Ahead.**  When at least :data:`AHEAD_FROM` paper pages are to be read whose references
  are not kept (a cold build, on Read the Docs every build), they are handed to background
  processes when reading starts; the build reads its pages meanwhile and takes each
  paper's references when its page is written.  The processes are started with
  :mod:`subprocess` (not forked from the build, no thread in it: Sphinx's own ``-j`` forks
  see nothing running), and read and write files: a worker that fails is ignored, and its
  papers are formatted when their pages are written, as with one core.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import weakref
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.transforms.post_transforms import SphinxPostTransform

from ..bib import csl_item
from ..domain import get_domain
from ..nodes import pending_references
from ..output import app_of
from . import _cite as cite

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: raised when what a kept reference is made from changes in this package (the workarounds)
VERSION = 1
FILE = "portfolio-references.json"
#: fewer papers to format than this: starting a process (0.3 s) costs more than it saves
AHEAD_FROM = 40
WORKER = "import sys; from portfolio.papers._references import work; work(*sys.argv[1:])"


def _file_digest(path: Path) -> str:
    stat = path.stat()  # a .csl file beside conf.py may be edited between two builds of one process
    return _content_digest(path, stat.st_mtime_ns, stat.st_size)


@cache
def _content_digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _citeproc_version() -> str:
    from importlib.metadata import version

    return version("citeproc-py")


def digest(item: dict[str, Any], styles: dict[str, Path]) -> str:
    """What a paper's references are made from: equal digests, equal references."""
    made_of = [VERSION, _citeproc_version(), [[label, _file_digest(p)] for label, p in styles.items()], item]
    return hashlib.sha256(json.dumps(made_of, sort_keys=True).encode()).hexdigest()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    result: Path


@dataclass
class Store:
    """The references of one build: those kept, and those being formatted ahead."""

    path: Path
    #: paper key -> (digest, its references)
    kept: dict[str, tuple[str, list[cite.Formatted]]] = field(default_factory=dict)
    changed: bool = False
    workers: dict[str, _Worker] = field(default_factory=dict)  # by paper key
    folder: Path | None = None

    @classmethod
    def open(cls, path: Path) -> Store:
        """The kept references; a file that is missing, unreadable or of another shape
        keeps nothing (it is rewritten whole at the end of the build)."""
        store = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for key, (made_of, formatted) in data.items():
                store.kept[key] = (str(made_of), [(str(a), str(b), str(c)) for a, b, c in formatted])
        except (OSError, ValueError, TypeError, AttributeError):
            store.kept.clear()
        return store

    def get(
        self, key: str, item: dict[str, Any], styles: dict[str, Path]
    ) -> tuple[str, list[cite.Formatted]]:
        """The paper's digest and references: kept, formatted ahead (waiting for its
        worker), or formatted now."""
        made_of = digest(item, styles)
        if key in self.workers:
            self._collect(self.workers[key])
        known = self.kept.get(key)
        if known is None or known[0] != made_of:
            known = self.kept[key] = (made_of, cite.compute(item, styles))
            self.changed = True
        return known

    def put(self, key: str, made_of: str, formatted: list[cite.Formatted]) -> None:
        """Keep what a reader of a parallel build formatted."""
        if self.kept.get(key) != (made_of, formatted):
            self.kept[key] = (made_of, formatted)
            self.changed = True

    def ahead(self, papers: dict[str, dict[str, Any]], styles: dict[str, Path]) -> None:
        """Start formatting the papers whose references are not kept, if they are many."""
        made = {key: digest(item, styles) for key, item in papers.items()}
        todo = [
            (key, made[key], item)
            for key, item in papers.items()
            if self.kept.get(key, ("",))[0] != made[key]
        ]
        count = min(_cores() - 1, 8)
        if len(todo) < AHEAD_FROM or count < 1:
            return
        import portfolio

        self.folder = Path(tempfile.mkdtemp(prefix="portfolio-references-"))
        env = dict(os.environ)  # the engine as this process imports it, wherever that is
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(Path(portfolio.__file__).parents[1]), env.get("PYTHONPATH")])
        )
        for n in range(count):
            chunk = todo[n::count]
            job, result = self.folder / f"job{n}.json", self.folder / f"result{n}.json"
            job.write_text(
                json.dumps({"styles": {label: str(p) for label, p in styles.items()}, "items": chunk}),
                encoding="utf-8",
            )
            try:
                quiet = subprocess.DEVNULL
                command = [sys.executable, "-c", WORKER, str(job), str(result)]
                process = subprocess.Popen(command, stdin=quiet, stdout=quiet, stderr=quiet, env=env)
            except OSError:
                break  # no processes here (a sandbox): each page formats its own
            worker = _Worker(process, result)
            self.workers.update((key, worker) for key, _, _ in chunk)

    def _collect(self, worker: _Worker) -> None:
        """Wait for a worker and keep what it formatted, if it finished."""
        try:
            done = json.loads(worker.result.read_text(encoding="utf-8")) if worker.process.wait() == 0 else {}
        except (OSError, ValueError):  # it wrote nothing whole: its papers are formatted here
            done = {}
        for key, (made_of, formatted) in done.items():
            self.kept[key] = (made_of, [tuple(f) for f in formatted])
            self.changed = True
        for key in [k for k, w in self.workers.items() if w is worker]:
            del self.workers[key]

    def close(self, papers: set[str]) -> None:
        """Stop what still runs (a failed build), and keep the references of the papers
        that exist, if anything was formatted: written whole or not at all."""
        for worker in {id(w): w for w in self.workers.values()}.values():
            worker.process.kill()
            worker.process.wait()
        self.workers.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        if not self.changed:
            return
        kept = {key: value for key, value in sorted(self.kept.items()) if key in papers}
        partial = self.path.with_name(self.path.name + ".part")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        partial.replace(self.path)
        self.changed = False


def work(job: str, result: str) -> None:
    """A background process: format one chunk of papers, then write the result whole."""
    task = json.loads(Path(job).read_text(encoding="utf-8"))
    styles = {label: Path(path) for label, path in task["styles"].items()}
    done = {key: (made_of, cite.compute(item, styles)) for key, made_of, item in task["items"]}
    partial = Path(result + ".part")
    partial.write_text(json.dumps(done), encoding="utf-8")
    partial.replace(result)


_STORES: weakref.WeakKeyDictionary[Sphinx, Store] = weakref.WeakKeyDictionary()


def _store(app: Sphinx) -> Store:
    if app not in _STORES:
        _STORES[app] = Store.open(Path(app.doctreedir) / FILE)
    return _STORES[app]


def _styles(app: Sphinx) -> dict[str, Path]:
    return cite.resolved(tuple(app.config.portfolio_cite_styles.items()), str(app.confdir))


def format_references_ahead(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: the kept references opened before any reader forks, and
    those of the paper pages about to be read formatted beside the reading when they are
    many and not kept.  With ``-j`` the readers format them instead (:func:`read_references`):
    the cores are theirs."""
    domain = get_domain(env)
    papers = {paper.key: csl_item(paper) for d in docnames if (paper := domain.paper_of_doc(d)) is not None}
    if papers and (styles := _styles(app)):
        store = _store(app)
        if app.parallel < 2:
            store.ahead(papers, styles)


def read_references(app: Sphinx, key: str) -> pending_references:
    """A paper page's placeholder for its references; in a parallel build, with them (each
    reader formats its own pages', and the doctree brings them to the main process)."""
    node = pending_references(paper=key)
    if app.parallel > 1 and (styles := _styles(app)):
        node["made_of"], node["formatted"] = _store(app).get(
            key, csl_item(get_domain(app.env).papers[key]), styles
        )
    return node


def keep_references(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the references kept for the next build."""
    store = _STORES.pop(app, None)
    if store is not None:
        store.close(set(get_domain(app.env).papers))


class FillReferences(SphinxPostTransform):
    """A paper page's "Cite this paper": its references in each style and its RIS file."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain, app = get_domain(self.env), app_of(self.env)
        for node in list(self.document.findall(pending_references)):
            paper = domain.papers[node["paper"]]
            formatted: list[cite.Formatted] = []
            if "formatted" in node:  # by a reader of a parallel build
                formatted = [(a, b, c) for a, b, c in node["formatted"]]
                _store(app).put(paper.key, node["made_of"], formatted)
            elif styles := _styles(app):
                formatted = _store(app).get(paper.key, csl_item(paper), styles)[1]
            refs = cite.references(formatted, paper.key, f"{domain.bib.path}:{paper.line}")
            node.replace_self(cite.cite_block(refs, f"{paper.slug}.ris"))
