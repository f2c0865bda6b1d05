"""Start at sign-in: exactly what each OS module writes, and switching it off."""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from pathlib import Path

from desktop.system.autostart import for_this_os, launch_command
from desktop.system.autostart.linux import XdgAutostart
from desktop.system.autostart.macos import LABEL, LaunchAgent
from desktop.system.autostart.windows import RUN_KEY, RunKey

COMMAND = ["/opt/hallway/hallway-desktop", "--hidden"]


def test_linux_writes_an_xdg_autostart_entry_and_removes_it(isolated_home: Path) -> None:
    autostart = for_this_os()
    assert isinstance(autostart, XdgAutostart)
    assert not autostart.enabled()
    autostart.enable(COMMAND)
    file = isolated_home / ".config" / "autostart" / "hallway-desktop.desktop"
    assert file.read_text() == (
        "[Desktop Entry]\nType=Application\nName=Hallway\nComment=Your company's network in the tray\n"
        "Exec=/opt/hallway/hallway-desktop --hidden\nIcon=hallway\nTerminal=false\n"
        "X-GNOME-Autostart-enabled=true\n")
    assert autostart.enabled()
    autostart.disable()
    assert not file.exists() and not autostart.enabled()


def test_linux_hides_its_system_wide_entry_for_one_person(tmp_path: Path) -> None:
    system = tmp_path / "etc-xdg"
    (system / "autostart").mkdir(parents=True)
    (system / "autostart" / "hallway-desktop.desktop").write_text("[Desktop Entry]\nExec=hallway-desktop\n")
    autostart = XdgAutostart(tmp_path / "home-config", [system])
    assert autostart.enabled(), "IT's entry starts it"
    autostart.disable()
    assert "Hidden=true" in (tmp_path / "home-config" / "autostart" / "hallway-desktop.desktop").read_text()
    assert not autostart.enabled()
    autostart.enable(COMMAND)
    assert autostart.enabled()
    assert list((tmp_path / "home-config" / "autostart").iterdir()) == [], "IT's entry alone starts it again"


def test_a_path_with_spaces_is_quoted() -> None:
    autostart = XdgAutostart(Path("/tmp/never-written"), [])
    from desktop.system.autostart.linux import entry
    assert "Exec='/opt/my apps/hallway-desktop' --hidden" in entry(["/opt/my apps/hallway-desktop", "--hidden"])
    assert autostart.file.name == "hallway-desktop.desktop"


class FakeRegistry:
    """Stands in for HKEY_CURRENT_USER, which Linux does not have."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get(self, key: str, name: str) -> str | None:
        return self.values.get((key, name))

    def set(self, key: str, name: str, value: str) -> None:
        self.values[(key, name)] = value

    def delete(self, key: str, name: str) -> None:
        self.values.pop((key, name), None)


def test_windows_writes_one_run_value() -> None:
    registry = FakeRegistry()
    run = RunKey(registry)
    run.enable([r"C:\Program Files\Hallway\hallway-desktop.exe", "--hidden"])
    assert registry.values == {(RUN_KEY, "Hallway"): r'"C:\Program Files\Hallway\hallway-desktop.exe" --hidden'}
    assert RUN_KEY == r"Software\Microsoft\Windows\CurrentVersion\Run"
    assert run.enabled()
    run.disable()
    assert registry.values == {} and not run.enabled()


def test_macos_writes_a_launch_agent(tmp_path: Path) -> None:
    agent = LaunchAgent(tmp_path)
    agent.enable(["/Applications/Hallway.app/Contents/MacOS/hallway-desktop", "--hidden"])
    file = tmp_path / "Library" / "LaunchAgents" / "com.hallway.desktop.plist"
    assert plistlib.loads(file.read_bytes()) == {
        "Label": LABEL, "ProgramArguments": ["/Applications/Hallway.app/Contents/MacOS/hallway-desktop", "--hidden"],
        "RunAtLoad": True, "ProcessType": "Interactive", "LimitLoadToSessionType": "Aqua"}
    assert agent.enabled()
    agent.disable()
    assert not file.exists()


def test_the_command_starts_this_installation_hidden() -> None:
    command = launch_command()
    assert command[-1] == "--hidden" and Path(command[0]).exists()


def test_the_login_entry_stays_closed_when_autostart_is_switched_off(isolated_home: Path, tmp_path: Path) -> None:
    """IT's /etc/xdg/autostart entry starts `hallway-desktop --autostart` for everyone; on a kiosk
    machine (the package locks desktop.autostart off) or for a person who switched it off, it
    must leave at once, without a window or a tray icon."""
    machine = tmp_path / "hallway.toml"
    machine.write_text('locked = ["desktop.autostart"]\n[desktop]\nautostart = false\n', "utf-8")
    env = {**os.environ, "HALLWAY_MACHINE_CONFIG": str(machine), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "desktop", "--autostart"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
