"""macOS: a LaunchAgent property list in ~/Library/LaunchAgents that launchd reads at login."""

from __future__ import annotations

import plistlib
from pathlib import Path

LABEL = "com.hallway.desktop"


def agent(command: list[str]) -> bytes:
    return plistlib.dumps({"Label": LABEL, "ProgramArguments": command, "RunAtLoad": True,
                           "ProcessType": "Interactive", "LimitLoadToSessionType": "Aqua"})


class LaunchAgent:
    def __init__(self, home: Path | None = None) -> None:
        self.file = (home or Path.home()) / "Library" / "LaunchAgents" / f"{LABEL}.plist"

    def enable(self, command: list[str]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        self.file.write_bytes(agent(command))

    def disable(self) -> None:
        self.file.unlink(missing_ok=True)

    def enabled(self) -> bool:
        return self.file.exists()
