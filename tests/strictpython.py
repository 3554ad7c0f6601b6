"""Run Python as Python 3.13 with today's setuptools would: the standard modules that 3.12
and 3.13 removed (PEP 594, PEP 632, ...) and setuptools' retired ``pkg_resources`` cannot
be imported, whichever Python this is.

    python tests/strictpython.py -m sphinx ...       run a module
    python tests/strictpython.py -c "import x, y"     run code

A dependency that guards such an import (``try: import cgi``) still works, as it would on
3.13; one that needs it fails here on 3.11 too, so a removed module coming back into our
dependencies is seen on every Python the tests run on (tests/site/test_python.py)."""

from __future__ import annotations

import importlib.abc
import runpy
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

#: Removed in 3.12 (distutils, asynchat, asyncore, imp, smtpd) and 3.13 (PEP 594), and
#: pkg_resources, which setuptools no longer ships.
REMOVED = frozenset(
    [
        "distutils",
        "asynchat",
        "asyncore",
        "imp",
        "smtpd",
        "aifc",
        "audioop",
        "cgi",
        "cgitb",
        "chunk",
        "crypt",
        "imghdr",
        "mailcap",
        "msilib",
        "nis",
        "nntplib",
        "ossaudiodev",
        "pipes",
        "sndhdr",
        "spwd",
        "sunau",
        "telnetlib",
        "uu",
        "xdrlib",
        "lib2to3",
        "pkg_resources",
    ]
)


#: setuptools brings its own ``distutils`` (its shim), and may import it.
SHIMS = {"distutils": ("setuptools", "_distutils_hack", "distutils")}


def _importer() -> str:
    """The module whose import statement is being run (the first frame outside importlib)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(("importlib", "_frozen")):
        frame = frame.f_back
    return "" if frame is None else str(frame.f_globals.get("__name__", ""))


class Removed(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        top = fullname.partition(".")[0]
        if top in SHIMS and _importer().startswith(SHIMS[top]):
            return None
        if top in REMOVED:
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (removed from Python 3.12/3.13 or from setuptools; "
                "tests/strictpython.py)",
                name=fullname,
            )
        return None


def main(argv: list[str]) -> None:
    for name in [m for m in sys.modules if m.partition(".")[0] in REMOVED]:
        del sys.modules[name]  # imported at start-up (setuptools' distutils shim): forget it
    sys.meta_path.insert(0, Removed())
    if argv[:1] == ["-m"]:
        sys.argv = argv[1:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    elif argv[:1] == ["-c"]:
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
    else:
        raise SystemExit("usage: strictpython.py -m module [args] | -c code")


if __name__ == "__main__":
    main(sys.argv[1:])
