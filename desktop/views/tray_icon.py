"""The tray icon, drawn for its state: a calm mark when all is read; an unread dot; a mention
count (1-9, then 9+) on a red badge; grey when offline; a small moon under do-not-disturb;
an outline when signed out. Drawn with QPainter at each size the tray asks for, so it stays
sharp on any screen."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from ui.language import translate

ACCENT = QColor("#2f6f5e")
BADGE = QColor("#d93025")
SIZES = (16, 22, 24, 32, 48, 64)


class TrayWords(QObject):
    """The tooltip's counted words: plural forms come only through a QObject's tr()."""

    def mentions(self, count: int) -> str:
        return self.tr("%n new mention(s)", "", count)

    def waiting(self, count: int) -> str:
        return self.tr("%n waiting to send", "", count)


@dataclass(frozen=True)
class TrayState:
    unread: bool = False
    mentions: int = 0
    offline: bool = False
    quiet: bool = False  # do-not-disturb or quiet hours
    signed_out: bool = False
    waiting: int = 0  # writes not sent yet (offline, or a moment after they were made)

    def badge_text(self) -> str:
        return "" if self.mentions <= 0 else str(self.mentions) if self.mentions <= 9 else "9+"

    def tooltip(self) -> str:
        if self.signed_out:
            return translate("TrayIcon", "Hallway: signed out. Click to sign in.")
        parts = ["Hallway"]
        if self.mentions:
            parts.append(TrayWords().mentions(self.mentions))
        elif self.unread:
            parts.append(translate("TrayIcon", "new posts"))
        else:
            parts.append(translate("TrayIcon", "all caught up"))
        if self.offline:
            parts.append(translate("TrayIcon", "offline, showing what was last synced"))
        if self.waiting:
            parts.append(TrayWords().waiting(self.waiting))
        if self.quiet:
            parts.append(translate("TrayIcon", "notifications paused"))
        return ": ".join(parts[:2]) + "".join(f"; {p}" for p in parts[2:])


def pixmap(state: TrayState, size: int, accent: QColor = ACCENT) -> QPixmap:
    image = QPixmap(size, size)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor("#8a8f8d") if state.offline else accent
    mark = QRectF(size * 0.08, size * 0.08, size * 0.84, size * 0.84)
    # The mark: a rounded square with a doorway, Hallway's sign.
    path = QPainterPath()
    path.addRoundedRect(mark, size * 0.22, size * 0.22)
    door = QPainterPath()
    door.addRoundedRect(QRectF(size * 0.37, size * 0.38, size * 0.26, size * 0.7), size * 0.12, size * 0.12)
    if state.signed_out:
        painter.setPen(QPen(colour, max(1.5, size / 12)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    else:
        painter.fillPath(path.subtracted(door), colour)
    if state.quiet:  # a crescent moon, lower left
        moon = QPainterPath()
        r = size * 0.2
        moon.addEllipse(QRectF(0, size - 2 * r, 2 * r, 2 * r))
        bite = QPainterPath()
        bite.addEllipse(QRectF(r * 0.7, size - 2 * r - r * 0.5, 2 * r, 2 * r))
        painter.fillPath(moon.subtracted(bite), QColor("#f2b705"))
    text = state.badge_text()
    if text and not state.signed_out:
        side = size * (0.62 if len(text) > 1 else 0.52)
        badge = QRectF(size - side, 0, side, side)
        painter.setBrush(BADGE)
        painter.setPen(QPen(QColor("#ffffff"), max(1.0, size / 24)))
        painter.drawEllipse(badge)
        font = QFont()
        font.setPixelSize(max(7, int(side * (0.62 if len(text) == 1 else 0.5))))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
    elif state.unread and not state.signed_out:
        dot = size * 0.34
        painter.setBrush(BADGE if not state.offline else QColor("#8a8f8d"))
        painter.setPen(QPen(QColor("#ffffff"), max(1.0, size / 24)))
        painter.drawEllipse(QRectF(size - dot, 0, dot, dot))
    painter.end()
    return image


def icon(state: TrayState, accent: QColor = ACCENT) -> QIcon:
    drawn = QIcon()
    for size in SIZES:
        drawn.addPixmap(pixmap(state, size, accent))
    return drawn
