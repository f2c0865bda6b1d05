"""``hallway-kiosk``: the lobby check-in screen."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hallway import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallway-kiosk",
        description="Hallway's lobby kiosk: check in with a badge or your name, meet a colleague.",
    )
    parser.add_argument("--version", action="version", version=f"hallway-kiosk {__version__}")
    parser.add_argument("--windowed", action="store_true", help="run in a window instead of locked full screen")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    build_parser().parse_args(argv)
    print("hallway-kiosk: the kiosk screens are not built yet (issue 4)", file=sys.stderr)
    return 1
