"""Benchmarks: build speed, scale and page weight, against a bare Sphinx + furo baseline.

    python benchmarks/bench.py            # full run (make bench)
    python benchmarks/bench.py --quick    # small N, one run: the smoke test in make test

Every figure is printed with its target and whether it is met, and written to
``<out>/bench.json`` and ``<out>/bench.md``.  Commands that are compared are interleaved
(ours, bare, ours, bare...) and each figure is the median of the runs.
Standard library only, plus what the project already depends on.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # whose.py beside it
WRITTEN = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Runs one command and reports its wall time and the peak memory of its process tree.
CHILD = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": p.returncode, "wall": wall, "peak_kb": peak, "out": p.stdout, "err": p.stderr}))
"""


@dataclass
class Run:
    wall: float
    peak_mb: float
    written: list[str]


@dataclass
class Row:
    section: str
    figure: str
    value: str
    target: str = ""
    met: bool | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def sphinx(src: Path, out: Path, confdir: Path | None = None, jobs: int = 1, bare: bool = False) -> Run:
    """A build as its users run it: ours with `make html`'s command (portfolio build), the
    bare twin with sphinx-build's."""
    command = ["sphinx"] if bare else ["portfolio", "build"]
    cmd = [sys.executable, "-m", *command, "-b", "html", "-d", str(out / "doctrees"), "-j", str(jobs)]
    if confdir is not None:
        cmd += ["-c", str(confdir)]
    cmd += [str(src), str(out / "html")]
    proc = subprocess.run([sys.executable, "-c", CHILD, *cmd], capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{result['err'][-2000:]}")
    written = WRITTEN.findall(ANSI.sub("", result["out"]))
    return Run(result["wall"], result["peak_kb"] / 1024, written)


def median(values: list[float]) -> float:
    return statistics.median(values)


# -- the real site and its bare twin ---------------------------------------------------
def copy_real(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "conf.py", dest / "conf.py")
    shutil.copy2(ROOT / "refs.bib", dest / "refs.bib")
    if (ROOT / "cv.yaml").is_file():
        shutil.copy2(ROOT / "cv.yaml", dest / "cv.yaml")
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("papers"))
    return dest


def make_bare(real_html: Path, dest: Path) -> Path:
    """A Sphinx + furo project, no extensions, with the real site's pages and text: the root
    index lists the top-level pages and section indexes, each section index its folder, and
    paper pages are orphans, as in the real site."""
    src = dest / "docs"
    src.mkdir(parents=True)
    (dest / "conf.py").write_text('project = "Bare"\nhtml_theme = "furo"\n', encoding="utf-8")
    pages = [
        p.relative_to(real_html)
        for p in sorted(real_html.rglob("*.html"))
        if not p.relative_to(real_html).parts[0].startswith("_")
        and p.name not in {"genindex.html", "search.html"}
    ]
    for rel in pages:
        soup = BeautifulSoup((real_html / rel).read_text(encoding="utf-8"), "html5lib")
        article = soup.find("article", attrs={"role": "main"})
        title = (article.find("h1") if article else None) or soup.title
        paragraphs = (
            [p.get_text(" ", strip=True) for p in article.find_all(["p", "li", "pre"])] if article else []
        )
        body = "\n\n".join(re.sub(r"([\\`*_|])", r"\\\1", p) for p in paragraphs if p)
        heading = title.get_text().strip("¶ \n") if title else rel.stem
        children: list[str] = []
        if rel.name == "index.html":
            folder = rel.parent
            children = [
                str(q.relative_to(folder).with_suffix("")) if folder != Path() else str(q.with_suffix(""))
                for q in pages
                if q != rel
                and (
                    (q.parent == folder and q.parts[0] != "papers")
                    or (
                        folder == Path()
                        and len(q.parts) == 2
                        and q.name == "index.html"
                        and q.parts[0] != "papers"
                    )
                )
            ]
        toctree = (
            "\n\n.. toctree::\n   :hidden:\n\n" + "\n".join(f"   {c}" for c in children) if children else ""
        )
        orphan = ":orphan:\n\n" if rel.parts[0] == "papers" else ""
        target = src / rel.with_suffix(".rst")
        target.parent.mkdir(parents=True, exist_ok=True)
        line = "=" * (len(heading) * 2 + 2)
        target.write_text(f"{orphan}{heading}\n{line}\n\n{body}{toctree}\n", encoding="utf-8")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    time.sleep(0.02)
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"benchmark edit: {old!r} not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def sample_edits() -> tuple[str, str, str, str]:
    """What the edit loop changes, found in the site's sources: the owner's first paper (its
    page's slug, its title line in refs.bib and a word of it for the bare twin's page) and
    the first line of the first news item."""
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from helpers import OWNER_KEYS
    from portfolio.bib import page_slug

    key = OWNER_KEYS[0]
    bib = (ROOT / "refs.bib").read_text(encoding="utf-8")
    entry = bib[bib.index(f"{{{key},") :]
    title = re.search(r"title\s*=\s*[{\"](.*)", entry)
    line = title.group(1).rstrip().rstrip(",").rstrip('}"') if title else ""
    words = re.findall(r"[A-Za-z]{4,}", line)
    if not words:
        raise SystemExit(f"benchmark edit: no title word in refs.bib entry {key}")
    news = (ROOT / "docs" / "news.md").read_text(encoding="utf-8")
    start = news.index(":::{news}")
    item = next(x for x in news[start:].splitlines() if x.strip() and x[0].isalpha())
    return page_slug(key), line, words[-1], item


