"""The engine on its own: installed alone from a wheel of this repository, it starts a site
without network; an older engine's site upgrades to it; the site's GitHub Pages build works
under a project's /<repo>/ prefix.

One venv holds the engine and its locked dependencies only (requirements/docs.txt, then the
wheel), made like a labmate's; nothing of this checkout is on its path.  The "older engine"
is this tree with a lower version and two templates changed (a Makefile line and a closing
line of the home page), built into a wheel of its own and run from it.  The sites install
their own venv from their own requirement files with their own `make`, from PyPI as this
site's `make` does; everything else runs offline.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from webchecks import watched_page

import portfolio
from helpers import ROOT, clean_env, offline
from portfolio.starter import engine_wheel

ADA = ["--name", "Ada Lovelace", "--affiliation", "University of London", "--project", "Analytical Engine"]
OLD = "0.1.9"
OLD_LINE = "An older engine's closing line."
MINE = "My own words about the engine."


def _older_tree(where: Path) -> Path:
    """This tree as an older engine: version OLD, an extra Makefile comment, and a closing
    line on the home page that the current engine no longer writes."""
    shutil.copytree(ROOT / "portfolio", where / "portfolio", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copytree(ROOT / "requirements", where / "requirements")
    shutil.copy(ROOT / "pyproject.toml", where)
    edits = {
        "pyproject.toml": (f'version = "{portfolio.__version__}"', f'version = "{OLD}"'),
        "portfolio/__init__.py": (f'__version__ = "{portfolio.__version__}"', f'__version__ = "{OLD}"'),
        "portfolio/templates/new/Makefile.tmpl": ("\nPYTHON ", "\n# an older engine's Makefile\nPYTHON "),
        "portfolio/templates/new/docs/index.md.tmpl": ("\nnews\n```\n", f"\nnews\n```\n\n{OLD_LINE}\n"),
    }
    for name, (before, after) in edits.items():
        text = (where / name).read_text(encoding="utf-8")
        assert before in text, name
        (where / name).write_text(text.replace(before, after, 1), encoding="utf-8")
    return where


def _run(cmd: list[str], cwd: Path, *, network: bool = False, **env: str) -> subprocess.CompletedProcess[str]:
    # the sites are projects of their own: nothing of the make that runs these tests reaches
    # theirs (make fork-check runs `make VENV=...`, and make puts a command line's variables in
    # the environment and MAKEFLAGS of what it runs), and they use this Python
    dropped = ("PYTEST", "VIRTUAL_ENV", "VENV", "SPHINXOPTS", "MAKE", "MFLAGS")
    environment = {**clean_env(*dropped), "PYTHON": sys.executable, **env}
    if not network:
        cmd, environment = offline(cmd, environment)
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=environment,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A venv with only the engine's lock and a wheel of this repository; the older wheel."""
    tmp = tmp_path_factory.mktemp("engine")
    new = engine_wheel(tmp / "new")  # pip's build of a clean copy of this checkout, packed canonically
    old = engine_wheel(tmp / "old", source=_older_tree(tmp / "older"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
           "--no-deps"]  # fmt: skip
    subprocess.run([*pip, "--require-hashes", "-r", str(ROOT / "requirements" / "docs.txt")], check=True)
    subprocess.run([*pip, str(new)], check=True)
    where = _run([str(venv / "bin" / "python"), "-c", "import portfolio; print(portfolio.__file__)"], tmp)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    return {"venv": venv, "new": new, "old": old, "sites": tmp_path_factory.mktemp("sites")}


@pytest.fixture(scope="module")
def new_site(engine: dict[str, Path]) -> Path:
    site = engine["sites"] / "ada-portfolio"
    proc = _run([str(engine["venv"] / "bin" / "portfolio"), "new", str(site), *ADA], engine["sites"])
    assert proc.returncode == 0, proc.stderr
    return site


@pytest.fixture(scope="module")
def old_site(engine: dict[str, Path]) -> Path:
    """A site made by the older engine, run from its wheel."""
    site = engine["sites"] / "older-portfolio"
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from portfolio.cli import main; "
            "sys.exit(main(['new', *sys.argv[2:]]))")  # fmt: skip
    proc = _run([str(engine["venv"] / "bin" / "python"), "-c", code, str(engine["old"]), str(site), *ADA],
                engine["sites"])  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads((site / "portfolio-site.json").read_text(encoding="utf-8"))["engine"] == OLD
    return site


