"""The kiosk process itself is killed (SIGKILL) at random moments while the network flaps
(refused, blackholed, cut mid-answer): every check-in it accepted reaches the network exactly
once, and none it did not accept appears."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from flapping_proxy import FlappingProxy

from hallway.demo.server import DemoNetwork
from hallway.store import Store
from kiosk.visitors import Sharing, Visitors

BIN = Path(sys.executable).parent
ROUNDS = 12


def _kiosk(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([BIN / "hallway-kiosk", "--windowed", "--size", "1024x700"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _window() -> str:
    for _ in range(200):
        found = subprocess.run(["xdotool", "search", "--name", "Hallway lobby"], capture_output=True, text=True,
                               timeout=10).stdout.split()
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError("the kiosk window did not open")


def _pending(path: Path) -> list[str]:
    db = sqlite3.connect(path, timeout=5)
    try:
        return [r[0] for r in db.execute("SELECT payload FROM outbox WHERE delivered_at IS NULL AND failed IS NULL")]
    finally:
        db.close()


def _accepted(path: Path) -> list[str]:
    import json
    db = sqlite3.connect(path, timeout=5)
    try:
        return [json.loads(r[0])["colleague"]["handle"] for r in db.execute("SELECT payload FROM outbox")]
    finally:
        db.close()


@pytest.mark.slow
def test_killing_the_kiosk_while_the_network_flaps_loses_and_doubles_nothing(
        demo: DemoNetwork, synced_lobby: Path, tmp_path: Path, x_server: str) -> None:
    folder = tmp_path / "kiosk"
    shutil.copytree(synced_lobby, folder)
    store = Store(folder / "hallway.sqlite3", folder / "photos")
    visitors = Visitors(store)
    people = [p for p in store.people() if p.handle not in ("demo", "lobby")][-ROUNDS:]
    before = {p.handle: _on_server(demo, p.handle) for p in people}  # the session's network is shared
    today = time.strftime("%Y-%m-%d")
    from datetime import date
    for number, person in enumerate(people):
        visitors.link_badge(f"77{number:04d}", person)
        visitors.set_sharing(person, Sharing.YES, date.fromisoformat(today))
    store.close()
    with FlappingProxy(int(demo.url.rsplit(":", 1)[1]), seed=14) as proxy:
        machine = tmp_path / "machine.toml"
        machine.write_text(f'[network]\nserver = "{proxy.url}"\n[office]\nname = "Lisbon"\n'
                           '[kiosk]\nquiz = "off"\n[sync]\ninterval_s = 5\n')
        env = os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_DATA_DIR": str(folder),
                            "HALLWAY_TOKEN": demo.token_for("lobby"), "HALLWAY_LOG_DIR": str(tmp_path / "logs")}
        chance = random.Random(14)
        stop_flapping = threading.Event()
        proxy.flap((0.3, 2.0), until=stop_flapping)
        for number in range(ROUNDS):
            kiosk = _kiosk(env)
            try:
                window = _window()
                time.sleep(chance.uniform(0.2, 1.0))
                subprocess.run(["xdotool", "windowfocus", "--sync", window], timeout=10, check=False)
                subprocess.run(["xdotool", "key", "--delay", "5", *f"77{number:04d}", "Return"], timeout=20,
                               check=True)
                time.sleep(chance.uniform(0.0, 2.5))  # before, during or after the card and its delivery
            finally:
                kiosk.send_signal(signal.SIGKILL)
                kiosk.wait(10)
        stop_flapping.set()
        time.sleep(0.5)
        accepted = _accepted(folder / "hallway.sqlite3")
        assert len(accepted) >= ROUNDS // 2, "most check-ins were accepted before their kill"
        kiosk = _kiosk(env)  # the network is back: the last start delivers what is left
        try:
            deadline = time.monotonic() + 60
            while _pending(folder / "hallway.sqlite3"):
                assert time.monotonic() < deadline, "the kiosk delivered what was waiting"
                time.sleep(0.25)
        finally:
            kiosk.send_signal(signal.SIGTERM)
            kiosk.wait(10)
    for person in people:
        added = _on_server(demo, person.handle) - before[person.handle]
        expected = 1 if person.handle in accepted else 0
        assert added == expected, f"{person.handle}: {added} new on the server, {expected} accepted"


def _on_server(demo: DemoNetwork, handle: str) -> int:
    """Check-ins for a person on the server (the lobby links their profile, /users/NAME)."""
    found = requests.get(f"{demo.url}/_demo/statuses", params={"contains": f"/users/{handle}\n"}, timeout=5).json()
    return len(found)
