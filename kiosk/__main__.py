"""``python -m kiosk``: the same as ``hallway-kiosk``."""

from kiosk.app import main

raise SystemExit(main())