def _make(site: Path, goal: str, **env: str) -> subprocess.CompletedProcess[str]:
    return _run(["make", goal], site, network=True, **env)


def test_an_engine_installed_alone_starts_a_site_that_sets_itself_up(
    engine: dict[str, Path], new_site: Path, tmp_path: Path
) -> None:
    # the site pins the engine by the wheel the installed copy packs: the same bytes as the
    # wheel built from this repository, whatever its timestamps
    (pinned,) = (new_site / "vendor").iterdir()
    assert pinned.name == f"portfolio-{portfolio.__version__}-py3-none-any.whl"
    built = engine_wheel(tmp_path)
    assert pinned.read_bytes() == built.read_bytes()
    names = {n.split("/")[0] for n in zipfile.ZipFile(pinned).namelist()}
    assert names == {"portfolio", f"portfolio-{portfolio.__version__}.dist-info"}
    everything = "".join(
        p.read_text("utf-8") for p in new_site.rglob("*") if p.is_file() and p.suffix != ".whl"
    )
    assert str(ROOT) not in everything and str(engine["venv"]) not in everything
    html = _make(new_site, "html")
    assert html.returncode == 0 and "build succeeded." in html.stdout, (
        html.stdout[-2000:] + html.stderr[-2000:]
    )
    assert (new_site / ".venv").is_dir() and (new_site / "_build" / "html" / "news.xml").is_file()
    test = _make(new_site, "test")
    assert test.returncode == 0, test.stdout[-3000:] + test.stderr[-2000:]
    assert " passed" in test.stdout and "failed" not in test.stdout and "skipped" not in test.stdout


def test_an_older_engines_site_upgrades(engine: dict[str, Path], new_site: Path, old_site: Path) -> None:
    home = old_site / "docs" / "index.md"
    first, rest = home.read_text(encoding="utf-8").split("\n", 1)
    home.write_text(f"{first}\n\n{MINE}\n{rest}", encoding="utf-8")
    assert "an older engine's Makefile" in (old_site / "Makefile").read_text(encoding="utf-8")
    upgrade = [str(engine["venv"] / "bin" / "portfolio"), "upgrade", "--no-test"]
    before = {p: p.read_bytes() for p in old_site.rglob("*") if p.is_file()}
    dry = _run([*upgrade, "--dry-run"], old_site)
    assert (
        dry.returncode == 0
        and "  updated  Makefile\n" in dry.stdout
        and "(dry run: nothing written)" in dry.stdout
    )
    assert {p: p.read_bytes() for p in old_site.rglob("*") if p.is_file()} == before
    # the upgrade itself runs the site's tests: in the venv the new site made, if it is there
    if not (new_site / ".venv").is_dir():
        assert _make(new_site, "html").returncode == 0
    venv = str(next((new_site / ".venv").iterdir()))
    proc = _run(upgrade[:-1], old_site, network=True, VENV=venv)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    out, tests = proc.stdout.split("running the site's tests: make test\n")
    assert " passed" in tests and "failed" not in tests and "skipped" not in tests, tests[-3000:]
    assert f"portfolio {OLD} -> {portfolio.__version__}" in out
    assert "  updated  Makefile\n" in out and "  yours    docs/index.md: left alone" in out
    # what changed in the engine since the site's version: the changelog's newer sections
    assert f"\n## {portfolio.__version__}\n" in out and "\n## 0.1.0\n" not in out
    assert MINE in home.read_text(encoding="utf-8") and OLD_LINE in home.read_text(encoding="utf-8")
    # the diff shown is the engine's change to the page: git apply takes it onto the owner's page
    diff = out[out.index("--- a/docs/index.md\n+++ b/docs/index.md\n") :]
    assert f"\n-{OLD_LINE}\n" in diff
    applied = subprocess.run(["git", "apply", "-"], cwd=old_site, input=diff, capture_output=True, text=True,
                             check=False)  # fmt: skip
    assert applied.returncode == 0, applied.stderr
    assert MINE in home.read_text(encoding="utf-8") and OLD_LINE not in home.read_text(encoding="utf-8")
    # the untouched template file and the pin are the new engine's, as a new site has them
    for name in ("Makefile", "requirements.txt", "requirements-test.txt", "tests/test_site.py"):
        assert (old_site / name).read_text("utf-8") == (new_site / name).read_text("utf-8"), name
    assert sorted(p.name for p in (old_site / "vendor").iterdir()) == [
        f"portfolio-{portfolio.__version__}-py3-none-any.whl"
    ]
    record = json.loads((old_site / "portfolio-site.json").read_text(encoding="utf-8"))
    assert record["engine"] == portfolio.__version__
    # again: nothing left to do
    again = _run(upgrade, old_site)
    assert again.returncode == 0 and "nothing to change" in again.stdout, again.stdout
    assert "What changed" not in again.stdout
    # and the upgraded site builds (its tests passed above)
    html = _make(old_site, "html", VENV=venv)
    assert html.returncode == 0 and "build succeeded." in html.stdout, (
        html.stdout[-2000:] + html.stderr[-2000:]
    )


