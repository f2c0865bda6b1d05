"""The person's settings: the window (made when first opened), each change saved at once, the
settings read again and handed to the parts that follow them (``changed``), and the login entry
kept as they say. Each time the window opens, the network is asked (off the GUI thread) which
hashtags, communities or groups the person may choose as their feed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor

from PySide6.QtCore import QObject, QRect, Signal

from desktop.system import autostart
from desktop.views.placement import near_tray
from desktop.views.settings_window import SettingsWindow
from hallway import config as settings
from hallway.model import FeedRef
from hallway.networks import Network
from ui.background import Background

log = logging.getLogger(__name__)


class Preferences(QObject):
    changed = Signal(object)  # the settings now in force (hallway.config.Config)
    feed_chosen = Signal(str)  # the feed the person now wants ("local", "home", "#tag")
    sign_out_wanted = Signal()

    def __init__(self, config: settings.Config, account: Callable[[], tuple[str, bool]],
                 tray_rect: Callable[[], QRect | None], executor: Executor,
                 network: Callable[[], Network | None]) -> None:
        """``account``: what to say about the sign-in, and whether signed in; ``tray_rect``:
        where the tray icon is, to open beside it; ``network``: the one signed in, if any."""
        super().__init__()
        self.config, self._account, self._tray_rect = config, account, tray_rect
        self.window: SettingsWindow | None = None
        self._network = network
        self.background = Background(executor, self)

    def open(self) -> None:
        if self.window is None:
            self.window = SettingsWindow(self.config)
            self.window.changed.connect(self.change)
            self.window.sign_out_wanted.connect(self.sign_out_wanted)
        self.window.show_account(*self._account())
        if not self.window.isVisible():  # beside the tray icon, wholly on its screen (never off its edge)
            self.window.adjustSize()
            near_tray(self.window, self._tray_rect())
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self._ask_for_feeds()

    def _ask_for_feeds(self) -> None:
        network = self._network()
        if network is None or self.config.is_locked("network.feed") or self.background.busy():
            return

        def offered(feeds: list[FeedRef]) -> None:
            if self.window is not None:
                self.window.show_feeds(feeds, str(self.config["network.feed"]))

        def failed(failure: BaseException) -> None:  # offline: the window offers what it knows
            log.warning("could not ask the network which feeds to offer: %s", failure)
        self.background.run(network.feeds, offered, failed)

    def show_account(self, words: str, signed_in: bool) -> None:
        if self.window is not None:
            self.window.show_account(words, signed_in)

    def change(self, key: str, value: object) -> None:
        if self.config.is_locked(key):
            return
        feed = self.config["network.feed"]
        settings.save_user_value(key, value, self.config.user_file)
        self.config = settings.load(self.config.machine_file, self.config.user_file)
        self.changed.emit(self.config)
        if key == "desktop.autostart":
            self.apply_autostart()
        if key == "network.feed" and value != feed:
            self.feed_chosen.emit(str(value))

    def apply_autostart(self) -> None:
        """Keep the login entry as the settings say (IT's locked value included)."""
        try:
            starter = autostart.for_this_os()
            wanted = bool(self.config["desktop.autostart"])
            if wanted and not starter.enabled():
                starter.enable(autostart.launch_command())
            elif not wanted and starter.enabled():
                starter.disable()
        except OSError:
            log.warning("could not change the login entry", exc_info=True)
