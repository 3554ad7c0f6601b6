"""``python -m portfolio check``."""

import sys

from .check import main

sys.exit(main())
