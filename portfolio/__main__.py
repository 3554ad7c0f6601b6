"""``python -m portfolio``: the same command as ``portfolio`` (:mod:`portfolio.cli`)."""

import sys

from .cli import main

sys.exit(main())
