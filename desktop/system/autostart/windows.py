"""Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run. The registry is
behind a four-function interface so the logic is tested on Linux; ``WindowsRegistry`` is the
only code here that needs Windows."""

from __future__ import annotations

import subprocess
import sys
from typing import Protocol

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE = "Hallway"


class Registry(Protocol):
    def get(self, key: str, name: str) -> str | None: ...

    def set(self, key: str, name: str, value: str) -> None: ...

    def delete(self, key: str, name: str) -> None: ...


if sys.platform == "win32":  # the only code here that needs Windows
    import winreg

    class WindowsRegistry:
        """HKEY_CURRENT_USER through winreg."""

        def get(self, key: str, name: str) -> str | None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                    return str(winreg.QueryValueEx(handle, name)[0])
            except OSError:
                return None

        def set(self, key: str, name: str, value: str) -> None:
            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
                winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

        def delete(self, key: str, name: str) -> None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                    winreg.DeleteValue(handle, name)
            except OSError:
                pass


class RunKey:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def enable(self, command: list[str]) -> None:
        self.registry.set(RUN_KEY, VALUE, subprocess.list2cmdline(command))

    def disable(self) -> None:
        self.registry.delete(RUN_KEY, VALUE)

    def enabled(self) -> bool:
        return bool(self.registry.get(RUN_KEY, VALUE))
