"""The attract loop: office, clock, today's announcement, who is in, and one clear call."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hallway.celebrations import Celebration
from kiosk.screens import Screen, button, elide, set_font, taller_than_its_window, text_label
from kiosk.theme import Theme
from ui.language import Cheers, day_and_month

SMALLEST_GREETING = 64  # the greeting's type on the shortest screen with everything on it


class Welcome(Screen):
    find_name = Signal()

    def __init__(self, office: str, logo: QPixmap | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logo_pixmap = logo
        self.theme: Theme | None = None
        self.greeting_size = 110
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.logo = QLabel()
        self.logo.setVisible(logo is not None)
        self.office = text_label()
        self.office.setText(office or self.tr("Welcome"))
        when = QVBoxLayout()
        self.clock = text_label()
        self.date = text_label("muted")
        for label in (self.clock, self.date):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
            when.addWidget(label)
        top.addWidget(self.logo)
        top.addWidget(self.office, 1, Qt.AlignmentFlag.AlignVCenter)
        top.addLayout(when)
        root.addLayout(top)
        root.addStretch(2)

        self.greeting = text_label(wrap=True)
        self.call = text_label("muted", wrap=True)
        self.find_button = button(self.tr("Find my name"), "primary")
        self.find_button.clicked.connect(self.find_name)
        for widget in (self.greeting, self.call):
            widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            root.addWidget(widget)
        root.addSpacing(24)
        root.addWidget(self.find_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.join = text_label("muted", wrap=True)  # how to join, where following the lobby is the opt-in
        self.join.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.join.hide()
        root.addSpacing(12)
        root.addWidget(self.join)
        root.addStretch(2)

        # birthdays, anniversaries, new joiners (opt-in only); then the announcement
        self._cheers: list[str] = []  # the day's celebration lines, all of them (fewer may fit)
        self.celebration, self.celebration_row, self.celebration_mark, self.celebration_text = \
            self._panel(self.tr("Celebrating"))
        root.addWidget(self.celebration)
        root.addSpacing(12)
        self.celebration.hide()
        self.announcement, self.announcement_row, self.announcement_mark, self.announcement_text = \
            self._panel(self.tr("Today"))
        root.addWidget(self.announcement)
        root.addSpacing(16)

        bottom = QHBoxLayout()
        self.in_today = text_label("chip")
        self.leaders = text_label("muted", wrap=True)
        bottom.addWidget(self.in_today, 0)
        bottom.addStretch(1)
        bottom.addWidget(self.leaders, 0)
        root.addLayout(bottom)
        self._root = root
        self.ready = True
        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.timeout.connect(self.update_clock)
        self.show_announcement("")
        self.show_in_today(0)
        self.show_leaderboard([])
        self.set_ready(True)

    def update_clock(self) -> None:
        """Redrawn once a minute, on the minute: an idle kiosk should not wake every second."""
        now = QDateTime.currentDateTime()
        locale = QLocale()
        self.clock.setText(locale.toString(now.time(), QLocale.FormatType.ShortFormat))
        self.date.setText(day_and_month(now.date(), locale))  # "Mittwoch, 2. Dezember"
        hour = now.time().hour()
        if self.ready:
            self.greeting.setText(self.tr("Good morning") if 4 <= hour < 12 else
                                  self.tr("Good afternoon") if 12 <= hour < 18 else self.tr("Good evening"))
        self._tick.start(max(1000, (60 - datetime.now().second) * 1000))

    def set_ready(self, ready: bool, nobody_listed: bool = False) -> None:
        """Not ready: a first start before the directory has arrived, or (``nobody_listed``) a
        network that was read and lists nobody the kiosk may show. Known badges still count."""
        self.ready = ready
        if ready:
            self.call.setText(self.tr("Scan your badge to check in, or find your name"))
            self.update_clock()
        elif nobody_listed:
            self.greeting.setText(self.tr("No colleagues to meet yet"))
            self.call.setText(self.tr("The network lists nobody this kiosk may show, so there is no name to find. "
                                      "A badge this kiosk already knows still checks in. IT can see why in the "
                                      "admin panel."))
        else:
            self.greeting.setText(self.tr("Getting ready…"))
            self.call.setText(self.tr("Hallway is fetching your colleagues. You can still scan your badge: "
                                      "your check-in will be kept."))
        self.find_button.setVisible(ready)
        self._fit_height()

    def show_join(self, account: str) -> None:
        """Where people join this kiosk by following its account: say so, so it is a choice."""
        self.join.setText(self.tr("Not here yet? Follow %1 on the company network: that is how you join this "
                                  "kiosk. Unfollow it to leave.").replace("%1", account))
        self.join.setVisible(bool(account))
        self._fit_height()

    def show_announcement(self, text: str) -> None:
        self.announcement_text.setText(elide(text, 220))
        self.announcement.setVisible(bool(text.strip()))
        self._fit_height()

    def show_in_today(self, count: int, planned: int = 0) -> None:
        """How many are in, and beside it how many planned to come (the office week)."""
        words = self.tr("%n colleague(s) in today", "", count) if count else self.tr("Be the first one in today")
        self.in_today.setText(words + ("  ·  " + self.tr("%n planned", "", planned) if planned else ""))

    @staticmethod
    def _panel(mark: str) -> tuple[QFrame, QHBoxLayout, QLabel, QLabel]:
        """A strip with an accent word at its start ("Today") and its text."""
        frame = QFrame()
        frame.setProperty("role", "panel")
        row = QHBoxLayout(frame)
        marker, text = text_label("accent"), text_label(wrap=True)
        marker.setText(mark)
        row.addWidget(marker, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(text, 1)
        return frame, row, marker, text

    def show_celebrations(self, found: list[Celebration], today: date) -> None:
        """Birthdays, anniversaries and new joiners, a line each (ui.language.Cheers)."""
        self._cheers = Cheers().lines(found, today, most=3)
        self.celebration_text.setText("\n".join(self._cheers))
        self.celebration.setVisible(bool(self._cheers))
        self._fit_height()

    def show_leaderboard(self, leaders: list[tuple[str, int]]) -> None:
        """Only when IT turned it on: first names and best quiz streaks."""
        self.leaders.setVisible(bool(leaders))
        self.leaders.setText(self.tr("Quiz streaks: ") + ", ".join(f"{name} {best}" for name, best in leaders))

    def apply_theme(self, theme: Theme, portrait: bool) -> None:
        self.theme = theme
        margin = theme.px(72)
        self._root.setContentsMargins(margin, theme.px(56), margin, theme.px(48))
        set_font(self.office, theme, 40, QFont.Weight.DemiBold)
        set_font(self.clock, theme, 72, QFont.Weight.DemiBold)
        set_font(self.date, theme, 26)
        self.greeting_size = 110 if not portrait else 96
        set_font(self.call, theme, 40)
        set_font(self.find_button, theme, 40, QFont.Weight.DemiBold)
        self.find_button.setMinimumSize(theme.px(560), max(72, theme.px(128)))
        set_font(self.announcement_mark, theme, 28, QFont.Weight.DemiBold)
        set_font(self.celebration_mark, theme, 28, QFont.Weight.DemiBold)
        set_font(self.celebration_text, theme, 28)
        self.celebration_row.setContentsMargins(theme.px(36), theme.px(22), theme.px(36), theme.px(22))
        self.celebration_row.setSpacing(theme.px(28))
        set_font(self.announcement_text, theme, 28)
        self.announcement_row.setContentsMargins(theme.px(36), theme.px(26), theme.px(36), theme.px(26))
        self.announcement_row.setSpacing(theme.px(28))
        set_font(self.in_today, theme, 28, QFont.Weight.Medium)
        set_font(self.leaders, theme, 24)
        set_font(self.join, theme, 24)
        if self.logo_pixmap is not None:
            side = theme.px(84)
            self.logo.setPixmap(self.logo_pixmap.scaled(side * 3, side, Qt.AspectRatioMode.KeepAspectRatio,
                                                        Qt.TransformationMode.SmoothTransformation))
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fitted again at the size the screen has now (the first fitting may come before the
        kiosk's window has its final size)."""
        super().resizeEvent(event)
        if event.size() != event.oldSize():
            self._fit_height()

    def _fit_height(self) -> None:
        """A short screen with celebrations, an announcement and the day's count (1280x800): the
        greeting's type gives way, never the lines below it (#28: the last celebration's line was
        cut at the bottom)."""
        if self.theme is None:
            return
        self._show_cheers(len(self._cheers))
        size = self.greeting_size
        set_font(self.greeting, self.theme, size, QFont.Weight.Bold)
        while size > SMALLEST_GREETING and self._too_tall():
            size -= 8
            set_font(self.greeting, self.theme, size, QFont.Weight.Bold)
        shown = len(self._cheers)
        while shown > 1 and self._too_tall():  # a weekend's worth on a short screen: the first ones, whole
            shown -= 1
            self._show_cheers(shown)

    def _show_cheers(self, shown: int) -> None:
        """The first ``shown`` celebration lines, and how many more there are."""
        lines = self._cheers[:shown]
        if shown < len(self._cheers):
            lines.append(self.tr("…and %n more to celebrate", "", len(self._cheers) - shown))
        self.celebration_text.setText("\n".join(lines))
        self._hold_lines()

    def _hold_lines(self) -> None:
        """Each panel's text keeps the height its lines need at the width it will have: Qt's
        layouts leave a framed panel's border out of that sum and cut the last line's foot."""
        inside = self.window().width() - self._root.contentsMargins().left() - self._root.contentsMargins().right()
        for frame, row, mark, text in ((self.celebration, self.celebration_row, self.celebration_mark,
                                        self.celebration_text),
                                       (self.announcement, self.announcement_row, self.announcement_mark,
                                        self.announcement_text)):
            margins = row.contentsMargins()
            room = (inside - 2 * frame.frameWidth() - margins.left() - margins.right() - row.spacing()
                    - mark.sizeHint().width())
            text.setMinimumHeight(0)  # a label's height for a width never goes below its minimum
            needed = text.heightForWidth(room) if text.text() else 0
            text.setMinimumHeight(needed)
            # and the panel around it, so the screen's sum sees what the panel really needs
            frame.setMinimumHeight(needed + margins.top() + margins.bottom() + 2 * frame.frameWidth() if needed else 0)

    def _too_tall(self) -> bool:
        self._root.invalidate()
        return taller_than_its_window(self, self._root) or self._needed() > self.window().height()

    def _needed(self) -> int:
        """What the screen's lines need, each at its own height for the width it will have (a
        wrapped greeting or panel, at its font now), summed with the spacing: Qt's minimum for
        the whole counts a wrapped label at its narrowest-case height and came out short."""
        root, margins = self._root, self._root.contentsMargins()
        inner = self.window().width() - margins.left() - margins.right()
        total, shown = margins.top() + margins.bottom(), 0
        for index in range(root.count()):
            item = root.itemAt(index)
            if item is None or ((widget := item.widget()) is not None and widget.isHidden()):
                continue
            height = item.heightForWidth(inner) if item.hasHeightForWidth() else item.sizeHint().height()
            total += max(height, item.minimumSize().height())
            shown += 1
        return total + root.spacing() * max(0, shown - 1)
