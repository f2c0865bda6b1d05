"""Kiosk check-in latency and start-up, with a 10,000-person organisation.

Run: python bench/kiosk.py [--people 10000] [--check-ins 200]
Ends with: ``kiosk: checkin_p50_ms=... checkin_p95_ms=... start_s=... cold_p50_ms=... cold_p95_ms=...``

- checkin: from the Enter that ends a badge burst (typed with Qt key events on the real window)
  to the end of the card's first paint, for 200 different people with linked badges; their
  picks were worked out ahead, as the kiosk does for linked badges while it is idle.
- cold: the same for people whose pick was not worked out ahead (a first check-in).
Everyone checking in shares their check-in and 500 colleagues are already in, so each check-in
also looks up which of the day's choices is near (the kiosk's "someone you can meet").
- background: all the while, the kiosk's own directory refresh runs on another thread, reading
  the 10,000-person directory from the network and writing it to the same store, again and
  again (``--quiet``: without it).
- start: process start to the welcome screen painted (the store already synced, as on any
  start but the very first).
Qt draws offscreen unless DISPLAY is set; the figures in docs/performance.md say which.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
ROOT = Path(__file__).resolve().parents[1]
# This file is bench/kiosk.py: Python would find it for "import kiosk" instead of the app.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def child_start() -> None:
    """In a fresh process: start the kiosk as hallway-kiosk does and print when the welcome is painted."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from hallway import config as settings
    from kiosk.app import build
    from kiosk.theme import load_fonts
    from ui.language import install_translator

    app = QApplication(sys.argv[:1])
    install_translator(app, "en")
    kiosk = build(settings.load(), (1920, 1080), load_fonts())

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                kiosk.window.welcome.removeEventFilter(self)
                app.postEvent(self, QEvent(QEvent.Type.User))
            elif event.type() == QEvent.Type.User:
                print(f"painted {time.monotonic()}", flush=True)
                app.quit()
            return False

    painted = FirstPaint()
    painted.installEventFilter(painted)
    kiosk.window.welcome.installEventFilter(painted)
    app.exec()
    kiosk.close()


