"""The colleague card: the face and the few facts that start a conversation in the hallway.

Drawn from the local store only. The QR code is added just after the first paint (encoding
takes milliseconds), so nothing slows the card down.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QElapsedTimer, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from hallway.model import Colleague
from kiosk.lobby import Kept, Where, Whereabouts
from kiosk.portrait import Portrait
from kiosk.qr import QrCode
from kiosk.screens import Screen, button, elide, set_font, taller_than_its_window, text_label
from kiosk.screens.words import elide_lines, lines_needed
from kiosk.theme import Theme
from kiosk.visitors import Sharing
from ui.language import Tenure

NOWHERE = Whereabouts(Where.UNKNOWN)
NAME_SIZE, SMALLEST_NAME = 84, 56  # the name's type, and how far it may shrink for a long name or a short screen
LINES = {"name": 2, "role": 2, "ask": 2}  # at most, cut at a whole word after

class Card(Screen):
    finished = Signal()
    sharing_chosen = Signal(object)  # Sharing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme: Theme | None = None
        self.colleague: Colleague | None = None
        self.whereabouts = NOWHERE
        self.whole: dict[QLabel, str] = {}  # what the name, role and "ask me about" say before fitting
        self.lines = dict(LINES)
        self.name_size = NAME_SIZE
        root = QVBoxLayout(self)
        self.checked_in = text_label("accent", wrap=True)
        self.first_name = ""
        root.addWidget(self.checked_in)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.photo = Portrait(400)
        self.ribbon = QLabel(self.photo)
        self.ribbon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ribbon.setText(self.tr("New joiner"))
        self.body.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignCenter)
        facts = QVBoxLayout()
        self.meet = text_label("muted")
        self.meet.setText(self.tr("Today, meet"))
        self.name = text_label(wrap=True)
        self.pronouns = text_label("muted")
        self.role = text_label(wrap=True)
        self.chips_row = QHBoxLayout()
        self.chips = [text_label("chip") for _ in range(3)]
        for chip in self.chips:
            self.chips_row.addWidget(chip)
        self.chips_row.addStretch(1)
        self.ask = text_label(wrap=True)
        self.where = text_label("accent", wrap=True)  # where to meet them, truthfully
        for widget in (self.meet, self.name, self.pronouns, self.role):
            facts.addWidget(widget)
        # The gaps between the facts give way first on a short screen (1024x768), never the words.
        self.gaps = [QSpacerItem(0, 20, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Maximum) for _ in range(3)]
        facts.addItem(self.gaps[0])
        facts.addLayout(self.chips_row)
        facts.addItem(self.gaps[1])
        facts.addWidget(self.ask)
        facts.addItem(self.gaps[2])
        facts.addWidget(self.where)
        facts.addStretch(1)
        self.facts = facts
        self.body.addLayout(facts, 1)
        root.addLayout(self.body, 1)

        bottom = QHBoxLayout()
        self.question = QFrame()
        self.question.setProperty("role", "panel")
        # The question beside its buttons in landscape, above them in portrait.
        self.ask_row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.question)
        self.question_text = text_label(wrap=True)
        self.question_text.setText(self.tr("Tell colleagues you're in today? Hallway posts it on the company "
                                           "network. You can change this at any check-in."))
        self.ask_row.addWidget(self.question_text, 1)
        buttons = QHBoxLayout()
        self.share_buttons = []
        for label, choice, role in ((self.tr("Yes, share"), Sharing.YES, "primary"), (self.tr("No"), Sharing.NO, ""),
                                    (self.tr("Not now"), Sharing.ASK, "quiet")):
            push = button(label, role)
            push.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addWidget(push)
            self.share_buttons.append(push)
        self.ask_row.addLayout(buttons)
        self.note = text_label("muted", wrap=True)
        left = QVBoxLayout()
        left.addWidget(self.question)
        left.addWidget(self.note)
        self.tap = text_label("muted")
        self.tap.setText(self.tr("Tap anywhere to finish"))
        left.addWidget(self.tap)
        self.countdown = QProgressBar()
        self.countdown.setTextVisible(False)
        self.countdown.setRange(0, 1000)
        left.addWidget(self.countdown)
        bottom.addLayout(left, 1)
        qr_box = QVBoxLayout()
        self.qr = QrCode(160)
        self.qr_label = text_label("muted")
        self.qr_label.setText(self.tr("Open on your phone"))
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        qr_box.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        qr_box.addWidget(self.qr_label)
        bottom.addLayout(qr_box)
        root.addLayout(bottom)
        self._root = root
        self._clock = QElapsedTimer()
        self._seconds = 20.0
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)

    # ------------------------------------------------------------ what it shows

    def show_card(self, person: Colleague, colleague: Colleague, photo: bytes | None, today: date,
                  ask_sharing: bool, note: str, seconds: float,
                  where: Whereabouts = NOWHERE) -> None:
        self.colleague = colleague
        self.whereabouts = where
        self.first_name = person.name.split(" ")[0] if person.name else ""
        self.checked_in.setText("")  # said once the check-in is saved (show_kept), a frame later
        self.photo.show_colleague(colleague, photo)
        self.whole = {self.name: elide(colleague.name, 80),
                      self.role: elide(" · ".join(x for x in (colleague.title, colleague.team) if x), 140),
                      self.ask: self.tr("Ask me about %1").replace("%1", elide(colleague.ask_me_about, 160))
                      if colleague.ask_me_about else ""}
        for label, words in self.whole.items():
            label.setText(words)
            label.setAccessibleName(words)  # the whole of it, where the screen shows it cut
        self.pronouns.setText(colleague.pronouns)
        self.pronouns.setVisible(bool(colleague.pronouns))
        facts = [self.tr("%1 office").replace("%1", elide(colleague.office, 40)) if colleague.office else "",
                 self.joined(colleague.started_on, today),
                 elide(", ".join(colleague.hobbies[:3]), 60)]
        facts = [f for f in facts if f]
        for chip, fact in zip(self.chips, facts + [""] * 3, strict=False):
            chip.setText(fact)
            chip.setToolTip(fact)  # the whole text, for _fit_chips
            chip.setVisible(bool(fact))
        self.ask.setVisible(bool(colleague.ask_me_about))
        self.where.setText(self.where_words(where))
        self.where.setVisible(bool(self.where.text()))
        self.ribbon.setVisible(colleague.is_new_joiner(today))
        self.question.setVisible(ask_sharing)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.qr.show_url("")
        self._seconds = seconds
        self._clock.start()
        self.countdown.setValue(1000)
        self._timer.start()
        self._place_ribbon()
        self._fit_chips()
        self._fit_height()

    def show_kept(self, kept: Kept) -> None:
        """What the check-in is, truthfully: "checked in" only once it is on the kiosk's disk."""
        if kept is Kept.SAVED:
            self.checked_in.setText(self.tr("✓  You're checked in, %1").replace("%1", self.first_name))
        else:
            self.checked_in.setText(self.tr("Thanks, %1. Your check-in is not saved yet: the kiosk keeps trying, "
                                            "then sends it.").replace("%1", self.first_name))
        self.checked_in.setProperty("role", "accent" if kept is Kept.SAVED else "muted")
        self.checked_in.style().unpolish(self.checked_in)
        self.checked_in.style().polish(self.checked_in)

    def add_qr(self, link: str) -> None:
        """After the first paint: the profile's link as a QR code (``link`` is "" where the
        profile's address is not one to offer: see hallway.networks.shown_link)."""
        if self.colleague is not None:
            self.qr.show_url(link)
            far = self.whereabouts.where in (Where.WORKS_ELSEWHERE, Where.IN_ELSEWHERE)
            words = self.tr("Say hi from your phone") if far else self.tr("Open on your phone")
            self.qr_label.setText(words if link else "")

    def where_words(self, where: Whereabouts) -> str:
        """The card never promises a meeting that cannot happen today."""
        office = elide(where.office, 40)
        if where.where is Where.IN_HERE:
            return self.tr("In today: find them here in %1").replace("%1", office)
        if where.where is Where.IN_ELSEWHERE:
            return self.tr("In the %1 office today: say hi on the network").replace("%1", office)
        if where.where is Where.WORKS_HERE:
            return self.tr("Works in %1").replace("%1", office)
        if where.where is Where.WORKS_ELSEWHERE:
            return self.tr("Works in %1: say hi on the network").replace("%1", office)
        return ""

    def joined(self, started: date | None, today: date) -> str:
        return Tenure().since(started, today)

    def _choose(self, choice: Sharing) -> None:
        self.question.setVisible(False)
        self.note.setText(self.tr("Thanks. Your colleagues will see that you're in.") if choice is Sharing.YES
                          else self.tr("Fine: your check-in stays private."))
        self.note.setVisible(True)
        self._clock.restart()
        self.sharing_chosen.emit(choice)

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        left = 1 - self._clock.elapsed() / 1000 / self._seconds
        self.countdown.setValue(max(0, int(left * 1000)))
        if left <= 0:
            self._timer.stop()
            self.finished.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._timer.stop()
        self.finished.emit()

    # ------------------------------------------------------------ how it looks

    def _fit_chips(self) -> None:
        """Where the row is narrower than the facts, the last chip (hobbies) ends in "…": in portrait,
        and in landscape on a small screen beside the photo. (``isHidden`` because the card may not
        be shown yet.)"""
        last = self.chips[2]
        if last.isHidden() or self.theme is None:
            return
        room = self._facts_room() - 2 * self.chips_row.spacing()
        room -= sum(chip.sizeHint().width() for chip in self.chips[:2] if not chip.isHidden())
        padding = last.sizeHint().width() - last.fontMetrics().horizontalAdvance(last.text())
        text = last.fontMetrics().elidedText(last.toolTip(), Qt.TextElideMode.ElideRight, max(60, room - padding))
        last.setText(text)

    def _facts_room(self) -> int:
        """The facts column's width: the window's, less the margins and the photo beside it. (The
        window's: a page the stack has not shown yet still has Qt's default size.)"""
        margins = self._root.contentsMargins()
        room = self.window().width() - margins.left() - margins.right()
        if self.body.direction() == QBoxLayout.Direction.LeftToRight:
            room -= self.photo.width() + self.body.spacing()
        return room

    def _fit_words(self) -> None:
        """A long name takes smaller type (down to SMALLEST_NAME) before a third line; the name,
        the role and "ask me about" end at a whole word with "…" past their lines (#28: at
        1280x800 a long name's second line and a role's second line were cut off below)."""
        if self.theme is None or not self.whole:
            return
        room = self._facts_room()
        size = self.name_size
        set_font(self.name, self.theme, size, QFont.Weight.Bold)
        while size > SMALLEST_NAME and lines_needed(self.whole[self.name], self.name.fontMetrics(),
                                                    room) > self.lines["name"]:
            size -= 4
            set_font(self.name, self.theme, size, QFont.Weight.Bold)
        for label, most in ((self.name, self.lines["name"]), (self.role, self.lines["role"]),
                            (self.ask, self.lines["ask"])):
            label.setText(elide_lines(self.whole[label], label.fontMetrics(), room, most))
            label.setMinimumHeight(round(label.fontMetrics().height() * 1.05) if label is not self.ask else 0)

    def _fit_height(self) -> None:
        """On a short screen with every line the card can have, the space between the facts gives
        way first (their spacing, then the gaps), then the name's type, then the role's and the
        "ask me about"'s second lines; never words cut through: a layout asked for less than its
        minimum squashes whatever it likes, the chips' and the name's words first (#28)."""
        if self.theme is None:
            return
        self.facts.setSpacing(self.body.spacing() if self.body.direction() == QBoxLayout.Direction.LeftToRight
                              else -1)
        spacing, least = self.body.spacing(), self.theme.px(8)
        self.lines, self.name_size = dict(LINES), NAME_SIZE
        self._fit_words()
        while self._too_tall() and spacing > least:
            spacing = max(least, spacing - self.theme.px(4))
            self.facts.setSpacing(spacing)
        while self._too_tall() and self.name_size > SMALLEST_NAME:
            self.name_size -= 4
            self._fit_words()
        for line in ("ask", "role"):
            if self._too_tall():
                self.lines[line] = 1
                self._fit_words()

    def _too_tall(self) -> bool:
        self._relayout()
        return taller_than_its_window(self, self._root)

    def _relayout(self) -> None:
        """Qt keeps each layout's sizes until told: the facts, the body, then the card."""
        for layout in (self.facts, self.body, self._root):
            layout.invalidate()

    def _place_ribbon(self) -> None:
        side = self.photo.width()
        height = max(40, side // 8)
        self.ribbon.setGeometry(side // 6, side - height - side // 20, side - side // 3, height)

    def note_line(self, corner: QRect) -> tuple[QLabel, QWidget | None]:
        return self.checked_in, None

    def apply_theme(self, theme: Theme, portrait: bool) -> None:
        self.theme = theme
        margin = theme.px(72)
        self._root.setContentsMargins(margin, theme.px(48), margin, theme.px(40))
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(theme.px(64))
        self.photo.set_side(theme.px(640 if portrait else 470))
        self.ribbon.setStyleSheet(f"background: {theme.accent.name()}; color: {theme.on_accent.name()};"
                                  f"border-radius: {theme.px(14)}px;")
        set_font(self.ribbon, theme, 26, QFont.Weight.Bold)
        set_font(self.checked_in, theme, 32, QFont.Weight.DemiBold)
        set_font(self.meet, theme, 30, QFont.Weight.Medium)
        set_font(self.name, theme, self.name_size, QFont.Weight.Bold)
        set_font(self.pronouns, theme, 28)
        set_font(self.role, theme, 40, QFont.Weight.Medium)
        for chip in self.chips:
            set_font(chip, theme, 26, QFont.Weight.Medium)
        self.chips_row.setSpacing(theme.px(14))
        for gap, size in zip(self.gaps, (20, 12, 12), strict=True):
            gap.changeSize(0, theme.px(size), QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Maximum)
        self.facts.invalidate()
        set_font(self.ask, theme, 32)
        set_font(self.where, theme, 30, QFont.Weight.DemiBold)
        for label in (self.name, self.role, self.where):  # squeezed, a line would lose its descenders
            label.setMinimumHeight(round(label.fontMetrics().height() * 1.05))
        # Its line is kept while it is empty (the frame before the check-in is saved): nothing jumps.
        self.checked_in.setMinimumHeight(round(self.checked_in.fontMetrics().height() * 1.05))
        set_font(self.question_text, theme, 26)
        self.ask_row.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.ask_row.setContentsMargins(theme.px(28), theme.px(18), theme.px(18), theme.px(18))
        self.ask_row.setSpacing(theme.px(14))
        for push in self.share_buttons:
            set_font(push, theme, 26, QFont.Weight.DemiBold)
        set_font(self.note, theme, 26)
        set_font(self.tap, theme, 22)
        self.countdown.setFixedHeight(max(4, theme.px(6)))
        self.qr.setFixedSize(theme.px(150), theme.px(150))
        set_font(self.qr_label, theme, 18)
        alignment = Qt.AlignmentFlag.AlignHCenter if portrait else Qt.AlignmentFlag.AlignLeft
        for label in (self.meet, self.name, self.pronouns, self.role, self.ask, self.where):
            label.setAlignment(alignment)
        self._place_ribbon()
        self._fit_chips()
        self._fit_height()
