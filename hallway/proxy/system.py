"""What this computer's own settings say about proxies, read the way the OS's own programs
read them: the environment (``HTTPS_PROXY``, ``NO_PROXY``), then the desktop's settings (Windows'
Internet Options, macOS's network preferences, GNOME's and KDE's proxy settings). Each answer
says where it came from, so doctor can tell IT which setting chose the way."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ASK_S = 2.0  # gsettings, when the session's settings daemon is slow


@dataclass(frozen=True)
class SystemProxy:
    """One source's settings: a proxy per scheme, the hosts that go direct, or a PAC file
    (``pac_url``; ``"wpad"``: find it on the company's network)."""

    source: str  # in words: "the environment (HTTPS_PROXY)", "GNOME's proxy settings"
    proxies: dict[str, str] = field(default_factory=dict)  # scheme -> proxy URL
    bypass: tuple[str, ...] = ()
    pac_url: str = ""

    @property
    def says_anything(self) -> bool:
        return bool(self.proxies or self.pac_url)


def read() -> SystemProxy:
    """The first source that says anything; none: direct."""
    for reader in (environment, windows, macos, gnome, kde):
        found = reader()
        if found is not None and found.says_anything:
            return found
    return SystemProxy("no proxy set on this computer")


def environment() -> SystemProxy | None:
    found = urllib.request.getproxies_environment()
    proxies = {s: u for s, u in found.items() if s in ("http", "https") and u}
    bypass = tuple(h.strip() for h in found.get("no", "").split(",") if h.strip())
    names = ", ".join(sorted(f"{s.upper()}_PROXY" for s in proxies))
    return SystemProxy(f"the environment ({names})", _with_scheme(proxies), bypass) if proxies else None


def windows() -> SystemProxy | None:
    """Internet Options (the registry WinINET keeps): a PAC file, or the manual proxy."""
    if sys.platform != "win32":
        return None
    try:
        from pypac.os_settings import autoconfig_url_from_registry

        pac = autoconfig_url_from_registry() or ""
    except Exception:  # pypac absent, or the registry unreadable: the manual settings still count
        pac = ""
    proxies = {s: u for s, u in urllib.request.getproxies_registry().items() if s in ("http", "https")}
    return SystemProxy("Windows' Internet Options", _with_scheme(proxies), pac_url=pac)


def macos() -> SystemProxy | None:
    if sys.platform != "darwin":
        return None
    try:
        from pypac.os_settings import autoconfig_url_from_preferences

        pac = autoconfig_url_from_preferences() or ""
    except Exception:
        pac = ""
    proxies = {s: u for s, u in urllib.request.getproxies_macosx_sysconf().items()
               if s in ("http", "https")}
    return SystemProxy("macOS's network settings", _with_scheme(proxies), pac_url=pac)


def gnome() -> SystemProxy | None:
    """``org.gnome.system.proxy``: mode none, manual (a host and port per scheme) or auto (a
    PAC file's address; none given: WPAD)."""
    if sys.platform in ("win32", "darwin") or not shutil.which("gsettings"):
        return None
    try:
        done = subprocess.run(["gsettings", "list-recursively", "org.gnome.system.proxy"],  # noqa: S607
                              capture_output=True, text=True, timeout=ASK_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    values: dict[str, str] = {}
    for line in done.stdout.splitlines():
        schema, _, rest = line.partition(" ")
        key, _, value = rest.partition(" ")
        values[f"{schema.removeprefix('org.gnome.system.proxy').lstrip('.')}:{key}"] = value.strip().strip("'")
    mode = values.get(":mode", "none")
    source = "GNOME's proxy settings"
    if mode == "auto":
        return SystemProxy(source, pac_url=values.get(":autoconfig-url") or "wpad")
    if mode != "manual":
        return None
    proxies = {}
    for scheme in ("http", "https"):
        host, port = values.get(f"{scheme}:host", ""), values.get(f"{scheme}:port", "0")
        if host and port not in ("", "0"):
            proxies[scheme] = f"http://{host}:{port}"
    bypass = tuple(h.strip().strip("'") for h in values.get(":ignore-hosts", "").strip("[]").split(",") if h.strip())
    return SystemProxy(source, proxies, bypass)


def kde() -> SystemProxy | None:
    """KDE's ``kioslaverc``: ProxyType 1 manual, 2 a PAC file, 3 WPAD, 4 the environment."""
    home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(home / "kioslaverc", encoding="utf-8")
    except (OSError, configparser.Error):
        return None
    if not parser.has_section("Proxy Settings"):
        return None
    section = parser["Proxy Settings"]
    kind, source = section.get("ProxyType", "0"), "KDE's proxy settings"
    if kind == "2":
        return SystemProxy(source, pac_url=section.get("Proxy Config Script", ""))
    if kind == "3":
        return SystemProxy(source, pac_url="wpad")
    if kind != "1":
        return None
    proxies = {s: section.get(f"{s}Proxy", "").replace(" ", ":") for s in ("http", "https")}
    bypass = tuple(h.strip() for h in section.get("NoProxyFor", "").split(",") if h.strip())
    return SystemProxy(source, _with_scheme({s: u for s, u in proxies.items() if u}), bypass)


def _with_scheme(proxies: dict[str, str]) -> dict[str, str]:
    return {s: u if "://" in u else f"http://{u}" for s, u in proxies.items()}


def wpad_from_dhcp() -> str:
    """The PAC file's address the company's DHCP server hands out (WPAD, option 252), as
    NetworkManager keeps it for each connected device; "" where there is none or no
    NetworkManager (Windows asks DHCP through WinHTTP, which Hallway does not yet)."""
    if sys.platform in ("win32", "darwin") or not shutil.which("nmcli"):
        return ""
    try:
        done = subprocess.run(["nmcli", "-t", "-f", "DHCP4", "device", "show"],  # noqa: S607
                              capture_output=True, text=True, timeout=ASK_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    for line in done.stdout.splitlines():
        _, _, option = line.partition(":")
        name, _, value = option.partition("=")
        if name.strip() == "wpad" and value.strip().startswith(("http://", "https://")):
            return value.strip()
    return ""
