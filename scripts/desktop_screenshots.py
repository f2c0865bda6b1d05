"""Screenshots of the tray app for docs/: the tray with its badge and a real notification (the
whole X screen, cropped), and each window (feed tabs, colleague card, settings, offline and
signed out) grabbed from Qt.

    python scripts/desktop_screenshots.py [--out docs/screenshots/desktop] [--language de]

Needs DISPLAY (an Xvfb with trayer running, and dunst on a session bus, for the tray and the
notification shots; dunst's ``dmenu`` set to Debian's dmenu for the notification's buttons);
the window shots work anywhere. ``--language de`` makes the German set, named ``*-de.png``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
import requests
from PySide6.QtWidgets import QApplication

from desktop.tray_app import TrayApp
from hallway import config as settings
from hallway.demo import server
from hallway.demo.organisation import generate
from hallway.demo_apps import desktop_profile
from hallway.model import CheckIn, Colleague, Place
from hallway.networks.mastodon import MastodonNetwork
from hallway.office_week import planning_days
from hallway.store import Store
from hallway.sync import Connection
from ui.language import install_translator


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots/desktop")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    suffix = "" if args.language == "en" else f"-{args.language}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    network = server.create(generate(seed=7, people=300), auto_approve=True, rate_limit=10**6,
                            heartbeat_s=1.0).start_in_background()
    lobby = network.token_for("lobby")
    people = [a for a in network.org.accounts.values() if not a.bot and a.username not in ("demo", "lobby")]
    kiosk = MastodonNetwork(network.url, lobby, is_lobby=True)
    for person, office in zip(people[:7], ["Lisbon"] * 4 + ["Toronto"] * 2 + ["Nairobi"], strict=True):
        colleague = Colleague(id=person.id, name=person.display_name, handle=person.username)
        kiosk.check_in(CheckIn(person.id, Place(office), datetime.now().astimezone(), shared=True), colleague,
                       f"screenshot-{person.username}")
    ahead = planning_days(date.today())
    for number, person in enumerate(people[:9]):  # colleagues who shared their office days
        MastodonNetwork(network.url, network.token_for(person.username)).share_office_days(
            [ahead[i] for i in range(len(ahead)) if (i + number) % 3 == 0])
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hallway")
    install_translator(app, args.language)
    loop = qasync.QEventLoop(app, already_running=False)
    asyncio.set_event_loop(loop)
    executor = ThreadPoolExecutor(3)
    loop.set_default_executor(executor)

    def until(condition: object, timeout: float = 20) -> None:
        async def wait() -> None:
            end = time.monotonic() + timeout
            while not condition():  # type: ignore[operator]
                if time.monotonic() > end:
                    raise SystemExit("screenshots: timed out")
                await asyncio.sleep(0.05)
        loop.run_until_complete(wait())

    def pause(seconds: float) -> None:
        loop.run_until_complete(asyncio.sleep(seconds))

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(desktop_profile(network, Path(tmp)))
        # Locked quiet hours for the settings shot, set so that now is not quiet (notifications show).
        quiet_from, quiet_until = (f"{(datetime.now() + timedelta(hours=h)):%H}:00" for h in (4, 12))
        Path(os.environ["HALLWAY_MACHINE_CONFIG"]).write_text(
            'locked = ["quiet_hours.start", "quiet_hours.end"]\n'
            f'locked_why = "Quiet hours follow the office opening times."\n[network]\nserver = "{network.url}"\n'
            '[office]\nname = "Lisbon"\n[desktop]\nautostart = false\n'
            f'[quiet_hours]\nenabled = true\nstart = "{quiet_from}"\nend = "{quiet_until}"\n', encoding="utf-8")
        data = Path(os.environ["HALLWAY_DATA_DIR"])
        store = Store(data / "hallway.sqlite3", data / "photos")
        tray = TrayApp(settings.load(), store, executor, open_url=lambda url: True)
        tray.start()
        tray.start_sync()
        until(lambda: not tray.first_result and store.count_posts(tray.feed) > 0)
        pause(4)  # photos for the faces in the feed
        tray.window.delegate.forget()

        writer, answerer = people[11].username, people[12].username
        root = requests.post(f"{network.url}/api/v1/statuses", timeout=5,
                             headers={"Authorization": f"Bearer {network.token_for(writer)}"},
                             data={"status": "Who has the key to the bike shed? Mine is at home."}).json()["id"]
        middle = requests.post(f"{network.url}/api/v1/statuses", timeout=5,
                               headers={"Authorization": f"Bearer {network.token_for(answerer)}"},
                               data={"status": "Reception keeps a spare one, ask Ines.", "in_reply_to_id": root}
                               ).json()["id"]
        tray.session.now(full=True)
        until(lambda: len(store.thread(middle)) == 2)
        pause(1)

        tray.navigation.open_window("feed")
        pause(1.2)
        tray.window.grab().save(str(out / f"feed{suffix}.png"))
        tray.window.reply_to_item(middle)
        tray.window.compose.editor.setPlainText("Thanks, I'll go and ask her now")
        pause(0.5)
        tray.window.grab().save(str(out / f"compose-thread{suffix}.png"))
        tray.window.compose.clear_reply()
        tray.window.compose.editor.clear()
        if shutil.which("import") and os.environ.get("DISPLAY"):
            subprocess.run(["import", "-window", "root", "-crop", "1600x700+0+0",
                            str(out / f"tray-and-feed{suffix}.png")], check=False, timeout=20)
        for day in (ahead[-1], ahead[-3]):  # the person's own days, and a starred colleague
            tray.week.toggle(day, True)
        starred = store.colleague(people[0].id)
        if starred is not None:
            tray.week.star(starred, True)
        for tab in ("mentions", "announcements", "in_office"):
            tray.window.show_tab(tab)
            pause(0.3)
            tray.window.grab().save(str(out / f"{tab.replace('_', '-')}{suffix}.png"))
        tray.window.hide()

        tray.navigation.open_colleague()
        pause(0.5)
        tray.card.grab().save(str(out / f"colleague-card{suffix}.png"))
        tray.card.hide()

        tray.preferences.open()
        pause(0.3)
        assert tray.preferences.window is not None
        tray.preferences.window.grab().save(str(out / f"settings{suffix}.png"))
        tray.preferences.window.hide()

        author = people[10].username
        requests.post(f"{network.url}/api/v1/statuses", timeout=5,
                      headers={"Authorization": f"Bearer {network.token_for(author)}"},
                      data={"status": "@demo are you joining the design review at 3? I saved you a seat."})
        pause(3)
        if shutil.which("import") and os.environ.get("DISPLAY"):
            subprocess.run(["import", "-window", "root", "-crop", "700x300+900+0",
                            str(out / f"notification{suffix}.png")], check=False, timeout=20)
            if shutil.which("dunstctl") and shutil.which("dmenu"):  # its buttons, in dunst's menu
                menu = subprocess.Popen(["dunstctl", "context"])
                pause(1.5)
                subprocess.run(["import", "-window", "root", "-crop", "1600x260+0+0",
                                str(out / f"notification-actions{suffix}.png")], check=False, timeout=20)
                subprocess.run(["xdotool", "key", "Escape"], check=False, timeout=5)
                menu.wait(10)

        tray.session._set_connection(Connection.OFFLINE)
        tray.navigation.open_window("feed")
        pause(0.5)
        tray.window.grab().save(str(out / f"offline{suffix}.png"))
        from hallway.sync import Problem
        assert tray.session.sync is not None
        tray.session.sync.problem = Problem("feed", "The server refused",
                                    "The server answered 404 Not Found for the feed #in-office.")
        tray.session._set_connection(Connection.PROBLEM)
        pause(0.3)
        tray.window.grab().save(str(out / f"problem{suffix}.png"))
        tray.session._set_connection(Connection.SIGNED_OUT)
        pause(0.3)
        tray.window.grab().save(str(out / f"signed-out{suffix}.png"))
        tray.stop()
        executor.shutdown(wait=True)
        store.close()
    network.stop()
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
