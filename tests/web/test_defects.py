"""Each web-quality check fails on a planted defect (tests/roots/test-defects), so a green
run on the real site means something."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import fetch
from webchecks import (
    axe_violations,
    broken_internal_links,
    contrast_ratio,
    horizontal_overflow,
    links_from_404,
    page_metadata_problems,
    serve,
    vnu_errors,
    watched_page,
)

from helpers import ROOTS, sphinx_command


@pytest.fixture(scope="module")
def defects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("defects") / "html"
    subprocess.run(
        sphinx_command(ROOTS / "test-defects", out, confdir=None, strict=False, quiet=True),
        check=True, capture_output=True,
    )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def defects_url(defects: Path) -> Iterator[str]:
    with serve(defects) as url:
        yield url


def test_outside_requests_console_errors_and_axe_are_caught(browser: Any, defects_url: str) -> None:
    with watched_page(browser) as (page, outside, errors):
        page.goto(defects_url + "index.html")
        page.wait_for_load_state("load")
        assert outside == ["https://example.com/tracker.png"]
        assert "planted console error" in errors
        assert f"HTTP 404: {defects_url}_static/missing.png" in errors
        assert any(v.startswith("image-alt (critical)") for v in axe_violations(page))


def test_horizontal_scrolling_is_caught(browser: Any, defects_url: str) -> None:
    with watched_page(browser, viewport={"width": 390, "height": 844}) as (page, _, _errors):
        page.goto(defects_url + "index.html")
        assert horizontal_overflow(page) > 1000


def test_low_contrast_in_dark_mode_is_caught(browser: Any, defects_url: str) -> None:
    with watched_page(browser, color_scheme="dark") as (page, _, _errors):
        page.goto(defects_url + "index.html")
        page.evaluate("document.body.dataset.theme = 'dark'")
        assert contrast_ratio(page, "#low-contrast") < 4.5


def test_invalid_html_is_caught(defects: Path) -> None:
    errors = vnu_errors(defects)
    assert any(e.startswith("index.html:") and "“p” end tag" in e for e in errors), errors


def test_missing_metadata_is_caught(defects: Path) -> None:
    problems = page_metadata_problems(defects)
    assert "twin.html: same <title> as other.html: 'Same title - Defects documentation'" in problems
    assert "index.html: no og:title" in problems
    assert "index.html: no favicon" in problems
    assert "index.html: no absolute canonical URL" in problems


def test_broken_anchor_is_caught(defects: Path) -> None:
    assert "index.html: other.html#nowhere" in broken_internal_links(defects)


def test_404_with_wrong_prefix_is_caught(defects_url: str) -> None:
    bad = links_from_404(defects_url, fetch)
    assert bad and all(" -> 404" in b for b in bad)
