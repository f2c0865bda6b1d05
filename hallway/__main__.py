"""``python -m hallway`` is the ``hallway`` command."""

import sys

from hallway.cli import main

sys.exit(main())
