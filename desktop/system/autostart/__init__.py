"""Start at sign-in, per user, the way each OS expects: an XDG autostart entry on Linux, the Run
key on Windows, a LaunchAgent on macOS. One small module per OS; this one only chooses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol


class Autostart(Protocol):
    def enable(self, command: list[str]) -> None: ...

    def disable(self) -> None: ...

    def enabled(self) -> bool: ...


def launch_command() -> list[str]:
    """How this installation starts the tray app, hidden in the tray."""
    if getattr(sys, "frozen", False):  # the installed bundle (installer/)
        return [str(Path(sys.executable).with_name("hallway-desktop")), "--hidden"]
    return [sys.executable, "-m", "desktop", "--hidden"]


def for_this_os() -> Autostart:
    if sys.platform == "win32":
        from desktop.system.autostart.windows import RunKey, WindowsRegistry
        return RunKey(WindowsRegistry())
    if sys.platform == "darwin":
        from desktop.system.autostart.macos import LaunchAgent
        return LaunchAgent()
    from desktop.system.autostart.linux import XdgAutostart
    return XdgAutostart()
