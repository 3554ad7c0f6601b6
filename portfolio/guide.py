"""Directives that document the extension from its own code, so the docs cannot drift:
the options, warnings, requirements and exported-fields tables, the build's order (every
event handler) and the intersphinx snippet for project repos."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .bib import EXPORTED_FIELDS, PERSON_ROLES
from .config import OPTIONS, intersphinx_name
from .requirements import REQUIREMENTS
from .warnings_ import Subtype


def _table(header: list[str], rows: list[list[nodes.Node | str]], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=["portfolio-table"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=w) for w in widths)
    thead = nodes.thead()
    group += thead
    head_row = nodes.row()
    thead += head_row
    for text in header:
        head_row += nodes.entry("", nodes.paragraph(text, text))
    tbody = nodes.tbody()
    group += tbody
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            body = nodes.paragraph(cell, cell) if isinstance(cell, str) else nodes.paragraph("", "", cell)
            row += nodes.entry("", body)
        tbody += row
    return table


def _plain(text: str) -> str:
    return text.replace("``", "")


class OptionsTable(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        rows: list[list[nodes.Node | str]] = [
            [
                nodes.literal(o.name, o.name),
                nodes.literal(repr(o.default), repr(o.default)),
                o.rebuild,
                _plain(o.doc),
            ]
            for o in OPTIONS
        ]
        return [_table(["Option", "Default", "Rebuilds", "Meaning"], rows, [25, 15, 10, 50])]


class HandlersTable(SphinxDirective):
    """The build's order: :data:`portfolio.HANDLERS`, one row per event handler."""

    def run(self) -> list[nodes.Node]:
        from . import HANDLERS

        rows: list[list[nodes.Node | str]] = [
            [nodes.literal(h.event, h.event), str(h.priority), nodes.literal(h.target, h.target), h.why]
            for h in HANDLERS
        ]
        return [_table(["Event", "Priority", "Handler", "Why there"], rows, [20, 8, 30, 42])]


class WarningsTable(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        rows: list[list[nodes.Node | str]] = []
        for sub in Subtype:
            name = f"portfolio.{sub.value}"
            rows.append([nodes.literal(name, name), _plain(sub.cause), _plain(sub.fix)])
        return [_table(["Subtype", "Cause", "Fix"], rows, [25, 40, 35])]


class RequirementsTable(SphinxDirective):
    """What conf.py must have (checked at start-up) and what is optional, from REQUIREMENTS."""

    def run(self) -> list[nodes.Node]:
        rows: list[list[nodes.Node | str]] = [
            [nodes.literal(r.what, r.what), "required" if r.required else "optional", r.gives]
            for r in REQUIREMENTS
        ]
        return [_table(["In conf.py", "Needed", "What it gives"], rows, [35, 15, 50])]


class ExportedFieldsTable(SphinxDirective):
    """The fields that ``publications.bib`` and the paper pages' BibTeX blocks carry."""

    def run(self) -> list[nodes.Node]:
        groups = {"Names": PERSON_ROLES, **EXPORTED_FIELDS}
        rows: list[list[nodes.Node | str]] = []
        for group, names in groups.items():
            cell = nodes.inline()
            for i, name in enumerate(names):
                if i:
                    cell += nodes.Text(", ")
                cell += nodes.literal(name, name)
            rows.append([group, cell])
        return [_table(["Group", "Fields"], rows, [20, 80])]


class IntersphinxSnippet(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        base = self.config.html_baseurl or "https://<this-site>/"
        code = (
            'extensions = [..., "sphinx.ext.intersphinx"]\n'
            "intersphinx_mapping = {\n"
            f'    "{intersphinx_name(self.config)}": ("{base}", None),\n'
            "}\n"
        )
        block = nodes.literal_block(code, code, language="python")
        self.set_source_info(block)
        return [block]


def setup_guide(app: Sphinx) -> None:
    app.add_directive("portfolio-options", OptionsTable)
    app.add_directive("portfolio-warnings", WarningsTable)
    app.add_directive("portfolio-handlers", HandlersTable)
    app.add_directive("intersphinx-snippet", IntersphinxSnippet)
    app.add_directive("portfolio-requirements", RequirementsTable)
    app.add_directive("portfolio-exported-fields", ExportedFieldsTable)
