"""``python -m fabula``: the same as the ``fabula`` command."""

import sys

from fabula.cli import main

sys.exit(main())
