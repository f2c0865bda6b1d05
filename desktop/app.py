"""``hallway-desktop``: the tray app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hallway import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallway-desktop",
        description="Hallway in the system tray: the feed, mentions and the colleague of the day.",
    )
    parser.add_argument("--version", action="version", version=f"hallway-desktop {__version__}")
    parser.add_argument("--show", action="store_true", help="open the feed window at start")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    build_parser().parse_args(argv)
    print("hallway-desktop: the tray app is not built yet (issue 5)", file=sys.stderr)
    return 1