def test_upgrade_refuses_a_newer_site_and_a_folder_without_a_record(
    engine: dict[str, Path], tmp_path: Path
) -> None:
    upgrade = [str(engine["venv"] / "bin" / "portfolio"), "upgrade", "--no-test", "--site", str(tmp_path)]
    proc = _run(upgrade, tmp_path)
    assert (
        proc.returncode == 2
        and proc.stderr.count("\n") == 1
        and "portfolio-site.json is missing" in proc.stderr
    )
    for broken in (
        '{"engine": "0.2.0", "answers": ',
        '{"engine": "0.2.0", "answers": {"name": 5}, "files": {}}',
        '{"engine": "0.2.0", "answers": {"name": "Ada Lovelace", "made": "soon"}, "files": {}}',
    ):
        (tmp_path / "portfolio-site.json").write_text(broken, encoding="utf-8")
        proc = _run(upgrade, tmp_path)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "not a site record" in proc.stderr, (
            broken
        )
    record = {"engine": "99.0", "answers": {"name": "Ada Lovelace", "made": "2026-01-01"}, "files": {}}
    (tmp_path / "portfolio-site.json").write_text(json.dumps(record), encoding="utf-8")
    proc = _run(upgrade, tmp_path)
    assert proc.returncode == 2 and "is on portfolio 99.0, newer than the installed" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio-site.json"]


