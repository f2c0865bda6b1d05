"""Refresh the catalogues after changing text on screen, then compile them:

    python scripts/translations.py

lupdate collects every ``self.tr(...)`` from the apps into resources/translations/*.ts (edit
those with Qt Linguist, ``pyside6-linguist``), and lrelease compiles the .qm files the apps load.
English has a catalogue of its own for plural forms ("1 colleague", "2 colleagues").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "resources" / "translations"
SOURCES = ("kiosk", "desktop", "ui", "hallway")


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(f"pyside6-{name}"))


def main() -> int:
    sources = [str(p.relative_to(ROOT)) for folder in SOURCES for p in sorted((ROOT / folder).rglob("*.py"))]
    catalogues = sorted(CATALOGUES.glob("hallway_*.ts"))
    subprocess.run([tool("lupdate"), "-no-obsolete", *sources, "-ts", *map(str, catalogues)], check=True, cwd=ROOT)
    for ts in catalogues:
        subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
