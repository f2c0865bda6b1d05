"""The computer's own proxy settings as Windows and macOS keep them, read the way their own
programs read them: Internet Options' registry values and macOS's ``scutil --proxy``, WPAD by
DHCP where each OS keeps the address, and what their exception lists mean. The registry and the
commands' answers are written here as those systems write them (no Windows or macOS machine
here); the Linux settings are tested in test_proxy.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallway.proxy import ProxyTrouble, Router, system
from hallway.proxy.system import SystemProxy

pytestmark = pytest.mark.fast

# Internet Options' DefaultConnectionSettings: a version, a counter, then the flags (byte 8):
# 0x01 direct, 0x02 a manual proxy, 0x04 a PAC address, 0x08 "Automatically detect settings"
DETECT_AND_MANUAL = bytes([0x46, 0, 0, 0, 0x2A, 0, 0, 0, 0x0B, 0, 0, 0]) + bytes(20)
MANUAL_ONLY = bytes([0x46, 0, 0, 0, 0x2B, 0, 0, 0, 0x03, 0, 0, 0]) + bytes(20)

SCUTIL_MANUAL = """<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
    2 : intranet.juniper.example
  }
  ExcludeSimpleHostnames : 1
  FTPPassive : 1
  HTTPEnable : 1
  HTTPPort : 3128
  HTTPProxy : gate.juniper.example
  HTTPSEnable : 1
  HTTPSPort : 3129
  HTTPSProxy : gate.juniper.example
}
"""


def no_wpad_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """A home network: DHCP hands out no PAC address and no wpad.<domain> name answers."""
    import pypac.wpad

    monkeypatch.setattr(pypac.wpad, "proxy_urls_from_dns", lambda *_a, **_k: [])
    monkeypatch.setattr(system, "wpad_from_dhcp", lambda *_a, **_k: "")


def test_internet_options_manual_proxy_per_scheme_and_its_exceptions() -> None:
    found = system.from_internet_options({
        "ProxyEnable": 1, "ProxyServer": "http=gate.juniper.example:8080;https=gate.juniper.example:8443;ftp=x:21",
        "ProxyOverride": "<local>;10.*;*.juniper.example", "DefaultConnectionSettings": MANUAL_ONLY})
    assert found == SystemProxy("Windows' Internet Options",
                                {"http": "http://gate.juniper.example:8080", "https": "http://gate.juniper.example:8443"},
                                ("<local>", "10.*", "*.juniper.example"))
    router = Router(system=lambda: found)
    assert router.route("https://social.example.org/").proxy == "http://gate.juniper.example:8443"
    for direct in ("https://wiki/", "https://10.20.30.40/", "https://people.juniper.example/"):
        assert router.route(direct).proxy is None, direct
    assert router.route("https://wiki/").words == "direct (wiki is excepted in Windows' Internet Options)"


def test_internet_options_one_proxy_for_all_and_a_switched_off_proxy() -> None:
    one = system.from_internet_options({"ProxyEnable": 1, "ProxyServer": "gate.juniper.example:8080"})
    assert one.proxies == {"http": "http://gate.juniper.example:8080", "https": "http://gate.juniper.example:8080"}
    off = system.from_internet_options({"ProxyEnable": 0, "ProxyServer": "gate.juniper.example:8080"})
    assert not off.says_anything, "a proxy typed in but switched off is not used"


def test_internet_options_pac_address_wins_over_detection() -> None:
    found = system.from_internet_options({"AutoConfigURL": "http://pac.juniper.example/proxy.pac",
                                          "DefaultConnectionSettings": DETECT_AND_MANUAL})
    assert found.pac_url == "http://pac.juniper.example/proxy.pac"


def test_windows_automatic_detection_finding_nothing_falls_back_as_windows_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """"Automatically detect settings" is on by default on Windows: at home, where no PAC file
    is found, Hallway goes on as Edge does (the manual proxy, else direct), never stuck."""
    no_wpad_anywhere(monkeypatch)
    with_manual = system.from_internet_options({"ProxyEnable": 1, "ProxyServer": "gate.juniper.example:8080",
                                                "DefaultConnectionSettings": DETECT_AND_MANUAL})
    assert with_manual.pac_url == "wpad"
    route = Router(system=lambda: with_manual).route("https://social.example.org/")
    assert route.proxy == "http://gate.juniper.example:8080"
    assert "automatic detection (WPAD) found no proxy settings file on this network" in route.words
    detect_only = system.from_internet_options({"DefaultConnectionSettings": DETECT_AND_MANUAL})
    assert Router(system=lambda: detect_only).route("https://social.example.org/").words == (
        "direct (Windows' Internet Options: automatic detection (WPAD) found no proxy settings file on this network)")


def test_it_asking_for_wpad_that_finds_nothing_still_stops_rather_than_going_around(
        monkeypatch: pytest.MonkeyPatch) -> None:
    no_wpad_anywhere(monkeypatch)
    with pytest.raises(ProxyTrouble, match=r"No proxy settings file was found.*IT's setting proxy\.pac_url"):
        Router(pac_url="wpad", system=lambda: SystemProxy("nothing")).route("https://social.example.org/")


def test_macos_manual_proxies_with_exceptions_and_simple_host_names() -> None:
    found = system.from_scutil(SCUTIL_MANUAL)
    assert found == SystemProxy("macOS's network settings",
                                {"http": "http://gate.juniper.example:3128", "https": "http://gate.juniper.example:3129"},
                                ("*.local", "169.254/16", "intranet.juniper.example", "<local>"))
    router = Router(system=lambda: found)
    assert router.route("https://social.example.org/").words == \
        "through http://gate.juniper.example:3129 (macOS's network settings)"
    for direct in ("https://printer.local/", "https://169.254.10.20/", "https://intranet.juniper.example/",
                   "https://wiki/"):
        assert router.route(direct).proxy is None, direct
    assert router.route("https://intranet2.juniper.example/").proxy is not None


def test_macos_pac_file_and_auto_proxy_discovery() -> None:
    pac = system.from_scutil("<dictionary> {\n  ProxyAutoConfigEnable : 1\n"
                             "  ProxyAutoConfigURLString : http://pac.juniper.example/proxy.pac\n}\n")
    assert pac.pac_url == "http://pac.juniper.example/proxy.pac"
    switched_off = system.from_scutil("<dictionary> {\n  ProxyAutoConfigEnable : 0\n"
                                      "  ProxyAutoConfigURLString : http://pac.juniper.example/proxy.pac\n}\n")
    assert not switched_off.says_anything
    discovery = system.from_scutil("<dictionary> {\n  ProxyAutoDiscoveryEnable : 1\n}\n")
    assert discovery.pac_url == "wpad"
    assert not system.from_scutil("<dictionary> {\n  FTPPassive : 1\n}\n").says_anything


def test_macos_wpad_address_from_dhcp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The IPConfiguration agent keeps option 252 per interface: the Wi-Fi has none, the
    docking station's Ethernet has the company's."""
    ipconfig = tmp_path / "ipconfig"
    ipconfig.write_text('#!/bin/sh\ncase "$1" in\n  getiflist) echo "en0 en7" ;;\n'
                        '  getoption) [ "$2" = en7 ] && [ "$3" = 252 ] &&\n'
                        '    echo "http://wpad.juniper.example/wpad.dat" ;;\nesac\nexit 0\n')
    ipconfig.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert system.wpad_from_dhcp("darwin") == "http://wpad.juniper.example/wpad.dat"
    ipconfig.write_text('#!/bin/sh\ncase "$1" in getiflist) echo "en0" ;; esac\nexit 0\n')
    assert system.wpad_from_dhcp("darwin") == ""
