"""Finds the files in resources/, wherever Hallway runs from.

The source tree, an editable install and the PyInstaller bundle (which unpacks
next to ``sys._MEIPASS``) keep them in different places; only this module knows.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resource(*parts: str) -> Path:
    """The path of a file under resources/, e.g. ``resource("demo", "organisation.toml")``."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) / "resources" if bundle else Path(__file__).resolve().parent.parent / "resources"
    return root.joinpath(*parts)
