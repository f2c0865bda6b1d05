"""``python -m desktop``: the same as ``hallway-desktop``."""

from desktop.app import main

raise SystemExit(main())
