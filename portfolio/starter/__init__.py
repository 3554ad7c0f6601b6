"""The starter: a new researcher's site, and its upgrades.

``portfolio new`` renders ``templates/new`` with the answers to its questions
(:func:`render`), pins the site to this engine (its canonical wheel in ``vendor/`` and the
engine's hashed locks, :func:`create`) and keeps a record of what it wrote
(:class:`Record`, ``portfolio-site.json``).  ``portfolio upgrade`` (:func:`plan`,
:func:`apply`) moves such a site to the installed engine, rewriting only what the owner has
not changed.  Neither imports Sphinx.
"""

from ._render import Answers, RefusedError, answers, render
from ._site import RECORD, Record, create
from ._upgrade import Change, Plan, apply, changelog, plan
from ._wheel import engine_wheel, write_wheel

__all__ = [
    "RECORD",
    "Answers",
    "Change",
    "Plan",
    "Record",
    "RefusedError",
    "answers",
    "apply",
    "changelog",
    "create",
    "engine_wheel",
    "plan",
    "render",
    "write_wheel",
]
