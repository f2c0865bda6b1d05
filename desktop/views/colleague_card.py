"""The colleague of the day on a laptop: a small card, the kiosk's card in miniature. Photo,
name, pronouns, title and team, the facts as chips, "Ask me about …", and two ways to act on
it: "Say hi" (the feed window's compose box, with the mention written) and "Invite for
coffee" (a meeting request for the company's calendar, desktop.parts.coffee). All profile
text is shown as plain text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.views.look import muted_css
from hallway.model import Colleague
from hallway.text import cap
from ui.faces import pixmap_of
from ui.language import Tenure, fill

PHOTO = 132


def plain(text: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # a profile is the person's text, never markup
    label.setText(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    return label


class ColleagueCard(QWidget):
    say_hi = Signal(object)  # the Colleague
    invite = Signal(object)
    star = Signal(object, bool)  # the Colleague, starred or not (the office week)

    def __init__(self, accent: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("colleague-card")
        self.setWindowTitle(self.tr("Colleague of the day"))
        self.setFixedWidth(380)
        self.colleague: Colleague | None = None
        self.accent = accent

        self.heading = QLabel(self.tr("Your colleague of the day"))
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.heading.setObjectName("heading")
        self.photo = QLabel()
        self.photo.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.name = plain("")
        self.name.setObjectName("name")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setWeight(QFont.Weight.Bold)
        self.name.setFont(font)
        self.pronouns = plain("")
        self.pronouns.setObjectName("muted")
        self.role = plain("")
        self.chips = QHBoxLayout()
        self.chips.setSpacing(6)
        self.chips.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.hobbies = plain("")
        self.ask = plain("")
        self.ask.setObjectName("ask")
        self.new_joiner = QLabel(self.tr("New joiner"))
        self.new_joiner.setObjectName("ribbon")
        self.new_joiner.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        hi = QPushButton(self.tr("Say hi"))
        hi.setObjectName("primary")
        hi.clicked.connect(lambda: self.colleague and self.say_hi.emit(self.colleague))
        coffee = QPushButton(self.tr("Invite for coffee"))
        coffee.clicked.connect(lambda: self.colleague and self.invite.emit(self.colleague))
        self.star_button = QPushButton()
        self.star_button.setObjectName("star")
        self.star_button.setCheckable(True)
        self.star_button.setToolTip(self.tr("Starred colleagues: hear when they check in, and see when your "
                                            "office days match"))
        self.star_button.toggled.connect(self._starred)
        self.starred: Callable[[str], bool] = lambda _colleague_id: False  # set by the app
        self.buttons = (hi, coffee, self.star_button)
        actions = QHBoxLayout()
        actions.addWidget(hi)
        actions.addWidget(coffee)
        actions.addWidget(self.star_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 24)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addSpacing(10)
        layout.addWidget(self.photo)
        layout.addWidget(self.new_joiner, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(4)
        layout.addWidget(self.name)
        layout.addWidget(self.pronouns)
        layout.addWidget(self.role)
        layout.addSpacing(6)
        layout.addLayout(self.chips)
        layout.addWidget(self.hobbies)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setObjectName("rule")
        layout.addSpacing(6)
        layout.addWidget(rule)
        layout.addWidget(self.ask)
        layout.addSpacing(12)
        layout.addLayout(actions)
        self.setStyleSheet(f"""
            QLabel#heading {{ color: {accent.name()}; font-weight: 600; letter-spacing: 1px; }}
            QLabel#muted {{ color: {muted_css()}; }}
            QLabel#chip {{ border: 1px solid palette(mid); border-radius: 11px; padding: 3px 10px; }}
            QLabel#ribbon {{ background: {accent.name()}; color: white; border-radius: 10px; padding: 2px 12px;
                             font-weight: 600; }}
            QLabel#ask {{ font-style: italic; padding-top: 6px; }}
            QFrame#rule {{ color: palette(midlight); }}
            QPushButton {{ padding: 9px 14px; border-radius: 8px; border: 1px solid palette(mid); }}
            QPushButton#primary {{ background: {accent.name()}; color: white; border: 0; font-weight: 600; }}
            QPushButton#star {{ padding: 9px 12px; }}
            QPushButton#star:checked {{ color: {accent.name()}; border-color: {accent.name()}; }}
            QPushButton:disabled, QPushButton#primary:disabled {{ background: palette(midlight);
                                                                  color: palette(mid); border: 0; }}
        """)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # Esc closes it, as people expect
            self.close()
            return
        super().keyPressEvent(event)

    def show_colleague(self, colleague: Colleague, photo: bytes | None, today: date,
                       of_the_day: bool = True) -> None:
        """``of_the_day`` False: a colleague a link named, not the day's."""
        self.colleague = colleague
        self.heading.setText(self.tr("Your colleague of the day") if of_the_day else self.tr("Colleague"))
        self.setWindowTitle(self.tr("Colleague of the day") if of_the_day else colleague.name[:80])
        for button in self.buttons:
            button.setEnabled(True)
        self.star_button.blockSignals(True)
        self.star_button.setChecked(self.starred(colleague.id))
        self.star_button.blockSignals(False)
        self._label_star()
        self.photo.setPixmap(pixmap_of(colleague, photo, PHOTO))
        self.name.setText(cap(colleague.name, 80))
        self.pronouns.setText(cap(colleague.pronouns, 40))
        self.pronouns.setVisible(bool(colleague.pronouns))
        self.role.setText(cap(" · ".join(f for f in (colleague.title, colleague.team) if f), 160))
        self._clear_chips()
        for fact in (colleague.office, self.joined(colleague.started_on, today)):
            if fact:
                chip = QLabel()
                chip.setTextFormat(Qt.TextFormat.PlainText)
                chip.setText(cap(fact, 40))
                chip.setObjectName("chip")
                self.chips.addWidget(chip)
        hobbies = ", ".join(colleague.hobbies[:5])
        self.hobbies.setText(cap(fill(self.tr("Hobbies: %1"), hobbies), 200) if hobbies else "")
        self.hobbies.setVisible(bool(hobbies))
        ask = colleague.ask_me_about
        self.ask.setText(cap(fill(self.tr("Ask me about %1"), ask), 240) if ask else "")
        self.ask.setVisible(bool(colleague.ask_me_about))
        self.new_joiner.setVisible(colleague.is_new_joiner(today))
        self.setAccessibleName(fill(self.tr("Colleague of the day: %1"), colleague.name[:80]) if of_the_day
                               else colleague.name[:80])
        self.adjustSize()

    def _starred(self, on: bool) -> None:
        self._label_star()
        if self.colleague is not None:
            self.star.emit(self.colleague, on)

    def _label_star(self) -> None:
        on = self.star_button.isChecked()
        self.star_button.setText("★" if on else "☆")
        self.star_button.setAccessibleName(self.tr("Starred") if on else self.tr("Star"))

    def joined(self, started: date | None, today: date) -> str:
        return Tenure().since(started, today)

    def _clear_chips(self) -> None:
        while (child := self.chips.takeAt(0)) is not None:
            if (widget := child.widget()) is not None:
                widget.deleteLater()

    def show_nobody(self, why: str = "") -> None:
        """Before the directory has arrived, or when the person is alone in it; ``why`` is the
        directory's problem in plain words (the server setting IT must switch on)."""
        self.colleague = None
        self.photo.clear()
        self.name.setText(self.tr("Nobody yet"))
        self.role.setText(why or self.tr("Your colleague of the day appears once Hallway has the company directory."))
        for label in (self.pronouns, self.hobbies, self.ask, self.new_joiner):
            label.hide()
        self._clear_chips()
        for button in self.buttons:
            button.setEnabled(False)
        self.adjustSize()
