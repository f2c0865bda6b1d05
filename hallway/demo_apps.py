"""``hallway demo``'s second half: the Hallway apps, each in its own process, pointed at the
demo network with a throwaway profile (its own config, store and token), so a demo never
touches a real installation's settings or keyring."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hallway.demo.server import DemoNetwork
from hallway.signin import TOKEN_ENV
from hallway.store import DATA_DIR_ENV

DEMO_PIN = "1234"


def has_display() -> bool:
    return sys.platform in ("win32", "darwin") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def kiosk_profile(network: DemoNetwork, folder: Path) -> dict[str, str]:
    """The environment of a kiosk that IT set up for the demo organisation's first office."""
    from hallway.pin import hash_pin

    office = network.org.offices[0]
    folder.mkdir(parents=True, exist_ok=True)
    machine = folder / "machine.toml"
    machine.write_text(f'[network]\nserver = "{network.url}"\n\n[office]\nname = "{office}"\n\n'
                       f'[kiosk]\nquiz = "sometimes"\nadmin_pin_hash = "{hash_pin(DEMO_PIN)}"\n', encoding="utf-8")
    return {"HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_USER_CONFIG": str(folder / "user.toml"),
            DATA_DIR_ENV: str(folder / "data"), TOKEN_ENV: network.token_for("lobby")}


def desktop_profile(network: DemoNetwork, folder: Path) -> dict[str, str]:
    """The environment of a laptop signed in as the demo organisation's demo person."""
    folder.mkdir(parents=True, exist_ok=True)
    machine = folder / "machine.toml"
    office = network.org.accounts[network.org.demo_user_id].fields
    where = dict(office).get("Office", "")
    machine.write_text(f'[network]\nserver = "{network.url}"\n\n[office]\nname = "{where}"\n\n'
                       '[desktop]\nautostart = false\n\n[quiet_hours]\nenabled = false\n', encoding="utf-8")
    return {"HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_USER_CONFIG": str(folder / "user.toml"),
            DATA_DIR_ENV: str(folder / "data"), TOKEN_ENV: network.token_for("demo")}


def run(network: DemoNetwork, kiosk_size: str = "1280x800", apps: tuple[str, ...] = ("kiosk", "desktop")) -> int:
    if not has_display():
        print("  no display here: serving the network only (Ctrl+C stops it)", flush=True)
        if network.thread is not None:
            network.thread.join()
        return 0
    with tempfile.TemporaryDirectory(prefix="hallway-demo-") as tmp:
        started: list[subprocess.Popen[bytes]] = []
        try:
            if "desktop" in apps:
                env = {**os.environ, **desktop_profile(network, Path(tmp) / "desktop")}
                print("  the tray app starts signed in as the demo person (its icon is in your system tray; "
                      "its feed window opens)", flush=True)
                started.append(subprocess.Popen([sys.executable, "-m", "desktop", "--show"], env=env))
            if "kiosk" in apps:
                env = {**os.environ, **kiosk_profile(network, Path(tmp) / "kiosk")}
                print(f"  the lobby kiosk opens in a window; its admin PIN is {DEMO_PIN} (five taps in the "
                      "top-right corner); close it to stop the demo", flush=True)
                started.append(subprocess.Popen(  # noqa: S603
                    [sys.executable, "-m", "kiosk", "--windowed", "--size", kiosk_size], env=env))
            return started[-1].wait() if started else 0
        finally:
            for app in started:
                if app.poll() is None:
                    app.terminate()
                    app.wait(10)
