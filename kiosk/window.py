"""The lobby window: routes between the screens, listens to the badge reader, and returns to
the welcome screen when nobody is there. The only kiosk module that knows every screen."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEasingCurve, QEvent, QObject, QPropertyAnimation, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QCursor, QFont, QPixmap, QResizeEvent
from PySide6.QtWidgets import QGraphicsOpacityEffect, QLabel, QLayout, QStackedLayout, QWidget

from hallway.celebrations import kinds_of
from hallway.model import Colleague
from hallway.networks import shown_link
from hallway.pin import PinGate
from hallway.store import DiskFull
from hallway.sync import Connection, Sync, SyncResult
from kiosk.badge import DEFAULT_PATTERN, Badge, BadgeReader
from kiosk.lobby import Arrival, Kept, Lobby, Unready, Where
from kiosk.lockdown import Lockdown
from kiosk.screens import Screen, set_font, text_label
from kiosk.screens.admin import Admin
from kiosk.screens.card import Card
from kiosk.screens.quiz import QuizScreen
from kiosk.screens.search import Search
from kiosk.screens.welcome import Welcome
from kiosk.theme import FAMILY, Theme
from kiosk.visitors import Sharing

FADE_MS = 180
HELD_RETRY_MS = 1000  # writes the store could not take are tried again this often
log = logging.getLogger("hallway.kiosk")


def settle_memory() -> None:
    """After the directory is loaded: collect once, then keep those objects out of the cyclic
    collector, so a collection never lands on the check-in path (10,000 colleagues cost a
    full collection several milliseconds)."""
    gc.collect()
    gc.freeze()
TOAST_MS = 3000


@dataclass(frozen=True)
class KioskSettings:
    office: str
    accent: str = "#2f6f5e"
    theme: str = "system"
    badge_gap_ms: int = 50
    badge_pattern: str = DEFAULT_PATTERN
    card_seconds: int = 20
    idle_seconds: int = 45
    leaderboard: bool = False
    celebrations: str = ""  # IT's celebrations.kinds: what to celebrate, for people who said yes
    hide_cursor: bool = False
    locked: bool = True
    server: str = ""  # the network's address: profile links on its host may become the QR code
    link_hosts: tuple[str, ...] = ()  # and those on hosts IT allows (network.link_hosts)


class KioskWindow(QWidget):
    card_shown = Signal()  # after the card's first paint (tests and bench/kiosk.py wait on it)
    exit_confirmed = Signal()

    def __init__(self, lobby: Lobby, settings: KioskSettings, gate: PinGate, logo: QPixmap | None = None,
                 family: str = "") -> None:
        super().__init__()
        self.lobby, self.settings, self.family = lobby, settings, family
        self.setWindowTitle(self.tr("Hallway lobby"))
        self.arrival: Arrival | None = None
        self.pending_badge: str | None = None
        self.nobody_listed = False  # a directory pass found nobody: the welcome screen says so
        self.connection = Connection.ONLINE
        self.pending = 0
        self.sync: Sync | None = None  # for the admin panel: what sync last found wrong
        self.allow_close = False
        self.on_resync: Callable[[], None] = lambda: None
        self.on_check_in: Callable[[], None] = lambda: None
        self.last_theme: Theme | None = None

        self.stack = QStackedLayout(self)
        # The screen's size decides the type scale, never the other way round: the window must not
        # grow to fit its content (each screen is laid out to fit 1280x800 and both orientations).
        self.stack.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.welcome = Welcome(settings.office, logo)
        self.search = Search()
        self.quiz = QuizScreen()
        self.card = Card()
        self.admin = Admin(gate)
        self.screens: list[Screen] = [self.welcome, self.search, self.quiz, self.card, self.admin]
        for screen in self.screens:
            self.stack.addWidget(screen)
        self.status = text_label("status", parent=self)
        self.toast = text_label("toast", wrap=True, parent=self)
        self.toast.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.toast.hide()
        self._note_header: QLabel | None = None  # the line beside which the status note sits, keeping it room
        self._toast_timer = QTimer(self)
        self._toast_timer.setSingleShot(True)
        self._toast_timer.timeout.connect(self.toast.hide)

        self.welcome.find_name.connect(lambda: self.open_search(linking=False))
        self.search.query_changed.connect(self._searched)
        self.search.chosen.connect(self._chosen)
        self.search.cancelled.connect(self.go_home)
        self.quiz.answered.connect(self._quiz_answered)
        self.quiz.done.connect(self._show_card)
        self.card.finished.connect(self.go_home)
        self.card.sharing_chosen.connect(self._sharing_chosen)
        self.admin.closed.connect(self.go_home)
        self.admin.exit_wanted.connect(self._exit)
        self.admin.resync_wanted.connect(lambda: self.on_resync())

        if settings.locked:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        if settings.hide_cursor:
            self.setCursor(QCursor(Qt.CursorShape.BlankCursor))
        # Input is watched where it enters, on the native window, before any widget sees it:
        # cheaper than an application-wide filter, which Qt would call for every paint and layout.
        self.winId()
        handle = self.windowHandle()
        assert handle is not None
        self.reader = BadgeReader(settings.badge_gap_ms, self, settings.badge_pattern)
        self.reader.badge.connect(self._badge)
        self.reader.on_key = lambda: self.sync.screen_busy() if self.sync is not None else None
        self.reader.garbled.connect(lambda _reason: self.show_toast(
            self.tr("That badge didn't read properly. Please try again.")))
        self.reader.typed.connect(self._typed)
        self.reader.erased.connect(lambda: self.search.erase() if self.stack.currentWidget() is self.search else None)
        self.lockdown = Lockdown(self, settings.locked)
        self.lockdown.admin_wanted.connect(self.open_admin)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(settings.idle_seconds * 1000)
        self.idle.timeout.connect(self.go_home)
        for watcher in (self, self.lockdown, self.reader):  # the last installed is asked first
            handle.installEventFilter(watcher)
        self.card.installEventFilter(self)
        self._card_waiting = False
        self.card_painted_at = 0.0  # perf_counter() at the end of the card's last first paint (bench/kiosk.py)
        self._held_timer = QTimer(self)  # while the store refuses writes: each kept one, again and again
        self._held_timer.setInterval(HELD_RETRY_MS)
        self._held_timer.timeout.connect(self.retry_held)

        self.refresh()
        self.show_status()

    # ------------------------------------------------------------ showing screens

    def switch(self, screen: QWidget, fade: bool = True) -> None:
        if self.stack.currentWidget() is screen:
            return
        self.stack.setCurrentWidget(screen)
        if fade:  # short and calm; never on the way to the card (it must not wait)
            effect = QGraphicsOpacityEffect(screen)
            screen.setGraphicsEffect(effect)
            animation = QPropertyAnimation(effect, b"opacity", screen)
            animation.setDuration(FADE_MS)
            animation.setStartValue(0.0)
            animation.setEndValue(1.0)
            animation.setEasingCurve(QEasingCurve.Type.OutCubic)
            animation.finished.connect(lambda: screen.setGraphicsEffect(None))  # type: ignore[arg-type]
            animation.start(QPropertyAnimation.DeletionPolicy.DeleteWhenStopped)
        self.show_status()  # not over the admin panel: it lists the same, and the note would cover Exit
        self.status.raise_()
        self.toast.raise_()

    def go_home(self) -> None:
        if self.arrival is not None:
            self._settle(self.arrival)  # someone who walked away mid-quiz is still checked in
            self.arrival = None
        if self.pending_badge is not None:
            log.info("a badge read was not linked: nobody chose a name before the screen went home")
        self.card.stop()
        self.pending_badge = None
        self.search.start(linking=False)
        self.refresh()
        self.switch(self.welcome)

    def open_search(self, linking: bool) -> None:
        self.search.start(linking)
        self.switch(self.search)

    def open_admin(self) -> None:
        self.card.stop()
        self.admin.open()
        self.admin.show_status(self.fact_lines(), self.alarm_lines())
        self.switch(self.admin)

    def show_toast(self, text: str) -> None:
        self.toast.setText(text)
        self._place_overlays()
        self.toast.show()
        self.toast.raise_()
        self._toast_timer.start(TOAST_MS)

    # ------------------------------------------------------------ arriving

    def _badge(self, badge: Badge) -> None:
        """Every badge read ends as a check-in, a refusal the person sees, or a line in the log."""
        current = self.stack.currentWidget()
        if current is self.admin:
            if self.admin.unlocked:
                known = self.lobby.visitors.badge_owner(badge.number) is not None
                self.admin.show_reader_test(self.tr("Read %1 characters in %2 ms: %3.").replace(
                    "%1", str(len(badge.number))).replace("%2", str(round(badge.took_ms))).replace(
                    "%3", self.tr("a linked badge") if known else self.tr("not linked yet")))
            else:
                log.info("a badge read while the admin PIN pad was open: not a check-in")
            return
        if current in (self.quiz, self.card) and self.arrival is not None:
            self.go_home()
        owner = self.lobby.badge_owner(badge.number)
        if owner is not None:
            self.arrive(owner, by_badge=True)
        elif not self.lobby.ready:
            outcome = self.lobby.arrive_unready(badge.number)
            self.show_toast(
                self.tr("Thanks, you're checked in. Your colleague of the day will be here once Hallway is ready.")
                if outcome is Unready.CHECKED_IN else
                self.tr("Thanks. Your check-in is not saved yet: the kiosk keeps trying, then sends it.")
                if outcome is Unready.HELD else
                self.tr("This kiosk does not know this badge, and the network lists nobody it may show, so this "
                        "check-in was not recorded. IT can see why in the admin panel.")
                if self.nobody_listed else
                self.tr("Hallway is still getting ready and does not know this badge yet, so this check-in was "
                        "not recorded. Please try again in a few minutes."))
            self._held_changed()
        else:
            self.pending_badge = badge.number
            self.open_search(linking=True)

    def _typed(self, text: str) -> None:
        """Slow typing on a physical keyboard goes to the name search."""
        if self.stack.currentWidget() is self.welcome and self.lobby.ready:
            self.open_search(linking=False)
        if self.stack.currentWidget() is self.search:
            self.search.type_text(text)
        else:
            log.info("%d typed character(s) while no search was open: not used", len(text))

    def _searched(self, text: str) -> None:
        people = self.lobby.search(text)
        self.search.show_results(people, {p.id: self.lobby.photo_of(p) for p in people})

    def _chosen(self, person: Colleague) -> None:
        by_badge = self.pending_badge is not None
        if self.pending_badge is not None:
            self.lobby.link(self.pending_badge, person)  # remembered at once, in memory if need be
            self.pending_badge = None
            self._held_changed()
        self.arrive(person, by_badge)

    def arrive(self, person: Colleague, by_badge: bool) -> None:
        arrival = self.lobby.arrive(person, by_badge)
        self.arrival = arrival
        if arrival.colleague is None:
            kept = self._settle(arrival)
            self.arrival = None
            self.go_home()
            self.show_toast(self.tr("You're checked in. There is nobody else to meet yet.") if kept is Kept.SAVED
                            else self.tr("Thanks. Your check-in is not saved yet: the kiosk keeps trying, then "
                                         "sends it."))
            return
        if arrival.quiz is not None:
            self.quiz.show_quiz(arrival.quiz, self.lobby.photo_of(arrival.quiz.subject))
            self.switch(self.quiz)
            return
        self._show_card()

    def _quiz_answered(self, chosen: Colleague | None) -> None:
        if self.arrival is not None:
            self.lobby.answer(self.arrival, chosen)

    def _show_card(self) -> None:
        arrival = self.arrival
        if arrival is None or arrival.colleague is None:
            return
        note = ""
        where = self.lobby.whereabouts(arrival.colleague)
        if arrival.quiz is not None:
            nearby = where.where in (Where.IN_HERE, Where.WORKS_HERE)
            note = (self.tr("Quiz: right! %n in a row.", "", arrival.streak) if arrival.streak else
                    self.tr("Quiz: now you know. See you at the coffee machine.") if nearby else
                    self.tr("Quiz: now you know."))
        elif arrival.again_today:
            note = self.tr("You already checked in today. Here is your colleague again.")
        self.card.show_card(arrival.person, arrival.colleague, self.lobby.photo_of(arrival.colleague),
                            self.lobby.today(), arrival.ask_sharing, note, self.settings.card_seconds, where)
        self._card_waiting = True
        self.switch(self.card, fade=False)

    def _after_card_paint(self) -> None:
        """Right after the card is on screen: commit the check-in (the card then says what became
        of it), then the QR code."""
        self.card_painted_at = time.perf_counter()
        if self.arrival is not None:
            self.card.show_kept(self._settle(self.arrival))
        if self.arrival is not None and self.arrival.colleague is not None:
            self.card.add_qr(shown_link(self.arrival.colleague.profile_url, self.settings.server,
                                        self.settings.link_hosts))
        self.card_shown.emit()

    def _settle(self, arrival: Arrival) -> Kept:
        kept = self.lobby.settle(arrival)
        self._held_changed()
        self.on_check_in()
        return kept

    def _sharing_chosen(self, choice: Sharing) -> None:
        if self.arrival is not None:
            if self.lobby.choose_sharing(self.arrival, choice) is Kept.HELD and choice is Sharing.YES:
                self.card.note.setText(self.tr("Thanks. Your colleagues will see that you're in as soon as the "
                                               "kiosk can save it."))
            self._held_changed()
            self.on_check_in()

    def _held_changed(self) -> None:
        """Writes kept in memory: tried again every second until the store takes them."""
        if self.lobby.held and not self._held_timer.isActive():
            self._held_timer.start()
        self.show_status()

    def retry_held(self) -> None:
        saved = self.lobby.retry_held()
        if not self.lobby.held:
            self._held_timer.stop()
        if any(held.arrival is self.arrival and self.arrival is not None for held in saved):
            self.card.show_kept(Kept.SAVED)
        if saved:
            self.on_check_in()  # what was saved may be waiting for the network
        self.show_status()

    # ------------------------------------------------------------ the network, from the app

    def refresh(self) -> None:
        """Redraw the welcome screen from the store (after a sync, or on the way back to it)."""
        self.welcome.set_ready(self.lobby.ready, self.nobody_listed)
        self.welcome.show_join(self.sync.join_by_following if self.sync is not None else "")
        announcements = self.lobby.store.announcements()
        self.welcome.show_announcement(announcements[0].text if announcements else "")
        self.welcome.show_in_today(self.lobby.in_today(), self.lobby.planned_today())
        self.welcome.show_celebrations(self.lobby.celebrations(kinds_of(self.settings.celebrations)),
                                       self.lobby.today())
        self.welcome.show_leaderboard(self.lobby.visitors.leaderboard() if self.settings.leaderboard else [])

    def warm_picks(self) -> None:
        """Work out today's colleague for everyone with a linked badge, one person per timer tick
        (about 10 ms each in a 10,000-person company), so their check-in is a lookup."""
        self._to_warm = self.lobby.visitors.linked_people()
        if not hasattr(self, "_warm_timer"):
            self._warm_timer = QTimer(self)
            self._warm_timer.setInterval(5)
            self._warm_timer.timeout.connect(self._warm_one)
        self._warm_timer.start()

    def _warm_one(self) -> None:
        if not self._to_warm:
            self._warm_timer.stop()
            return
        self.lobby.warm([self._to_warm.pop()])

    def synced(self, result: SyncResult) -> None:
        if any(p.step == "directory" for p in result.problems):
            # The network was asked and listed nobody (or refused): no longer just "getting ready".
            self.nobody_listed = True
        elif result.people_changed:
            self.nobody_listed = False
        if "check-ins" in result.refusals:
            self.lobby.sharing_refused = result.refusals["check-ins"]
        if result.people_changed or result.people_removed:
            self.lobby.refresh()
            settle_memory()
            self.warm_picks()
        if self.stack.currentWidget() is self.welcome:
            self.refresh()

    def set_connection(self, connection: Connection) -> None:
        self.connection = connection
        self.show_status()

    def set_pending(self, count: int) -> None:
        self.pending = count
        self.show_status()

    def show_status(self) -> None:
        """A small, calm note: only when something is not right."""
        parts = []
        if self.connection is Connection.OFFLINE:
            parts.append(self.tr("Offline"))
        elif self.connection is Connection.PROBLEM:
            parts.append(self.tr("Not syncing: IT can see why in the admin panel"))
        elif self.connection is Connection.SIGNED_OUT:
            parts.append(self.tr("Not connected: IT needs to renew the kiosk's sign-in"))
        elif self.connection is Connection.SLOW and self.pending:
            parts.append(self.tr("Sending slowly: the network limits how fast the kiosk may post"))
        if self.lobby.store.disk_full:
            parts.append(self.tr("The kiosk's disk is full: IT can see why in the admin panel"))
        if self.lobby.held:
            parts.append(self.tr("%n check-in(s) not saved yet: the kiosk keeps trying", "", len(self.lobby.held)))
        if self.pending:
            parts.append(self.tr("%n check-in(s) waiting to send", "", self.pending))
        self.status.setText("●  " + "  ·  ".join(parts) if parts else "")
        self.status.setVisible(bool(parts) and self.stack.currentWidget() is not self.admin)
        self._place_overlays()

    def status_lines(self) -> list[str]:
        """Everything the admin panel says, what needs IT first."""
        return [*self.alarm_lines(), *self.fact_lines()]

    def alarm_lines(self) -> list[str]:
        """What needs IT (the panel sets it apart, in the alert colour): check-ins not saved yet,
        a full disk, what sync could not do (in its words: step and reason), sharing refused, data
        set aside."""
        store, sync = self.lobby.store, self.sync
        lines = [*([self.tr("Not saved yet (kept in memory): %1. %2").replace("%1", str(len(self.lobby.held))).replace(
                     "%2", self.lobby.held_because)] if self.lobby.held else []),
                 *([self.tr("Disk: %1").replace("%1", str(DiskFull(store.path)))] if store.disk_full else [])]
        if sync is not None:
            problems = ([sync.problem] if sync.problem is not None and sync.connection is not Connection.ONLINE
                        else []) + list(sync.problems)
            lines += [self.tr("Problem: %1").replace("%1", str(problem)) for problem in problems]
            if self.lobby.sharing_refused:
                lines.append(self.tr("Check-ins are not shared: %1").replace("%1", self.lobby.sharing_refused))
            if recovered := store.get_state("store.recovered"):
                lines.append(self.tr("The local data was damaged and was set aside: %1").replace("%1", recovered))
        return lines

    def fact_lines(self) -> list[str]:
        """What the kiosk is and holds, and where its people and their facts come from."""
        store, sync = self.lobby.store, self.sync
        lines = [self.tr("Office: %1").replace("%1", self.settings.office),
                 self.tr("Connection: %1").replace("%1", self.connection.value),
                 self.tr("Colleagues in the directory: %1").replace("%1", str(len(self.lobby.people))),
                 self.tr("Check-ins waiting to send: %1").replace("%1", str(self.pending)),
                 self.tr("Linked badges: %1").replace("%1", str(self.lobby.visitors.linked_badges())),
                 self.tr("Photos cached: %1 MB").replace("%1", f"{store.photo_cache_size() / 1e6:.1f}")]
        if sync is not None:
            lines += [self.tr("Note: %1").replace("%1", words) for words in (n.words for n in sync.network.notes)]
            if sync.people_from:
                lines.append(self.tr("People from: %1").replace("%1", sync.people_from))
            if sync.facts_from:
                lines.append(self.tr("Profile facts from: %1").replace("%1", sync.facts_from))
        return lines

    # ------------------------------------------------------------ Qt plumbing

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress):
            if self.stack.currentWidget() is not self.welcome:
                self.idle.start()
        elif kind == QEvent.Type.Paint and watched is self.card and self._card_waiting:
            self._card_waiting = False
            QTimer.singleShot(0, self._after_card_paint)
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_theme()

    def apply_theme(self) -> None:
        size = self.size()
        if self.last_theme is not None and self.property("themed_for") == size:
            return  # already laid out for this size (show and resize both ask)
        self.setProperty("themed_for", size)
        theme = Theme.make(size.width(), size.height(), self.settings.accent, self.settings.theme,
                           self.family or FAMILY)
        self.last_theme = theme
        if self.styleSheet() == "" or self.property("scale") != theme.scale or self.property("dark") != theme.dark:
            self.setProperty("scale", theme.scale)
            self.setProperty("dark", theme.dark)
            self.setPalette(theme.palette())  # the background: a plain fill, much cheaper than a styled one
            self.setAutoFillBackground(True)
            self.setStyleSheet(theme.style_sheet())
        portrait = size.height() > size.width()
        for screen in self.screens:
            screen.apply_theme(theme, portrait)
        set_font(self.status, theme, 22, QFont.Weight.Medium)
        set_font(self.toast, theme, 30, QFont.Weight.Medium)
        self._place_overlays()

    def _place_overlays(self) -> None:
        """The status note sits in the bottom corner where the reading starts to end (right, or
        left in Arabic), or level with a screen's first line where its bottom is busy (the card's
        QR code, the search's space bar): that line then keeps the note's room free."""
        margin = self.last_theme.px(24) if self.last_theme else 24
        self.status.adjustSize()
        width, rtl = self.status.width(), self.isRightToLeft()
        current = self.stack.currentWidget()
        x = margin if rtl else self.width() - width - margin
        corner = QRect(x, self.height() - self.status.height() - margin, width, self.status.height())
        line = current.note_line(corner) if isinstance(current, Screen) else None
        if self._note_header is not None and (line is None or line[0] is not self._note_header):
            self._note_header.setContentsMargins(0, 0, 0, 0)  # the note moved away: its room is the line's again
            self._note_header = None
        if line is None:
            self.status.move(corner.topLeft())
        else:
            header, beside = line
            room = width + margin if self.status.isVisible() else 0
            self._note_header = header
            header.setContentsMargins(room if rtl else 0, 0, 0 if rtl else room, 0)
            top = header.mapTo(self, header.rect().topLeft()).y()
            top += (header.fontMetrics().height() - self.status.height()) // 2
            if beside is not None and beside.isVisible():
                left = beside.mapTo(self, beside.rect().topLeft()).x()
                x = left + beside.width() + margin if rtl else left - width - margin
            self.status.move(x, max(margin // 2, top))
        toast = min(self.width() - 2 * margin, max(400, self.width() * 2 // 3))
        self.toast.setFixedWidth(toast)
        self.toast.adjustSize()
        self.toast.move((self.width() - toast) // 2, self.height() - self.toast.height() - margin * 5)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.settings.locked and not self.allow_close:
            event.ignore()  # Alt+F4 through a window manager, or anything else asking it to close
            return
        super().closeEvent(event)

    def _exit(self) -> None:
        self.allow_close = True
        self.exit_confirmed.emit()
        self.close()

    def show_kiosk(self, windowed_size: tuple[int, int] | None) -> None:
        if windowed_size is not None or not self.settings.locked:
            self.resize(*(windowed_size or (1280, 800)))
            self.show()
        else:
            self.showFullScreen()
        self.apply_theme()
        self.activateWindow()
        self.raise_()
