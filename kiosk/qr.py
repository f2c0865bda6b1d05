"""The QR code on the card that opens the colleague's profile on the visitor's phone.

Encoding takes a few milliseconds in pure Python (segno), so codes are cached, and the card
asks for its code just after it is painted, never before.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

QUIET = 2  # modules of white around the code (phones read it on a plain background)


@lru_cache(maxsize=512)
def modules(url: str) -> tuple[tuple[bool, ...], ...]:
    code = segno.make(url, error="m", boost_error=False)
    return tuple(tuple(bool(cell) for cell in row) for row in code.matrix)


class QrCode(QWidget):
    def __init__(self, side: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = ""
        self._modules: tuple[tuple[bool, ...], ...] = ()
        self.setFixedSize(side, side)

    def sizeHint(self) -> QSize:
        return self.size()

    def show_url(self, url: str) -> None:
        self.url = url
        self._modules = modules(url) if url else ()
        self.update()  # an empty code keeps its place: no relayout on the way to the card

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._modules:
            return
        painter = QPainter(self)
        count = len(self._modules) + 2 * QUIET
        side = min(self.width(), self.height())
        cell = side / count
        painter.setPen(QColor(0, 0, 0, 0))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(QRectF(0, 0, side, side), cell * 1.5, cell * 1.5)
        painter.setBrush(QColor("#111111"))
        for y, row in enumerate(self._modules):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect(QRectF((x + QUIET) * cell, (y + QUIET) * cell, cell + 0.5, cell + 0.5))
        painter.end()
