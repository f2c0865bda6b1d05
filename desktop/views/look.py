"""The tray app's one shared look decision: secondary text is the palette's text colour at 62%,
which keeps WCAG AA contrast on light and dark themes (Qt's "mid" grey does not: about 2:1)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette

MUTED_ALPHA = 0.62


def muted_css() -> str:
    text = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    return f"rgba({text.red()}, {text.green()}, {text.blue()}, {MUTED_ALPHA})"
