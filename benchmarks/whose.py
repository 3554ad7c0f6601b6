"""Whose time a build spends: one Sphinx build under cProfile, its exclusive time summed by
the package each function belongs to (this extension, Sphinx, docutils, MyST, the theme...).

    python benchmarks/whose.py SRC OUT CONFDIR     # prints the table for one build

``make bench`` uses it for the builds whose targets are missed, so that the figure comes
with what is left and whose it is.  Standard library only.
"""

from __future__ import annotations

import pstats
import re
import subprocess
import sys
import tempfile
from pathlib import Path

#: a function's file -> who owns it (the first pattern that matches)
OWNERS = [
    (re.compile(r"/portfolio/"), "portfolio (this extension)"),
    (re.compile(r"site-packages/sphinx/"), "Sphinx"),
    (re.compile(r"site-packages/docutils/"), "docutils"),
    (
        re.compile(r"site-packages/myst_parser/|site-packages/markdown_it/|site-packages/mdit_py_plugins/"),
        "MyST",
    ),
    (re.compile(r"site-packages/(sphinxcontrib/bibtex|pybtex|latexcodec)/"), "sphinxcontrib-bibtex, pybtex"),
    (re.compile(r"site-packages/(citeproc|lxml)/"), "citeproc-py"),
    (re.compile(r"site-packages/(furo|bs4|soupsieve|html5lib)/"), "furo (its navigation)"),
    (re.compile(r"site-packages/(jinja2|markupsafe)/"), "Jinja (page templates)"),
    (re.compile(r"site-packages/(pygments)/"), "Pygments"),
    (re.compile(r"site-packages/"), "other extensions and libraries"),
]
#: built-in functions that are someone's work: unpickling the environment, importing
BUILTINS = [
    (re.compile(r"_pickle\.(load|dump)"), "pickle (Sphinx's environment and doctrees)"),
    (re.compile(r"marshal\.loads|_imp\.|builtins\.compile|__build_class__"), "Python: importing modules"),
]


#: owners that do work on someone else's behalf: their time goes to whoever called them
HELPERS = {"Python standard library", "Python built-ins"}


def owner(filename: str, name: str) -> str:
    if filename == "~":  # a built-in
        for pattern, who in BUILTINS:
            if pattern.search(name):
                return who
        return "Python built-ins"
    if "importlib" in filename or "<frozen" in filename:
        return "Python: importing modules"
    for pattern, who in OWNERS:
        if pattern.search(filename):
            return who
    return "Python standard library"


def whose(profile: Path) -> list[tuple[str, float]]:
    """(owner, seconds), largest first: each function's own time, and the time of the
    standard library and built-ins it calls (shared among callers by their calls' time)."""
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    shares: dict[tuple[str, int, str], dict[str, float]] = {}

    def share(func: tuple[str, int, str], seen: frozenset[tuple[str, int, str]]) -> dict[str, float]:
        if func in shares:
            return shares[func]
        who = owner(func[0], func[2])
        callers = stats[func][4] if func in stats else {}
        weights = {c: v[3] for c, v in callers.items() if c not in seen and c in stats}
        total = sum(weights.values())
        if who not in HELPERS or not total:
            out = {who: 1.0}
        else:
            out = {}
            for caller, weight in weights.items():
                for name, part in share(caller, seen | {func}).items():
                    out[name] = out.get(name, 0.0) + part * weight / total
        if not seen:
            shares[func] = out
        return out

    totals: dict[str, float] = {}
    for func, (_, _, tottime, _, _) in stats.items():
        for who, part in share(func, frozenset()).items():
            totals[who] = totals.get(who, 0.0) + tottime * part
    return sorted(totals.items(), key=lambda kv: -kv[1])


def profile_build(src: Path, out: Path, confdir: Path, jobs: int = 1) -> list[tuple[str, float]]:
    """One build of ``src`` into ``out`` (incremental if ``out`` holds one), profiled; with
    ``jobs``, the main process only (its waits for the workers go to Sphinx, which waits)."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "build.prof"
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "sphinx", "-b", "html", "-q"]
        cmd += ["-j", str(jobs)]
        cmd += ["-d", str(out / "doctrees"), "-c", str(confdir), str(src), str(out / "html")]
        subprocess.run(cmd, check=True, capture_output=True)
        return whose(profile)


IMPORT = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_times(src: Path, out: Path, confdir: Path) -> str:
    """One build (`make html`'s command) under ``python -X importtime``: how long importing
    took, our modules' own share, and the heaviest packages imported (their cumulative time)."""
    cmd = [sys.executable, "-X", "importtime", "-m", "portfolio", "build", "-b", "html", "-q"]
    cmd += ["-d", str(out / "doctrees"), "-c", str(confdir), str(src), str(out / "html")]
    lines = subprocess.run(cmd, check=True, capture_output=True, text=True).stderr.splitlines()
    rows = [(int(m[1]), int(m[2]), len(m[3]), m[4]) for line in lines if (m := IMPORT.match(line))]
    total = sum(own for own, _, _, _ in rows) / 1000
    ours = sum(own for own, _, _, name in rows if name.split(".")[0] == "portfolio") / 1000
    packages: dict[str, float] = {}
    for own, _, _, name in rows:
        top = name.split(".")[0]
        packages[top] = packages.get(top, 0.0) + own / 1000
    heaviest = sorted(packages.items(), key=lambda kv: -kv[1])[:6]
    listed = ", ".join(f"{name} {ms:.0f}" for name, ms in heaviest)
    return f"{total:.0f} ms importing; our modules' own {ours:.0f} ms; heaviest packages (ms): {listed}"


def summary(totals: list[tuple[str, float]], least: float = 0.02) -> str:
    """ "Sphinx 0.61 s (30%), ..." for every owner with at least ``least`` of the time, and
    always this extension."""
    whole = sum(seconds for _, seconds in totals) or 1.0
    shown = [(who, s) for who, s in totals if s / whole >= least or who.startswith("portfolio")]
    return ", ".join(f"{who} {seconds:.2f} s ({seconds / whole:.0%})" for who, seconds in shown)


if __name__ == "__main__":
    src, out, confdir = (Path(arg) for arg in sys.argv[1:4])
    for who, seconds in profile_build(src, out, confdir):
        sys.stdout.write(f"{seconds:8.3f} s  {who}\n")
