"""A colleague's face: their photo, round, from the local cache; or, when they have none (or
it is not an image), their initials on a colour of their own, so nobody is a grey blank."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

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


class Portrait(QWidget):
    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._side = size
        self.image: QImage | None = None
        self.colleague: Colleague | None = None
        self.ring: QColor | None = None
        self.rounded = 0.5  # 0.5: a circle; smaller: a softly rounded square
        self._rendered: QPixmap | None = None  # the finished portrait at this size: repaints are a copy
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(size, size)

    def sizeHint(self) -> QSize:
        return QSize(self._side, self._side)

    def set_side(self, size: int) -> None:
        if size != self._side:
            self._rendered = None
        self._side = size
        self.setFixedSize(size, size)

    def show_colleague(self, colleague: Colleague | None, photo: bytes | None) -> None:
        self.colleague = colleague
        self.image = decode(photo)
        self._rendered = None
        self.setAccessibleName(colleague.name if colleague else "")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height())
        ratio = self.devicePixelRatioF()
        if self._rendered is None or self._rendered.width() != round(side * ratio):
            self._rendered = QPixmap(round(side * ratio), round(side * ratio))
            self._rendered.setDevicePixelRatio(ratio)
            self._rendered.fill(Qt.GlobalColor.transparent)
            painter = QPainter(self._rendered)
            paint_portrait(painter, QRectF(0, 0, side, side), self.colleague, self.image, self.rounded, self.ring,
                           self.font())
            painter.end()
        painter = QPainter(self)
        painter.drawPixmap(int((self.width() - side) / 2), int((self.height() - side) / 2), self._rendered)
        painter.end()


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
