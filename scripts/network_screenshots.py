"""Screenshots of Hallway on the networks that run here only as emulators, for docs/: the kiosk's
colleague card, the tray's feed with a thread and a reply, and its mentions; on Viva Engage also
the kiosk's sign-in by code.

    python scripts/network_screenshots.py --network viva-engage|chatter [--out docs/screenshots/NAME]

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
from typing import Protocol

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.tray_app import TrayApp
from hallway import config as settings
from hallway.demo.chatter import server as chatter
from hallway.demo.chatter.org import Org
from hallway.demo.organisation import generate
from hallway.demo.viva import server
from hallway.demo.viva.tenant import Tenant
from hallway.demo_apps import DemoSite, desktop_profile
from hallway.networks import Network
from hallway.outbox import Outbox
from hallway.pin import PinGate, hash_pin
from hallway.store import Store
from hallway.sync import Sync
from kiosk.lobby import Lobby
from kiosk.theme import load_fonts
from kiosk.visitors import Visitors
from kiosk.window import KioskSettings, KioskWindow
from ui.language import install_translator


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--network", choices=("viva-engage", "chatter"), default="viva-engage")
    parser.add_argument("--out")
    args = parser.parse_args()
    out = Path(args.out or f"docs/screenshots/{'viva' if args.network == 'viva-engage' else 'chatter'}")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hallway")
    install_translator(app, "en")
    family = load_fonts()
    company = generate(seed=7, people=300)
    with tempfile.TemporaryDirectory() as tmp:
        if args.network == "chatter":
            with chatter.start(Org(company)) as site:
                kiosk_card(site, Path(tmp) / "kiosk", out, family)
                tray_feed(app, site, Path(tmp) / "laptop", out)
            return 0
        with server.start(Tenant(company)) as tenant:
            os.environ.update(tenant.environment())
            kiosk_card(tenant, Path(tmp) / "kiosk", out, family)
            device_sign_in(tenant, out, family)
            tray_feed(app, tenant, Path(tmp) / "laptop", out)
    return 0


class Site(DemoSite, Protocol):
    """An emulated network the apps are pointed at, and Hallway's connector to it."""

    def network_for(self, username: str) -> Network: ...


def kiosk_card(site: Site, folder: Path, out: Path, family: str) -> None:
    folder.mkdir(parents=True)
    store = Store(folder / "s.db", folder / "photos")
    outbox = Outbox(store)
    Sync(store, site.network_for("lobby"), outbox, feed=None, notices=False, stream=False,
         photos_per_pass=400).once(True)
    now = datetime.now().astimezone().replace(hour=8, minute=42)
    lobby = Lobby(store, outbox, Visitors(store), "Lisbon", "off", now=lambda: now)
    here = [p for p in store.people() if p.office == "Lisbon"]
    window = KioskWindow(lobby, KioskSettings("Lisbon", theme="light", locked=False, leaderboard=False,
                                              server=site.url), PinGate(hash_pin("2468")), family=family)
    window.show_kiosk((1920, 1080))
    QTest.qWait(400)
    arrival = lobby.arrive(here[0], by_badge=False)
    arrival.colleague = next(p for p in store.people() if p.hobbies and p.photo_url and p.id != here[0].id)
    arrival.ask_sharing = False
    window.arrival = arrival
    window._show_card()
    QTest.qWait(400)
    window.grab().save(str(out / "kiosk-card.png"))
    window.close()  # the store stays open: the window's timers may still read it until the app ends


def device_sign_in(tenant: server.VivaTenant, out: Path, family: str) -> None:
    """The kiosk's sign-in by code, in the admin panel (a real code from the emulated Microsoft sign-in)."""
    folder = Path(tempfile.mkdtemp())
    store = Store(folder / "s.db", folder / "photos")
    lobby = Lobby(store, Outbox(store), Visitors(store), "Lisbon", "off")
    window = KioskWindow(lobby, KioskSettings("Lisbon", theme="light", locked=False, leaderboard=False,
                                              server=tenant.url), PinGate(hash_pin("2468")), family=family)
    window.show_kiosk((1920, 1080))
    QTest.qWait(400)
    window.open_admin()
    window.admin.gate.try_pin("2468")
    window.admin.pages.setCurrentIndex(1)
    flow = tenant.authority.device_code(tenant.client_id, "https://graph.microsoft.com/.default",
                                        "https://microsoft.com/devicelogin")
    window.admin.show_device_code(str(flow["verification_uri"]), str(flow["user_code"]))
    QTest.qWait(400)
    window.grab().save(str(out / "kiosk-device-sign-in.png"))
    window.close()  # the store stays open: the window's timers may still read it until the app ends


def tray_feed(app: QApplication, site: Site, folder: Path, out: Path) -> None:
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
    people = [a.username for a in site.org.accounts.values() if a.discoverable and not a.bot
              and a.username != "demo"]
    asker, answerer = people[5], people[6]
    question = site.network_for(asker).publish("Who has the key to the bike shed? Mine is at home.", "q")
    site.network_for(answerer).publish("Reception keeps a spare one, ask Ines.", "a", reply_to=question)
    os.environ.update(desktop_profile(site, folder))
    store = Store(Path(os.environ["HALLWAY_DATA_DIR"]) / "hallway.sqlite3",
                  Path(os.environ["HALLWAY_DATA_DIR"]) / "photos")
    tray = TrayApp(settings.load(), store, executor, open_url=lambda url: True)
    for step in (tray.start, tray.start_sync):
        step()
    until(lambda: not tray.first_result and store.count_posts(tray.feed) > 0)
    loop.run_until_complete(asyncio.sleep(4))  # the faces in the feed
    tray.navigation.open_window("feed")
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