class _Pages(http.server.SimpleHTTPRequestHandler):
    """GitHub Pages for a project: the site under /<repo>/, its 404.html for anything missing."""

    prefix = "/"

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        root = Path(self.directory)
        rel = path[len(self.prefix) :] if path.startswith(self.prefix) else None
        target = root / rel if rel is not None else None
        if target is not None and target.is_dir():
            target = target / "index.html"
        if target is None or not target.is_file():
            body = (root / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        self.path = "/" + target.relative_to(root).as_posix()
        return super().send_head()


@pytest.fixture(params=["project site", "user site"])
def pages(new_site: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Path]]:
    """The site's output served as Pages serves it: under /<repository>/ for a project site,
    at the root for a user site (<user>.github.io); the base URL as configure-pages gives it."""
    out = new_site / "_build" / "html"
    out.mkdir(parents=True, exist_ok=True)
    path = f"/{new_site.name}" if request.param == "project site" else ""
    handler = type("Pages", (_Pages,), {"prefix": f"{path}/"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}", out
    finally:
        server.shutdown()
        server.server_close()


def _status(url: str) -> int:
    try:
        with urlopen(url, timeout=10) as response:
            return int(response.status)
    except HTTPError as err:
        return err.code


def test_the_pages_workflow_builds_a_site_that_works_where_pages_serves_it(
    new_site: Path, pages: tuple[str, Path], browser: Any
) -> None:
    base, out = pages
    conf = new_site / "conf.py"
    conf.write_text(conf.read_text("utf-8").replace("redirects: dict[str, str] = {}",
                                                    'redirects = {"about": "/biography.html"}'), "utf-8")  # fmt: skip
    flow = yaml.safe_load((new_site / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    (build,) = [s for s in steps if "run" in s]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert new_site / upload["with"]["path"] == out
    env = {k: v.replace("${{ steps.pages.outputs.base_url }}", base) for k, v in build["env"].items()}
    proc = _run(["bash", "-c", build["run"]], new_site, network=True, **env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    prefix = base + "/"
    seen: dict[str, int] = {}

    def check(url: str, where: str) -> None:
        url = url.split("#")[0]
        assert url.startswith(prefix), f"{where}: {url} is outside {prefix}"
        if url not in seen:
            seen[url] = _status(url)
        assert seen[url] == 200, f"{where}: {url} gives {seen[url]}"

    pages_ = sorted(out.rglob("*.html"))
    assert len(pages_) > 8
    for page in pages_:
        rel = page.relative_to(out).as_posix()
        # 404.html is served at any missing address, deep or not: its links must not depend on it
        url = f"{prefix}no/such/page" if rel == "404.html" else f"{prefix}{rel}"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        canonical = soup.find("link", rel="canonical")
        if canonical is not None:
            check(str(canonical["href"]), f"{rel} canonical")
        for meta in soup.find_all("meta", property=["og:url", "og:image"]):
            check(str(meta["content"]), f"{rel} {meta['property']}")
        for tag in soup.find_all(["a", "link", "script", "img"]):
            ref = tag.get("href") or tag.get("src")
            if not ref or str(ref).startswith(("#", "mailto:", "data:", "javascript:")):
                continue
            target = urljoin(url, str(ref))
            if urlsplit(target).netloc == urlsplit(base).netloc:
                check(target, f"{rel} {tag.name}")
    sitemap = BeautifulSoup((out / "sitemap.xml").read_bytes(), "xml")
    locs = [loc.text for loc in sitemap.find_all("loc")]
    assert len(locs) > 5
    for loc in locs:
        check(loc, "sitemap.xml")
    feed = feedparser.parse((out / "news.xml").read_bytes())
    assert feed.entries
    for link in [feed.feed.link, *(e.link for e in feed.entries)]:
        check(link, "news.xml")
    # the redirect, by its meta refresh, lands on the biography under the prefix
    moved = BeautifulSoup((out / "about.html").read_text(encoding="utf-8"), "html.parser")
    refresh = moved.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None
    check(urljoin(f"{prefix}about.html", str(refresh["content"]).split("url=", 1)[1]), "about.html")
    assert f"{prefix}biography.html" in seen and f"{prefix}_static/portfolio-preview.png" in seen
    assert _status(f"{prefix}no/such/page") == 404
    # search, in Chromium: it finds the starter's paper and links to its page under the prefix;
    # the 404 page served deep below the prefix loads its styles (no request fails)
    with watched_page(browser) as (page, outside, errors):
        page.goto(f"{prefix}search.html?q=Lovelace")
        page.wait_for_function(
            "() => /Search finished/.test(document.querySelector('#search-results p.search-summary')"
            "?.textContent || '')", timeout=15000
        )  # fmt: skip
        links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
        missing = f"{prefix}no/such/deep/page"
        page.goto(missing)
        themed = page.evaluate(
            "getComputedStyle(document.body).getPropertyValue('--color-foreground-primary')"
        )
        failed = [e for e in errors if e != f"HTTP 404: {missing}"]
        assert not failed and not outside, failed + outside
    assert links and all(link.startswith(prefix) for link in links), links
    assert any("/papers/" in link for link in links) and all(
        _status(link.split("#")[0]) == 200 for link in links
    )
    assert themed.strip(), "the 404 page's stylesheet (furo) did not load"
