"""Linux (and BSD) desktops: a .desktop file in $XDG_CONFIG_HOME/autostart (the XDG Autostart
specification). IT's system-wide entry in /etc/xdg/autostart is switched off for one person by
a user entry of the same name with Hidden=true, which is what ``disable`` writes when it exists."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

NAME = "hallway-desktop.desktop"


def _config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def _system_dirs() -> list[Path]:
    return [Path(d) for d in (os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":") if d]


def entry(command: list[str], hidden: bool = False) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=Hallway",
        "Comment=Your company's network in the tray",
        f"Exec={shlex.join(command)}",
        "Icon=hallway",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        *(["Hidden=true"] if hidden else []),
        "",
    ])


class XdgAutostart:
    def __init__(self, config_home: Path | None = None, system_dirs: list[Path] | None = None) -> None:
        self.file = (config_home or _config_home()) / "autostart" / NAME
        self.system = [d / "autostart" / NAME for d in (system_dirs if system_dirs is not None else _system_dirs())]

    def enable(self, command: list[str]) -> None:
        if any(f.exists() for f in self.system):  # IT's entry starts it: only lift this person's override
            self.file.unlink(missing_ok=True)
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(entry(command), encoding="utf-8")
        tmp.replace(self.file)

    def disable(self) -> None:
        if any(f.exists() for f in self.system):  # IT's entry starts it for everyone: hide it for this person
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self.file.write_text(entry(["hallway-desktop", "--hidden"], hidden=True), encoding="utf-8")
        else:
            self.file.unlink(missing_ok=True)

    def enabled(self) -> bool:
        if self.file.exists():
            return "Hidden=true" not in self.file.read_text(encoding="utf-8")
        return any(f.exists() for f in self.system)
