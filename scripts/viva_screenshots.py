"""Screenshots of Hallway on Viva Engage (the emulator, hallway/demo/viva), for docs/: the kiosk's
colleague card from Graph's people, and the tray's feed with a community thread and a reply.

    python scripts/viva_screenshots.py [--out docs/screenshots/viva]

The window shots work anywhere (Qt's offscreen platform when there is no DISPLAY).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.tray_app import TrayApp
from hallway import config as settings
from hallway.demo.organisation import generate
from hallway.demo.viva import server
from hallway.demo.viva.tenant import Tenant
from hallway.demo_apps import desktop_profile
from hallway.language import install_translator
from hallway.outbox import Outbox
from hallway.pin import PinGate, hash_pin
from hallway.store import Store
from hallway.sync import Sync
from kiosk.lobby import Lobby
from kiosk.theme import load_fonts
from kiosk.visitors import Visitors
from kiosk.window import KioskSettings, KioskWindow


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots/viva")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hallway")
    install_translator(app, "en")
    family = load_fonts()
    with tempfile.TemporaryDirectory() as tmp, server.start(Tenant(generate(seed=7, people=300))) as tenant:
        os.environ["SSL_CERT_FILE"] = str(tenant.ca.ca_file)
        kiosk_card(tenant, Path(tmp) / "kiosk", out, family)
        tray_feed(app, tenant, Path(tmp) / "laptop", out)
    return 0


def kiosk_card(tenant: server.VivaTenant, folder: Path, out: Path, family: str) -> None:
    folder.mkdir(parents=True)
    store = Store(folder / "s.db", folder / "photos")
    outbox = Outbox(store)
    Sync(store, tenant.network_for("lobby"), outbox, feed=None, notices=False, stream=False,
         photos_per_pass=400).once(True)
    now = datetime.now().astimezone().replace(hour=8, minute=42)
    lobby = Lobby(store, outbox, Visitors(store), "Lisbon", "off", now=lambda: now)
    here = [p for p in store.people() if p.office == "Lisbon"]
    window = KioskWindow(lobby, KioskSettings("Lisbon", theme="light", locked=False, leaderboard=False,
                                              server=tenant.url), PinGate(hash_pin("2468")), family=family)
    window.show_kiosk((1920, 1080))
    QTest.qWait(400)
    arrival = lobby.arrive(here[0], by_badge=False)
    arrival.colleague = next(p for p in store.people() if p.hobbies and p.photo_url and p.id != here[0].id)
    arrival.ask_sharing = False
    window.arrival = arrival
    window._show_card()
    QTest.qWait(400)
    window.grab().save(str(out / "kiosk-card.png"))
    # The kiosk's sign-in by code, in the admin panel (a real code from the emulated Microsoft sign-in).
    window.go_home()
    window.open_admin()
    window.admin.gate.try_pin("2468")
    window.admin.pages.setCurrentIndex(1)
    flow = tenant.authority.device_code(tenant.client_id, "https://graph.microsoft.com/.default",
                                        "https://microsoft.com/devicelogin")
    window.admin.show_device_code(str(flow["verification_uri"]), str(flow["user_code"]))
    QTest.qWait(400)
    window.grab().save(str(out / "kiosk-device-sign-in.png"))
    window.close()  # the store stays open: the window's timers may still read it until the app ends


def tray_feed(app: QApplication, tenant: server.VivaTenant, folder: Path, out: Path) -> None:
    loop = qasync.QEventLoop(app, already_running=False)
    asyncio.set_event_loop(loop)
    executor = ThreadPoolExecutor(3)
    loop.set_default_executor(executor)

    def until(condition: Callable[[], bool], timeout: float = 30) -> None:
        """The event loop turns (the tray app syncs) until ``condition`` holds."""
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise SystemExit("viva screenshots: timed out")
            loop.run_until_complete(asyncio.sleep(0.05))

    # A thread in All Company: a question, an answer, and the person's own reply (Yammer's markup
    # names whom each answers, so they are told).
    people = [p for p in tenant.tenant.people.values() if p.show_in_address_list and p.username != "demo"]
    asker, answerer = people[5].username, people[6].username
    question = tenant.network_for(asker).publish("Who has the key to the bike shed? Mine is at home.", "q")
    tenant.network_for(answerer).publish("Reception keeps a spare one, ask Ines.", "a", reply_to=question)
    os.environ.update(desktop_profile(tenant, folder))
    data = Path(os.environ["HALLWAY_DATA_DIR"])
    store = Store(data / "hallway.sqlite3", data / "photos")
    tray = TrayApp(settings.load(), store, executor, open_url=lambda url: True)
    tray.start()
    tray.start_sync()
    until(lambda: not tray.first_result and store.count_posts(tray.feed) > 0)
    loop.run_until_complete(asyncio.sleep(4))  # the faces in the feed
    tray.open_window("feed")
    loop.run_until_complete(asyncio.sleep(1.2))
    tray.window.grab().save(str(out / "tray-feed.png"))
    tray.window.show_tab("mentions")
    loop.run_until_complete(asyncio.sleep(0.5))
    tray.window.grab().save(str(out / "tray-mentions.png"))
    tray.stop()
    executor.shutdown(wait=False, cancel_futures=True)
    store.close()


if __name__ == "__main__":
    sys.exit(main())
