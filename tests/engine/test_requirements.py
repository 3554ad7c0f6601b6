"""What the engine needs, said at start-up: each missing requirement of conf.py is one
located ``portfolio.requirement`` line naming the fix (portfolio/requirements.py), the
documented list is the same table, and the engine's own defaults carry no owner: the
intersphinx name comes from ``project``, the link-preview image from conf.py, and a site
that inherited another's urls.txt is told how to reset it in one line."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

import pytest

from helpers import CJK_FONT, ROOT, ROOTS, build, copy_root, cv_root

BASIC = (ROOTS / "test-basic" / "conf.py").read_text(encoding="utf-8")
REQUIRED = r"\[portfolio\.requirement\]"


def _conf(text: str) -> dict[str, str]:
    return {"conf.py": text}


@pytest.mark.parametrize(
    ("old", "new", "fix", "option"),
    [
        ('"myst_parser", ', "", "add 'myst_parser' to extensions in conf.py", "extensions"),
        ('myst_enable_extensions = ["colon_fence"]', "myst_enable_extensions = []",
         "add 'colon_fence' to myst_enable_extensions in conf.py", "myst_enable_extensions"),
        ('"sphinx_design", ', "", "add 'sphinx_design' to extensions in conf.py", "extensions"),
        ('portfolio_owner_names = ["Ada Lovelace", "Ada King"]', "",
         "set portfolio_owner_names = ['Your Name', 'Other Spelling'] in conf.py", None),
        ('bibtex_bibfiles = ["refs.bib"]', 'bibtex_bibfiles = ["other.bib"]',
         "set bibtex_bibfiles = [portfolio_bibfile] (e.g. ['refs.bib']) in conf.py", "bibtex_bibfiles"),
        ("nitpicky = True", "nitpicky = True\nredirects = {'old': '/index.html'}",
         "conf.py sets redirects; add 'sphinx_reredirects' to extensions", "redirects"),
        ("nitpicky = True", "nitpicky = True\nhtml_theme = 'alabaster'\n"
         "portfolio_profiles = [{'name': 'GitHub', 'url': 'https://github.com/example'}]",
         "set html_theme = 'furo'", "html_theme"),
    ],
)  # fmt: skip
def test_each_missing_requirement_is_one_line_with_its_fix(
    tmp_path: Path, old: str, new: str, fix: str, option: str | None
) -> None:
    assert old in BASIC
    conf = BASIC.replace(old, new)
    files: dict[str, str | bytes | None] = {"conf.py": conf}
    if "other.bib" in new:
        files["other.bib"] = ""
    if option == "extensions" and "myst" in old:  # without MyST only .rst pages can be read
        files.update(
            {str(p.relative_to(ROOTS / "test-basic")): None for p in (ROOTS / "test-basic").rglob("*.md")}
        )
        files["index.rst"] = "Test Lab\n========\n"
    built = build(copy_root(tmp_path, files=files))
    lines = [w for w in built.warnings if re.search(REQUIRED, w)]
    assert len(lines) == 1, built.warnings
    (line,) = lines
    assert re.match(r"conf\.py:\d+: WARNING: portfolio needs ", line) and fix in line, line
    number = int(line.split(":")[1])
    if option:  # located at the assignment to change
        assert conf.splitlines()[number - 1].startswith(option), (line, conf.splitlines()[number - 1])


def test_the_complete_configuration_needs_nothing(tmp_path: Path) -> None:
    built = build(copy_root(tmp_path))
    assert not [w for w in built.warnings if re.search(REQUIRED, w)], built.warnings


def test_without_colon_fence_the_requirement_is_said_before_the_blocks_become_text(tmp_path: Path) -> None:
    """The failure it replaces: MyST prints ``:::{news}`` as a paragraph, silently."""
    conf = BASIC.replace('myst_enable_extensions = ["colon_fence"]', "myst_enable_extensions = []")
    built = build(copy_root(tmp_path, files=_conf(conf)))
    assert re.search(REQUIRED, built.warnings[0]), built.warnings
    assert ":::{news-list}" in built.soup("index.html").get_text()


def test_the_documented_list_is_the_checked_list() -> None:
    from portfolio.requirements import REQUIREMENTS

    text = ROOT / "docs" / "reference" / "configuration.md"
    if not text.is_file():
        pytest.skip("this site has no configuration reference page (docs/reference/configuration.md)")
    assert ":::{portfolio-requirements}" in text.read_text(encoding="utf-8")
    assert {r.what for r in REQUIREMENTS if r.required} >= {
        "myst_parser", "sphinxcontrib.bibtex", "sphinx_design", "portfolio_owner_names",
    }  # fmt: skip


def test_intersphinx_name_defaults_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    page = "# Link here\n\n:::{intersphinx-snippet}\n:::\n"
    files = {"link.md": page, "index.md": (ROOTS / "test-basic" / "index.md").read_text("utf-8") + "link\n"}
    files["index.md"] = files["index.md"].replace("projects/alpha\n```", "projects/alpha\nlink\n```")
    built = build(copy_root(tmp_path / "a", files=files))
    code = built.soup("link.html").select_one("pre").get_text()
    assert '"test_lab": ("https://example.org/lab/", None)' in code
    built = build(
        copy_root(tmp_path / "b", files={**files, "conf.py": BASIC + 'portfolio_intersphinx_name = "al"\n'})
    )
    assert '"al": ("https://example.org/lab/", None)' in built.soup("link.html").select_one("pre").get_text()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_preview_image_is_made_from_conf_py(tmp_path: Path) -> None:
    """With sphinxext-opengraph and no ogp_image of its own, a site gets a 1200x630 preview
    made from its project name; another name or colour makes another image."""
    conf = BASIC.replace('"portfolio"]', '"sphinxext.opengraph", "portfolio"]')
    first = build(copy_root(tmp_path / "a", files=_conf(conf)))
    assert first.warnings == []
    image = (first.outdir / "_static" / "portfolio-preview.png").read_bytes()
    assert _png_size(image) == (1200, 630)
    tag = first.soup("index.html").select_one('meta[property="og:image"]')["content"]
    assert tag.endswith("_static/portfolio-preview.png")
    other = build(copy_root(tmp_path / "b", files=_conf(conf.replace('"Test Lab"', '"Another Lab"'))))
    assert (other.outdir / "_static" / "portfolio-preview.png").read_bytes() != image
    own = build(copy_root(tmp_path / "c", files=_conf(conf + 'ogp_image = "https://example.org/card.png"\n')))
    assert not (own.outdir / "_static" / "portfolio-preview.png").exists()


def test_a_name_in_chinese_needs_a_font_and_is_drawn_with_one(tmp_path: Path) -> None:
    """Typst's bundled fonts have no Chinese: without portfolio_fonts the build says so, at
    conf.py's line; with a font that has the characters, the image is drawn with it."""
    assert CJK_FONT.is_file(), (
        "make test installs fonts-droid-fallback (apt-get install fonts-droid-fallback)"
    )
    conf = BASIC.replace('"portfolio"]', '"sphinxext.opengraph", "portfolio"]').replace(
        '"Test Lab"', '"Test 研究室"'
    )
    bare = build(copy_root(tmp_path / "a", files=_conf(conf)))
    line = next(n for n, text in enumerate(conf.splitlines(), 1) if text.startswith("project"))
    assert [w for w in bare.warnings if "preview image" in w] == [
        f"conf.py:{line}: WARNING: the preview image cannot show '研究室': Typst's bundled fonts "
        "have no Chinese, Japanese or Korean characters; name a font file that has them in portfolio_fonts "
        "[portfolio.config]"
    ]
    tofu = (bare.outdir / "_static" / "portfolio-preview.png").read_bytes()
    drawn = build(copy_root(tmp_path / "b", files=_conf(conf + f"portfolio_fonts = [{str(CJK_FONT)!r}]\n")))
    assert drawn.warnings == []
    image = (drawn.outdir / "_static" / "portfolio-preview.png").read_bytes()
    assert _png_size(image) == (1200, 630) and image != tofu
    # a path that is not there is one located line, and left out
    wrong = build(copy_root(tmp_path / "c", files=_conf(conf + 'portfolio_fonts = ["fonts/none.otf"]\n')))
    assert any(
        w.startswith(f"conf.py:{len(conf.splitlines()) + 1}: WARNING: portfolio_fonts names "
                     "'fonts/none.otf', which is not a font file or folder beside conf.py")
        for w in wrong.warnings
    ), wrong.warnings  # fmt: skip


