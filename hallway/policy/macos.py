"""macOS: a configuration profile (MDM) puts forced preferences in /Library/Managed Preferences;
the .pkg writes install answers to /Library/Preferences. Both are property lists, read here with
plistlib (no macOS API needed, so the tests read real files on Linux)."""

from __future__ import annotations

import getpass
import plistlib
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from hallway.policy import Managed, interpret

DOMAIN = "com.hallway.app"
MANAGED = Path("/Library/Managed Preferences")
PRESET = Path("/Library/Preferences")


def read(root: Path = Path("/"), user: str | None = None) -> Managed | None:
    """The machine-wide profile, then the per-user one (which wins), then the .pkg's answers."""
    user = user or getpass.getuser()
    managed_dir = root / MANAGED.relative_to("/")
    enforced: dict[str, Any] = {}
    problems: list[str] = []
    for path in (managed_dir / f"{DOMAIN}.plist", managed_dir / user / f"{DOMAIN}.plist"):
        enforced.update(_plist(path, problems))
    preset = _plist(root / PRESET.relative_to("/") / f"{DOMAIN}.plist", problems)
    enforced.pop("PayloadUUID", None)  # profile bookkeeping some MDMs leave in the domain
    return interpret(str(managed_dir / f"{DOMAIN}.plist"), preset, enforced, problems) or None


def _plist(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            loaded = plistlib.load(file)
    except FileNotFoundError:
        return {}
    except (OSError, plistlib.InvalidFileException, ExpatError, ValueError) as broken:
        problems.append(f"{path}: cannot be read ({broken.__class__.__name__}); its settings are ignored")
        return {}
    if not isinstance(loaded, dict):
        problems.append(f"{path}: is not a dictionary of settings; ignored")
        return {}
    return loaded
