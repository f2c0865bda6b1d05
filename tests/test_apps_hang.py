"""Both apps as people run them, in front of a network that hangs or trickles (a proxy that
accepts and never answers, or answers 20 bytes a second): SIGTERM still ends each within 2 s,
whatever request is in flight (systemd stops the kiosk so, a logout the tray app)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flapping_proxy import FlappingProxy

from hallway.demo.server import DemoNetwork
from hallway.demo_apps import desktop_profile, kiosk_profile


class _Behind:
    """The demo organisation, reached through the proxy (what the apps' machine config names)."""

    def __init__(self, demo: DemoNetwork, url: str) -> None:
        self.demo, self.url = demo, url

    @property
    def org(self):  # type: ignore[no-untyped-def]
        return self.demo.org

    def token_for(self, username: str) -> str:
        return self.demo.token_for(username)

    def machine_config(self) -> str:
        return f'[network]\nserver = "{self.url}"\n'

    def environment(self) -> dict[str, str]:
        return {}


@pytest.mark.parametrize("mode", ["blackhole", "trickle"])
@pytest.mark.parametrize("app", ["kiosk", "desktop"])
def test_sigterm_ends_an_app_within_two_seconds_while_a_request_hangs(
        app: str, mode: str, demo: DemoNetwork, x_server: str, tmp_path: Path) -> None:
    with FlappingProxy(int(demo.url.rsplit(":", 1)[1])) as proxy:
        proxy.set(mode)
        site = _Behind(demo, proxy.url)
        profile = (kiosk_profile if app == "kiosk" else desktop_profile)(site, tmp_path / app)
        env = os.environ | profile | {"HALLWAY_LOG_DIR": str(tmp_path / "logs")}
        command = [sys.executable, "-m", app, *(["--windowed"] if app == "kiosk" else ["--hidden"])]
        running = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while proxy.connections < 1:  # its first sync pass is on the wire, and stuck there
                assert running.poll() is None, "the app is running"
                assert time.monotonic() < deadline, "the app called the network"
                time.sleep(0.1)
            time.sleep(1.5)
            started = time.monotonic()
            running.send_signal(signal.SIGTERM)
            code = running.wait(20)
            took = time.monotonic() - started
            assert took < 2.0, f"{app} took {took:.1f} s to end after SIGTERM"
            assert code == 0
        finally:
            if running.poll() is None:
                running.kill()
                running.wait(10)


def _keyring_env(kind: str) -> dict[str, str]:
    """A keyring of stuck_keyring's, for an app in a process of its own."""
    tests = str(Path(__file__).parent)
    return {"PYTHON_KEYRING_BACKEND": f"stuck_keyring.{kind}",
            "PYTHONPATH": os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH", "")]))}


def _window(name: str, running: subprocess.Popen[bytes], seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{name}$"], capture_output=True,
                               text=True, timeout=10).stdout.split()
        if found:
            return found[-1]
        assert running.poll() is None, "the app is running"
        assert time.monotonic() < deadline, f"the window {name!r} opened"
        time.sleep(0.1)


@pytest.mark.parametrize("app, title", [("kiosk", "Hallway lobby"), ("desktop", "Hallway")])
def test_a_keyring_that_never_answers_leaves_an_app_drawn_and_quick_to_quit(
        app: str, title: str, demo: DemoNetwork, x_server: str, tmp_path: Path) -> None:
    """The token is in a keyring whose service hangs: the window is drawn (not a black rectangle
    waiting for the keyring), and SIGTERM still ends the app within 2 s."""
    profile = (kiosk_profile if app == "kiosk" else desktop_profile)(demo, tmp_path / app)
    profile.pop("HALLWAY_TOKEN")  # from the keyring, as installed
    env = os.environ | profile | _keyring_env("Silent") | {"HALLWAY_LOG_DIR": str(tmp_path / "logs")}
    command = [sys.executable, "-m", app, *(["--windowed"] if app == "kiosk" else ["--show"])]
    running = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        window = _window(title, running)
        time.sleep(1.5)
        shot = tmp_path / "window.png"
        subprocess.run(["import", "-window", window, str(shot)], check=True, timeout=30)
        colours = subprocess.run(["convert", str(shot), "-format", "%k", "info:"], capture_output=True, text=True,
                                 check=True, timeout=30).stdout
        assert int(colours) > 20, f"the window is drawn ({colours} colours)"
        started = time.monotonic()
        running.send_signal(signal.SIGTERM)
        code = running.wait(20)
        assert time.monotonic() - started < 2.0 and code == 0
    finally:
        if running.poll() is None:
            running.kill()
            running.wait(10)


def test_a_keyring_that_never_answers_is_named_after_its_deadline(
        monkeypatch: pytest.MonkeyPatch, demo: DemoNetwork, tmp_path: Path) -> None:
    import keyring
    from stuck_keyring import Silent

    from hallway import config as settings
    from hallway.connect import Missing, NotConfigured, open_network
    from hallway.signin import tokens

    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nserver = "{demo.url}"\n')
    monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(machine))
    monkeypatch.setattr(tokens, "KEYRING_WAIT_S", 0.5)
    before = keyring.get_keyring()
    keyring.set_keyring(Silent())
    try:
        started = time.monotonic()
        with pytest.raises(NotConfigured, match=r"did not answer within 0\.5 s") as silent:
            open_network(settings.load())
        assert time.monotonic() - started < 2.0
        assert silent.value.missing is Missing.KEYRING_SILENT and silent.value.again
    finally:
        keyring.set_keyring(before)


def test_doctor_does_not_say_all_good_with_a_locked_keyring(demo: DemoNetwork, tmp_path: Path) -> None:
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nserver = "{demo.url}"\n')
    env = os.environ | _keyring_env("Locked") | {"HALLWAY_MACHINE_CONFIG": str(machine),
                                                  "HALLWAY_LOG_DIR": str(tmp_path / "logs")}
    env.pop("HALLWAY_TOKEN", None)
    doctor = subprocess.run([sys.executable, "-m", "hallway", "doctor"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert doctor.returncode == 1, doctor.stdout + doctor.stderr
    assert "All good." not in doctor.stdout
    assert "✗ your sign-in: Your keyring is locked" in doctor.stdout, doctor.stdout


def test_sync_once_ends_soon_with_words_in_front_of_a_trickling_server(demo: DemoNetwork, tmp_path: Path) -> None:
    """It once held `hallway sync --once` for over 15 minutes: now the first answer's deadline ends
    the pass, and the command says why."""
    with FlappingProxy(int(demo.url.rsplit(":", 1)[1])) as proxy:
        proxy.set("trickle")
        machine = tmp_path / "machine.toml"
        machine.write_text(f'[network]\nserver = "{proxy.url}"\n')
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "hallway", "sync", "--once", "--kiosk"], capture_output=True,
                              text=True, timeout=120,
                              env=os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine),
                                                "HALLWAY_DATA_DIR": str(tmp_path / "data"),
                                                "HALLWAY_LOG_DIR": str(tmp_path / "logs"),
                                                "HALLWAY_TOKEN": demo.token_for("lobby")})
        took = time.monotonic() - started
    assert took < 45, f"sync --once took {took:.0f} s"
    assert done.returncode == 1 and "took longer than 30 s to answer" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
