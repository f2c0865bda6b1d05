"""Settings from the OS's own management tools, read the same way on each OS.

Windows: Group Policy writes ``HKLM\\Software\\Policies\\Hallway`` (ADMX template in installer/windows)
and the MSI writes what IT gave at install to ``HKLM\\Software\\Hallway``. macOS: a configuration
profile lands in ``/Library/Managed Preferences/com.hallway.app.plist`` and the .pkg writes install
answers to ``/Library/Preferences/com.hallway.app.plist``. Linux has no such store: there, IT's
files in /etc/hallway are the whole story (hallway.config).

Either way there are two kinds: *enforced* values (policies, profiles) are set and locked, like
Slack's enforced settings; *preset* values (install answers) are IT's defaults, which the person
may change unless their key is listed in ``Locked``. Each OS module only turns its store into
plain names and values; this module decides what they mean, so the logic is tested on Linux.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LOCKED = "Locked"  # the value (Windows) or key (macOS) listing preset keys the person may not change


@dataclass(frozen=True)
class Managed:
    """What the OS's management said: where (for ``hallway doctor``), preset, enforced, locked."""

    source: str
    preset: dict[str, Any] = field(default_factory=dict)
    enforced: dict[str, Any] = field(default_factory=dict)
    locked: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.preset or self.enforced or self.locked or self.problems)


def interpret(source: str, preset: Mapping[str, Any], enforced: Mapping[str, Any],
              problems: Iterable[str] = ()) -> Managed:
    """Turn raw names and values into Hallway settings: nested tables flattened to dotted keys,
    registry numbers into true/false where a setting is a switch, ``Locked`` into a list.
    ``problems`` are what the OS reader already found (a store it could not read)."""
    from hallway.config import BY_KEY, flatten

    problems = list(problems)

    def settings(raw: Mapping[str, Any], where: str) -> tuple[dict[str, Any], tuple[str, ...]]:
        values: dict[str, Any] = {}
        locked: tuple[str, ...] = ()
        for key, value in flatten(raw).items():
            if key.lower() == LOCKED.lower():
                names = _names(value)
                if names is None:
                    problems.append(f"{LOCKED}: must be a list of setting names, not {value!r}")
                locked = names or ()
                continue
            setting = BY_KEY.get(key)
            values[key] = _as_type(value, setting.type) if setting else value
        return values, locked

    preset_values, locked = settings(preset, source)
    enforced_values, _ = settings(enforced, source)
    return Managed(source, preset_values, enforced_values, locked, tuple(problems))


def _names(value: Any) -> tuple[str, ...] | None:
    """REG_MULTI_SZ and plist arrays are lists; a REG_SZ may say ``a.b, c.d``."""
    if isinstance(value, str):
        return tuple(name.strip() for name in value.replace(";", ",").split(",") if name.strip())
    if isinstance(value, list | tuple) and all(isinstance(name, str) for name in value):
        return tuple(value)
    return None


def _as_type(value: Any, wanted: type) -> Any:
    """The registry has no true/false (a DWORD 0/1) and admins type numbers as text: meet them
    halfway. Anything else passes through unchanged, for hallway.config to explain."""
    if wanted is bool and isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    if wanted is bool and isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    if wanted is int and isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def for_this_os() -> Managed | None:
    """Read this computer's managed settings; None where the OS keeps none (Linux)."""
    if sys.platform == "win32":
        from hallway.policy.windows import read, registry
        return read(registry())
    if sys.platform == "darwin":
        from hallway.policy.macos import read
        return read()
    return None
