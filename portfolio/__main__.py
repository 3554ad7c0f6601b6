"""``python -m portfolio check``, ``add <identifier>``, ``refresh`` and ``new DIR``."""

import sys

if sys.argv[1:2] in (["add"], ["refresh"]):
    from .importer import main as importer

    sys.exit(importer(sys.argv[1:]))

if sys.argv[1:2] == ["new"]:
    from .scaffold import main as new

    sys.exit(new(sys.argv[2:]))

from .check import main

sys.exit(main())
