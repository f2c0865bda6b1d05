"""``hallway-desktop``: the tray app. Starts hidden in the tray at login (``--hidden``), opens
its feed window when started by hand, and hands over to a running copy instead of starting
twice (desktop.system.single)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from hallway import __version__, logs
from hallway import config as settings
from hallway.store import Store, StoreFault
from ui.language import install_translator
from ui.lifetime import (
    finish_workers,
    keep_executor,
    leave_now,
    leave_tidily,
    network_executor,
    quit_on_sigterm,
    quit_requested,
    until_quit,
)

if TYPE_CHECKING:  # imported when needed: `--autostart` with the app switched off loads no Qt widgets
    from desktop.system.single import SingleInstance
    from desktop.tray_app import TrayApp


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallway-desktop",
        description="Hallway in the system tray: the feed, mentions and the colleague of the day.",
    )
    parser.add_argument("--version", action="version", version=f"hallway-desktop {__version__}")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--hidden", action="store_true", help="start in the tray only (how login starts it)")
    start.add_argument("--autostart", action="store_true",
                       help="how the system-wide login entry starts it: as --hidden, and not at all when "
                            "desktop.autostart is off (switched off by the person, or by IT)")
    start.add_argument("--show", choices=("feed", "colleague", "settings"), nargs="?", const="feed",
                       help="open a window at start (default when started by hand: the feed)")
    parser.add_argument("--language", help="the app's language (en, de), instead of the system's")
    parser.add_argument("link", nargs="?", default="",
                        help="a hallway:// link to open (a colleague's card, a post, today's colleague, who is in "
                             "today); given to the running copy when there is one")
    return parser


class OpenedLinks(QObject):
    """macOS hands a clicked hallway:// link to the running app as an open-URL event (Qt's
    FileOpen), not as an argument: it goes where a second launch's link goes."""

    def __init__(self, follow: Callable[[str], object], parent: QObject) -> None:
        super().__init__(parent)
        self.follow = follow

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            url = event.url()
            if url.scheme() == "hallway":
                self.follow(url.toString())
                return True
        return super().eventFilter(watched, event)


def open_store(config: settings.Config) -> Store | None:
    """The local copy; when it cannot be opened (held by another program, a read-only or full
    disk), a message that says so in words, with Try again and Quit, instead of a traceback.
    None when the person quits (or the session ends meanwhile)."""
    from PySide6.QtWidgets import QMessageBox

    while True:
        try:
            return Store(photo_cache_bytes=config["privacy.photo_cache_mb"] * 1024 * 1024)
        except StoreFault as fault:
            logging.getLogger("hallway.desktop").error("cannot open the local data: %s", fault)
            box = QMessageBox(QMessageBox.Icon.Warning, "Hallway", QApplication.translate(
                "Store", "Hallway cannot open its data on this computer."))
            box.setInformativeText(str(fault))
            box.setStandardButtons(QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Close)
            box.button(QMessageBox.StandardButton.Retry).setText(QApplication.translate("Store", "Try again"))
            box.button(QMessageBox.StandardButton.Close).setText(QApplication.translate("Store", "Quit"))
            box.setAccessibleName(QApplication.translate("Store", "Hallway cannot open its data"))
            watch = QTimer(box)  # a logout meanwhile (SIGTERM) closes it: nothing waits on a dialog
            watch.timeout.connect(lambda b=box: b.reject() if quit_requested() else None)
            watch.start(200)
            # Not inside the asyncio loop yet: a modal exec() is safe here (no task to re-enter).
            if box.exec() != QMessageBox.StandardButton.Retry or quit_requested():
                return None


def follow_wishes(single: SingleInstance, tray_app: TrayApp) -> None:
    """What a later launch asked the running copy for (desktop.system.single): a window, or a link."""

    def follow(wish: str) -> None:
        if wish.lower().startswith("hallway:"):
            tray_app.navigation.open_link(wish)
        elif wish == "colleague":
            tray_app.navigation.open_colleague()
        elif wish == "settings":
            tray_app.preferences.open()
        else:
            tray_app.navigation.open_window("feed")
    single.wanted.connect(follow)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    wish = args.link or ("show" if args.show in (None, "feed") else args.show)
    config = settings.load()
    if args.autostart and not config["desktop.autostart"]:
        return 0  # before any window, icon or network: switched off means nothing at all
    args.hidden = args.hidden or args.autostart

    import qasync

    from desktop.system.single import SingleInstance
    from desktop.tray_app import TrayApp

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hallway")
    app.setApplicationDisplayName("Hallway")
    app.setDesktopFileName("hallway-desktop")
    app.setQuitOnLastWindowClosed(False)  # closing the feed window leaves Hallway in the tray
    install_translator(app, args.language)
    single = SingleInstance()
    if not single.claim("" if args.hidden and not args.link else wish):
        return 0  # the running copy opens its window
    logs.start("hallway-desktop")
    for problem in config.problems:  # start anyway, on defaults; `hallway doctor` names them too
        logging.getLogger("hallway.desktop").warning("%s", problem)

    quit_on_sigterm(app)
    store = open_store(config)
    if store is None:  # the person chose to quit rather than wait for the data
        single.release()
        return 1
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executor = network_executor(3)
    loop.set_default_executor(executor)
    tray_app = TrayApp(config, store, executor)
    follow_wishes(single, tray_app)
    app.installEventFilter(OpenedLinks(tray_app.navigation.open_link, app))
    with loop:
        tray_app.start(show_window=not args.hidden and wish == "show")
        if args.link:
            tray_app.navigation.open_link(args.link)
        elif args.show == "colleague":
            tray_app.navigation.open_colleague()
        elif args.show == "settings":
            tray_app.preferences.open()
        tray_app.start_sync()
        loop.run_until_complete(until_quit(app))
        tray_app.stop()
        keep_executor(loop)
    single.release()
    finished = finish_workers(executor)
    leave_tidily([tray_app.feed_view.made(), tray_app.card, tray_app.preferences.window, tray_app.announcer])
    if not finished:
        leave_now(0)
    store.close()
    return 0

