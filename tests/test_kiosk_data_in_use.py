"""A kiosk whose data another process holds says so on screen, names the process for IT,
and starts by itself when the data is free: no traceback, no exit, no restart loop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hallway.store import Store
from kiosk import data_wait
from kiosk.theme import load_fonts

BIN = Path(sys.executable).parent
HOLD = ("import sqlite3, sys, time\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA journal_mode=WAL')\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        "print('held', flush=True)\n"
        "time.sleep(120)\n")


def _hold(path: Path) -> subprocess.Popen[str]:
    """Another process that holds the store's write lock, as a stuck second kiosk would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Store(path, path.parent / "photos").close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_the_waiting_screen_names_the_holder_and_opens_when_it_is_free(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "data" / "hallway.sqlite3"
    holder = _hold(path)
    seen: dict[str, str] = {}

    def look() -> None:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, data_wait.DataInUse) and widget.isVisible():
                seen["title"], seen["detail"] = widget.title.text(), widget.detail.text()
                widget.grab().save(str(tmp_path / "data-in-use.png"))
                if os.environ.get("HALLWAY_SCREENSHOTS"):
                    widget.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/kiosk-data-in-use.png")
        holder.kill()  # the other process ends: the kiosk goes on by itself

    QTimer.singleShot(1500, look)
    started = time.monotonic()
    try:
        store = data_wait.open_store(lambda wait_s: Store(path, tmp_path / "photos", lock_wait_s=wait_s), load_fonts(),
                                     (1024, 700), retry_ms=300, first_wait_s=0.3)
    finally:
        holder.kill()
        holder.wait(10)
    assert store is not None, "the store opened once the other process let go"
    try:
        assert time.monotonic() - started < 10
        assert seen["title"] == "Starting in a moment"
        assert f"pid {holder.pid}" in seen["detail"], seen["detail"]
        assert "python" in seen["detail"]
        store.set_state("after", "written")  # and it is a working store
        assert store.get_state("after") == "written"
    finally:
        store.close()


def test_a_badge_read_while_the_kiosk_waits_for_its_data_is_asked_again_not_lost(
        qapp: QApplication, tmp_path: Path, x_server: str) -> None:
    path = tmp_path / "data" / "hallway.sqlite3"
    holder = _hold(path)
    seen: dict[str, str] = {}

    def scan() -> None:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, data_wait.DataInUse) and widget.isVisible():
                widget.activateWindow()
                qapp.processEvents()
                subprocess.run(["xdotool", "key", "--delay", "5", *"0004521987", "Return"], timeout=20, check=True)
        QTimer.singleShot(800, look)

    def look() -> None:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, data_wait.DataInUse) and widget.isVisible():
                seen["body"] = widget.body.text()
        holder.kill()

    QTimer.singleShot(1000, scan)
    try:
        store = data_wait.open_store(lambda wait_s: Store(path, tmp_path / "photos", lock_wait_s=wait_s), load_fonts(),
                                     (1024, 700), retry_ms=300, first_wait_s=0.3)
    finally:
        holder.kill()
        holder.wait(10)
    assert store is not None
    store.close()
    assert seen.get("body") == "Hallway is starting. Please scan your badge again in a moment.", seen


def test_a_kiosk_started_on_a_held_store_waits_on_screen_then_starts(tmp_path: Path) -> None:
    data = tmp_path / "kiosk"
    holder = _hold(data / "hallway.sqlite3")
    logs = tmp_path / "logs"
    env = os.environ | {"HALLWAY_DATA_DIR": str(data), "HALLWAY_LOG_DIR": str(logs),
                        "HALLWAY_MACHINE_CONFIG": str(tmp_path / "none.toml"), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HALLWAY_TOKEN", None)
    kiosk = subprocess.Popen([BIN / "hallway-kiosk", "--windowed", "--size", "1024x700"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        log = logs / "hallway.log"
        deadline = time.monotonic() + 30
        while not (log.exists() and f"pid {holder.pid}" in log.read_text()):
            assert kiosk.poll() is None, f"the kiosk exited: {kiosk.stderr.read() if kiosk.stderr else ''}"
            assert time.monotonic() < deadline, "the kiosk logged who holds its data"
            time.sleep(0.2)
        time.sleep(4)  # longer than the store's own wait: still there, still waiting
        assert kiosk.poll() is None, "a held store does not end the kiosk (systemd would restart it in a loop)"
        holder.kill()
        holder.wait(10)
        deadline = time.monotonic() + 20
        while "the data is free again" not in log.read_text():
            assert kiosk.poll() is None
            assert time.monotonic() < deadline, "the kiosk started once the data was free"
            time.sleep(0.2)
        time.sleep(1)
        assert kiosk.poll() is None
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(10) == 0
        assert "Traceback" not in log.read_text()
    finally:
        holder.kill()
        if kiosk.poll() is None:
            kiosk.kill()
        kiosk.wait(10)