def real_vs_bare(work: Path, runs: int) -> list[Row]:
    real = copy_real(work / "real")
    first = sphinx(real / "docs", work / "out-ours", real)  # the first cold build; the twin's text
    bare = make_bare(work / "out-ours" / "html", work / "bare")
    times: dict[str, list[float]] = {}
    written: dict[str, list[str]] = {}

    def record(name: str, run: Run) -> None:
        times.setdefault(name, []).append(run.wall)
        written[name] = run.written

    slug, bib_anchor, bare_anchor, news_line = sample_edits()
    bare_news = " ".join(news_line.split()[:2])
    for i in range(runs):
        for name, src, conf in (("ours", real / "docs", real), ("bare", bare / "docs", bare)):
            out = work / f"out-{name}"
            if i == 0 and name == "ours":
                record("cold ours", first)
            else:
                shutil.rmtree(out, ignore_errors=True)
                record(f"cold {name}", sphinx(src, out, conf, bare=name == "bare"))
            record(f"no-op {name}", sphinx(src, out, conf, bare=name == "bare"))
        marker = f" (run {i})"
        edit(real / "docs" / "news.md", news_line, news_line + marker)
        news_line += marker
        record("news edit ours", sphinx(real / "docs", work / "out-ours", real))
        edit(bare / "docs" / "news.rst", bare_news, f"{bare_news}{marker}")
        record("news edit bare", sphinx(bare / "docs", work / "out-bare", bare, bare=True))
        edit(real / "refs.bib", bib_anchor, bib_anchor + marker)
        record("bib edit ours", sphinx(real / "docs", work / "out-ours", real))
        edit(bare / "docs" / "papers" / f"{slug}.rst", bare_anchor, f"{bare_anchor}{marker}")
        record("bib edit bare", sphinx(bare / "docs", work / "out-bare", bare, bare=True))

    out_html = work / "out-ours" / "html"
    shows = {f"papers/{slug}"}
    for page in out_html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if f"{slug}.html" in text or f'id="footcite-{slug}"' in text:
            shows.add(str(page.relative_to(out_html).with_suffix("")))
    # Sphinx itself rewrites the toctree parents of every page it writes
    with (work / "out-ours" / "doctrees" / "environment.pickle").open("rb") as f:
        env = pickle.load(f)
    allowed = set(shows)
    for doc in shows:
        allowed |= set(env.files_to_rebuild.get(doc, ()))
    rows = []
    pages = len(list(out_html.rglob("*.html")))
    rows.append(Row("real vs bare", "pages (html files)", str(pages)))
    for step, limit in (("cold", 1.5), ("no-op", 1.2), ("news edit", None), ("bib edit", None)):
        ours, bare_t = median(times[f"{step} ours"]), median(times[f"{step} bare"])
        ratio = ours / bare_t
        target = f"≤ {limit}x bare" if limit else ""
        rows.append(
            Row(
                "real vs bare",
                f"{step} build (s): ours / bare",
                f"{ours:.2f} / {bare_t:.2f} = {ratio:.2f}x",
                target,
                (ratio <= limit) if limit else None,
                {"ours": times[f"{step} ours"], "bare": times[f"{step} bare"]},
            )
        )
    news_written = written["news edit ours"]
    rows.append(
        Row(
            "real vs bare",
            "pages rewritten after editing one news item",
            f"{len(news_written)} ({', '.join(news_written)}); bare: {len(written['news edit bare'])}",
            "≤ 5",
            len(news_written) <= 5,
        )
    )
    bib_written = written["bib edit ours"]
    extra = sorted(set(bib_written) - allowed)
    rows.append(
        Row(
            "real vs bare",
            "pages rewritten after editing one refs.bib entry (SpikeGPT)",
            f"{len(bib_written)} ({', '.join(bib_written)})"
            + (f"; not showing it: {', '.join(extra)}" if extra else ""),
            "only pages that show it (and their toctree parents)",
            not extra,
        )
    )
    return rows


