"""Each console script comes up, answers --version and --help, and refuses bad input in one line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import requests

from hallway.demo import server
from hallway.demo.synapse import MISSING, PASSWORD, PYTHON_ENV, synapse_python

BIN = Path(sys.executable).parent


@pytest.mark.parametrize("script", ["hallway", "hallway-kiosk", "hallway-desktop"])
def test_version_and_help(script: str) -> None:
    version = subprocess.run([BIN / script, "--version"], capture_output=True, text=True, timeout=30)
    assert version.returncode == 0
    assert version.stdout.startswith(f"{script} 0.")
    helped = subprocess.run([BIN / script, "--help"], capture_output=True, text=True, timeout=30)
    assert helped.returncode == 0 and "usage:" in helped.stdout


@pytest.mark.parametrize("args, says", [
    (["--people", "abc"], "'abc' is not a whole number"),
    (["--people", "3"], "--people must be between 10 and 100000"),
    (["--seed", "1.5"], "'1.5' is not a whole number"),
    (["--fault", "/x=explode"], "unknown fault kind 'explode'"),
    (["--port", "99999"], "--port must be 0-65535"),
])
def test_bad_demo_options_get_one_line(args: list[str], says: str) -> None:
    done = subprocess.run([BIN / "hallway", "demo-network", *args], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert says in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_demo_network_command_serves_and_stops_cleanly() -> None:
    process = subprocess.Popen([BIN / "hallway", "demo-network", "--port", "0", "--people", "40"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=os.environ | {"PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "demo network: 40 people" in banner
        url = banner.rsplit(" at ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/_demo/health", timeout=5) as answer:
            assert json.load(answer)["people"] == 41  # 40 people and the lobby kiosk
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=10)
    assert code == 0
    assert process.stderr is not None and "Traceback" not in process.stderr.read()


def test_demo_network_refuses_a_busy_port() -> None:
    first = subprocess.Popen([BIN / "hallway", "demo-network", "--port", "0", "--people", "10"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None
        port = first.stdout.readline().rsplit(":", 1)[1].strip()
        time.sleep(0.1)
        second = subprocess.run([BIN / "hallway", "demo-network", "--port", port, "--people", "10"],
                                capture_output=True, text=True, timeout=30)
        assert second.returncode == 1
        assert "cannot listen on 127.0.0.1" in second.stderr and "another --port" in second.stderr
    finally:
        first.terminate()
        first.wait(timeout=10)


def test_demo_opens_the_kiosk_and_the_tray_app_beside_the_network_and_stops_with_them(x_server: str) -> None:
    """README command 1: the demo network, the lobby kiosk in a window and the tray app (its feed
    window open, as there is no tray here), each signed in to it."""
    process = subprocess.Popen([BIN / "hallway", "demo", "--port", "0", "--people", "40"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=os.environ | {"PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        url = process.stdout.readline().rsplit(" at ", 1)[1].strip()
        found = ""
        for _ in range(100):
            search = subprocess.run(["xdotool", "search", "--name", "Hallway lobby"], capture_output=True,
                                    text=True, timeout=10)
            found = search.stdout.strip()
            if found:
                break
            time.sleep(0.2)
        assert found, "the kiosk window opened"
        health: dict[str, object] = {}
        for _ in range(100):  # the kiosk syncs with the lobby's token: its requests reach the network
            with urllib.request.urlopen(f"{url}/_demo/health", timeout=5) as answer:
                health = json.load(answer)
            calls = health.get("api_calls")
            if isinstance(calls, dict) and calls.get("lobby", 0) >= 3 and calls.get("demo", 0) >= 3:
                break
            time.sleep(0.2)
        calls = health.get("api_calls")
        assert isinstance(calls, dict) and calls.get("lobby", 0) >= 3, "the kiosk synced with the lobby's token"
        assert calls.get("demo", 0) >= 3, "the tray app synced as the demo person"
        feed = subprocess.run(["xdotool", "search", "--name", "^Hallway$"], capture_output=True, text=True, timeout=10)
        assert feed.stdout.strip(), "the tray app's window opened"
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=20)
    assert code == 0
    time.sleep(0.5)
    gone = subprocess.run(["xdotool", "search", "--name", "Hallway lobby"], capture_output=True, text=True, timeout=10)
    assert gone.stdout.strip() == "", "the kiosk closed with the demo"
    gone = subprocess.run(["xdotool", "search", "--name", "^Hallway$"], capture_output=True, text=True, timeout=10)
    assert gone.stdout.strip() == "", "the tray app closed with the demo"


def _windows(name: str) -> str:
    found = subprocess.run(["xdotool", "search", "--name", name], capture_output=True, text=True, timeout=10)
    return found.stdout.strip()


@pytest.mark.slow
def test_the_matrix_demo_runs_both_apps_on_synapse_and_stops_with_them(x_server: str) -> None:
    """`hallway demo --network matrix`: Synapse seeded with the organisation, and the unchanged
    apps signed in to it: the kiosk as the lobby's account, the tray app as the demo person."""
    if synapse_python() is None:
        pytest.skip(MISSING)
    process = subprocess.Popen([BIN / "hallway", "demo", "--network", "matrix", "--people", "12"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=os.environ | {"PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert "12 people" in lines[0] and "Synapse at http://127.0.0.1:" in lines[1], lines
        url = lines[1].split("Synapse at ", 1)[1].split(" ", 1)[0]
        admin = requests.post(f"{url}/_matrix/client/v3/login", timeout=10, json={
            "type": "m.login.password", "identifier": {"type": "m.id.user", "user": "demo"},
            "password": PASSWORD}).json()["access_token"]

        def hallway_used(user: str) -> bool:
            """Synapse's own record of who connected, and with what (the admin whois API)."""
            whois = requests.get(f"{url}/_synapse/admin/v1/whois/@{user}:localhost", timeout=10,
                                 headers={"Authorization": f"Bearer {admin}"}).json()
            return any("Hallway" in (c.get("user_agent") or "") for device in whois["devices"].values()
                       for session in device["sessions"] for c in session["connections"])

        deadline = time.monotonic() + 60
        while not (_windows("Hallway lobby") and _windows("^Hallway$") and hallway_used("lobby")
                   and hallway_used("demo")):
            assert time.monotonic() < deadline, "the kiosk and the tray app opened and synced from Synapse"
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    assert code == 0
    assert process.stderr is not None and "Traceback" not in process.stderr.read()
    time.sleep(0.5)
    assert not _windows("Hallway lobby") and not _windows("^Hallway$"), "both apps closed with the demo"
    left = subprocess.run(["pgrep", "-f", "hallway-synapse-"], capture_output=True, text=True, timeout=10)
    assert left.stdout.strip() == "", "Synapse stopped with the demo"


def test_the_matrix_demo_says_how_to_get_synapse_where_it_is_missing(tmp_path: Path) -> None:
    done = subprocess.run([BIN / "hallway", "demo", "--network", "matrix", "--no-apps"], capture_output=True,
                          text=True, timeout=30, env=os.environ | {PYTHON_ENV: str(tmp_path / "no-python")})
    assert done.returncode == 1
    assert "matrix-synapse is not installed" in done.stderr and "./run demo --network matrix" in done.stderr
    assert "Traceback" not in done.stderr


def test_doctor_knows_the_kiosk_token_stored_for_the_service(demo: server.DemoNetwork, tmp_path: Path) -> None:
    """`set-token --kiosk --for-service` keeps the kiosk's token in a root-only file beside the
    machine config (systemd hands it to the kiosk service alone); doctor checks that one, instead
    of saying nobody is signed in."""
    machine = tmp_path / "etc" / "hallway.toml"
    machine.parent.mkdir()
    machine.write_text(f'[network]\nserver = "{demo.url}"\n')
    env = {k: v for k, v in os.environ.items() if k != "HALLWAY_TOKEN"} | {
        "HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_DATA_DIR": str(tmp_path / "data")}
    stored = subprocess.run([BIN / "hallway", "set-token", "--kiosk", "--for-service"], input=demo.token_for("lobby"),
                            capture_output=True, text=True, env=env, timeout=60)
    assert stored.returncode == 0, stored.stderr
    credential = machine.parent / "kiosk-token"
    assert oct(credential.stat().st_mode & 0o777) == "0o600"
    doctor = subprocess.run([BIN / "hallway", "doctor"], capture_output=True, text=True, env=env, timeout=120)
    assert f"kiosk service token ({credential}): signed in as @lobby" in doctor.stdout, doctor.stdout
    assert "Not signed in: run `hallway set-token --kiosk`" not in doctor.stdout
    assert "nobody is signed in" not in doctor.stdout
