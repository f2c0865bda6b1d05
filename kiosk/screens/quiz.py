"""Quiz mode: "Who is this?", four names and "I don't know". Right or wrong, the card follows."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QPushButton, QVBoxLayout, QWidget

from hallway.model import Colleague
from kiosk.lobby import Quiz
from kiosk.portrait import Portrait
from kiosk.screens import Screen, button, elide, set_font, text_label
from kiosk.screens.words import WordsButton
from kiosk.theme import Theme

SHOW_ANSWER_MS = 900


class QuizScreen(Screen):
    answered = Signal(object)  # Colleague, or None for "I don't know"
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quiz: Quiz | None = None
        self.locked = False
        root = QVBoxLayout(self)
        self.title = text_label()
        self.title.setText(self.tr("Who is this?"))
        self.subtitle = text_label("muted", wrap=True)
        self.subtitle.setText(self.tr("Your colleague of the day. A guess is fine: only you see your streak."))
        root.addWidget(self.title)
        root.addWidget(self.subtitle)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.photo = Portrait(400)
        self.photo.rounded = 0.18
        self.body.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignCenter)
        answers = QVBoxLayout()
        self.grid = QGridLayout()
        self.choices: list[WordsButton] = []
        for i in range(4):
            push = WordsButton()
            push.setProperty("index", i)
            push.clicked.connect(self._tapped)
            self.grid.addWidget(push, i // 2, i % 2)
            self.choices.append(push)
        answers.addStretch(1)
        answers.addLayout(self.grid)
        self.unsure = button(self.tr("I don't know"), "quiet")
        self.unsure.clicked.connect(lambda: self._answer(None, None))
        answers.addWidget(self.unsure, 0, Qt.AlignmentFlag.AlignHCenter)
        answers.addStretch(1)
        self.body.addLayout(answers, 1)
        root.addLayout(self.body, 1)
        self._root = root

    def show_quiz(self, quiz: Quiz, photo: bytes | None) -> None:
        self.quiz, self.locked = quiz, False
        self.photo.show_colleague(quiz.subject, photo)
        for push, person in zip(self.choices, quiz.choices, strict=True):
            push.set_words(elide(person.name, 60))
            push.setProperty("role", "")
            push.style().polish(push)

    def _tapped(self) -> None:
        if self.quiz is None:
            return
        index = int(self.sender().property("index"))
        self._answer(self.quiz.choices[index], self.choices[index])

    def _answer(self, chosen: Colleague | None, pressed: QPushButton | None) -> None:
        if self.quiz is None or self.locked:
            return
        self.locked = True
        for push, person in zip(self.choices, self.quiz.choices, strict=True):
            role = "right" if person.id == self.quiz.subject.id else "wrong" if push is pressed else ""
            push.setProperty("role", role)
            push.style().polish(push)
        self.answered.emit(chosen)
        QTimer.singleShot(SHOW_ANSWER_MS, self.done.emit)

    def apply_theme(self, theme: Theme, portrait: bool) -> None:
        margin = theme.px(72)
        self._root.setContentsMargins(margin, theme.px(56), margin, theme.px(48))
        set_font(self.title, theme, 84, QFont.Weight.Bold)
        set_font(self.subtitle, theme, 28)
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(theme.px(64))
        self.photo.set_side(theme.px(560 if portrait else 520))
        for push in self.choices:
            set_font(push, theme, 34, QFont.Weight.DemiBold)
            push.setStyleSheet(f"min-height: {max(60, theme.px(132))}px;")
        self.grid.setSpacing(theme.px(20))
        for column in range(2):  # two columns of one width, whatever the names in them
            self.grid.setColumnStretch(column, 1)
        set_font(self.unsure, theme, 30, QFont.Weight.Medium)
