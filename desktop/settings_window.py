"""Settings: the person's own choices (notifications per kind, quiet hours, start at login, the
feed), built from the core's schema (hallway.config.SETTINGS) so labels and checks are the
same everywhere. A key IT has locked shows its value, greyed, with "Set by your organisation";
a change is written to the user's file at once (there is no Save button to forget)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.look import muted_css
from hallway.config import BY_KEY, Config

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Notifications", ("notifications.mentions", "notifications.replies", "notifications.announcements",
                       "notifications.colleague")),
    ("Quiet hours", ("quiet_hours.enabled", "quiet_hours.start", "quiet_hours.end", "quiet_hours.weekends")),
    ("Hallway", ("desktop.autostart", "network.feed")),
)
LOCKED_NOTE = "Set by your organisation"
FEEDS = (("local", "Everyone in the company"), ("home", "People I follow"))
# The window's own words where a setting's label is IT's (docs/admin.md lists those).
WORDS = {"network.feed": "Your feed shows"}


class SettingsWindow(QWidget):
    changed = Signal(str, object)  # key, new value
    sign_out_wanted = Signal()

    def __init__(self, config: Config, account: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("settings")
        self.setWindowTitle("Hallway settings")
        self.setMinimumWidth(420)
        self.fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(14)
        for title, keys in SECTIONS:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for key in keys:
                field = self._field(key, config[key])
                self.fields[key] = field
                if config.is_locked(key):
                    field.setEnabled(False)
                    field.setToolTip(LOCKED_NOTE)
                    row = QWidget()
                    line = QHBoxLayout(row)
                    line.setContentsMargins(0, 0, 0, 0)
                    line.addWidget(field, 1)
                    note = QLabel(LOCKED_NOTE)
                    note.setObjectName("locked")
                    line.addWidget(note)
                    form.addRow("" if isinstance(field, QCheckBox) else WORDS.get(key, BY_KEY[key].label), row)
                else:
                    form.addRow("" if isinstance(field, QCheckBox) else WORDS.get(key, BY_KEY[key].label), field)
            layout.addWidget(box)
        self.account = QLabel(account)
        self.account.setTextFormat(Qt.TextFormat.PlainText)
        self.sign_out = QPushButton("Sign out")
        self.sign_out.setObjectName("sign-out")
        self.sign_out.clicked.connect(self.sign_out_wanted)
        bottom = QHBoxLayout()
        bottom.addWidget(self.account, 1)
        bottom.addWidget(self.sign_out)
        layout.addLayout(bottom)
        self.setStyleSheet(f"QLabel#locked {{ color: {muted_css()}; font-style: italic; }}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # Esc closes it, as people expect
            self.close()
            return
        super().keyPressEvent(event)

    def show_account(self, text: str, signed_in: bool) -> None:
        self.account.setText(text)
        self.sign_out.setVisible(signed_in)

    def _field(self, key: str, value: Any) -> QWidget:
        setting = BY_KEY[key]
        if setting.type is bool:
            box = QCheckBox(setting.label)
            box.setChecked(bool(value))
            box.toggled.connect(lambda on, k=key: self.changed.emit(k, bool(on)))
            return box
        if key.startswith("quiet_hours.") and key != "quiet_hours.enabled":
            edit = QTimeEdit(QTime.fromString(str(value), "HH:mm"))
            edit.setDisplayFormat("HH:mm")
            edit.timeChanged.connect(lambda t, k=key: self.changed.emit(k, t.toString("HH:mm")))
            return edit
        if key == "network.feed":
            combo = QComboBox()
            for name, words in FEEDS:
                combo.addItem(words, name)
            if str(value).startswith("#"):
                combo.addItem(f"Posts tagged {value}", value)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.currentIndexChanged.connect(lambda _i, c=combo, k=key: self.changed.emit(k, c.currentData()))
            return combo
        shown = QLabel(str(value))
        shown.setTextFormat(Qt.TextFormat.PlainText)
        return shown
