"""Builds the one PyInstaller bundle (onedir) with hallway.spec, and says what the trim saved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
APPS = ("hallway-kiosk", "hallway-desktop")


@dataclass(frozen=True)
class Bundle:
    folder: Path  # dist/hallway: the program `hallway`, its links and _internal/
    collected_bytes: int  # what PyInstaller's hooks gathered
    kept_bytes: int  # what the bundle carries after installer/trim.py
    system_libraries: tuple[str, ...]  # left to the OS's packages (Linux)

    @property
    def size_bytes(self) -> int:
        return folder_size(self.folder)


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path) -> Bundle:
    """Run PyInstaller in its own process (it imports the app to analyse it), then link the
    apps' names to the one program, which picks the app by the name it was started as."""
    dist.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(HERE / "hallway.spec")],
                   check=True, cwd=HERE.parent, env={**os.environ, "PYTHONHASHSEED": "0"})
    folder = dist / "hallway"
    if sys.platform != "win32":
        for app in APPS:
            link = folder / app
            link.unlink(missing_ok=True)
            link.symlink_to("hallway")
    return read(dist)


def read(dist: Path) -> Bundle:
    """The bundle already built in ``dist`` (for bench/bundle.py and the package step)."""
    trim = json.loads((dist / "hallway-trim.json").read_text("utf-8"))
    return Bundle(dist / "hallway", trim["collected_bytes"], trim["kept_bytes"], tuple(trim["system_libraries"]))

