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
from hallway.networks.registry import CONNECTORS, connector
from ui.language import QT_TRANSLATE_NOOP, fill, translate

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (QT_TRANSLATE_NOOP("SettingsWindow", "Notifications"),
     ("notifications.mentions", "notifications.replies", "notifications.announcements", "notifications.colleague")),
    (QT_TRANSLATE_NOOP("SettingsWindow", "Quiet hours"),
     ("quiet_hours.enabled", "quiet_hours.start", "quiet_hours.end", "quiet_hours.weekends")),
    (QT_TRANSLATE_NOOP("SettingsWindow", "Hallway"), ("desktop.autostart", "network.feed", "desktop.calendar",
                                                     "viva_engage.work_location")),
)
FEEDS = (("local", QT_TRANSLATE_NOOP("SettingsWindow", "Everyone in the company")),
         ("home", QT_TRANSLATE_NOOP("SettingsWindow", "People I follow")))
CALENDARS = (("system", QT_TRANSLATE_NOOP("SettingsWindow", "The calendar app on this computer")),
             ("outlook", QT_TRANSLATE_NOOP("SettingsWindow", "Outlook on the web")),
             ("google", QT_TRANSLATE_NOOP("SettingsWindow", "Google Calendar")))
# The window's own words, in people's words (the schema's labels are IT's: docs/admin.md).
WORDS = {
    "notifications.mentions": QT_TRANSLATE_NOOP("SettingsWindow", "Notify me of mentions"),
    "notifications.replies": QT_TRANSLATE_NOOP("SettingsWindow", "Notify me of replies"),
    "notifications.announcements": QT_TRANSLATE_NOOP("SettingsWindow", "Notify me of announcements"),
    "notifications.colleague": QT_TRANSLATE_NOOP("SettingsWindow", "Show the colleague of the day"),
    "quiet_hours.enabled": QT_TRANSLATE_NOOP("SettingsWindow", "Quiet hours"),
    "quiet_hours.start": QT_TRANSLATE_NOOP("SettingsWindow", "Quiet from"),
    "quiet_hours.end": QT_TRANSLATE_NOOP("SettingsWindow", "Quiet until"),
    "quiet_hours.weekends": QT_TRANSLATE_NOOP("SettingsWindow", "Quiet at weekends"),
    "desktop.autostart": QT_TRANSLATE_NOOP("SettingsWindow", "Start Hallway when I sign in"),
    "network.feed": QT_TRANSLATE_NOOP("SettingsWindow", "Your feed shows"),
    "desktop.calendar": QT_TRANSLATE_NOOP("SettingsWindow", "Coffee invitations open in"),
    "viva_engage.work_location": QT_TRANSLATE_NOOP("SettingsWindow", "When I check in at the kiosk, show me in the "
                                                                     "office in Teams and Outlook"),
}


def belongs(key: str, config: Config) -> bool:
    """Whether a setting is shown: one of a network's own (``viva_engage.*``) only on that network."""
    return connector(config["network.kind"]).owns(key) or not any(c.owns(key) for c in CONNECTORS.values())


def words(key: str) -> str:
    return translate("SettingsWindow", WORDS.get(key, BY_KEY[key].label))


class SettingsWindow(QWidget):
    changed = Signal(str, object)  # key, new value
    sign_out_wanted = Signal()

    def __init__(self, config: Config, account: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("settings")
        self.setWindowTitle(self.tr("Hallway settings"))
        locked_note = self.tr("Set by your organisation")
        self.setMinimumWidth(420)
        self.fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(14)
        for title, keys in SECTIONS:
            box = QGroupBox(translate("SettingsWindow", title))
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for key in keys:
                if not belongs(key, config):
                    continue
                field = self._field(key, config[key])
                self.fields[key] = field
                if config.is_locked(key):
                    field.setEnabled(False)
                    field.setToolTip(locked_note)
                    row = QWidget()
                    line = QHBoxLayout(row)
                    line.setContentsMargins(0, 0, 0, 0)
                    line.addWidget(field, 1)
                    note = QLabel(locked_note)
                    note.setObjectName("locked")
                    line.addWidget(note)
                    form.addRow("" if isinstance(field, QCheckBox) else words(key), row)
                else:
                    form.addRow("" if isinstance(field, QCheckBox) else words(key), field)
            layout.addWidget(box)
        self.account = QLabel(account)
        self.account.setTextFormat(Qt.TextFormat.PlainText)
        self.sign_out = QPushButton(self.tr("Sign out"))
        self.sign_out.setObjectName("sign-out")
        self.sign_out.clicked.connect(self.sign_out_wanted)
        bottom = QHBoxLayout()
        bottom.addWidget(self.account, 1)
        bottom.addWidget(self.sign_out)
        layout.addLayout(bottom)
        self.setStyleSheet(f"QLabel#locked {{ color: {muted_css()}; font-style: italic; }}")
        # The quiet-hours times mean nothing while quiet hours are off: greyed until switched on.
        self._locked = {key for key in self.fields if config.is_locked(key)}
        switch = self.fields.get("quiet_hours.enabled")
        if isinstance(switch, QCheckBox):
            switch.toggled.connect(self._quiet_hours_switched)
            self._quiet_hours_switched(switch.isChecked())

    def _quiet_hours_switched(self, on: bool) -> None:
        for key in ("quiet_hours.start", "quiet_hours.end", "quiet_hours.weekends"):
            if key in self.fields and key not in self._locked:
                self.fields[key].setEnabled(on)

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
            box = QCheckBox(words(key))
            box.setChecked(bool(value))
            box.toggled.connect(lambda on, k=key: self.changed.emit(k, bool(on)))
            return box
        if key.startswith("quiet_hours.") and key != "quiet_hours.enabled":
            edit = QTimeEdit(QTime.fromString(str(value), "HH:mm"))
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(words(key))
            edit.timeChanged.connect(lambda t, k=key: self.changed.emit(k, t.toString("HH:mm")))
            return edit
        if key in ("network.feed", "desktop.calendar"):
            combo = QComboBox()
            combo.setAccessibleName(words(key))
            for name, choice in FEEDS if key == "network.feed" else CALENDARS:
                combo.addItem(translate("SettingsWindow", choice), name)
            if str(value).startswith("#"):
                combo.addItem(fill(self.tr("Posts tagged %1"), value), value)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.currentIndexChanged.connect(lambda _i, c=combo, k=key: self.changed.emit(k, c.currentData()))
            return combo
        shown = QLabel(str(value))
        shown.setAccessibleName(words(key))
        shown.setTextFormat(Qt.TextFormat.PlainText)
        return shown
