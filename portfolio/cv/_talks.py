"""The talks page: the CV's talks, newest first, each a section with a permanent anchor
(``talk-<year>-<month>-<event or title>``, also a label: ``urls.txt`` keeps it) that a slide
deck or a recording can link to;
its date, event and links (the event's page, slides, video).  The CV keeps its own list."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..nodes import news_date
from ._data import Talk
from ._page import PART_FACTS, talk_links, uses_cv


def talk_anchor(talk: Talk) -> str:
    """The talk's anchor: its date and its event (or title), as an HTML id."""
    return nodes.make_id(f"talk-{talk.date.iso()}-{talk.event or talk.title}")


class Talks(SphinxDirective):
    """``{talks}``: every talk of the CV, newest first."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        cv = uses_cv(self, PART_FACTS["talks"])
        if not cv.talks:
            text = "No talks yet."
            return [nodes.paragraph(text, text, classes=["portfolio-no-talks"])]
        out: list[nodes.Node] = []
        seen: set[str] = set()
        for talk in cv.talks:
            anchor = base = talk_anchor(talk)
            n = 1
            while anchor in seen:  # the same event twice in a month: -2, -3...
                n += 1
                anchor = f"{base}-{n}"
            seen.add(anchor)
            section = nodes.section(ids=[anchor], names=[anchor], classes=["portfolio-talk"])
            title = talk.title[:1].upper() + talk.title[1:]
            section += nodes.title(title, title)
            # a label too: {ref} reaches it, objects.inv lists it, urls.txt keeps it permanent
            self.env.domains.standard_domain.note_hyperlink_target(anchor, self.env.docname, anchor, title)
            meta = nodes.paragraph(classes=["portfolio-talk-meta"])
            meta += news_date(talk.date.text(), talk.date.text(), datetime=talk.date.iso())
            if talk.event:
                meta += nodes.Text(" · ")
                meta += nodes.emphasis(talk.event, talk.event)
            section += meta
            links = talk_links(talk)
            if links:
                para = nodes.paragraph(classes=["portfolio-talk-links"])
                for i, (label, url) in enumerate(links):
                    if i:
                        para += nodes.Text(" · ")
                    text = {"event": "Event page", "slides": "Slides", "video": "Video"}[label]
                    para += nodes.reference(text, text, refuri=url)
                section += para
            out.append(section)
        return out
