"""Permanent URLs: renaming a page without a redirect fails the build with a located
message naming the old address; with the redirect, the old address opens the new page in
Chromium.  The old homepage's /about.html and /about/ lead home."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from webchecks import PAGE_TYPES, serve, watched_page

from helpers import CONF, FACTS, ROOT, Site, clean_env, copy_site, sphinx_command


def _copy(dest: Path) -> Path:
    return copy_site(dest)


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    env = clean_env()
    cmd = sphinx_command(project / "docs", project / "out", project / "doctrees", confdir=project)
    return subprocess.run(
        [*cmd, "--no-color"], cwd=project, capture_output=True, text=True, env=env, check=False
    )


def test_manifest_records_what_the_site_serves(site: Site) -> None:
    recorded = (ROOT / "urls.txt").read_text(encoding="utf-8").split()
    if not recorded:
        pytest.skip("urls.txt records no URL yet (a new site: `make urls` once it is published)")
    project = PAGE_TYPES["project"]
    assert project in recorded and PAGE_TYPES["paper"] in recorded
    assert f"{project.removesuffix('.html')}/CITATION.cff" in recorded
    assert [u for u in recorded if u.startswith("news.html#news-")]
    for url in recorded:
        path = site.out / url.split("#")[0]
        assert path.is_file(), url
        if "#" in url:
            assert f'id="{url.split("#")[1]}"' in path.read_text(encoding="utf-8"), url


def test_renaming_a_project_needs_a_redirect(site: Site, tmp_path: Path, browser: Any) -> None:
    project = _copy(tmp_path / "site")
    # the URLs the site publishes, recorded as `make urls` records them (the session's build
    # of the same sources wrote them)
    (project / "urls.txt").write_text((site.doctrees / "urls.txt").read_text("utf-8"), "utf-8")
    pages = sorted(p for p in (project / "docs" / "projects").glob("*.md") if p.stem != "index")
    old = pages[-1]
    stem, new = old.stem, old.with_name(f"{old.stem}-renamed.md")
    heading = re.search(r"^# (.+)$", old.read_text(encoding="utf-8"), re.M)
    assert heading
    # the file (and so the URL) changes; the id that news items and links use stays
    new.write_text(
        old.read_text(encoding="utf-8").replace("project:\n", f"project:\n  id: {stem}\n", 1), "utf-8"
    )
    old.unlink()
    index = project / "docs/projects/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(f"\n{stem}\n", f"\n{stem}-renamed\n"), "utf-8")

    failed = _build(project)
    assert failed.returncode == 1
    lines = [line for line in failed.stderr.splitlines() if "WARNING" in line]
    assert lines and all("[portfolio.url_removed]" in line for line in lines), failed.stderr
    page_line = next(
        n
        for n, u in enumerate((project / "urls.txt").read_text().split("\n"), 1)
        if u == f"projects/{stem}.html"
    )
    assert (
        f"{project / 'urls.txt'}:{page_line}: WARNING: the published URL projects/{stem}.html is no longer "
        f"served; add a redirect to conf.py, e.g. redirects = {{'projects/{stem}': '/<new page>.html'}}, or, "
        "to retire it on purpose, delete this line [portfolio.url_removed]"
    ) in lines

    conf = project / "conf.py"
    conf.write_text(
        conf.read_text() + f'redirects["projects/{stem}"] = "/projects/{stem}-renamed.html"\n',
        encoding="utf-8",
    )
    assert _build(project).returncode == 0
    with serve(project / "out") as url, watched_page(browser) as (page, _, errors):
        page.goto(url + f"projects/{stem}.html")
        page.wait_for_url(f"**/projects/{stem}-renamed.html")
        assert page.inner_text("h1").startswith(heading.group(1))
        assert errors == []


#: the home page's heading, and whether conf.py redirects the old homepage's /about/ to it
HOME_TITLE = FACTS.get("owner", {}).get("name") or CONF["project"]
OLD_HOME = pytest.mark.skipif(
    CONF.get("redirects", {}).get("about") != "/index.html",
    reason="this site has no old homepage address (conf.py redirects no 'about' to the home page)",
)


@OLD_HOME
@pytest.mark.parametrize("prefix", ["/", "/en/latest/", "/people/someone/site/"])
@pytest.mark.parametrize("old", ["about.html", "about/", "about/index.html"])
def test_old_homepage_addresses_lead_home(site: Site, browser: Any, old: str, prefix: str) -> None:
    """From the host's root, under Read the Docs' /en/latest/ and in a subfolder."""
    with serve(site.out, prefix) as url, watched_page(browser) as (page, _, errors):
        page.goto(url + old)
        page.wait_for_url(url + "index.html")
        assert page.inner_text("h1").startswith(HOME_TITLE)
        assert errors == []


@OLD_HOME
@pytest.mark.parametrize("old", ["about.html", "about/index.html"])
def test_old_homepage_addresses_lead_home_from_disk(site: Site, browser: Any, old: str) -> None:
    """Opened as files (the README's `_build/html/...`): a redirect is relative, never a
    path from the disk's root."""
    with watched_page(browser) as (page, _, _errors):
        page.goto((site.out / old).as_uri())
        page.wait_for_url((site.out / "index.html").as_uri())
        assert page.inner_text("h1").startswith(HOME_TITLE)
    for stub in (site.out / "about.html", site.out / "about" / "index.html"):
        assert "url=/" not in stub.read_text(encoding="utf-8") and '"/' not in stub.read_text(
            encoding="utf-8"
        )
