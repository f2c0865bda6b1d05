"""The kiosk's portrait widget: a face (ui.faces) rendered once per size, so repaints are a copy."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from hallway.model import Colleague
from ui.faces import decode, paint_portrait


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
