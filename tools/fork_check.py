"""A fork of this repository with another researcher's site: does it pass as it is?

Copies this checkout (its tracked and new files) into a temporary folder, replaces the
content (docs/, refs.bib, conf.py, cv.yaml, urls.txt) and the facts file (tests/facts.toml)
with a site that ``python -m portfolio new`` makes for another researcher, and runs
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
        if source.is_file():
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
        print(f"== fork of {ROOT.name} with another researcher's site ({fork}): make {target}", flush=True)
        code = subprocess.run([*make, target], cwd=fork, env=env, check=False).returncode
        if code:
            break
    if args.keep is None and code == 0:
        shutil.rmtree(base)
    return code


if __name__ == "__main__":
    sys.exit(main())
