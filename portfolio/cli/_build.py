"""``portfolio build``: Sphinx's build, with sphinx-build's arguments, ended as mypy ends.

A build of a large site leaves a large heap: at 1,000 papers about 226,000 objects that the
cyclic garbage collector tracks.  A normal exit then finalizes the interpreter, and its full
collections walk every one of them, four times, to free memory the operating system takes
back anyway: about a second, more than a no-op build's own work.  mypy, another short-lived
process with a large heap, ends with ``os._exit`` once its output is flushed
(``mypy/util.py``, ``hard_exit``); so does this command, once Sphinx's ``main()`` has
returned: everything the build wrote is closed by then (Sphinx closes each file it writes,
and the ``-w`` warning file before it returns).  What a normal exit does besides finalizing
is still done: the functions registered with :mod:`atexit` run (multiprocessing's among
them, which stops the server process sphinx-sitemap starts; left running, it would hold the
build's output pipes open), and the standard streams are flushed.

Only the command line ends this way.  A host that imports the extension (``sphinx.testing``,
an editor's preview, sphinx-autobuild's server) keeps its interpreter and its collector as
they are; the tests build the real site both ways and compare every file.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from typing import NoReturn


def build(argv: list[str]) -> NoReturn:
    """Run ``sphinx-build`` with ``argv``; exit with its status without finalizing."""
    from sphinx.cmd.build import main

    status = main(argv)
    hard_exit(status)


def hard_exit(status: int) -> NoReturn:
    """Run the exit functions, flush the standard streams and end the process now, without
    finalizing the interpreter (mypy's ``hard_exit``, plus the exit functions)."""
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is None:  # not CPython: exit normally
        sys.exit(status)
    run_exit_functions()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a closed pipe
            stream.flush()
    os._exit(status)