def test_an_inherited_url_manifest_is_one_line_that_says_how_to_reset_it(tmp_path: Path) -> None:
    others = "".join(f"projects/theirs-{i}.html\n" for i in range(40))
    srcdir = copy_root(
        tmp_path, files={"urls.txt": others, "conf.py": BASIC + 'portfolio_url_manifest = "urls.txt"\n'}
    )
    built = build(srcdir)
    removed = [w for w in built.warnings if "portfolio.url_removed" in w]
    assert len(removed) == 1, removed
    assert removed[0].startswith("urls.txt:1: WARNING: 40 of the 40 URLs in urls.txt are no longer served")
    assert "empty urls.txt, build, then run `make urls`" in removed[0]
    # and an empty manifest (a new site's first build) needs no step at all
    (srcdir / "urls.txt").write_text("", encoding="utf-8")
    assert build(srcdir).warnings == []


def test_code_blocks_that_may_scroll_take_keyboard_focus(tmp_path: Path, browser: Any) -> None:
    """A code line longer than the column scrolls the block sideways: the block must be
    reachable by Tab (axe's scrollable-region-focusable, on any site, not only this one's)."""
    from webchecks import axe_violations, serve, watched_page

    long = "x = " + " + ".join(f"value_{i}" for i in range(60))
    page = f"# Code\n\n```python\n{long}\n```\n"
    index = (
        (ROOTS / "test-basic" / "index.md")
        .read_text("utf-8")
        .replace("projects/alpha\n```", "projects/alpha\ncode\n```")
    )
    built = build(copy_root(tmp_path, files={"code.md": page, "index.md": index}))
    assert built.warnings == []
    with serve(built.outdir) as url, watched_page(browser) as (tab, _, errors):
        tab.goto(url + "code.html")
        assert tab.evaluate("(() => { const p = document.querySelector('div.highlight pre'); "
                            "return p.scrollWidth > p.clientWidth && p.tabIndex === 0; })()")  # fmt: skip
        assert [v for v in axe_violations(tab) if "scrollable" in str(v)] == []
        assert errors == []


