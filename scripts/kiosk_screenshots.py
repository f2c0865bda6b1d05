"""Screenshots of every kiosk screen at the three sizes the kiosk must work at, for docs/.

    python scripts/kiosk_screenshots.py [--out docs/screenshots/kiosk] [--theme light|dark] [--language de]

Runs the demo network on loopback, syncs a lobby store from it, and drives the real window.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hallway.demo import server
from hallway.demo.organisation import generate
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.pin import PinGate, hash_pin
from hallway.store import Store
from hallway.sync import Sync
from kiosk.lobby import Lobby
from kiosk.theme import load_fonts
from kiosk.visitors import Visitors
from kiosk.window import KioskSettings, KioskWindow
from ui.language import install_translator

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "small": (1280, 800), "xga": (1024, 768),
         "tall4k": (2160, 3840)}
HOLD = ("import sqlite3, sys, time\ndb = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('BEGIN IMMEDIATE')\nprint('held', flush=True)\ntime.sleep(60)\n")


def settle(app: QApplication, ms: int = 400) -> None:
    """Long enough for the fades between screens to finish."""
    QTest.qWait(ms)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots/kiosk")
    parser.add_argument("--theme", default="light")
    parser.add_argument("--language")
    parser.add_argument("--sizes", default=",".join(SIZES))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    install_translator(app, args.language)
    family = load_fonts()
    org = generate(seed=7, people=300, today=date.today())
    with tempfile.TemporaryDirectory() as tmp, server.create(org, auto_approve=True).start_in_background() as demo:
        store = Store(Path(tmp) / "s.db", Path(tmp) / "photos")
        network = MastodonNetwork(demo.url, demo.token_for("lobby"))
        outbox = Outbox(store)
        sync = Sync(store, network, outbox, feed=None, notices=False, stream=False, photos_per_pass=400)
        sync.once(True)
        visitors = Visitors(store)
        now = datetime.now().astimezone().replace(hour=8, minute=42)
        lobby = Lobby(store, outbox, visitors, "Lisbon", "off", now=lambda: now)
        people = store.people()
        visitors_here = [p for p in people if p.office == "Lisbon"]
        for index, name in enumerate(args.sizes.split(",")):
            newcomer = visitors_here[index]
            width, height = SIZES[name]
            settings = KioskSettings("Lisbon", theme=args.theme, locked=False, leaderboard=False,
                                     celebrations="birthdays,anniversaries,new_joiners", server=demo.url)
            window = KioskWindow(lobby, settings, PinGate(hash_pin("2468")), family=family)
            window.show_kiosk((width, height))
            settle(app)
            shots = out / f"{name}-{args.theme}{'-' + args.language if args.language else ''}"

            def grab(screen: str, window: KioskWindow = window, shots: Path = shots) -> None:
                settle(app)
                window.grab().save(f"{shots}-{screen}.png")

            grab("welcome")
            window.open_search(linking=False)
            grab("search-empty")
            for letter in "ma":
                window.search.type_text(letter)
            grab("search")
            # the colleague card, with a new joiner when there is one, and the sharing question
            joiner = next((p for p in people if p.is_new_joiner(now.date()) and p.id != newcomer.id), people[3])
            arrival = lobby.arrive(newcomer, by_badge=False)
            arrival.colleague = joiner
            window.arrival = arrival
            window._show_card()
            grab("card")
            if name == "landscape":  # where to meet them: in today here, works here, far away
                from hallway.model import Place, Presence
                in_today = next(p for p in visitors_here[20:] if p.photo_url)
                store.add_presence(now.date(), Presence(in_today.id, Place("Lisbon"), now))
                far = next(p for p in people if p.office and p.office != "Lisbon" and p.photo_url)
                works_here = next(p for p in visitors_here[30:] if p.photo_url)
                cases = (("in-today", in_today), ("works-here", works_here), ("far-away", far))
                for number, (case, colleague) in enumerate(cases):
                    window.go_home()
                    arrival = lobby.arrive(visitors_here[40 + number], by_badge=False)
                    arrival.colleague = colleague
                    arrival.ask_sharing = False
                    window.arrival = arrival
                    window._show_card()
                    window.card.add_qr(colleague.profile_url)
                    grab(f"card-{case}")
            if name == "landscape":  # the store refuses the write (another program holds it): said so
                holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store.path)], stdout=subprocess.PIPE,
                                          text=True)
                assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
                window.go_home()
                window.arrive(visitors_here[50], by_badge=True)
                grab("card-held")
                holder.kill()
                holder.wait(10)
                settle(app, 1500)  # the kiosk writes it within a second, and the card says so
                grab("card-saved")
            window.go_home()
            lobby.quiz_mode = "always"
            window.arrive(visitors_here[10 + index], by_badge=True)
            grab("quiz")
            window.go_home()
            lobby.quiz_mode = "off"
            window.open_admin()
            grab("admin-pin")
            for _ in range(3):  # three wrong PINs: the pad locks, counts down, its keys grey
                for key in "1111✓":
                    window.admin._key(key)
            grab("admin-pin-locked")
            window.admin.gate.locked_until = 0.0
            window.admin.open()
            window.admin.gate.try_pin("2468")
            window.admin.pages.setCurrentIndex(1)
            window.admin.show_status(window.fact_lines(), window.alarm_lines())
            grab("admin")
            window.go_home()
            window.set_pending(3)
            window.show_toast(window.tr("That badge didn't read properly. Please try again."))
            from hallway.sync import Connection
            window.set_connection(Connection.OFFLINE)
            grab("offline")
            if name == "landscape":  # a rate limit: sending slowly, the count going down
                window.toast.hide()
                window.set_pending(37)
                window.set_connection(Connection.SLOW)
                grab("sending-slowly")
            # a step that keeps failing: the calm note on screen, the reason in the admin panel
            from hallway.sync import Problem
            sync.problems = [Problem("directory", "The server refused",
                                     "The server answered 404 Not Found: its profile directory is switched off.")]
            window.sync = sync
            window.toast.hide()
            window.set_pending(0)
            window.set_connection(Connection.PROBLEM)
            grab("problem")
            window.open_admin()
            window.admin.gate.try_pin("2468")
            window.admin.pages.setCurrentIndex(1)
            window.admin.show_status(window.fact_lines(), window.alarm_lines())
            grab("admin-problem")
            window.go_home()
            window.allow_close = True
            window.close()
            window.deleteLater()
            settle(app, 50)
        store.close()
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
