"""``hallway demo``'s second half: the Hallway apps, each in its own process, pointed at the
demo network (or the demo's Synapse) with a throwaway profile (its own config, store and
token), so a demo never touches a real installation's settings or keyring."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from hallway.demo.organisation import Organisation
from hallway.signin import TOKEN_ENV
from hallway.store import DATA_DIR_ENV

DEMO_PIN = "1234"


class DemoSite(Protocol):
    """What the apps are pointed at: the demo network, or Synapse seeded with the same people."""

    @property
    def url(self) -> str: ...

    @property
    def org(self) -> Organisation: ...

    def token_for(self, username: str) -> str: ...

    def machine_config(self) -> str: ...

    def environment(self) -> dict[str, str]:
        """What the apps' processes need beside their profile (the emulator's CA to trust)."""
        ...


def has_display() -> bool:
    return sys.platform in ("win32", "darwin") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _profile(site: DemoSite, folder: Path, settings: str, username: str) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    machine = folder / "machine.toml"
    machine.write_text(site.machine_config() + "\n" + settings, encoding="utf-8")
    return {"HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_USER_CONFIG": str(folder / "user.toml"),
            DATA_DIR_ENV: str(folder / "data"), TOKEN_ENV: site.token_for(username), **site.environment()}


def kiosk_profile(site: DemoSite, folder: Path) -> dict[str, str]:
    """The environment of a kiosk that IT set up for the demo organisation's first office."""
    from hallway.pin import hash_pin

    org = site.org
    return _profile(site, folder, f'[office]\nname = "{org.offices[0]}"\n\n[kiosk]\nquiz = "sometimes"\n'
                    f'admin_pin_hash = "{hash_pin(DEMO_PIN)}"\n', org.accounts[org.kiosk_account_id].username)


def desktop_profile(site: DemoSite, folder: Path) -> dict[str, str]:
    """The environment of a laptop signed in as the demo organisation's demo person."""
    me = site.org.accounts[site.org.demo_user_id]
    return _profile(site, folder, f'[office]\nname = "{dict(me.fields).get("Office", "")}"\n\n'
                    '[desktop]\nautostart = false\n\n[quiet_hours]\nenabled = false\n', me.username)


def serve_until_stopped() -> int:
    """Until Ctrl+C (or SIGTERM, which ``hallway demo`` turns into one)."""
    threading.Event().wait()
    return 0


def run(site: DemoSite, kiosk_size: str = "1280x800", apps: tuple[str, ...] = ("kiosk", "desktop")) -> int:
    if not has_display():
        print("  no display here: serving the network only (Ctrl+C stops it)", flush=True)
        return serve_until_stopped()
    with tempfile.TemporaryDirectory(prefix="hallway-demo-") as tmp:
        started: list[subprocess.Popen[bytes]] = []
        try:
            started = start(site, Path(tmp), kiosk_size, apps, say=True)
            return started[0].wait() if started else 0  # the kiosk's window, where it runs, ends the demo
        finally:
            for app in started:
                if app.poll() is None:
                    app.terminate()
                    app.wait(10)


def start(site: DemoSite, folder: Path, kiosk_size: str = "1280x800", apps: tuple[str, ...] = ("kiosk", "desktop"),
          say: bool = False) -> list[subprocess.Popen[bytes]]:
    """The apps, each with its own profile under ``folder``: the kiosk first, so the tray app's
    feed window, opened beside the tray a moment later, is the one on top (#28)."""
    started: list[subprocess.Popen[bytes]] = []
    if "kiosk" in apps:
        env = {**os.environ, **kiosk_profile(site, folder / "kiosk")}
        if say:
            print(f"  the lobby kiosk opens in a window; its admin PIN is {DEMO_PIN} (five taps in the "
                  "top-right corner); close it to stop the demo", flush=True)
        started.append(subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "kiosk", "--windowed", "--size", kiosk_size], env=env))
    if "desktop" in apps:
        env = {**os.environ, **desktop_profile(site, folder / "desktop")}
        if say:
            print("  the tray app starts signed in as the demo person (its icon is in your system tray; "
                  "its feed window opens)", flush=True)
        started.append(subprocess.Popen([sys.executable, "-m", "desktop", "--show"], env=env))
    return started
