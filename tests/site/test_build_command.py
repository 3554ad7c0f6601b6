"""`portfolio build`, the command `make html` and Read the Docs run: Sphinx's build, then an
exit that skips finalizing the interpreter (portfolio/cli/_build.py).  What it writes is what
a normal exit writes; its status is Sphinx's; only finalization is skipped."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, clean_env, copy_root, sphinx_command


def files(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def test_an_early_exit_writes_what_a_normal_exit_writes(tmp_path: Path) -> None:
    """The site built by `portfolio build` and by `python -m sphinx`, which exits normally:
    every file, byte for byte.  Both run with one hash seed (a set in a configuration value
    is ordered by it, and .buildinfo records the configuration).  Of the doctree folder only
    Sphinx's environment.pickle is left out: it records when each page was read."""
    env = clean_env()
    env["PYTHONHASHSEED"] = "0"
    built = {}
    for name, command in (("ours", ["-m", "portfolio", "build"]), ("normal", ["-m", "sphinx"])):
        python, _, _, _, *args = sphinx_command(
            ROOT / "docs", tmp_path / name / "html", tmp_path / name / "doctrees"
        )
        proc = subprocess.run(
            [python, *command, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stderr
        built[name] = tmp_path / name
    for folder in ("html", "doctrees"):
        ours, theirs = built["ours"] / folder, built["normal"] / folder
        names = files(ours)
        assert names == files(theirs)
        compared = [n for n in names if n.name != "environment.pickle"]
        assert any(n.suffix in {".html", ".doctree"} for n in compared)  # pages, not only files
        _, mismatch, errors = filecmp.cmpfiles(ours, theirs, [str(n) for n in compared], shallow=False)
        assert (mismatch, errors) == ([], []), ours


ENDS = """
import atexit, sys
class Last:
    def __del__(self):
        print("finalized", flush=True)
last = Last()
last.cycle = last  # freed only by the collector when the interpreter is finalized
atexit.register(print, "exit functions ran", flush=True)
from portfolio.cli import main
main(["build", *sys.argv[1:]])
print("returned", flush=True)
"""


def test_the_build_ends_without_finalizing_and_with_sphinx_status(tmp_path: Path) -> None:
    """The exit functions run (a normal Python run of ENDS, without the build, prints
    "finalized": the check can fail), the interpreter is not finalized."""
    normal = subprocess.run(
        [sys.executable, "-c", ENDS.split("from portfolio")[0]], capture_output=True, text=True
    )
    assert normal.stdout.split() == ["exit", "functions", "ran", "finalized"]
    srcdir = copy_root(tmp_path)
    _, _, _, _, *args = sphinx_command(srcdir, tmp_path / "out", confdir=None, quiet=True)
    done = subprocess.run([sys.executable, "-c", ENDS, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "returned" not in done.stdout  # it ends the process
    assert "exit functions ran" in done.stdout and "finalized" not in done.stdout
    assert (tmp_path / "out" / "papers" / "lovelace2024engine.html").is_file()
    (srcdir / "index.md").write_text("# Broken\n\n{paper}`nosuchpaper`\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-c", ENDS, *args], capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and "nosuchpaper" in failed.stderr  # Sphinx's status and its message
