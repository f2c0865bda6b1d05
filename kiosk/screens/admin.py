"""The admin panel, behind five corner taps and a PIN: exit, resync, status, badge-reader test,
and, where the network signs in with a code typed on a phone (Viva Engage), the kiosk's sign-in."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QStackedLayout, QVBoxLayout, QWidget

from hallway.pin import PinGate
from kiosk.qr import QrCode
from kiosk.screens import Screen, button, set_font, text_label
from kiosk.theme import Theme

MOST_DIGITS = 12


class Admin(Screen):
    exit_wanted = Signal()
    resync_wanted = Signal()
    sign_in_wanted = Signal()
    sign_in_cancelled = Signal()
    closed = Signal()

    def __init__(self, gate: PinGate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = gate
        self.pin = ""
        self.pages = QStackedLayout(self)
        # The PIN pad
        pad_page = QWidget()
        pad = QVBoxLayout(pad_page)
        self.pad_title = text_label()
        self.pad_title.setText(self.tr("Admin PIN"))
        self.dots = text_label()
        self.message = text_label("muted", wrap=True)
        for label in (self.pad_title, self.dots, self.message):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            pad.addWidget(label)
        self.keys = QGridLayout()
        self.digit_buttons = []
        for i, text in enumerate("123456789C0✓"):
            push = button(text, "primary" if text == "✓" else "key")
            push.clicked.connect(lambda _=False, t=text: self._key(t))
            self.keys.addWidget(push, i // 3, i % 3)
            self.digit_buttons.append(push)
        pad.addLayout(self.keys)
        self.pad_cancel = button(self.tr("Cancel"), "quiet")
        self.pad_cancel.clicked.connect(self.closed)
        pad.addWidget(self.pad_cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        pad.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(pad_page)
        # The panel
        panel_page = QWidget()
        panel = QVBoxLayout(panel_page)
        self.panel_title = text_label()
        self.panel_title.setText(self.tr("Kiosk admin"))
        # What IT checks, as a panel of label and value; what needs IT, apart, in the alert colour.
        self.facts = QFrame()
        self.facts.setProperty("role", "panel")
        facts = self._facts_box = QVBoxLayout(self.facts)
        self.status = text_label(wrap=True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        facts.addWidget(self.status)
        self.alarms = text_label(wrap=True)
        self.alarms.setObjectName("alarms")
        self.alarms.setTextFormat(Qt.TextFormat.PlainText)
        self.alarms.setVisible(False)
        self.reader = text_label("muted", wrap=True)
        self.reader.setText(self.tr("Badge reader test: scan a badge now."))
        self._lines: tuple[list[str], list[str]] = ([], [])
        self._theme: Theme | None = None
        panel.addWidget(self.panel_title)
        panel.addWidget(self.alarms)
        panel.addWidget(self.facts)
        panel.addWidget(self.reader)
        panel.addStretch(1)
        row = self.buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.resync = button(self.tr("Resync now"), "primary")
        self.resync.clicked.connect(self.resync_wanted)
        self.sign_in = button(self.tr("Sign in the kiosk"))
        self.sign_in.clicked.connect(self.sign_in_wanted)
        self.sign_in.setVisible(False)  # only where the network signs in by code (set_sign_in_offered)
        row.addWidget(self.sign_in)
        self.back = button(self.tr("Back to the lobby"))
        self.back.clicked.connect(self.closed)
        self.exit = button(self.tr("Exit Hallway"))
        self.exit.clicked.connect(self.exit_wanted)
        for push in (self.resync, self.back, self.exit):
            row.addWidget(push)
        panel.addLayout(row)
        self.pages.addWidget(panel_page)
        self._panel = panel
        # The kiosk's sign-in by code: the address and the code, large, and a QR code of the address.
        code_page = QWidget()
        code = QVBoxLayout(code_page)
        self.code_title = text_label()
        self.code_title.setText(self.tr("Sign in the kiosk"))
        self.code_steps = text_label("muted", wrap=True)
        self.code_address = text_label(wrap=True)
        self.code = text_label()
        self.code.setAccessibleName(self.tr("Sign-in code"))
        self.code_qr = QrCode(220)
        self.code_waiting = text_label("muted", wrap=True)
        for label in (self.code_title, self.code_steps, self.code_address, self.code):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            code.addWidget(label)
        code.addWidget(self.code_qr, 0, Qt.AlignmentFlag.AlignHCenter)
        self.code_waiting.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        code.addWidget(self.code_waiting)
        self.code_cancel = button(self.tr("Cancel"), "quiet")
        self.code_cancel.clicked.connect(self._cancel_sign_in)
        code.addWidget(self.code_cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(code_page)
        self._code = code
        # While the PIN pad is locked after wrong PINs: the seconds count down and the keys are grey.
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._show_lock)
        self._wrong = False  # the last PIN was wrong (said with the countdown)

    @property
    def unlocked(self) -> bool:
        return self.pages.currentIndex() == 1

    def open(self) -> None:
        self.pin = ""
        self._wrong = False
        self.pages.setCurrentIndex(0)
        self.message.setText("" if self.gate.configured else
                             self.tr("No admin PIN is set on this kiosk. IT sets kiosk.admin_pin_hash in the "
                                     "machine config (hallway-kiosk --hash-pin)."))
        self._show_dots()
        self._show_lock()

    def _show_lock(self) -> None:
        """Locked after wrong PINs: the time left, second by second, and the keys greyed; then free."""
        wait = self.gate.wait_s()
        locked = wait > 0
        for push in self.digit_buttons:
            push.setEnabled(not locked)
        if locked:
            seconds = math.ceil(wait)
            self.message.setText(self.tr("Wrong PIN. Try again in %n second(s).", "", seconds) if self._wrong else
                                 self.tr("Too many wrong PINs. Try again in %n second(s).", "", seconds))
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self._countdown.stop()
            if self._wrong and self.gate.configured:
                self.message.setText(self.tr("Wrong PIN."))

    def _key(self, key: str) -> None:
        if key == "C":
            self.pin = ""
        elif key == "✓":
            self._submit()
            return
        elif len(self.pin) < MOST_DIGITS:
            self.pin += key
        self._show_dots()

    def _submit(self) -> None:
        if self.gate.wait_s() > 0:
            self._wrong = False
        elif self.gate.try_pin(self.pin):
            self._wrong = False
            self.pages.setCurrentIndex(1)
            self.message.setText("")
        else:
            self._wrong = True
        self.pin = ""
        self._show_dots()
        if not self.unlocked:
            self._show_lock()

    def _show_dots(self) -> None:
        self.dots.setText(" ".join("●" for _ in self.pin) or " ")

    def set_sign_in_offered(self, offered: bool) -> None:
        """The network signs in with a code typed on another device: the panel offers it."""
        self.sign_in.setVisible(offered)
        self._arrange_buttons()

    def _arrange_buttons(self) -> None:
        """Side by side where their words fit, one above the other where they do not (German in
        portrait: "Jetzt synchronisieren" was cut to "tzt synchronisier")."""
        shown = [p for p in (self.resync, self.sign_in, self.back, self.exit) if not p.isHidden()]
        margins = self._panel.contentsMargins()
        wanted = sum(p.sizeHint().width() for p in shown) + max(0, self.buttons.spacing()) * (len(shown) - 1)
        room = self.window().width() - margins.left() - margins.right()
        self.buttons.setDirection(QBoxLayout.Direction.LeftToRight if wanted <= room
                                  else QBoxLayout.Direction.TopToBottom)

    def show_sign_in_starting(self) -> None:
        self.pages.setCurrentIndex(2)
        self.code_steps.setText(self.tr("Asking the network for a sign-in code…"))
        self.code_address.setText("")
        self.code.setText("")
        self.code_qr.hide()
        self.code_waiting.setText("")

    def show_device_code(self, address: str, code: str) -> None:
        """Where to go and what to type, on a phone, signed in as the kiosk's account."""
        self.pages.setCurrentIndex(2)
        self.code_steps.setText(self.tr("On your phone, open this address, enter the code, and sign in with the "
                                        "kiosk's account:"))
        self.code_address.setText(address)
        self.code.setText(code)
        self.code_qr.show_url(address)
        self.code_qr.show()
        self.code_waiting.setText(self.tr("Waiting for you to sign in…"))

    def show_sign_in_result(self, words: str) -> None:
        """How it ended, in the panel's status (the panel itself comes back)."""
        self.pages.setCurrentIndex(1)
        self.reader.setText(words)

    def _cancel_sign_in(self) -> None:
        self.sign_in_cancelled.emit()
        self.pages.setCurrentIndex(1)

    def show_status(self, facts: Sequence[str], alarms: Sequence[str] = ()) -> None:
        """``facts``: "Label: value" as the window words them, drawn as a table; ``alarms`` need
        IT, and stand above the table in the alert colour."""
        self._lines = (list(facts), list(alarms))
        self._draw_status()

    def _draw_status(self) -> None:
        facts, alarms = self._lines
        muted = self._theme.muted.name() if self._theme is not None else "gray"
        rows = []
        for line in facts:
            label, colon, value = line.partition(": ")
            cells = (f'<td style="color: {muted}; padding-right: 24px;">{html.escape(label)}</td>'
                     f'<td>{html.escape(value)}</td>' if colon else f'<td colspan="2">{html.escape(line)}</td>')
            rows.append(f'<tr>{cells}</tr>')
        self.status.setText(f'<table cellspacing="0" cellpadding="3">{"".join(rows)}</table>')
        self.alarms.setText("\n".join(alarms))
        self.alarms.setVisible(bool(alarms))

    def show_reader_test(self, text: str) -> None:
        self.reader.setText(text)

    def apply_theme(self, theme: Theme, portrait: bool) -> None:
        set_font(self.pad_title, theme, 56, QFont.Weight.Bold)
        set_font(self.dots, theme, 56)
        set_font(self.message, theme, 26)
        self.message.setMaximumWidth(theme.px(900))
        for push in self.digit_buttons:
            set_font(push, theme, 40, QFont.Weight.DemiBold)
            push.setFixedSize(max(72, theme.px(150)), max(72, theme.px(110)))
        self.keys.setSpacing(theme.px(16))
        set_font(self.pad_cancel, theme, 30)
        margin = theme.px(72)
        self._panel.setContentsMargins(margin, theme.px(56), margin, theme.px(48))
        self._panel.setSpacing(theme.px(18))
        set_font(self.panel_title, theme, 56, QFont.Weight.Bold)
        set_font(self.status, theme, 26)
        self._theme = theme
        pad = theme.px(28)
        self._facts_box.setContentsMargins(pad, theme.px(18), pad, theme.px(18))
        set_font(self.alarms, theme, 26, QFont.Weight.DemiBold)
        self.alarms.setStyleSheet(f"QLabel#alarms {{ color: {theme.bad.name()}; border: 2px solid {theme.bad.name()}; "
                                  f"border-radius: {theme.px(22)}px; padding: {theme.px(16)}px {pad}px; }}")
        self._draw_status()
        set_font(self.reader, theme, 26)
        for push in (self.resync, self.sign_in, self.back, self.exit):
            set_font(push, theme, 30, QFont.Weight.DemiBold)
        self._arrange_buttons()
        self._code.setSpacing(theme.px(20))
        set_font(self.code_title, theme, 56, QFont.Weight.Bold)
        set_font(self.code_steps, theme, 26)
        set_font(self.code_address, theme, 30, QFont.Weight.DemiBold)
        set_font(self.code, theme, 72, QFont.Weight.Bold)
        self.code.setStyleSheet("letter-spacing: 6px;")
        for label in (self.code_steps, self.code_address):  # whole lines, not a narrow column
            label.setMinimumWidth(theme.px(900))
            label.setMaximumWidth(theme.px(1100))
        self.code_qr.setFixedSize(theme.px(220), theme.px(220))
        set_font(self.code_waiting, theme, 24)
        set_font(self.code_cancel, theme, 30)
