"""A fork of this repository with another researcher's site: does it pass as it is?

Copies this checkout (its tracked and new files) into a temporary folder, replaces the
content (docs/, refs.bib, conf.py, cv.yaml, urls.txt) and the facts file (tests/facts.toml)
with a site that ``python -m portfolio new`` makes for another researcher (with four more
papers of mixed types and a second news item), and runs
``make html`` and ``make test`` there, touching no test module, portfolio/ or benchmarks/.
``make fork-check`` runs it; the fork uses this checkout's venv and node_modules.

    python tools/fork_check.py [--keep DIR] [pytest arguments...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: what a fork replaces: the owner's content and the site's facts
CONTENT = ["docs", "refs.bib", "conf.py", "cv.yaml", "urls.txt", "tests/facts.toml"]


#: More of the other researcher's (fictional) work than the starter has, of the kinds real
#: files mix: a DBLP key, "First Last" and "Last, F." names, a related work by someone else.
MORE_PAPERS = """
@inproceedings{DBLP:conf/example/Lovelace25,
  title     = {A Conference Paper of the Fork Check},
  author    = {Lovelace, Ada and Babbage, Charles},
  booktitle = {Proceedings of an Example Conference},
  year      = {2025},
}

@article{lovelace2024journal,
  title    = {A Journal Article of the Fork Check},
  author   = {Ada Lovelace and Mary Somerville},
  journal  = {Example Journal},
  year     = {2024},
  keywords = {engines, selected},
}

@unpublished{lovelace2023draft,
  title  = {A Draft of the Fork Check},
  author = {Lovelace, A. and Somerville, Mary},
  note   = {Manuscript},
  year   = {2023},
}

@misc{babbage2022related,
  title        = {A Related Work by Someone Else},
  author       = {Babbage, Charles},
  howpublished = {Example Series},
  year         = {2022},
}
"""
MORE_NEWS = """
:::{news} 2025-06
:id: conference-paper
:papers: DBLP:conf/example/Lovelace25
A paper was accepted: {paper}`DBLP:conf/example/Lovelace25`.
:::
"""


def enrich(site: Path) -> None:
    """Four more entries, a second news item, and the project's second paper."""
    with (site / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write(MORE_PAPERS)
    news = site / "docs" / "news.md"
    text = news.read_text(encoding="utf-8")
    first = text.index(":::{news}")
    news.write_text(text[:first] + MORE_NEWS.lstrip() + "\n" + text[first:], encoding="utf-8")
    (project,) = [p for p in (site / "docs" / "projects").glob("*.md") if p.stem != "index"]
    page = project.read_text(encoding="utf-8")
    second = "  papers: [DBLP:conf/example/Lovelace25, "
    project.write_text(page.replace("  papers: [", second, 1), encoding="utf-8")


def copy_checkout(target: Path) -> None:
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = ROOT / name
        if source.is_symlink():  # portfolio/locks, the engine's view of requirements/
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).symlink_to(source.readlink())
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)  # with its time: make sees nothing to redo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="make the fork here (an empty folder) and keep it")
    args, pytest_args = parser.parse_known_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="portfolio-fork-"))
    fork, new = base / "fork", base / "new"
    fork.mkdir(parents=True)
    copy_checkout(fork)
    subprocess.run(
        [sys.executable, "-m", "portfolio", "new", str(new), "--name", "Ada Lovelace",
         "--spelling", "A. Lovelace", "--affiliation", "University of London",
         "--profile", "https://github.com/example-ada", "--project", "Analytical Engine"],
        check=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    enrich(new)
    for name in CONTENT:
        path = fork / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        if (new / name).exists():
            (shutil.copytree if (new / name).is_dir() else shutil.copy2)(new / name, path)
    venv = Path(sys.executable).parent.parent
    # this checkout's venv up to date first, so the fork (same files, same times) finds
    # nothing to install into it
    subprocess.run(["make", f"VENV={venv}", f"{venv}/.dev-stamp"], cwd=ROOT, check=True)
    (fork / "node_modules").symlink_to(ROOT / "node_modules")
    env = {**os.environ, "PYTEST_ARGS": " ".join(pytest_args)}
    make = ["make", f"VENV={venv}"]
    code = 0
    for target in ("html", "test"):
        sys.stdout.write(f"== fork of {ROOT.name} with another researcher's site ({fork}): make {target}\n")
        sys.stdout.flush()
        code = subprocess.run([*make, target], cwd=fork, env=env, check=False).returncode
        if code:
            break
    if args.keep is None and code == 0:
        shutil.rmtree(base)
    return code


if __name__ == "__main__":
    sys.exit(main())
