"""What a screen reader says without anyone moving the focus: a new mention or reply, read out
as its notification appears. Qt's announcement event (Qt 6.8 and later) goes out as AT-SPI's
``object:announcement`` on Linux (Orca speaks it), and through UI Automation and NSAccessibility
on Windows and macOS."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

from desktop.parts.alerts import Alert


def announce(source: QObject, text: str) -> None:
    """Nothing at all when no assistive technology listens (Qt knows: accessibility is off)."""
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(source, text))


def words_for(alert: Alert) -> str:
    return f"{alert.title}. {alert.body}" if alert.body else alert.title
