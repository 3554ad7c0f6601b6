"""Web-quality checks, as functions that return the problems they find.

The real site must give none; a planted-defect root (tests/roots/test-defects) shows that
each check can fail.  A static server on 127.0.0.1 (stopped by its fixture) and Debian's
Chromium driven by Playwright do what only a browser can show.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urldefrag, urljoin, urlparse

from bs4 import BeautifulSoup

from helpers import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _page_types() -> dict[str, str]:
    """One page of each type, checked in the browser tests and audited by `make audit`: the
    facts file's [page_types], else the first project page and the owner's first paper."""
    from helpers import CONF, FACTS, OWNER_KEYS
    from portfolio.bib import page_slug

    if FACTS.get("page_types"):
        return dict(FACTS["page_types"])
    docs = ROOT / "docs"
    projects = sorted(p for p in (docs / "projects").glob("*.md") if p.stem != "index")
    types = {
        "home": "index.html",
        "biography": "biography.html",
        "cv": "cv.html" if CONF.get("portfolio_cv") else "",
        "project": f"projects/{projects[0].stem}.html" if projects else "",
        "projects index": "projects/index.html",
        "publications": "publications.html",
        "paper": f"{CONF.get('portfolio_paper_dir', 'papers')}/{page_slug(OWNER_KEYS[0])}.html"
        if OWNER_KEYS
        else "",
        "news": "news.html",
        "search": f"search.html?q={projects[0].stem}" if projects else "search.html?q=news",
        "404": "no/such/page.html",
    }
    return {kind: page for kind, page in types.items() if page}


PAGE_TYPES = _page_types()


# -- serving -------------------------------------------------------------------------------
#: how long a page stalls (serve(pause_before=...)): more than a frame or two
PAUSE = 0.05
#: compressed as static hosts (Read the Docs, GitHub Pages, Netlify) compress them
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".bib", ".inv", ".cff"}


@functools.lru_cache(maxsize=512)
def _body(path: Path, mtime_ns: int, size: int, gzipped: bool) -> bytes:
    """A file's bytes as sent, compressed once per version of the file, as a static host's
    cache keeps them (so the time a page takes is the browser's, not this server's)."""
    body = path.read_bytes()
    return gzip.compress(body, compresslevel=6, mtime=0) if gzipped else body


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files served as a static host serves them: text compressed with gzip when the
    client accepts it, the content-hashed assets (``_static/``, ``?v=`` in every link)
    cached for a year and pages revalidated; a missing path gets the site's 404.html with
    status 404."""

    prefix = "/"  # where the site lives on the host (Read the Docs: /en/latest/)
    pause_before = b""  # if set, a page's parts before each occurrence arrive with a pause

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, code: int, path: Path) -> None:
        ctype = self.guess_type(str(path))
        paused = bool(self.pause_before) and path.suffix == ".html"
        accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        gzipped = path.suffix in COMPRESSED and accepted and not paused
        stat = path.stat()
        body = _body(path, stat.st_mtime_ns, stat.st_size, gzipped)
        self.send_response(code)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8" if ctype.startswith("text/") else ctype)
        self.send_header("Content-Length", str(len(body)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        immutable = "/_static/" in self.path or "/_images/" in self.path
        self.send_header(
            "Cache-Control", "public, max-age=31536000" if immutable else "public, max-age=0, must-revalidate"
        )
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(ConnectionError):  # the browser went on to another page
                parts = body.split(self.pause_before) if paused else [body]
                for i, part in enumerate(parts):
                    if i:
                        self.wfile.flush()
                        time.sleep(PAUSE)
                        part = self.pause_before + part
                    self.wfile.write(part)

    def send_head(self) -> Any:
        if not self.path.startswith(self.prefix):
            self.send_error(404)
            return None
        path = Path(self.translate_path("/" + self.path.removeprefix(self.prefix)))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to "dir/"
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        self._send(200, path)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        self._send(404, page)


@contextmanager
def serve(root: Path, prefix: str = "/", pause_before: bytes = b"") -> Iterator[str]:
    """Serve ``root`` at ``prefix`` (``/en/latest/`` as on Read the Docs) of 127.0.0.1 (a
    free port) for the duration of the block; the URL of the site's root is yielded. With
    ``pause_before``, each page stalls before every occurrence of those bytes, so that the
    browser paints it half-parsed there, as it does on a slow network or a busy machine."""
    handler = type("Handler", (_Handler,), {"prefix": prefix, "pause_before": pause_before})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def launch_browser(playwright: Any, tmpdir: Path) -> Any:
    """Debian's Chromium if present, else Playwright's own; its scratch files go to
    ``tmpdir`` (Chromium leaves a folder behind in the temporary directory at each launch)."""
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    if Path(CHROMIUM).is_file():
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
    return playwright.chromium.launch(args=CHROMIUM_ARGS, env=env)


# -- in the browser ------------------------------------------------------------------------
@contextmanager
def watched_page(browser: Any, **context_args: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page that records every request leaving 127.0.0.1 and every console error; a failed
    response is recorded as an error naming its URL and status."""
    context = browser.new_context(**context_args)
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def on_request(request: Any) -> None:
        url = urlparse(request.url)
        if url.scheme not in {"data", "blob", "about"} and url.hostname != "127.0.0.1":
            outside.append(request.url)

    page.on("request", on_request)
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    # the browser also logs each failed response to the console: kept once, above, with its URL
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error"
            and not msg.text.startswith("Failed to load resource: the server responded")
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page, outside, errors
    finally:
        context.close()


#: records, in ms since the navigation started, when the first result and the finished
#: list appear on Sphinx's search page
_SEARCH_TIMER = """
window.__searchTimes = {};
document.addEventListener('DOMContentLoaded', () => { window.__searchTimes.ready = performance.now(); });
new MutationObserver(() => {
  const t = window.__searchTimes, now = performance.now();
  if (t.first === undefined && document.querySelector('#search-results ul.search li')) t.first = now;
  const h2 = document.querySelector('#search-results h2');
  if (t.done === undefined && h2 && !h2.textContent.includes('Searching')) t.done = now;
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def search_page(browser: Any, base_url: str, query: str) -> tuple[list[str], str, float, float]:
    """The result links of the site's search page for ``query``, its text, and the times
    (ms from navigation) to the first result and to the finished list."""
    with watched_page(browser) as (page, _, errors):
        page.add_init_script(_SEARCH_TIMER)
        page.goto(f"{base_url}search.html?q={quote(query)}")
        page.wait_for_function(
            "() => window.__searchTimes && window.__searchTimes.done !== undefined", timeout=15000
        )
        hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(e => e.href)")
        text = page.inner_text("#search-results")
        times = page.evaluate("window.__searchTimes")
        assert not errors, errors
        done = float(times["done"])
        return hrefs, text, float(times.get("first", done)), done


def axe_violations(page: Any, impacts: frozenset[str] = frozenset({"serious", "critical"})) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in impacts
    ]


def on_screen(page: Any, selector: str) -> bool:
    """Whether the element is laid out inside the viewport (furo parks the mobile drawer
    off-screen, where it still counts as "visible")."""
    box = page.locator(selector).first.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= width + 1


def horizontal_overflow(page: Any) -> int:
    """Pixels by which the page is wider than the viewport (0: no horizontal scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def contrast_ratio(page: Any, selector: str) -> float:
    """WCAG contrast of the text colour of ``selector`` against the body background."""
    return float(
        page.evaluate(
            """(sel) => {
        const lum = (c) => {
            const [r, g, b] = c.match(/[0-9.]+/g).slice(0, 3).map(Number).map((v) => {
                v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const fg = getComputedStyle(document.querySelector(sel)).color;
        const bg = getComputedStyle(document.body).backgroundColor;
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    }""",
            selector,
        )
    )


# -- static checks -------------------------------------------------------------------------
def is_redirect(path: Path) -> bool:
    """A redirect stub (sphinx-reredirects) rather than a page."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:600]


def html_pages(root: Path, redirects: bool = False) -> list[Path]:
    """The site's pages (redirect stubs only if asked: they are valid HTML, not pages)."""
    pages = (p for p in root.rglob("*.html") if not p.relative_to(root).parts[0].startswith("_"))
    return sorted(p for p in pages if redirects or not is_redirect(p))


def vnu_errors(root: Path) -> list[str]:
    """Errors of the Nu HTML Checker (npm vnu-jar, run with Java) on every page."""
    java = shutil.which("java")
    assert java and VNU.is_file(), "the Nu HTML Checker needs java and `npm ci` (make test runs it)"
    proc = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *map(str, html_pages(root, redirects=True)),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    messages = json.loads(proc.stderr or "{}").get("messages", [])
    return [
        f"{Path(urlparse(m['url']).path).relative_to(root)}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]


def page_metadata_problems(root: Path) -> list[str]:
    """Unique <title>, a meta description, OpenGraph tags, a canonical URL and a favicon."""
    problems = []
    titles: dict[str, str] = {}
    for page in html_pages(root):
        rel = str(page.relative_to(root))
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
        title = soup.title.get_text().strip() if soup.title else ""
        if not title:
            problems.append(f"{rel}: no <title>")
        elif title in titles:
            problems.append(f"{rel}: same <title> as {titles[title]}: {title!r}")
        titles.setdefault(title, rel)
        if rel == "404.html":
            continue  # served at any address: no canonical URL or social card of its own
        if not soup.select_one('meta[name="description"][content]'):
            problems.append(f"{rel}: no meta description")
        missing = [
            p
            for p in ("og:title", "og:type", "og:url")
            if not soup.select_one(f'meta[property="{p}"][content]')
        ]
        problems.extend(f"{rel}: no {prop}" for prop in missing)
        canonical = soup.select_one('link[rel="canonical"][href]')
        if canonical is None or not urlparse(canonical["href"]).netloc:
            problems.append(f"{rel}: no absolute canonical URL")
        if not soup.select_one('link[rel~="icon"][href]'):
            problems.append(f"{rel}: no favicon")
    return problems


@functools.cache
def _filter_controls(target: Path) -> dict[str, frozenset[str] | None]:
    """The filter form's controls on a page: name -> the values a list offers (None: text)."""
    soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html5lib")
    form = soup.select_one("form.portfolio-filters")
    controls = form.select("[name]") if form is not None else []
    return {
        c["name"]: frozenset(o["value"] for o in c.select("option")) if c.name == "select" else None
        for c in controls
    }


def filter_values_exist(target: Path, query: str) -> bool:
    """A link to a filtered view (``publications.html?project=x``): the target page has the
    filter form, and each value is one its list offers."""
    controls = _filter_controls(target)
    return bool(controls) and all(
        name in controls and (controls[name] is None or value in (controls[name] or ()))
        for name, value in parse_qsl(query)
    )


def broken_internal_links(root: Path) -> list[str]:
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in html_pages(root):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
        for a in soup.select("a[href]"):
            href = a["href"]
            if urlparse(href).scheme or href.startswith(("//", "mailto:")):
                continue
            path, frag = urldefrag(href)
            path, _, query = path.partition("?")
            target = (page.parent / path).resolve() if path else page
            if path.startswith("/"):
                target = (root / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(root)}: {href}")
                continue
            if query and not filter_values_exist(target, query):
                broken.append(f"{page.relative_to(root)}: {href}")
            if frag and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {
                        t["id"]
                        for t in BeautifulSoup(target.read_text(encoding="utf-8"), "html5lib").select("[id]")
                    }
                if frag not in ids[target]:
                    broken.append(f"{page.relative_to(root)}: {href}")
    return broken


def links_from_404(base_url: str, fetch: Any) -> list[str]:
    """Load a missing page several folders deep and check every link of the 404 page."""
    status, body = fetch(urljoin(base_url, "no/such/deep/page.html"))
    if status != 404:
        return [f"missing page answered {status}"]
    soup = BeautifulSoup(body, "html5lib")
    bad = []
    refs = [a["href"] for a in soup.select("a[href]")] + [link["href"] for link in soup.select("link[href]")]
    refs += [s["src"] for s in soup.select("script[src]")]
    for ref in refs:
        if urlparse(ref).scheme or ref.startswith(("#", "//")):
            continue  # absolute addresses (canonical, feed) do not depend on the depth
        url = urljoin(urljoin(base_url, "no/such/deep/page.html"), ref)
        code, _ = fetch(urldefrag(url)[0])
        if code != 200:
            bad.append(f"{ref} -> {code}")
    return bad
