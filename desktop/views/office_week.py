"""The office week above "who is in today": the person's own days this week and next, as
toggles (a past day cannot be chosen), how many colleagues of their office planned each day, "Ana is in on
Thursday too" for starred colleagues on the person's days, and the choice to share the plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.views.look import muted_css
from hallway.model import Colleague
from hallway.office_week import week_of
from ui.language import day_and_month, fill

MOST_TOGETHER = 3  # "… is in on Thursday too" lines shown


class WeekStrip(QWidget):
    day_toggled = Signal(object, bool)  # the date, planned or not
    share_toggled = Signal(bool)

    def __init__(self, accent: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("office-week")
        self.heading = QLabel(self.tr("Your office week"))
        self.heading.setObjectName("week-heading")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.days: dict[date, QPushButton] = {}
        self.together = QLabel()
        self.together.setObjectName("together")
        self.together.setWordWrap(True)
        self.share = QCheckBox(self.tr("Share my office days with colleagues"))
        self.share.toggled.connect(self.share_toggled)
        self.note = QLabel()
        self.note.setObjectName("week-note")
        self.note.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 6)
        box.setSpacing(6)
        box.addWidget(self.heading)
        box.addLayout(self.grid)
        box.addWidget(self.together)
        box.addWidget(self.share)
        box.addWidget(self.note)
        self.setStyleSheet(f"""
            QLabel#week-heading {{ font-weight: 600; }}
            QPushButton[day="true"] {{ border: 1px solid palette(mid); border-radius: 8px; padding: 4px 2px; }}
            QPushButton[day="true"]:checked {{ background: {accent}; color: white; border: 0; }}
            QPushButton[day="true"]:disabled {{ color: palette(mid); border-color: palette(midlight); }}
            QLabel#week-note, QLabel#together {{ color: {muted_css()}; }}
        """)

    def show_week(self, today: date, mine: Iterable[date], planned: Mapping[date, list[Colleague]],
                  starred: set[str], share: bool, share_locked: bool = False, note: str = "") -> None:
        """Redrawn from what the app knows: the person's days, each day's planners, the stars."""
        mine = set(mine)
        locale = QLocale()
        while (item := self.grid.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.days.clear()
        for index, day in enumerate(week_of(today)):
            others = planned.get(day, [])
            words = f"{locale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)} {day.day}"
            button = QPushButton(words + ("\n" + self.tr("%n planned", "", len(others)) if others else "\n "))
            button.setProperty("day", True)
            button.setCheckable(True)
            button.setChecked(day in mine)
            button.setEnabled(day >= today)
            spoken = day_and_month(QDate(day.year, day.month, day.day), locale)
            button.setAccessibleName(fill(self.tr("%1: %2 planned, you %3"), spoken, len(others),
                                          self.tr("in") if day in mine else self.tr("not in")))
            button.toggled.connect(lambda on, d=day: self.day_toggled.emit(d, on))
            self.grid.addWidget(button, index // 5, index % 5)
            self.days[day] = button
        lines: list[str] = []
        for day in sorted(d for d in mine if d >= today):
            for colleague in planned.get(day, []):
                if colleague.id in starred and len(lines) < MOST_TOGETHER:
                    lines.append(fill(self.tr("%1 is in on %2 too"), colleague.name,
                                      locale.dayName(day.isoweekday(), QLocale.FormatType.LongFormat)))
        self.together.setText("\n".join(lines))
        self.together.setVisible(bool(lines))
        self.share.blockSignals(True)
        self.share.setChecked(share)
        self.share.setEnabled(not share_locked)
        self.share.blockSignals(False)
        self.note.setText(note or ("" if share or not mine else
                                   self.tr("Only you see these days. Share them so colleagues can plan around you.")))
        self.note.setVisible(bool(self.note.text()))
