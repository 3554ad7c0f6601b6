"""``python -m portfolio check``, ``add <identifier>`` and ``refresh``."""

import sys

if sys.argv[1:2] in (["add"], ["refresh"]):
    from .importer import main as importer

    sys.exit(importer(sys.argv[1:]))

from .check import main

sys.exit(main())
