"""IT's managed settings on each OS: the Linux drop-ins, the Windows registry (through its small
interface: the registry itself exists only on Windows) and macOS profiles (real plist files)."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

import pytest

from hallway import config
from hallway.policy import macos, windows

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast


class Registry:
    """HKLM as the Windows reader sees it: keys holding named values of registry types."""

    def __init__(self, keys: dict[str, dict[str, Any]]) -> None:
        self.keys = keys

    def values(self, key: str) -> dict[str, Any]:
        return dict(self.keys.get(key, {}))


def load(tmp_path: Path, managed: Any, user: str = "") -> config.Config:
    user_file = tmp_path / "user.toml"
    user_file.write_text(user, "utf-8")
    return config.load(tmp_path / "etc" / "hallway.toml", user_file, managed=managed)


def test_group_policy_sets_and_locks_and_the_msi_presets(tmp_path: Path) -> None:
    registry = Registry({
        windows.POLICIES: {"quiet_hours.start": "17:00", "notifications.mentions": 0},  # REG_SZ, REG_DWORD
        windows.PRESET: {"network.server": "https://social.example.com", "desktop.autostart": 1,
                         "quiet_hours.end": "09:00", "Locked": ["desktop.autostart"]},  # REG_MULTI_SZ
    })
    settings = load(tmp_path, windows.read(registry),
                    user='quiet_hours.start = "20:00"\nquiet_hours.end = "07:30"\n'
                         '[desktop]\nautostart = false\n[notifications]\nmentions = true\n')
    # Enforced: set, locked, and the person's own value ignored with a reason.
    assert settings["quiet_hours.start"] == "17:00" and settings.is_locked("quiet_hours.start")
    assert settings["notifications.mentions"] is False and settings.is_locked("notifications.mentions")
    # Preset at install: IT's default; the person may change it unless it is listed in Locked.
    assert settings["network.server"] == "https://social.example.com" and not settings.is_locked("network.server")
    assert settings["quiet_hours.end"] == "07:30"
    assert settings["desktop.autostart"] is True and settings.is_locked("desktop.autostart")
    ignored = {p.key for p in settings.problems if "set by your organisation" in p.message}
    assert ignored == {"quiet_hours.start", "desktop.autostart", "notifications.mentions"}
    assert "HKLM\\Software\\Policies\\Hallway" in settings.read_from


def test_a_bad_policy_value_is_named_and_the_default_stays(tmp_path: Path) -> None:
    registry = Registry({windows.POLICIES: {"kiosk.quiz": "maybe", "sync.interval_s": "30", "volume": 3},
                         windows.PRESET: {"Locked": 7}})
    settings = load(tmp_path, windows.read(registry))
    said = {p.key: str(p) for p in settings.problems}
    assert settings["kiosk.quiz"] == "sometimes" and "one of off, sometimes, always" in said["kiosk.quiz"]
    assert settings["sync.interval_s"] == 30  # typed as text in the policy editor: read as a number
    assert "not a Hallway setting" in said["volume"]
    assert any("Locked: must be a list of setting names" in str(p) for p in settings.problems)
    assert all(str(p).startswith("HKLM\\Software\\Policies\\Hallway") for p in settings.problems)


def test_no_registry_keys_means_no_managed_settings() -> None:
    assert windows.read(Registry({})) is None


def write_plist(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(plistlib.dumps(data))


def test_macos_profile_forces_and_the_users_own_profile_wins(tmp_path: Path) -> None:
    root = tmp_path / "mac"
    write_plist(root / "Library/Managed Preferences/com.hallway.app.plist",
                {"network.server": "https://social.example.com", "quiet_hours": {"start": "18:30"},
                 "PayloadUUID": "0F1E"})
    write_plist(root / "Library/Managed Preferences/ada/com.hallway.app.plist", {"quiet_hours.start": "19:00"})
    write_plist(root / "Library/Preferences/com.hallway.app.plist",
                {"appearance.theme": "dark", "kiosk.card_seconds": 25, "Locked": ["kiosk.card_seconds"]})
    settings = load(tmp_path, macos.read(root, user="ada"), user='[appearance]\ntheme = "light"\n')
    assert settings["network.server"] == "https://social.example.com" and settings.is_locked("network.server")
    assert settings["quiet_hours.start"] == "19:00" and settings.is_locked("quiet_hours.start")
    assert settings["appearance.theme"] == "light" and not settings.is_locked("appearance.theme")
    assert settings["kiosk.card_seconds"] == 25 and settings.is_locked("kiosk.card_seconds")
    assert not settings.problems


def test_a_broken_profile_is_reported_and_ignored(tmp_path: Path) -> None:
    root = tmp_path / "mac"
    broken = root / "Library/Managed Preferences/com.hallway.app.plist"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"<?xml version='1.0'?><plist><dict><key>network.server</key>")
    settings = load(tmp_path, macos.read(root, user="ada"))
    assert settings["network.server"] == ""
    [problem] = settings.problems
    assert str(broken) in str(problem) and "cannot be read" in str(problem)


def test_linux_drop_ins_apply_after_the_machine_file_in_name_order(tmp_path: Path) -> None:
    etc = tmp_path / "etc"
    (etc / "hallway.d").mkdir(parents=True)
    (etc / "hallway.toml").write_text('locked = ["network.feed"]\n[network]\nserver = "https://old.example.com"\n'
                                      'feed = "local"\n', "utf-8")
    (etc / "hallway.d" / "00-install.toml").write_text('network.server = "https://social.example.com"\n'
                                                       'desktop.autostart = false\n'
                                                       'locked = ["desktop.autostart"]\n', "utf-8")
    (etc / "hallway.d" / "50-site.toml").write_text('[office]\nname = "Lisbon"\n', "utf-8")
    (etc / "hallway.d" / "README").write_text("not a settings file", "utf-8")
    settings = load(tmp_path, None, user="[desktop]\nautostart = true\n")
    assert settings["network.server"] == "https://social.example.com"
    assert settings["office.name"] == "Lisbon" and settings["network.feed"] == "local"
    assert settings["desktop.autostart"] is False and settings.locked == {"network.feed", "desktop.autostart"}
    assert settings.read_from == [str(etc / "hallway.toml"), str(etc / "hallway.d" / "00-install.toml"),
                                  str(etc / "hallway.d" / "50-site.toml")]
