"""The tray app's shared look decisions: secondary text is the palette's text colour at 62%,
which keeps WCAG AA contrast on light and dark themes (Qt's "mid" grey does not: about 2:1)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette

MUTED_ALPHA = 0.62


def muted_css() -> str:
    text = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    return f"rgba({text.red()}, {text.green()}, {text.blue()}, {MUTED_ALPHA})"


def alert_css() -> str:
    """What went wrong, in a red that keeps AA contrast on the theme's window colour."""
    dark = QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff8a80" if dark else "#b3261e"