def test_without_typst_a_cv_is_one_line_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "typst" else real(name, *a)
    )
    # a CV (and no link preview, which needs Typst too): the line is the CV's
    srcdir = cv_root(tmp_path / "cv")
    conf = (srcdir / "conf.py").read_text(encoding="utf-8")
    assert "sphinxext.opengraph" not in conf and "portfolio_cv" in conf
    built = build(srcdir)
    (line,) = [w for w in built.warnings if re.search(REQUIRED, w)]
    cv_line = conf.splitlines().index('portfolio_cv = "cv.yaml"') + 1
    assert line.startswith(f"conf.py:{cv_line}: WARNING:"), line
    assert "pip install 'portfolio[cv]'" in line, line
    assert all("Traceback" not in w and "typst" not in w.split("WARNING:")[0] for w in built.warnings)
    # the link preview alone (no CV): the same line
    conf = BASIC.replace('"portfolio"]', '"sphinxext.opengraph", "portfolio"]')
    built = build(copy_root(tmp_path / "preview", files=_conf(conf)))
    (line,) = [w for w in built.warnings if re.search(REQUIRED, w)]
    assert "pip install 'portfolio[cv]'" in line, line


def test_without_the_import_extra_add_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import importlib.util

    from portfolio.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "feedparser" else real(name, *a)
    )
    srcdir = copy_root(tmp_path)
    before = (srcdir / "refs.bib").read_bytes()
    assert main(["add", "2501.01234", "--conf", str(srcdir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'portfolio[import]'" in err
    assert (srcdir / "refs.bib").read_bytes() == before
