"""Lighthouse scores of each page type, mobile and desktop: ``make audit``.

Serves ``_build/html`` on 127.0.0.1 as a static host serves it (gzip, cache headers: the
numbers are those a visitor gets), runs the npm ``lighthouse`` CLI against Debian's
Chromium (``CHROME_PATH``), and prints a table of the four category scores with the goals.
An audit, not a test: it prints, it never fails on a score (the tests carry the assertions).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from webchecks import CHROMIUM_ARGS, PAGE_TYPES, serve  # noqa: E402

# Lighthouse will not audit a response with status 404: the 404 page is audited at its own
# address (the browser tests load it from a missing address, status 404)
AUDITED = {**PAGE_TYPES, "404": "404.html"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"desktop": (100, 100, 100, 100), "mobile": (98, 100, 100, 100)}


def lighthouse(url: str, form: str) -> dict[str, float]:
    cmd = [
        str(ROOT / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    if form == "desktop":
        cmd.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, timeout=300)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"lighthouse failed on {url} ({form}):\n{proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--pages", nargs="*", default=list(PAGE_TYPES), help="page types (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "audit")
    args = parser.parse_args(argv)
    rows = []
    with serve(args.site) as base:
        for kind in args.pages:
            for form in ("mobile", "desktop"):
                sys.stderr.write(f"lighthouse: {kind} ({form})...\n")
                scores = lighthouse(base + AUDITED[kind], form)
                rows.append({"page": kind, "form": form, **scores})
    lines = [
        "| page | form | performance | accessibility | best practices | SEO | goals met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        goals = GOALS[row["form"]]
        met = [row[c] >= g for c, g in zip(CATEGORIES, goals, strict=True)]
        if row["page"] == "search":  # noindex by design: its SEO is reported, not judged
            met[3] = True
        scores = " | ".join(str(row[c]) for c in CATEGORIES)
        lines.append(f"| {row['page']} | {row['form']} | {scores} | {'yes' if all(met) else 'no'} |")
    table = "\n".join(lines) + "\n"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "audit.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    (args.out / "audit.md").write_text(table, encoding="utf-8")
    sys.stdout.write(table)
    sys.stdout.write("goals: performance 100 desktop, 98 mobile; accessibility, best practices, SEO 100\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
