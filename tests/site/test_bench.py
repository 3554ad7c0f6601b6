"""Smoke run of the benchmark (small N, one run): it produces every figure.  Nothing is
timed here; speed targets live in `make bench`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import OWNER_KEYS, ROOT
from portfolio.bib import page_slug

FIGURES = [
    ("real vs bare", "cold build (s): ours / bare"),
    ("real vs bare", "no-op build (s): ours / bare"),
    ("real vs bare", "news edit build (s): ours / bare"),
    ("real vs bare", "bib edit build (s): ours / bare"),
    ("real vs bare", "pages rewritten after editing one news item"),
    ("real vs bare", "pages rewritten after editing one refs.bib entry (SpikeGPT)"),
    ("scale", "10 papers, 20 news, 3 projects: cold build -j 1 (s)"),
    ("scale", "30 papers, 20 news, 3 projects: cold build -j 2 (s)"),
    ("scale", "30 papers -j 2: peak memory (MB)"),
    ("scale", "N=30 / N=10 cold serial"),
    ("scale", "N=30: cold serial without the formatted references (portfolio_cite_styles = {}) (s)"),
    ("parse", "parse a 30-entry refs.bib, plain (s)"),
    ("parse", "parse a 30-entry refs.bib, with LaTeX markup (s)"),
    ("weight", "home page (index.html)"),
    ("weight", f"a paper page (papers/{page_slug(OWNER_KEYS[0])}.html)"),
    ("weight", "_static (all files)"),
    ("weight", "searchindex.js"),
    ("profile", "N=30: one paper's title in refs.bib, profiled"),
    ("profile", "N=30: cold build -j 2, its main process profiled"),
    ("profile", "real site: no-op build, python -X importtime"),
    ("scale", "N=30: cold -j 2 / cold serial"),
    ("profile", "real site: no-op build, profiled"),
]


def test_quick_benchmark_reports_every_figure(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--out", str(tmp_path)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    rows = {(r["section"], r["figure"]): r for r in report["rows"]}
    for figure in FIGURES:
        assert figure in rows, figure
        assert rows[figure]["value"], figure
    first_visit = [r for (section, name), r in rows.items() if name.startswith("first visit")]
    assert len(first_visit) == 1 and first_visit[0]["met"] in {True, False}
    assert (tmp_path / "bench.md").read_text(encoding="utf-8") in proc.stdout
    # the profiles say whose the time is, this extension's among the others
    for figure in [f for f in FIGURES if f[0] == "profile" and "importtime" not in f[1]]:
        assert "portfolio (this extension)" in rows[figure]["value"] and "Sphinx" in rows[figure]["value"], (
            figure
        )
    assert "our modules' own" in rows["profile", "real site: no-op build, python -X importtime"]["value"]
    # every target is judged
    assert all(r["met"] in {True, False} for r in report["rows"] if r["target"])