# -- a synthetic lab ---------------------------------------------------------------------
def make_lab(dest: Path, papers: int, news: int, projects: int) -> Path:
    src = dest / "docs"
    (src / "projects").mkdir(parents=True)
    (dest / "conf.py").write_text(
        "\n".join(
            [
                'project = "Synthetic Lab"',
                'extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_design", "portfolio"]',
                'myst_enable_extensions = ["colon_fence"]',
                "myst_footnote_sort = False",
                'bibtex_bibfiles = ["refs.bib"]',
                'portfolio_owner_names = ["Ada Lovelace"]',
                'html_theme = "furo"',
                'html_baseurl = "https://lab.example.org/"',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    words = ["spiking", "recurrent", "looped", "sparse", "efficient"]
    words += ["linear", "attention", "memory", "energy", "token"]
    entries = []
    for i in range(papers):
        title = " ".join(words[(i + k) % len(words)] for k in range(6)).capitalize()
        authors = " and ".join(["Lovelace, Ada"] + [f"Author{(i + k) % 97}, Test" for k in range(1, 6)])
        entries.append(
            f"@article{{p{i:04d},\n  title = {{{title} {i}}},\n  author = {{{authors}}},\n"
            f"  journal = {{Journal {i % 13}}},\n  year = {{{2000 + i % 25}}},\n"
            f"  url = {{https://example.org/p{i}}},\n  keywords = {{topic-{i % 7}}}\n}}\n"
        )
    (dest / "refs.bib").write_text("\n".join(entries), encoding="utf-8")
    items = []
    for i in range(news):
        year, month = 2000 + i % 25, 1 + i % 12
        items.append(
            f":::{{news}} {year}-{month:02d}\n:id: item-{i}\n:papers: p{i % papers:04d}\n"
            f":projects: proj-{i % projects}\nItem {i} about {{paper}}`p{i % papers:04d}`.\n:::\n"
        )
    (src / "news.md").write_text("# News\n\n" + "\n".join(items), encoding="utf-8")
    for j in range(projects):
        keys = ", ".join(f"p{k:04d}" for k in range(j, papers, max(1, papers // 5)))
        (src / "projects" / f"proj-{j}.md").write_text(
            f"---\nproject:\n  name: Project {j}\n  tagline: Synthetic project {j}.\n"
            f"  papers: [{keys}]\n---\n\n# Project {j}\n\nIt builds on {{footcite:p}}`p{j:04d}`.\n\n"
            "## References\n\n```{footbibliography}\n```\n",
            encoding="utf-8",
        )
    names = "\n".join(f"proj-{j}" for j in range(projects))
    (src / "projects" / "index.md").write_text(
        f"# Projects\n\n:::{{project-cards}}\n:::\n\n```{{toctree}}\n:hidden:\n\n{names}\n```\n",
        encoding="utf-8",
    )
    (src / "publications.md").write_text(
        "# Publications\n\n:::{publications}\n:group-by: year\n:filters:\n:::\n", encoding="utf-8"
    )
    (src / "index.md").write_text(
        "# Synthetic Lab\n\n:::{news-list}\n:limit: 5\n:::\n\n```{toctree}\n:hidden:\n\n"
        "publications\nnews\nprojects/index\n```\n",
        encoding="utf-8",
    )
    return dest


def scale(work: Path, sizes: tuple[int, int], news: int, projects: int, runs: int) -> list[Row]:
    rows = []
    results: dict[tuple[int, int], list[Run]] = {}
    labs = {n: make_lab(work / f"lab-{n}", n, news, projects) for n in sizes}
    for _ in range(runs):
        for n in sizes:
            for jobs in (1, 2):
                out = work / f"lab-out-{n}-{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                results.setdefault((n, jobs), []).append(sphinx(labs[n] / "docs", out, labs[n], jobs))
    small, big = sizes
    # the floor: a bare Sphinx + furo twin of the big lab (same pages and text, no extensions)
    bare = make_bare(work / f"lab-out-{big}-1" / "html", work / f"lab-bare-{big}")
    bare_runs = []
    for _ in range(runs):
        out = work / f"lab-bare-out-{big}"
        shutil.rmtree(out, ignore_errors=True)
        bare_runs.append(sphinx(bare / "docs", out, bare, bare=True))
    for n in sizes:
        for jobs in (1, 2):
            wall = median([r.wall for r in results[(n, jobs)]])
            peak = max(r.peak_mb for r in results[(n, jobs)])
            is_big = n == big
            rows.append(
                Row(
                    "scale",
                    f"{n} papers, {news} news, {projects} projects: cold build -j {jobs} (s)",
                    f"{wall:.2f}",
                    "≤ 20 s" if is_big else "",
                    (wall <= 20) if is_big else None,
                    {"runs": [r.wall for r in results[(n, jobs)]]},
                )
            )
            rows.append(
                Row(
                    "scale",
                    f"{n} papers -j {jobs}: peak memory (MB)",
                    f"{peak:.0f}",
                    "≤ 400 MB" if is_big else "",
                    (peak <= 400) if is_big else None,
                )
            )
    ratio = median([r.wall for r in results[(big, 1)]]) / median([r.wall for r in results[(small, 1)]])
    rows.append(Row("scale", f"N={big} / N={small} cold serial", f"{ratio:.2f}x", "≤ 10x", ratio <= 10))
    serial, parallel = (median([r.wall for r in results[(big, jobs)]]) for jobs in (1, 2))
    rows.append(
        Row(
            "scale",
            f"N={big}: cold -j 2 / cold serial",
            f"{parallel:.2f} / {serial:.2f} = {parallel / serial:.2f}x",
            "< 1x (-j 2 faster)",
            parallel < serial,
        )
    )
    ours, floor = median([r.wall for r in results[(big, 1)]]), median([r.wall for r in bare_runs])
    pages = len(list((work / f"lab-bare-out-{big}" / "html").rglob("*.html")))
    ratio = ours / floor
    rows.append(
        Row(
            "scale",
            f"N={big}: bare Sphinx + furo twin ({pages} pages, same text), cold serial (s)",
            f"{floor:.2f} (ours / bare = {ratio:.2f}x)",
            "ours ≤ 1.25x bare",
            ratio <= 1.25,
            raw={"runs": [r.wall for r in bare_runs]},
        )
    )
    # what "Cite this paper" costs: the same lab with no formatted references
    nocite = work / f"lab-{big}-nocite"
    shutil.copytree(labs[big], nocite)
    with (nocite / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("portfolio_cite_styles = {}\n")
    nocite_runs = []
    for _ in range(runs):
        out = work / f"lab-nocite-out-{big}"
        shutil.rmtree(out, ignore_errors=True)
        nocite_runs.append(sphinx(nocite / "docs", out, nocite))
    without = median([r.wall for r in nocite_runs])
    rows.append(
        Row(
            "scale",
            f"N={big}: cold serial without the formatted references (portfolio_cite_styles = {{}}) (s)",
            f"{without:.2f} (APA, IEEE and Chicago on every paper page add {ours - without:.2f} s, "
            f"{(ours - without) / big * 1000:.1f} ms a paper)",
            "",
            None,
            raw={"runs": [r.wall for r in nocite_runs]},
        )
    )
    return rows + edit_loop(work, labs[big], bare, big, runs)


def edit_loop(work: Path, lab: Path, bare: Path, n: int, runs: int) -> list[Row]:
    """The maintainer's loop on the built lab, against its bare twin: nothing changed, one
    paper's title changed in refs.bib (a paper no page cites: its page and the publications
    list show it) and, in the twin, the same paper page's title changed."""
    ours_out, bare_out = work / f"lab-out-{n}-1", work / f"lab-bare-out-{n}"
    times: dict[str, list[float]] = {}
    written: list[str] = []
    key = n // 2  # p0500 at 1,000 papers
    for i in range(runs):
        times.setdefault("no-op ours", []).append(sphinx(lab / "docs", ours_out, lab).wall)
        times.setdefault("no-op bare", []).append(sphinx(bare / "docs", bare_out, bare, bare=True).wall)
        before, marker = f" edited{i - 1}" if i else "", f" edited{i}"
        edit(lab / "refs.bib", f" {key}{before}}},\n  author", f" {key}{marker}}},\n  author")
        run = sphinx(lab / "docs", ours_out, lab)
        times.setdefault("title edit ours", []).append(run.wall)
        written = run.written
        page = bare / "docs" / "papers" / f"p{key:04d}.rst"
        heading = page.read_text(encoding="utf-8").split("\n", 1)[0]
        edit(page, heading, heading.removesuffix(before) + marker)
        times.setdefault("page edit bare", []).append(sphinx(bare / "docs", bare_out, bare, bare=True).wall)
    noop, noop_bare = median(times["no-op ours"]), median(times["no-op bare"])
    title, page_bare = median(times["title edit ours"]), median(times["page edit bare"])
    return [
        Row(
            "edit loop",
            f"N={n}: no-op build (s): ours / bare",
            f"{noop:.2f} / {noop_bare:.2f} = {noop / noop_bare:.2f}x",
            "≤ 1.2x bare",
            noop / noop_bare <= 1.2,
            {"ours": times["no-op ours"], "bare": times["no-op bare"]},
        ),
        Row(
            "edit loop",
            f"N={n}: one paper's title in refs.bib (s) / bare twin's edit of that page",
            f"{title:.2f} / {page_bare:.2f} = {title / page_bare:.2f}x",
            "≤ 2x bare",
            title / page_bare <= 2,
            {"ours": times["title edit ours"], "bare": times["page edit bare"]},
        ),
        Row(
            "edit loop",
            f"N={n}: pages written after the title edit",
            f"{len(written)} ({', '.join(written)})",
        ),
    ]


# -- reading refs.bib ---------------------------------------------------------------------
def parse(work: Path, size: int, runs: int) -> list[Row]:
    """Parse time of a large refs.bib (what `make check` and every bib edit pay): the
    synthetic lab's plain entries, and the same entries with the LaTeX real exports carry
    (accents, ``\\&``, ``---``), which goes through pylatexenc."""
    from portfolio.bib import _latex as latex
    from portfolio.bib import parse_bibliography

    lab = work / f"lab-{size}"
    if not (lab / "refs.bib").is_file():
        make_lab(lab, size, 3, 1)
    plain = lab / "refs.bib"
    marked = work / "pasted.bib"
    marked.write_text(
        plain.read_text(encoding="utf-8")
        .replace("title = {", 'title = {{Sp}iking M{\\"u}ller \\& Co---')
        .replace("Author", "M{\\'e}ndez"),
        encoding="utf-8",
    )
    rows = []
    for label, path, target in (("plain", plain, 0.45), ("with LaTeX markup", marked, None)):
        times = []
        for _ in range(max(runs, 5)):
            latex.to_text.cache_clear()
            start = time.perf_counter()
            bib = parse_bibliography(path, ["Ada Lovelace"], "")
            times.append(time.perf_counter() - start)
        assert len(bib.papers) == size and not bib.problems
        wall = median(times)
        rows.append(
            Row(
                "parse",
                f"parse a {size}-entry refs.bib, {label} (s)",
                f"{wall:.3f}",
                f"≤ {target} s (0.40 s before biblatex support)" if target else "",
                (wall <= target) if target else None,
                {"runs": times},
            )
        )
    return rows


# -- page weight -------------------------------------------------------------------------
def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def weight(html_root: Path) -> list[Row]:
    rows = []

    def add(label: str, paths: list[Path], target: str = "", limit_kb: float | None = None) -> None:
        raw = sum(p.stat().st_size for p in paths)
        packed = sum(gz(p.read_bytes()) for p in paths)
        met = None if limit_kb is None else packed / 1024 <= limit_kb
        rows.append(
            Row("weight", label, f"{raw / 1024:.1f} KB raw, {packed / 1024:.1f} KB gzip", target, met)
        )

    add("home page (index.html)", [html_root / "index.html"])
    paper = sample_edits()[0]
    add(f"a paper page (papers/{paper}.html)", [html_root / "papers" / f"{paper}.html"])
    add("_static (all files)", [p for p in (html_root / "_static").rglob("*") if p.is_file()])
    add("searchindex.js", [html_root / "searchindex.js"])
    soup = BeautifulSoup((html_root / "index.html").read_text(encoding="utf-8"), "html5lib")
    refs = [link["href"] for link in soup.select('link[rel="stylesheet"][href]')]
    refs += [s["src"] for s in soup.select("script[src]")]
    refs += [link["href"] for link in soup.select('link[rel~="icon"][href], link[rel="preload"][href]')]
    files = [html_root / "index.html"]
    for ref in refs:
        path = html_root / ref.split("?")[0]
        if path.is_file() and path not in files:
            files.append(path)
    add(f"first visit to the home page ({len(files)} files)", files, "≤ 90 KB gzip", 90)
    return rows


# -- report ----------------------------------------------------------------------------
def profiles(work: Path, big: int) -> list[Row]:
    """What is left of the missed targets, and whose it is: the lab's title edit, its cold
    build with -j 2 (the main process) and the real site's no-op build, each profiled once
    (benchmarks/whose.py), and the real site's imports."""
    from whose import import_times, profile_build, summary

    lab, out = work / f"lab-{big}", work / f"lab-out-{big}-1"
    text = (lab / "refs.bib").read_text(encoding="utf-8")
    start = text.index(f"@article{{p{big // 2:04d},")  # the paper the edit loop edits
    title = text.index("title = {", start) + len("title = {")
    (lab / "refs.bib").write_text(f"{text[:title]}Profiled {text[title:]}", encoding="utf-8")
    edited = summary(profile_build(lab / "docs", out, lab))
    parallel = summary(profile_build(lab / "docs", work / f"lab-profiled-j2-{big}", lab, jobs=2))
    real = work / "real"
    noop = summary(profile_build(real / "docs", work / "out-ours", real))
    imports = import_times(real / "docs", work / "out-ours", real)
    return [
        Row("profile", "real site: no-op build, python -X importtime", imports),
        Row("profile", f"N={big}: one paper's title in refs.bib, profiled", edited),
        Row("profile", f"N={big}: cold build -j 2, its main process profiled", parallel),
        Row("profile", "real site: no-op build, profiled", noop),
    ]


def table(rows: list[Row]) -> str:
    lines = ["| section | figure | value | target | met |", "|---|---|---|---|---|"]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.section} | {r.figure} | {r.value} | {r.target} | {met} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run (smoke test)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median); default 3")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench", help="where to write results")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    sizes, news, projects = ((10, 30), 20, 3) if args.quick else ((100, 1000), 300, 20)
    steps: list[tuple[str, Callable[[Path], list[Row]]]] = [
        ("real site vs bare Sphinx", lambda w: real_vs_bare(w, runs)),
        ("synthetic lab at scale", lambda w: scale(w, sizes, news, projects, runs)),
        ("reading refs.bib", lambda w: parse(w, sizes[1], runs)),
        ("page weight", lambda w: weight(w / "out-ours" / "html")),
        ("profiles of what is left", lambda w: profiles(w, sizes[1])),
    ]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="portfolio-bench-") as tmp:
        work = Path(tmp)
        for label, step in steps:
            sys.stderr.write(f"benchmark: {label}...\n")
            rows += step(work)
    args.out.mkdir(parents=True, exist_ok=True)
    report = {
        "quick": args.quick,
        "runs": runs,
        "python": sys.version.split()[0],
        "rows": [r.__dict__ for r in rows],
    }
    (args.out / "bench.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    md = table(rows)
    (args.out / "bench.md").write_text(md, encoding="utf-8")
    sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
