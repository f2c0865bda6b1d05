"""A colleague's face, painted: their photo, round, from the local cache; or, when they have none
(or it is not an image), their initials on a colour of their own, so nobody is a grey blank.
Shared by the kiosk and the tray app (QtGui only: no widgets in the core)."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPixmap

from hallway.model import Colleague

PALETTE = ("#2f6f5e", "#8a4f7d", "#3d5a98", "#b5651d", "#5b7c2b", "#a23b48", "#2d7f9a", "#6b5b95")


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    first, last = words[0][0], words[-1][0] if len(words) > 1 else ""
    return (first + last).upper()


def colour_of(colleague_id: str) -> QColor:
    return QColor(PALETTE[hashlib.blake2b(colleague_id.encode(), digest_size=1).digest()[0] % len(PALETTE)])


def decode(data: bytes | None) -> QImage | None:
    """A photo from the cache, or None when there is none or it is not an image Qt can read."""
    if not data:
        return None
    image = QImage.fromData(data)
    return None if image.isNull() else image


def paint_portrait(painter: QPainter, box: QRectF, colleague: Colleague | None, image: QImage | None,
                   rounded: float = 0.5, ring: QColor | None = None, font: QFont | None = None) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    side = box.width()
    path = QPainterPath()
    radius = side * rounded
    path.addRoundedRect(box, radius, radius)
    painter.setClipPath(path)
    if image is not None:
        scaled = image.scaled(int(side), int(side), Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                              Qt.TransformationMode.SmoothTransformation)
        painter.drawImage(box.topLeft(), scaled,
                          QRectF((scaled.width() - side) / 2, (scaled.height() - side) / 2, side, side))
    elif colleague is not None:
        painter.fillRect(box, colour_of(colleague.id))
        letters = QFont(font) if font is not None else QFont()
        letters.setPixelSize(max(12, int(side * 0.36)))
        letters.setWeight(QFont.Weight.DemiBold)
        painter.setFont(letters)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, initials(colleague.name))
    if ring is not None:
        painter.setClipping(False)
        pen = painter.pen()
        pen.setColor(ring)
        pen.setWidthF(max(3.0, side / 60))
        painter.setPen(pen)
        painter.drawPath(path)
    painter.restore()


def pixmap_of(colleague: Colleague, photo: bytes | None, size: int) -> QPixmap:
    """A round portrait as a pixmap, for lists and buttons."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_portrait(painter, QRectF(0, 0, size, size), colleague, decode(photo))
    painter.end()
    return pixmap