@contextlib.contextmanager
def demo_network(people: int) -> Iterator[str]:
    """The demo network in a process of its own, as a real server is: its work (JSON for 10,000
    people) never competes with the kiosk's for this process's interpreter."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    served = subprocess.Popen([sys.executable, "-m", "hallway", "demo-network", "--port", str(port), "--seed", "3",
                               "--people", str(people), "--rate-limit", "1000000"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}/api/v1/instance", timeout=2).close()  # noqa: S310
                break
            if served.poll() is not None:
                raise SystemExit("kiosk: the demo network did not start")
            time.sleep(0.1)
        yield url
    finally:
        served.terminate()
        served.wait(20)


def token_for(url: str, username: str) -> str:
    form = urllib.parse.urlencode({"username": username}).encode()
    with urllib.request.urlopen(f"{url}/_demo/tokens", data=form, timeout=10) as answer:  # noqa: S310
        return str(json.loads(answer.read())["access_token"])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--check-ins", type=int, default=200)
    parser.add_argument("--quiet", action="store_true", help="no directory refresh in the background")
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from hallway import config as settings
    from hallway.networks.mastodon import MastodonNetwork
    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Sync
    from kiosk.app import build
    from kiosk.theme import load_fonts
    from ui.language import install_translator

    app = QApplication(sys.argv[:1])
    install_translator(app, "en")
    family = load_fonts()
    with tempfile.TemporaryDirectory() as folder, demo_network(args.people) as url:
        lobby_token = token_for(url, "lobby")
        data = Path(folder) / "data"
        machine = Path(folder) / "machine.toml"
        machine.write_text(f'[network]\nserver = "{url}"\n[office]\nname = "Lisbon"\n'
                           '[kiosk]\nquiz = "off"\nhide_cursor = false\n')
        os.environ.update(HALLWAY_MACHINE_CONFIG=str(machine), HALLWAY_DATA_DIR=str(data),
                          HALLWAY_TOKEN=lobby_token, HALLWAY_USER_CONFIG=str(Path(folder) / "u.toml"))
        connector = MastodonNetwork(url, lobby_token)
        store = Store()
        Sync(store, connector, Outbox(store), feed=None, notices=False, stream=False).once(directory=True)
        people = store.people()
        store.close()

        kiosk = build(settings.load(), (1920, 1080), family)
        window, lobby = kiosk.window, kiosk.lobby
        visitors = people[: 2 * args.check_ins]
        # Everyone shares, and 500 others are in already: every check-in takes the kiosk's
        # "someone you can meet" path (who of the day's choices is near).
        from datetime import datetime

        from hallway.model import Place, Presence
        from kiosk.visitors import Sharing
        for i, person in enumerate(visitors):
            lobby.visitors.link_badge(f"{100000 + i}", person)
            lobby.visitors.set_sharing(person, Sharing.YES, lobby.today())
        for person in people[-500:]:
            lobby.store.add_presence(lobby.today(), Presence(person.id, Place("Lisbon"), datetime.now().astimezone()))
        warm, cold = visitors[: args.check_ins], visitors[args.check_ins:]
        lobby.warm([p.id for p in warm])  # what warm_picks does in idle moments, all at once here
        # The photos of everyone who will be shown, as the kiosk's photo prefetch would have them.
        today = lobby.today()
        for person in visitors:
            colleague = lobby.colleague_for(person, today)
            if colleague is not None and colleague.photo_url:
                kiosk.store.save_photo(colleague.photo_url, connector.photo(colleague.photo_url))
        lobby._choices = {key: value for key, value in lobby._choices.items() if key[0] in {p.id for p in warm}}
        QTest.qWait(300)

        def check_in(number: str) -> float:
            window.go_home()
            QTest.qWait(220)  # the fade back to the welcome screen
            handle = window.windowHandle()  # keys enter where a reader's would: the native window
            for digit in number:
                QTest.keyClick(handle, Qt.Key(ord(digit)))
            window.card_painted_at = 0.0
            started = time.perf_counter()
            QTest.keyClick(handle, Qt.Key.Key_Return)
            while not window.card_painted_at:
                app.processEvents()
            return (window.card_painted_at - started) * 1000

        # The kiosk's own directory refresh, running in the background the whole time (as it does
        # every six hours, whenever people check in): the network's directory read again and
        # written to the same store, on the kiosk's sync thread.
        refreshing = threading.Event()
        refreshes = [0]

        sync = Sync(kiosk.store, MastodonNetwork(url, lobby_token), kiosk.outbox,
                    feed=None, notices=False, stream=False, writes=("check-ins",))
        window.sync = sync  # the kiosk's own: a badge's keys reach it (Sync.screen_busy)

        def refresh() -> None:
            while not refreshing.is_set():
                sync.read_directory()
                refreshes[0] += 1

        refresher = threading.Thread(target=refresh, daemon=True)
        if not args.quiet:
            refresher.start()
        warm_ms = [check_in(f"{100000 + i}") for i in range(len(warm))]
        cold_ms = [check_in(f"{100000 + len(warm) + i}") for i in range(len(cold))]
        refreshing.set()
        if refresher.is_alive():
            refresher.join(120)
        kiosk.close()

        starts = []
        for _ in range(5):
            began = time.monotonic()
            answer = subprocess.run([sys.executable, __file__, "--child-start"], capture_output=True, text=True,
                                    timeout=120, check=True, cwd=ROOT)
            painted = float(answer.stdout.split("painted ")[1].split()[0])
            starts.append(painted - began)

    print(f"platform={os.environ['QT_QPA_PLATFORM']} people={args.people} check_ins={len(warm_ms)}+{len(cold_ms)} "
          f"background_directory_reads={refreshes[0]}{' (--quiet)' if args.quiet else ''}")
    print(f"kiosk: checkin_p50_ms={statistics.median(warm_ms):.1f} checkin_p95_ms={percentile(warm_ms, 0.95):.1f} "
          f"start_s={statistics.median(starts):.2f} cold_p50_ms={statistics.median(cold_ms):.1f} "
          f"cold_p95_ms={percentile(cold_ms, 0.95):.1f}")


if __name__ == "__main__":
    if "--child-start" in sys.argv:
        child_start()
    else:
        main()
    # PySide6 6.12 can crash while the interpreter tears down after this many widgets and key
    # events ("deallocating None"); the figures are printed by then, so leave without teardown.
    sys.stdout.flush()
    os._exit(0)
