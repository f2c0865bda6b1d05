"""The kiosk's screens. Each is a plain widget that draws what it is given and says what was
tapped through signals; none reads the store or the network (kiosk/window.py routes)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLayout, QPushButton, QWidget

from kiosk.theme import Theme


class Screen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")  # no background of its own: the window's plain fill shows through

    def apply_theme(self, theme: Theme, portrait: bool) -> None:
        """Fonts and sizes for this screen size; called on every resize and theme change."""

    def note_line(self, corner: QRect) -> tuple[QLabel, QWidget | None] | None:
        """Where the bottom corner (``corner``, in this screen's coordinates) is busy: the line the
        kiosk's status note sits level with instead, and what stands at that line's end (the note
        goes just before it). None: the bottom corner."""
        return None


def text_label(role: str = "", wrap: bool = False, parent: QWidget | None = None) -> QLabel:
    """Labels show plain text only: whatever a profile holds is never read as HTML."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if role:
        label.setProperty("role", role)
    return label


def button(text: str = "", role: str = "", parent: QWidget | None = None) -> QPushButton:
    push = QPushButton(text, parent)
    push.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the badge reader, not to buttons
    if role:
        push.setProperty("role", role)
    return push


def taller_than_its_window(screen: QWidget, layout: QLayout) -> bool:
    """Whether ``layout`` needs more height than the window has at the window's width (a screen
    that gives way where room is short asks this after each step). Qt keeps each layout's sizes
    until told: the caller invalidates what it changed first."""
    window = screen.window()
    return max(layout.minimumSize().height(), layout.heightForWidth(window.width())) > window.height()


def set_font(widget: QWidget, theme: Theme, size: float, weight: QFont.Weight = QFont.Weight.Normal) -> None:
    widget.setFont(theme.font(size, weight))


def elide(text: str, most: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def literal(text: str) -> str:
    """Button text as written: a button reads "&" as a keyboard shortcut marker otherwise."""
    return text.replace("&", "&&")
