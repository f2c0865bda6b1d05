"""What this computer's own settings say about proxies, read the way the OS's own programs
read them: the environment (``HTTPS_PROXY``, ``NO_PROXY``), then the desktop's settings (Windows'
Internet Options, macOS's network preferences, GNOME's and KDE's proxy settings). Each answer
says where it came from, so doctor can tell IT which setting chose the way."""

from __future__ import annotations

import configparser
import contextlib
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
    """Internet Options (the registry WinINET keeps, as Edge and Outlook read it): a PAC file,
    "Automatically detect settings" (WPAD), or the manual proxy with its exceptions."""
    if sys.platform != "win32":
        return None
    import winreg

    values: dict[str, object] = {}
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, INTERNET_SETTINGS) as key:
            for name in ("ProxyEnable", "ProxyServer", "ProxyOverride", "AutoConfigURL"):
                with contextlib.suppress(OSError):
                    values[name] = winreg.QueryValueEx(key, name)[0]
        with (winreg.OpenKey(winreg.HKEY_CURRENT_USER, INTERNET_SETTINGS + r"\Connections") as key,
              contextlib.suppress(OSError)):
            values["DefaultConnectionSettings"] = winreg.QueryValueEx(key, "DefaultConnectionSettings")[0]
    except OSError:
        return None
    return from_internet_options(values)


INTERNET_SETTINGS = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
AUTO_DETECT = 0x08  # DefaultConnectionSettings' flags (byte 8): "Automatically detect settings"


def from_internet_options(values: dict[str, object]) -> SystemProxy:
    """What Internet Options' registry values say: the PAC file, else automatic detection, and the
    manual proxy where detection finds no file (``ProxyServer`` is ``host:port`` or
    ``http=host:port;https=host:port``; ``ProxyOverride`` lists exceptions, ``<local>``: names
    without a dot)."""
    flags = values.get("DefaultConnectionSettings")
    auto_detect = isinstance(flags, bytes) and len(flags) > 8 and bool(flags[8] & AUTO_DETECT)
    pac = str(values.get("AutoConfigURL") or "") or ("wpad" if auto_detect else "")
    server = str(values.get("ProxyServer") or "") if values.get("ProxyEnable") else ""
    proxies: dict[str, str] = {}
    for part in server.split(";"):
        scheme, _, address = part.rpartition("=")
        for each in ((scheme.lower(),) if scheme else ("http", "https")):
            if each in ("http", "https") and address.strip():
                proxies[each] = address.strip()
    bypass = tuple(h.strip() for h in str(values.get("ProxyOverride") or "").split(";") if h.strip())
    return SystemProxy("Windows' Internet Options", _with_scheme(proxies), bypass, pac)


def macos() -> SystemProxy | None:
    """The network settings as ``scutil --proxy`` shows them (what Safari and every CFNetwork
    program read): a PAC file, "Auto Proxy Discovery" (WPAD), or the manual proxies."""
    if sys.platform != "darwin":
        return None
    try:
        done = subprocess.run(["scutil", "--proxy"], capture_output=True, text=True,  # noqa: S607
                              timeout=ASK_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return from_scutil(done.stdout)


def from_scutil(text: str) -> SystemProxy:
    """``scutil --proxy``'s dictionary: ``Key : value`` lines, ``ExceptionsList : <array> {``
    with ``N : value`` items."""
    values: dict[str, str] = {}
    exceptions: list[str] = []
    in_list = False
    for line in text.splitlines():
        key, _, value = (part.strip() for part in line.partition(" : "))
        if in_list:
            if line.strip() == "}":
                in_list = False
            elif value:
                exceptions.append(value)
        elif value == "<array> {":
            in_list = key == "ExceptionsList"
        elif value:
            values[key] = value
    pac = values.get("ProxyAutoConfigURLString", "") if values.get("ProxyAutoConfigEnable") == "1" else ""
    if not pac and values.get("ProxyAutoDiscoveryEnable") == "1":
        pac = "wpad"
    proxies = {scheme: f"{values[name + 'Proxy']}:{values.get(name + 'Port', '80')}"
               for scheme, name in (("http", "HTTP"), ("https", "HTTPS"))
               if values.get(name + "Enable") == "1" and values.get(name + "Proxy")}
    if values.get("ExcludeSimpleHostnames") == "1":
        exceptions.append("<local>")
    return SystemProxy("macOS's network settings", _with_scheme(proxies), tuple(exceptions), pac)


def gnome() -> SystemProxy | None:
    """``org.gnome.system.proxy``: mode none, manual (a host and port per scheme) or auto (a
    PAC file's address; none given: WPAD)."""
    if sys.platform in ("win32", "darwin"):
        return None
    listed = _ask(["gsettings", "list-recursively", "org.gnome.system.proxy"])
    values: dict[str, str] = {}
    for line in listed.splitlines():
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


def wpad_from_dhcp(platform: str = sys.platform) -> str:
    """The PAC file's address the company's DHCP server hands out (WPAD, option 252), where
    the OS keeps it: NetworkManager's for each connected device on Linux, the IPConfiguration
    agent's on macOS, WinHTTP's own detection on Windows; "" where there is none."""
    if platform == "win32":
        return _winhttp_dhcp()
    if platform == "darwin":
        return _macos_dhcp()
    found = _ask(["nmcli", "-t", "-f", "DHCP4", "device", "show"])
    for line in found.splitlines():
        _, _, option = line.partition(":")
        name, _, value = option.partition("=")
        if name.strip() == "wpad" and _is_pac_address(value.strip()):
            return value.strip()
    return ""


def _macos_dhcp() -> str:
    for interface in _ask(["ipconfig", "getiflist"]).split():
        found = _ask(["ipconfig", "getoption", interface, "252"]).strip().rstrip("\x00")
        if _is_pac_address(found):
            return found
    return ""


def _winhttp_dhcp() -> str:
    """WinHttpDetectAutoProxyConfigUrl with DHCP only (DNS names are tried by pypac after it).
    Written to Microsoft's documentation; it has not run here (no Windows machine)."""
    import ctypes
    from ctypes import wintypes

    found = wintypes.LPWSTR()
    try:
        winhttp = ctypes.WinDLL("winhttp.dll")  # type: ignore[attr-defined,unused-ignore]
        if not winhttp.WinHttpDetectAutoProxyConfigUrl(WINHTTP_AUTO_DETECT_TYPE_DHCP, ctypes.byref(found)):
            return ""
        address = found.value or ""
        ctypes.windll.kernel32.GlobalFree(found)  # type: ignore[attr-defined,unused-ignore]
    except (OSError, AttributeError):
        return ""
    return address if _is_pac_address(address) else ""


WINHTTP_AUTO_DETECT_TYPE_DHCP = 0x1


def _is_pac_address(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _ask(command: list[str]) -> str:
    """A system tool's answer, or "" where it is missing, fails or is slow."""
    if not shutil.which(command[0]):
        return ""
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=ASK_S,  # noqa: S603  # fixed commands
                              check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
