"""The Makefile's first question: can $(PYTHON) build the site?

Prints one line saying what was found, what is needed and the command that fixes it, and
nothing when all is well (a Python newer than the tested ones gets a line that starts
with "note:", which make shows and goes on).
Written for any Python, 2.7 included, so that an old one reads this message rather than a
syntax error. tests/site/test_make.py checks the versions against pyproject.toml's classifiers.
"""

import sys

OLDEST, NEWEST = (3, 11), (3, 13)  # the Pythons CI tests (pyproject.toml's classifiers)


def problem(name):
    found = "%d.%d.%d" % tuple(sys.version_info[:3])
    if tuple(sys.version_info[:2]) < OLDEST:
        return (
            "%s is Python %s; the site needs Python %d.%d or newer (%d.%d to %d.%d are tested): "
            "install one and run PYTHON=python%d.%d make html"
            % ((name, found) + OLDEST + OLDEST + NEWEST + NEWEST)
        )
    for module in ("venv", "ensurepip"):
        try:
            __import__(module)
        except ImportError:
            version = "%d.%d" % tuple(sys.version_info[:2])
            return (
                "%s (Python %s) cannot create a virtual environment: it has no %s module; "
                "on Debian or Ubuntu run: sudo apt-get install python%s-venv" % (name, found, module, version)
            )
    if tuple(sys.version_info[:2]) > NEWEST:
        return "note: %s is Python %s, newer than the tested %d.%d to %d.%d" % (
            (name, found) + OLDEST + NEWEST
        )
    return ""


if __name__ == "__main__":
    print(problem(sys.argv[1] if len(sys.argv) > 1 else sys.executable))
