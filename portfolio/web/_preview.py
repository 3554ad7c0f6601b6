"""The site's link-preview image, made at build time from conf.py: ``project`` and
``html_title`` set on ``portfolio_accent_color`` (portfolio/templates/preview.typ, rendered to
a 1200x630 PNG by the typst wheel with its bundled fonts and those of ``portfolio_fonts``,
never the system's, so every machine makes the same file).  Used when conf.py sets no
``ogp_image`` of its own; rendered again only when what it shows changes."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from ..config import conf_location, no_font_for, typst_fonts, without_glyphs
from ..output import is_html, write_if_changed
from ..warnings_ import Subtype, warn

TEMPLATE = Path(__file__).parents[1] / "templates" / "preview.typ"
IMAGE = "_static/portfolio-preview.png"


def use_preview(app: Sphinx, config: Config) -> None:
    """Point sphinxext-opengraph (and our own tags) at the generated image, unless conf.py
    names an image itself."""
    if "ogp_image" in config._raw_config or "sphinxext.opengraph" not in app.extensions:
        return
    config.ogp_image = IMAGE
    if not config._raw_config.get("ogp_image_alt"):
        config.ogp_image_alt = f"{config.project}: research portfolio"


def texts(config: Config) -> dict[str, str]:
    title = str(config.project)
    subtitle = str(config.html_title or "")
    if not subtitle or subtitle == title or subtitle.startswith(f"{title} "):
        subtitle = "Research portfolio"
    return {"title": title, "subtitle": subtitle, "accent": config.portfolio_accent_color}


def render(inputs: dict[str, str], fonts: list[str]) -> bytes:
    import typst

    return bytes(
        typst.compile(
            str(TEMPLATE),
            format="png",
            ppi=72.0,
            font_paths=fonts,
            ignore_system_fonts=True,
            sys_inputs=inputs,
        )
    )


def write_preview(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_html(app) or getattr(app.config, "ogp_image", None) != IMAGE:
        return
    try:  # its version, not the module: a build whose image is made already imports no typst
        typst_version = version("typst")
    except PackageNotFoundError:  # said at start-up (portfolio/requirements.py)
        return

    inputs = texts(app.config)
    missing = without_glyphs(app, inputs["title"] + inputs["subtitle"])
    if missing:
        warn(Subtype.config, no_font_for("the preview image", missing), conf_location(app, "project"))
    fonts, fonts_key = typst_fonts(app)
    digest = hashlib.sha256(
        json.dumps([inputs, typst_version, fonts_key], sort_keys=True).encode() + TEMPLATE.read_bytes()
    ).hexdigest()
    image = Path(app.outdir, IMAGE)
    stamp = Path(app.doctreedir, "portfolio-preview.sha256")
    if image.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return
    try:
        data = render(inputs, fonts)
    except Exception as err:  # typst.TypstError
        warn(Subtype.config, f"the preview image could not be made: {err}", str(TEMPLATE))
        return
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(data)
    write_if_changed(stamp, digest)
