"""Windows: Group Policy's key (enforced) and the MSI's key (preset), both under HKLM.

The registry sits behind ``Registry``, one function, so the logic runs in the tests on Linux;
``registry()`` is the only code here that needs Windows.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol

from hallway.policy import Managed, interpret

POLICIES = r"Software\Policies\Hallway"  # Group Policy (installer/windows/hallway.admx)
PRESET = r"Software\Hallway"  # the MSI's public properties (installer/windows/hallway.wxs)


class Registry(Protocol):
    def values(self, key: str) -> dict[str, Any]:
        """Every value under ``HKLM\\key`` by name; empty when the key does not exist."""
        ...


def read(registry: Registry) -> Managed | None:
    managed = interpret(f"HKLM\\{POLICIES}", registry.values(PRESET), registry.values(POLICIES))
    return managed or None


def registry() -> Registry:
    if sys.platform != "win32":
        raise OSError("the Windows registry exists only on Windows")
    import winreg

    class MachineRegistry:
        def values(self, key: str) -> dict[str, Any]:
            found: dict[str, Any] = {}
            try:
                handle = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0,
                                        winreg.KEY_READ | winreg.KEY_WOW64_64KEY)
            except OSError:
                return found
            with handle:
                index = 0
                while True:
                    try:
                        name, value, _kind = winreg.EnumValue(handle, index)
                    except OSError:
                        return found
                    found[name] = value  # REG_SZ -> str, REG_DWORD -> int, REG_MULTI_SZ -> list
                    index += 1

    return MachineRegistry()
