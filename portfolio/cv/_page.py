"""The CV: its facts from one file (``portfolio_cv``, read by :mod:`portfolio.cv._data`), its
publications from ``refs.bib`` and its projects from the project pages.

- ``cv-section`` renders one part where a page wants it (the biography's Education,
  Open-source work, Talks and Service): ``education``, ``positions``, ``open-source``,
  ``talks`` or ``service``.
- ``cv`` renders the whole CV (the CV page): every part, the publications grouped as CVs
  group them, the projects, and a link to ``cv.pdf`` (:mod:`portfolio.cv._files`).

A page that shows the CV is read again when a fact it shows changes (the build's record of
what changed, :mod:`portfolio.changes`, says which); its publications and projects are
filled when it is written, as the other lists are."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..changes import cv_changes
from ..config import conf_location
from ..domain import get_domain
from ..model import PaperFilter
from ..nodes import pending_citations, pending_cv_project, pending_cv_projects
from ..output import app_of
from ..papers import group_sections, select_papers
from ..projects import projects_in_toctree_order
from ..warnings_ import Subtype, warn
from ..web import profiles
from ._data import CV, Contribution, Stay, Talk, read_cv

PDF = "cv.pdf"
#: the consumer topic of a page that shows a CV fact: ``cv:education``
CV_TOPIC = "cv:"


def cv_path(config: Any, confdir: str | Path) -> Path | None:
    """The CV file (``portfolio_cv``, relative to conf.py's folder), if the site has one."""
    return Path(confdir, config.portfolio_cv) if config.portfolio_cv else None


#: the facts (fields of :class:`~portfolio.cv._data.CV`) each part shows; the whole CV shows all
PART_FACTS = {
    "education": ("education",),
    "positions": ("positions",),
    "open-source": ("open_source",),
    "talks": ("talks",),
    "service": ("memberships", "reviewing"),
}
PARTS = tuple(PART_FACTS)
ALL_FACTS = ("headline", *(f for facts in PART_FACTS.values() for f in facts))


def load_cv(app: Sphinx) -> frozenset[str]:
    """Read the CV file once per build (before the pages), each problem one located line;
    the facts that changed since the last build."""
    path = cv_path(app.config, app.confdir)
    domain = get_domain(app.env)
    before = get_cv(app.env)
    if path is None:
        cv = CV()
    elif not path.is_file():
        warn(
            Subtype.cv,
            f"the CV file {path} does not exist; create it or fix portfolio_cv",
            conf_location(app, "portfolio_cv"),
        )
        cv = CV(str(path))
    else:
        cv = read_cv(path)
        for line, message in cv.problems:
            warn(Subtype.cv, message, f"{path}:{max(line, 1)}")
    domain.data["cv"] = cv
    return cv_changes(before, cv)


def get_cv(env: BuildEnvironment) -> CV:
    return cast(CV, get_domain(env).data["cv"] or CV())


# -- nodes of each part ------------------------------------------------------------------
def _link(name: str, url: str) -> nodes.Node:
    return nodes.reference(name, name, refuri=url) if url else nodes.Text(name)


def stay_item(stay: Stay) -> nodes.list_item:
    """**Title**, organisation, July 2023 to now (note), advised by Advisor."""
    para = nodes.paragraph()
    para += nodes.strong(stay.title, stay.title)
    para += nodes.Text(f", {stay.organisation}, {stay.when()}")
    if stay.note:
        para += nodes.Text(f" ({stay.note})")
    if stay.advisor:
        para += nodes.Text(", advised by ")
        para += _link(stay.advisor, stay.advisor_url)
    para += nodes.Text(".")
    return nodes.list_item("", para)


def _joined(parts: list[nodes.Node]) -> list[nodes.Node]:
    """A, B and C."""
    out: list[nodes.Node] = []
    for i, part in enumerate(parts):
        if i:
            out.append(nodes.Text(" and " if i == len(parts) - 1 else ", "))
        out.append(part)
    return out


def contribution_item(item: Contribution, docname: str) -> nodes.list_item:
    """snnTorch and SpikingJelly: what was done.  A project id is a placeholder, filled
    with its page's name and repository when the page is written."""
    links: list[nodes.Node] = [
        pending_cv_project(project=link.project) if link.project else _link(link.name, link.url)
        for link in item.projects
    ]
    para = nodes.paragraph("", "", *_joined(links), nodes.Text(f": {item.what}."))
    return nodes.list_item("", para)


def talk_links(talk: Talk) -> list[tuple[str, str]]:
    """The talk's links, by what they are: its event's page, slides, video."""
    named = (("event", talk.url), ("slides", talk.slides), ("video", talk.video))
    return [(label, url) for label, url in named if url]


def talk_item(talk: Talk) -> nodes.list_item:
    """May 2023: title (event; slides; video)."""
    para = nodes.paragraph()
    para += nodes.Text(f"{talk.date.text()}: {talk.title}")
    parts = [_link(talk.event, talk.url)] if talk.event else []
    parts += [
        _link("link" if label == "event" else label, url)  # an event's page without its name: "link"
        for label, url in talk_links(talk)
        if label != "event" or not talk.event
    ]
    if parts:
        para += nodes.Text(" (")
        for i, part in enumerate(parts):
            if i:
                para += nodes.Text("; ")
            para += part
        para += nodes.Text(")")
    para += nodes.Text(".")
    return nodes.list_item("", para)


def service_nodes(cv: CV) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    if cv.memberships:
        label = "Membership" if len(cv.memberships) == 1 else "Memberships"
        para = nodes.paragraph()
        para += nodes.strong(label, label)
        para += nodes.Text(f": {'; '.join(cv.memberships)}.")
        out.append(para)
    if cv.reviewing:
        para = nodes.paragraph()
        para += nodes.strong("Reviewer", "Reviewer")
        para += nodes.Text(" for:")
        out.append(para)
        lst = nodes.bullet_list(classes=["portfolio-cv-reviewing"])
        for link in cv.reviewing:
            lst += nodes.list_item("", nodes.paragraph("", "", _link(link.name, link.url)))
        out.append(lst)
    return out


def part_nodes(cv: CV, part: str, docname: str) -> list[nodes.Node]:
    """The nodes of one part of the CV; nothing when the file has none."""
    if part == "service":
        return service_nodes(cv)
    items: list[nodes.list_item]
    if part in ("education", "positions"):
        items = [stay_item(s) for s in (cv.education if part == "education" else cv.positions)]
    elif part == "open-source":
        items = [contribution_item(c, docname) for c in cv.open_source]
    else:
        items = [talk_item(t) for t in cv.talks]
    if not items:
        return []
    lst = nodes.bullet_list(classes=[f"portfolio-cv-{part}"])
    lst.extend(items)
    return [lst]


def uses_cv(directive: SphinxDirective, facts: tuple[str, ...]) -> CV:
    """The CV, noting that this page shows ``facts`` of it (it is read again when they
    change: :func:`portfolio.consistency.outdated_docs`)."""
    path = cv_path(directive.config, app_of(directive.env).confdir)  # as the resolver reaches the app
    if path is None:
        warn(Subtype.cv, "this page shows the CV, but portfolio_cv is not set in conf.py; set it to "
             "the CV file, e.g. portfolio_cv = 'cv.yaml'", directive.get_location())  # fmt: skip
        return CV()
    domain = get_domain(directive.env)
    for topic in ("projects", *(f"{CV_TOPIC}{fact}" for fact in facts)):
        domain.note_consumer(directive.env.docname, topic)
    return get_cv(directive.env)


class CVSection(SphinxDirective):
    """One part of the CV: ``education``, ``positions``, ``open-source``, ``talks`` or ``service``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        part = self.arguments[0]
        if part not in PARTS:
            warn(Subtype.cv, f"unknown CV part {part!r}; use one of {', '.join(PARTS)}", self.get_location())
            return []
        return part_nodes(uses_cv(self, PART_FACTS[part]), part, self.env.docname)


class CVPage(SphinxDirective):
    """The whole CV: headline and links, then each part as a section of the page."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"all": directives.flag}

    def run(self) -> list[nodes.Node]:
        cv = uses_cv(self, ALL_FACTS)
        domain = get_domain(self.env)
        out: list[nodes.Node] = []
        if cv.headline:
            out.append(nodes.paragraph(cv.headline, cv.headline, classes=["portfolio-cv-headline"]))
        links = nodes.paragraph(classes=["portfolio-cv-links"])
        prefix = "../" * self.env.docname.count("/")
        items: list[tuple[str, str]] = []
        if self.config.html_baseurl:
            items.append(("Website", self.config.html_baseurl))
        items += profiles(self.config)
        for i, (name, url) in enumerate(items):
            if i:
                links += nodes.Text(" · ")
            links += nodes.reference(name, name, refuri=url)
        if items:
            links += nodes.Text(" · ")
        links += nodes.reference(
            "CV (PDF)", "CV (PDF)", refuri=f"{prefix}{PDF}", classes=["portfolio-cv-pdf"]
        )
        out.append(links)

        def section(ident: str, title: str, body: list[nodes.Node]) -> None:
            if body:
                node = nodes.section(ids=[f"cv-{ident}"], names=[f"cv-{ident}"])
                node += nodes.title(title, title)
                node.extend(body)
                out.append(node)

        docname = self.env.docname
        section("education", "Education", part_nodes(cv, "education", docname))
        section("positions", "Positions", part_nodes(cv, "positions", docname))
        spec = PaperFilter(owner_only="all" not in self.options)
        domain.note_listing(docname, spec)
        papers = select_papers(domain.papers.values(), spec)
        fields = {
            "owner_only": spec.owner_only,
            "keyword": "",
            "limit": 0,
            "group_by": "type",
            "filters": False,
        }
        lists = list(group_sections(self.config, papers, "type", fields, "cv-"))
        section("publications", "Publications", [pending_citations(), *lists] if lists else [])
        section("projects", "Projects", [pending_cv_projects()])
        section("open-source", "Open-source work", part_nodes(cv, "open-source", docname))
        section("talks", "Talks", part_nodes(cv, "talks", docname))
        section("service", "Service", service_nodes(cv))
        return out


class CVPdfRole(SphinxRole):
    """``{cv-pdf}`CV (PDF)` ``: a link to cv.pdf from any page."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if cv_path(self.config, app_of(self.env).confdir) is None:
            warn(Subtype.cv, "a link to cv.pdf, but portfolio_cv is not set in conf.py; set it to the "
                 "CV file, e.g. portfolio_cv = 'cv.yaml'", self.get_location())  # fmt: skip
        prefix = "../" * self.env.docname.count("/")
        text = self.text or "CV (PDF)"
        return [nodes.reference(text, text, refuri=f"{prefix}{PDF}", classes=["portfolio-cv-pdf"])], []


class FillCVProjectLinks(SphinxPostTransform):
    """A CV contribution's project: a link to its repository (or website), when written."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        for node in list(self.document.findall(pending_cv_project)):
            project = domain.projects.get(node["project"])  # unknown: named by check_cv_projects
            name = project.name if project else node["project"]
            node.replace_self(_link(name, (project.repository or project.website) if project else ""))


class FillCVProjects(SphinxPostTransform):
    """The CV's list of projects, in the order of the projects' toctree, when written."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(pending_cv_projects)):
            lst = nodes.bullet_list(classes=["portfolio-cv-projects"])
            for project in projects_in_toctree_order(self.env):
                para = nodes.paragraph()
                para += nodes.strong(project.name, project.name)
                if project.tagline:
                    para += nodes.Text(f": {project.tagline.rstrip('.')}.")
                if project.repository:
                    para += nodes.Text(" ")
                    para += nodes.reference("Code", "Code", refuri=project.repository)
                lst += nodes.list_item("", para)
            node.replace_self(lst if len(lst) else [])


def check_cv_projects(app: Sphinx, env: BuildEnvironment) -> None:
    """A project id in the CV's open-source work names a project page."""
    cv, domain = get_cv(env), get_domain(env)
    for item in cv.open_source:
        for link in item.projects:
            if link.project and link.project not in domain.projects:
                warn(
                    Subtype.cv,
                    f"open_source names project {link.project!r}, which no project page declares; "
                    "use a project page's id, or write the project as {name, url}",
                    f"{cv.path}:{item.line}",
                )


def setup_cv(app: Sphinx) -> None:
    app.add_directive("cv", CVPage)
    app.add_directive("cv-section", CVSection)
    from ._talks import Talks

    app.add_directive("talks", Talks)
    app.add_role("cv-pdf", CVPdfRole())
    app.add_post_transform(FillCVProjectLinks)
    app.add_post_transform(FillCVProjects)
