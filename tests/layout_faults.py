"""What a person standing at a screen would call broken, found from the widgets' geometry: a
widget that sticks out of the one holding it (cut off at its edge), two widgets on top of each
other, and a label or button whose words do not fit (cut at the edge or at the bottom)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

SLACK = 1  # px: rounding in Qt's layouts


def describe(widget: QWidget) -> str:
    words = ""
    if isinstance(widget, (QLabel, QAbstractButton)) and widget.text():
        words = f" {widget.text()[:40]!r}"
    name = widget.objectName() or widget.property("role") or ""
    return f"{type(widget).__name__}{'#' + str(name) if name else ''}{words}"


def _shown(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisible() and w.width() > 0 and w.height() > 0
            and not _scrolled(w, root)]


def _scrolled(widget: QWidget, root: QWidget) -> bool:
    """Inside a scroll area its content may be as large as it likes: it scrolls."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _cut(widget: QWidget) -> str | None:
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        room = widget.contentsRect()
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + SLACK:
                return f"needs {needed} px of height, has {widget.height()}"
            return None
        hint = widget.sizeHint()
        metrics = widget.fontMetrics()
        widest = max(metrics.horizontalAdvance(line) for line in widget.text().split("\n"))
        if widest > room.width() + SLACK and hint.width() > widget.width() + SLACK:
            return f"needs {hint.width()} px of width, has {widget.width()}"
        tall = metrics.height() * len(widget.text().split("\n"))
        if tall > room.height() + SLACK and hint.height() > widget.height() + SLACK:
            return f"needs {hint.height()} px of height, has {widget.height()}"
        return None
    if isinstance(widget, QAbstractButton) and widget.text():
        metrics = QFontMetrics(widget.font())
        lines = widget.text().replace("&&", "&").split("\n")
        widest = max(metrics.horizontalAdvance(line) for line in lines)
        icon = widget.iconSize().width() if not widget.icon().isNull() else 0
        inside = widget.rect()
        if isinstance(widget, QPushButton):  # its frame and the style sheet's padding take room too
            option = QStyleOptionButton()
            widget.initStyleOption(option)
            inside = widget.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget)
        if widest + icon > inside.width() + SLACK:
            return f"its words need {widest + icon} px of width, it has {inside.width()}"
        if metrics.height() * len(lines) > inside.height() + SLACK:
            return f"its words need {metrics.height() * len(lines)} px of height, it has {inside.height()}"
    return None


def _words_at(widget: QWidget, root: QWidget) -> QRect | None:
    """Where a label's or button's words are drawn, in ``root``'s coordinates."""
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        flags = int(widget.alignment().value) | (int(Qt.TextFlag.TextWordWrap.value) if widget.wordWrap() else 0)
        local = widget.fontMetrics().boundingRect(widget.contentsRect(), flags, widget.text())
    elif isinstance(widget, QAbstractButton) and widget.text():
        local = widget.rect()
    else:
        return None
    return QRect(widget.mapTo(root, local.topLeft()), local.size())


def faults(root: QWidget, overlays: tuple[QWidget, ...] = (), floating: tuple[QWidget, ...] = ()) -> list[str]:
    """Every fault on ``root`` as it is laid out now. ``overlays`` float over the screen on
    purpose and may cover what is under them (a toast); ``floating`` widgets float too (a status
    note in a corner) but must never cover words."""
    found: list[str] = []
    shown = _shown(root)
    for widget in shown:
        parent = widget.parentWidget()
        assert parent is not None
        inside = parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK)
        if not inside.contains(widget.geometry()):
            found.append(f"{describe(widget)} sticks out of {describe(parent)}: "
                         f"{_rect(widget.geometry())} in {_rect(parent.rect())}")
        why = _cut(widget)
        if why is not None:
            found.append(f"{describe(widget)} is cut: {why}")
    by_parent: dict[int, list[QWidget]] = {}
    for widget in shown:
        parent = widget.parentWidget()
        if widget in overlays or widget in floating or isinstance(parent, QStackedWidget):
            continue
        by_parent.setdefault(id(parent), []).append(widget)
    for siblings in by_parent.values():
        for i, one in enumerate(siblings):
            for other in siblings[i + 1:]:
                common = one.geometry().intersected(other.geometry())
                if common.width() > SLACK and common.height() > SLACK:
                    found.append(f"{describe(one)} and {describe(other)} overlap: {_rect(common)}")
    for note in (w for w in floating if w.isVisible()):
        area = QRect(note.mapTo(root, note.rect().topLeft()), note.size())
        for widget in shown:
            if widget is note or note.isAncestorOf(widget) or widget in overlays:
                continue
            words = _words_at(widget, root)
            if words is not None and words.intersects(area.adjusted(SLACK, SLACK, -SLACK, -SLACK)):
                found.append(f"{describe(note)} covers the words of {describe(widget)}")
    return found


def _rect(rect: QRect) -> str:
    return f"{rect.width()}x{rect.height()}+{rect.x()}+{rect.y()}"
