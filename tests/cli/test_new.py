"""``python -m portfolio new``: a new researcher's site from one command, whose own
``make html`` and ``make test`` pass at once, offline, with zero warnings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest

from helpers import ROOT, clean_env

NEW = [sys.executable, "-m", "portfolio", "new"]
ADA = ["--name", "Ada Lovelace", "--spelling", "A. Lovelace", "--affiliation", "University of London",
       "--profile", "https://github.com/example-ada", "--project", "Analytical Engine"]  # fmt: skip


def offline(cmd: list[str]) -> tuple[list[str], dict[str, str]]:
    """``cmd`` and its environment without network: in a user namespace with no interfaces
    where unshare can make one, and in any case with pip told to use no index and every
    HTTP client sent to a proxy where nothing listens, so that a download fails loudly."""
    env = clean_env("PYTEST")
    dead = "http://127.0.0.1:9"
    env.update(PIP_NO_INDEX="1", http_proxy=dead, https_proxy=dead, HTTP_PROXY=dead, HTTPS_PROXY=dead,
               no_proxy="", NO_PROXY="")  # fmt: skip
    probe = (
        subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
        if shutil.which("unshare")
        else None
    )
    return (["unshare", "-rn", *cmd] if probe is not None and probe.returncode == 0 else cmd), env


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("new") / "ada-portfolio"
    proc = subprocess.run([*NEW, str(site), *ADA], cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("wrote ") and "make html && make test" in proc.stdout
    return site


def test_new_site_has_every_starter_file(made: Path) -> None:
    for name in ("conf.py", "refs.bib", "docs/index.md", "docs/biography.md", "docs/projects/index.md",
                 "docs/projects/analytical-engine.md", "docs/news.md", "docs/publications.md", "urls.txt",
                 ".readthedocs.yaml", "Makefile", ".gitignore", "tests/test_site.py", "tests/facts.toml",
                 ".github/workflows/upkeep.yml",
                 "requirements.txt"):  # fmt: skip
        assert (made / name).is_file(), name
    assert (made / "urls.txt").read_text(encoding="utf-8") == ""
    entries = bibtexparser.parse_string((made / "refs.bib").read_text(encoding="utf-8")).entries
    assert len(entries) == 1 and "Lovelace" in entries[0].fields_dict["author"].value
    (wheel,) = (made / "vendor").glob("portfolio-*.whl")
    assert f"./vendor/{wheel.name}" in (made / "requirements.txt").read_text(encoding="utf-8")
    for text in (made / "conf.py").read_text("utf-8"), (made / "docs" / "index.md").read_text("utf-8"):
        assert "Zhu" not in text and "Ada Lovelace" in text


def test_new_site_builds_and_passes_its_own_tests_offline(made: Path) -> None:
    cmd, env = offline(["make", "html"])
    html = subprocess.run(cmd, cwd=made, capture_output=True, text=True, env=env, check=False)
    assert html.returncode == 0, html.stdout[-2000:] + html.stderr[-2000:]
    assert "WARNING" not in html.stderr and "build succeeded." in html.stdout
    assert (made / "_build" / "html" / "papers").is_dir() and (
        made / "_build" / "html" / "news.xml"
    ).is_file()
    cmd, env = offline(["make", "test"])
    test = subprocess.run(cmd, cwd=made, capture_output=True, text=True, env=env, check=False)
    assert test.returncode == 0, test.stdout[-3000:]
    assert " passed" in test.stdout and "failed" not in test.stdout and "skipped" not in test.stdout


def test_new_refuses_a_folder_in_use_and_a_missing_name(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine", encoding="utf-8")
    proc = subprocess.run([*NEW, str(tmp_path / "used"), *ADA], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "is not an empty folder" in proc.stderr
    assert (tmp_path / "used" / "notes.txt").read_text(encoding="utf-8") == "mine"
    proc = subprocess.run([*NEW, str(tmp_path / "other")], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 2 and "--name is required" in proc.stderr and not (tmp_path / "other").exists()


def test_new_with_only_a_name_passes_its_own_tests(tmp_path: Path) -> None:
    """No affiliation, profile or project given: the starter still builds and tests clean."""
    site = tmp_path / "minimal"
    proc = subprocess.run([*NEW, str(site), "--name", "Mary Somerville"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    cmd, env = offline(["make", "test"])
    test = subprocess.run(cmd, cwd=site, capture_output=True, text=True, env=env, check=False)
    assert test.returncode == 0, test.stdout[-3000:] + test.stderr[-2000:]
    # its own test_builds_without_warnings builds it with -W
    assert " passed" in test.stdout and "failed" not in test.stdout and "skipped" not in test.stdout


def test_new_sites_upkeep_workflow_validates(made: Path, check_jsonschema: Path) -> None:
    workflow = made / ".github" / "workflows" / "upkeep.yml"
    proc = subprocess.run([str(check_jsonschema), "--builtin-schema", "vendor.github-workflows", str(workflow)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = workflow.read_text(encoding="utf-8")
    assert "Ada Lovelace" in text and "${{ secrets.PORTFOLIO_OPENALEX_KEY }}" in text
    assert "upkeep:" in (made / "Makefile").read_text(encoding="utf-8")
