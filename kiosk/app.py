"""``hallway-kiosk``: the lobby check-in screen.

Start-up draws the welcome screen from the local store before anything touches the network;
sync then runs in the background on qasync's loop (hallway.sync), and the kiosk keeps
working offline on what it has.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import logging
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication

from hallway import __version__, directory_copy, logs, schedule
from hallway import config as settings
from hallway.connect import NotConfigured, open_network
from hallway.http import HttpClient
from hallway.networks import Network
from hallway.networks.registry import connector
from hallway.office_day import OfficeClock
from hallway.outbox import Outbox
from hallway.pin import PinGate
from hallway.signin import SignInError, save_token
from hallway.store import LOCK_WAIT_S, Store
from hallway.sync import Connection, Sync
from kiosk import data_wait
from kiosk.lobby import Lobby
from kiosk.theme import load_fonts
from kiosk.visitors import Visitors
from kiosk.window import KioskSettings, KioskWindow, settle_memory
from ui.language import install_translator
from ui.lifetime import (
    finish_workers,
    keep_executor,
    leave_now,
    leave_tidily,
    network_executor,
    quit_on_sigterm,
    request_quit,
    until_quit,
)
from ui.sync_signals import SyncSignals

log = logging.getLogger("hallway.kiosk")
RECONNECT_S = 60.0  # not signed in yet: IT may set the token any moment


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallway-kiosk",
        description="Hallway's lobby kiosk: check in with a badge or your name, meet a colleague.",
    )
    parser.add_argument("--version", action="version", version=f"hallway-kiosk {__version__}")
    parser.add_argument("--windowed", action="store_true",
                        help="run in a window, not locked full screen (demos, and trying it on a laptop)")
    parser.add_argument("--size", default="1280x800", help="window size with --windowed (default 1280x800)")
    parser.add_argument("--language", help="the screen's language (en, de), instead of the system's")
    parser.add_argument("--hash-pin", action="store_true",
                        help="read an admin PIN and print the kiosk.admin_pin_hash line for the machine config")
    return parser


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        return max(640, int(width)), max(480, int(height))
    except ValueError:
        raise SystemExit(f"hallway-kiosk: --size must look like 1280x800, not {text!r}") from None


def _hash_pin() -> int:
    from hallway.pin import hash_pin
    pin = getpass.getpass("New admin PIN (digits): ")
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        print("hallway-kiosk: the PIN must be 4 to 12 digits", file=sys.stderr)
        return 2
    if getpass.getpass("Again: ") != pin:
        print("hallway-kiosk: the two PINs differ", file=sys.stderr)
        return 2
    print("# in /etc/hallway/hallway.toml, under [kiosk]:")
    print(f'admin_pin_hash = "{hash_pin(pin)}"')
    return 0


@dataclass
class Kiosk:
    """Everything a running kiosk holds; ``build`` makes it, ``main`` runs it (and tests drive it)."""

    window: KioskWindow
    store: Store
    outbox: Outbox
    lobby: Lobby
    config: settings.Config
    clock: OfficeClock
    sync: Sync | None = None
    # The network's threads: owned here so that closing waits for them. A thread still running
    # when Qt shuts down could post an event to a dying application and hang the exit.
    executor: ThreadPoolExecutor = field(default_factory=lambda: network_executor(2))
    signing_in: threading.Event | None = None  # set: the sign-in by code under way is cancelled
    _wake: asyncio.Event = field(default_factory=asyncio.Event)  # a sign-in just finished: connect now
    _replaced = False  # the account was signed in again while syncing: sync with the new one

    def connect(self) -> bool:
        """Open the network now, blocking (tests); ``run`` does it off the GUI thread."""
        try:
            self.attach(open_network(self.config, kiosk=True, client=HttpClient(kept=self.store)))
        except NotConfigured as missing:
            self._not_connected(missing)
            return False
        return True

    async def run(self, interval_s: float) -> None:
        """Open the network without ever blocking the screen (the keyring may be slow, or never
        answer), trying again each minute until IT has set it up, then sync for good."""
        loop = asyncio.get_running_loop()
        loop.set_default_executor(self.executor)
        while True:
            while self.sync is None:
                try:
                    network = await loop.run_in_executor(None, open_network, self.config, True)
                except NotConfigured as missing:
                    self._not_connected(missing)
                    with contextlib.suppress(TimeoutError):  # a sign-in from the admin panel wakes it
                        await asyncio.wait_for(self._wake.wait(), RECONNECT_S)
                    self._wake.clear()
                    continue
                self.attach(network)
            await self.sync.run(interval_s)
            if not self._replaced:
                return
            self._replaced, self.sync = False, None  # signed in again: connect with the new sign-in

    def sign_in_by_code(self) -> None:
        """IT signs the kiosk's account in from the admin panel (networks that sign in with a code
        typed on a phone): the code shown large, the wait on a thread of its own (it may last
        fifteen minutes), the result back on the GUI thread, and the kiosk connected at once."""
        if self.signing_in is not None:
            return
        cancelled = self.signing_in = threading.Event()
        loop = asyncio.get_event_loop()
        admin = self.window.admin
        admin.show_sign_in_starting()

        def show(address: str, code: str) -> None:
            loop.call_soon_threadsafe(admin.show_device_code, address, code)

        def work() -> None:
            try:
                made = connector(self.config["network.kind"]).device_sign_in(self.config, show, 900.0, cancelled)
                save_token(self.config["network.server"], made, kiosk=True)
            except SignInError as failure:
                log.warning("the kiosk's sign-in did not finish: %s", failure.message)
                words = failure.message if cancelled.is_set() else f"{failure.title}: {failure.message}"
                loop.call_soon_threadsafe(self._signed_in, False, words)
            except Exception as failure:  # never leave the code on screen for ever
                log.exception("the kiosk's sign-in failed")
                loop.call_soon_threadsafe(self._signed_in, False, f"The sign-in failed ({type(failure).__name__}).")
            else:
                loop.call_soon_threadsafe(self._signed_in, True, "")
        threading.Thread(target=work, name="hallway-kiosk-sign-in", daemon=True).start()

    def cancel_sign_in(self) -> None:
        if self.signing_in is not None:
            self.signing_in.set()

    def _signed_in(self, done: bool, words: str) -> None:
        """On the GUI thread: how the sign-in by code ended."""
        self.signing_in = None
        if not done:
            self.window.admin.show_sign_in_result(words)
            return
        self.window.admin.show_sign_in_result(self.window.tr("Signed in: the kiosk connects now."))
        if self.sync is not None:  # another account before: sync again with this one
            self._replaced = True
            self.sync.stop()
        self._wake.set()

    def _not_connected(self, missing: NotConfigured) -> None:
        log.warning("%s The kiosk works offline meanwhile.", missing)
        self.window.set_connection(Connection.SIGNED_OUT)

    def attach(self, network: Network) -> None:
        """Sync with ``network``, its news shown on the window (on the GUI thread)."""
        sync = Sync(self.store, network, self.outbox, feed=None, notices=False, stream=False, photos_per_pass=400,
                    max_people=self.config["sync.max_people"], writes=("check-ins",), schedule=schedule.KIOSK,
                    # a kiosk that writes the company's copy reads the network; another may read the copy
                    exported=directory_copy.exporter(self.config, self.store.people),
                    directory_copy=None if self.config["kiosk.export_directory"] else
                    directory_copy.source(self.config, HttpClient(kept=self.store)))
        sync.today = self.clock.today  # who is in, by the office's day
        if self.sync is not None:
            self.sync.on_result = self.sync.on_connection = self.sync.on_pending = None
        news = SyncSignals(sync, self.window)
        news.result.connect(self.window.synced)
        news.connection.connect(self.window.set_connection)
        news.pending.connect(self.window.set_pending)
        self.window.on_check_in = sync.deliver_soon  # a check-in goes at once, never behind a directory read
        self.window.on_resync = sync.now
        self.window.sync = sync
        self.window.set_connection(Connection.ONLINE)
        self.sync = sync

    def start_sync(self, interval_s: float) -> asyncio.Task[None] | None:
        loop = asyncio.get_event_loop()
        loop.set_default_executor(self.executor)
        return loop.create_task(self.sync.run(interval_s)) if self.sync else None

    def close(self) -> bool:
        """True when every network thread ended in time (else the caller leaves with leave_now)."""
        if self.sync is not None:
            self.sync.stop()
        self.lobby.give_up_held()  # one last try; what the store still refuses is logged, each one
        finished = finish_workers(self.executor)
        self.window.allow_close = True
        self.window.close()
        if finished:
            self.store.close()
        return finished


def open_store(config: settings.Config, lock_wait_s: float = LOCK_WAIT_S) -> Store:
    return Store(photo_cache_bytes=config["privacy.photo_cache_mb"] * 1024 * 1024, lock_wait_s=lock_wait_s)


def build(config: settings.Config, windowed_size: tuple[int, int] | None, family: str = "",
          store: Store | None = None) -> Kiosk:
    store = store or open_store(config)
    office = config["office.name"] or "Lobby"
    outbox = Outbox(store)
    visitors = Visitors(store)
    clock = OfficeClock(config["office.timezone"])
    lobby = Lobby(store, outbox, visitors, office, config["kiosk.quiz"], now=clock.now, figures=config["report.record"])
    retention = timedelta(days=config["privacy.checkin_log_days"])
    visitors.forget_before(lobby.today() - retention)
    outbox.forget_delivered(retention.days)

    logo_file = config["appearance.logo"]
    logo = QPixmap(logo_file) if logo_file and Path(logo_file).is_file() else None
    windowed = windowed_size is not None
    kiosk_settings = KioskSettings(
        office=office, accent=config["appearance.accent"], theme=config["appearance.theme"],
        badge_gap_ms=config["kiosk.badge_key_gap_ms"],
        badge_pattern=config["kiosk.badge_pattern"], card_seconds=config["kiosk.card_seconds"],
        idle_seconds=config["kiosk.idle_seconds"], leaderboard=config["kiosk.leaderboard"],
        celebrations=config["celebrations.kinds"],
        hide_cursor=config["kiosk.hide_cursor"] and not windowed, locked=not windowed,
        server=config["network.server"],
        link_hosts=tuple(h.strip() for h in config["network.link_hosts"].split(",") if h.strip()))
    window = KioskWindow(lobby, kiosk_settings, PinGate(config["kiosk.admin_pin_hash"]), logo, family)
    window.admin.set_sign_in_offered(connector(config["network.kind"]).signs_in_by_code)
    outbox.on_change = window.set_pending
    window.set_pending(outbox.pending_count())
    window.show_kiosk(windowed_size)
    settle_memory()
    window.warm_picks()

    kiosk = Kiosk(window, store, outbox, lobby, config, clock)
    window.admin.sign_in_wanted.connect(kiosk.sign_in_by_code)
    window.admin.sign_in_cancelled.connect(kiosk.cancel_sign_in)
    return kiosk


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.hash_pin:
        return _hash_pin()
    size = _size(args.size) if args.windowed else None

    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hallway")
    app.setApplicationDisplayName("Hallway")
    install_translator(app, args.language)
    family = load_fonts()
    logs.start("hallway-kiosk")
    config = settings.load()
    for problem in config.problems:  # the kiosk starts anyway, on defaults; `hallway doctor` names them too
        log.warning("%s", problem)

    store = data_wait.open_store(lambda wait_s: open_store(config, wait_s), family, size)
    if store is None:  # asked to stop while the data was in use elsewhere
        return 0
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    kiosk = build(config, size, family, store)
    kiosk.window.exit_confirmed.connect(request_quit)
    # systemd stops the kiosk with SIGTERM: leave as after the admin's "Exit" (the store is
    # safe either way; this closes it tidily). Python sees the signal when the loop next runs it;
    # the quit is queued, so one that comes before the loop runs is not lost.
    quit_on_sigterm(app)
    with loop:
        task = loop.create_task(kiosk.run(config["sync.interval_s"]))
        loop.run_until_complete(until_quit(app))
        task.cancel()
        keep_executor(loop)
    kiosk.cancel_sign_in()
    finished = kiosk.close()
    leave_tidily([kiosk.window])
    if not finished:
        leave_now(0)
    return 0

