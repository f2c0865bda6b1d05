"""Settings: the person's own choices (notifications per kind, quiet hours, start at login, the
feed), built from the core's schema (hallway.config.SETTINGS) so labels and checks are the
same everywhere. A key IT has locked shows its value, greyed, with "Set by your organisation"
under it; a change is written to the user's file at once (there is no Save button to forget)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.views.look import muted_css
from hallway.config import BY_KEY, Config
from hallway.model import FeedKind, FeedRef
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
    """Laid out and coloured as the feed window is (its title type, margins, rounded panels and
    accent), so it reads as the same product, not as a bare Qt form (#28)."""

    changed = Signal(str, object)  # key, new value
    sign_out_wanted = Signal()

    def __init__(self, config: Config, account: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("settings")
        self.setWindowTitle(self.tr("Hallway settings"))
        self.setMinimumWidth(440)
        self.fields: dict[str, QWidget] = {}
        self.locked_notes: dict[str, QLabel] = {}
        self.feed_choice: QComboBox | None = None
        self._named_feeds = connector(config["network.kind"]).named_feeds  # "#name": a hashtag, or a group
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 16)
        layout.setSpacing(8)
        title = QLabel(self.tr("Settings"))
        title.setObjectName("title")
        font = title.font()  # the feed window's title type
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        layout.addWidget(title)
        for heading, keys in SECTIONS:
            shown = [key for key in keys if belongs(key, config)]
            if not shown:
                continue
            section = QLabel(translate("SettingsWindow", heading))
            section.setObjectName("section")
            layout.addSpacing(6)
            layout.addWidget(section)
            layout.addWidget(self._panel(config, shown))
        layout.addSpacing(6)
        self.account = QLabel(account)
        self.account.setObjectName("account")
        self.account.setTextFormat(Qt.TextFormat.PlainText)
        self.sign_out = QPushButton(self.tr("Sign out"))
        self.sign_out.setObjectName("sign-out")
        self.sign_out.clicked.connect(self.sign_out_wanted)
        bottom = QHBoxLayout()
        bottom.addWidget(self.account, 1)
        bottom.addWidget(self.sign_out, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(bottom)
        layout.addStretch(1)
        accent = QColor(str(config["appearance.accent"]))
        self.setStyleSheet(f"""
            QFrame#panel {{ background: palette(base); border: 1px solid palette(midlight); border-radius: 10px; }}
            QLabel#section {{ font-weight: 600; color: {muted_css()}; padding-left: 2px; }}
            QLabel#locked {{ color: {muted_css()}; }}
            QLabel#account {{ color: {muted_css()}; }}
            QPushButton#sign-out {{ border: 1px solid {accent.name()}; color: {accent.name()}; border-radius: 8px;
                                    padding: 6px 16px; font-weight: 600; background: transparent; }}
            QPushButton#sign-out:hover {{ background: palette(alternate-base); }}
        """)
        # The quiet-hours times mean nothing while quiet hours are off: greyed until switched on.
        self._locked = {key for key in self.fields if config.is_locked(key)}
        switch = self.fields.get("quiet_hours.enabled")
        if isinstance(switch, QCheckBox):
            switch.toggled.connect(self._quiet_hours_switched)
            self._quiet_hours_switched(switch.isChecked())

    def _panel(self, config: Config, keys: list[str]) -> QFrame:
        """One section's settings in a rounded panel: a switch takes the row, a choice sits beside
        its words; a key IT locked is greyed with a line under it that says so."""
        panel = QFrame()
        panel.setObjectName("panel")
        grid = QGridLayout(panel)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        row = 0
        for key in keys:
            field = self._field(key, config[key])
            self.fields[key] = field
            if isinstance(field, QCheckBox):
                grid.addWidget(field, row, 0, 1, 2)
            else:
                label = QLabel(words(key))
                label.setBuddy(field)
                grid.addWidget(label, row, 0)
                grid.addWidget(field, row, 1)
            row += 1
            if config.is_locked(key):
                field.setEnabled(False)
                note = QLabel(self.tr("Set by your organisation"))
                note.setObjectName("locked")
                note.setTextFormat(Qt.TextFormat.PlainText)
                note.setWordWrap(True)
                field.setToolTip(note.text())
                if config.lock_reasons.get(key):  # IT's words for why (locked_why in the machine file)
                    note.setText(fill(self.tr("Set by your organisation: %1"), config.lock_reasons[key]))
                self.locked_notes[key] = note
                grid.addWidget(note, row, 0, 1, 2)
                row += 1
        return panel

    def _quiet_hours_switched(self, on: bool) -> None:
        for key in ("quiet_hours.start", "quiet_hours.end", "quiet_hours.weekends"):
            if key in self.fields and key not in self._locked:
                self.fields[key].setEnabled(on)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # Esc closes it, as people expect
            self.close()
            return
        super().keyPressEvent(event)

    def show_feeds(self, offered: Sequence[FeedRef], chosen: str) -> None:
        """The feeds the network offers this person (their hashtags, communities or groups) after
        the two every network has; ``chosen`` stays chosen, offered or not (IT may have set it)."""
        combo = self.feed_choice
        if combo is None:
            return
        combo.blockSignals(True)
        combo.clear()
        self._fill_feeds(combo, chosen, offered)
        combo.blockSignals(False)

    def _fill_feeds(self, combo: QComboBox, chosen: str, offered: Sequence[FeedRef]) -> None:
        for name, choice in FEEDS:
            combo.addItem(translate("SettingsWindow", choice), name)
        extra = list(offered)
        if chosen.startswith("#") and all(f.key.casefold() != chosen.casefold() for f in extra):
            extra.insert(0, FeedRef.of(chosen, self._named_feeds))
        if extra:
            combo.insertSeparator(combo.count())
        for feed in extra:
            words_for = (self.tr("Posts tagged #%1") if feed.kind is FeedKind.TAG else self.tr("Posts in %1"))
            combo.addItem(fill(words_for, feed.id), feed.key)
            combo.setItemData(combo.count() - 1, feed.id, Qt.ItemDataRole.ToolTipRole)
        found = next((i for i in range(combo.count()) if str(combo.itemData(i) or "").casefold() == chosen.casefold()),
                     0)
        combo.setCurrentIndex(found)

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
            if key == "network.feed":  # a long community's name is cut (its tooltip whole), the window stays
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(28)
                self.feed_choice = combo
                self._fill_feeds(combo, str(value), [])
            else:
                for name, choice in CALENDARS:
                    combo.addItem(translate("SettingsWindow", choice), name)
                combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.currentIndexChanged.connect(lambda _i, c=combo, k=key: self.changed.emit(k, c.currentData()))
            return combo
        shown = QLabel(str(value))
        shown.setAccessibleName(words(key))
        shown.setTextFormat(Qt.TextFormat.PlainText)
        return shown
