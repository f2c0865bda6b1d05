"""The Windows and macOS recipes cannot be built here, but what they say can be checked: every
setting they name is one Hallway knows, every string the Group Policy template uses is defined,
and the one program picks the app by the name it is started as."""

from __future__ import annotations

import os
import plistlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hallway import __version__
from hallway.config import BY_KEY, toml_literal
from hallway.policy import LOCKED
from hallway.policy.macos import DOMAIN

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

ROOT = Path(__file__).resolve().parent.parent
RECIPES = ROOT / "installer"


def test_every_group_policy_names_a_setting_and_every_string_it_shows_is_defined() -> None:
    admx = (RECIPES / "windows" / "hallway.admx").read_text("utf-8")
    adml = ET.parse(RECIPES / "windows" / "en-US" / "hallway.adml").getroot()
    ET.fromstring(admx)  # well-formed
    names = set(re.findall(r'valueName="([^"]+)"', admx))
    assert names and names <= set(BY_KEY), names - set(BY_KEY)
    assert set(re.findall(r'key="([^"]+)"', admx)) == {r"Software\Policies\Hallway"}
    ns = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
    strings = {s.get("id") for s in adml.iterfind(".//p:stringTable/p:string", ns)}
    presentations = {p.get("id") for p in adml.iterfind(".//p:presentationTable/p:presentation", ns)}
    assert set(re.findall(r"\$\(string\.(\w+)\)", admx)) <= strings
    assert set(re.findall(r"\$\(presentation\.(\w+)\)", admx)) <= presentations
    for switch in ("desktop.autostart", "notifications.mentions", "quiet_hours.enabled"):
        assert BY_KEY[switch].type is bool and switch in names  # DWORD 0/1, read as true/false


def test_the_msi_writes_its_answers_where_the_reader_looks() -> None:
    wxs = (RECIPES / "windows" / "hallway.wxs").read_text("utf-8")
    ET.fromstring(wxs)
    written = set(re.findall(r'Key="Software\\Hallway" Name="([^"]+)"', wxs))
    assert written == {"network.server", "desktop.autostart", LOCKED}
    for prop in ("SERVERURL", "MODE", "AUTOSTART", "LOCKED"):
        assert f'<Property Id="{prop}"' in wxs
    assert 'Scope="perMachine"' in wxs and "hallway-desktop.exe&quot; --autostart" in wxs


def test_the_macos_profile_and_launch_agent() -> None:
    profile = plistlib.loads((RECIPES / "macos" / "com.hallway.app.mobileconfig").read_bytes())
    [payload] = profile["PayloadContent"]
    assert payload["PayloadType"] == DOMAIN
    assert {k for k in payload if not k.startswith("Payload")} <= set(BY_KEY)
    agent = plistlib.loads((RECIPES / "macos" / "com.hallway.desktop.plist").read_bytes())
    assert agent["ProgramArguments"][1:] == ["desktop", "--autostart"] and agent["RunAtLoad"] is True
    for script in ("build-pkg.sh", "uninstall.sh", "scripts/postinstall"):
        path = RECIPES / "macos" / script
        assert os.access(path, os.X_OK) and subprocess.run(["sh", "-n", str(path)]).returncode == 0


def test_the_one_program_picks_the_app_by_its_name(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    for name, says in (("hallway", "hallway"), ("hallway-desktop", "hallway-desktop"),
                       ("hallway-kiosk", "hallway-kiosk")):
        link = tmp_path / name
        link.symlink_to(RECIPES / "launcher.py")
        shown = subprocess.run([sys.executable, str(link), "--version"], env=env, capture_output=True, text=True,
                               timeout=60)
        assert shown.stdout.strip() == f"{says} {__version__}", shown.stderr
    # Windows' shortcuts and macOS's LaunchAgent name the app as the first argument instead.
    shown = subprocess.run([sys.executable, str(tmp_path / "hallway"), "desktop", "--version"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip() == f"hallway-desktop {__version__}"


def test_the_maintainer_scripts_are_valid_shell() -> None:
    for script in ("config", "preinst", "postinst", "prerm", "postrm", "checks.sh"):
        assert subprocess.run(["sh", "-n", str(RECIPES / "linux" / script)]).returncode == 0, script


def test_the_it_guide_lists_every_setting_with_its_default() -> None:
    guide = (ROOT / "docs" / "admin.md").read_text("utf-8")
    for key, setting in BY_KEY.items():
        assert f"| `{key}` | `{toml_literal(setting.default)}` |" in guide, key


def test_the_installed_machine_file_is_valid_toml_with_every_setting_once() -> None:
    """Every table once: a second [desktop] made the whole file unreadable (doctor said so)."""
    import tomllib

    from hallway.config import SETTINGS
    from installer.machine_config import template

    text = template()
    tomllib.loads(text)
    kept = [line if line.startswith("[") else line[2:].split("  # ")[0] for line in text.splitlines()
            if line.startswith("[") or re.match(r"# [a-z_]+ = ", line)]
    tables = tomllib.loads("\n".join(kept))
    assert {f"{table}.{key}" for table, keys in tables.items() for key in keys} == {s.key for s in SETTINGS}
