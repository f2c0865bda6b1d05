"""Words that fit the room they are given: cut at a whole word with "…", never mid-word, and
never more lines than the screen has room for (the whole text goes to the accessible name)."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget


def ellipsis(text: str) -> str:
    """ "…" that stays at the end of ``text`` on a right-to-left screen too: a neutral mark takes
    the paragraph's direction, so after English on an Arabic screen it showed at the start."""
    if not QGuiApplication.isRightToLeft():
        return "…"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "…"
        if kind == "L":
            return "…\u200e"  # a left-to-right mark after it
    return "…"


def elide_words(text: str, metrics: QFontMetrics, room: int) -> str:
    """``text`` as far as whole words fit in ``room``, then "…" ("Customer…", never "Custo");
    a first word that does not fit alone is cut where it must."""
    if metrics.horizontalAdvance(text) <= room:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        shorter = " ".join(words).rstrip(" ·,") + ellipsis(text)
        if metrics.horizontalAdvance(shorter) <= room:
            return shorter
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)


def fit_parts(parts: list[str], metrics: QFontMetrics, room: int) -> str:
    """"Team · Office", or the team alone where both do not fit, each cut at a word if it must."""
    whole = " · ".join(parts)
    if metrics.horizontalAdvance(whole) <= room or len(parts) < 2:
        return elide_words(whole, metrics, room)
    return elide_words(parts[0], metrics, room)


def lines_needed(text: str, metrics: QFontMetrics, room: int) -> int:
    """How many lines a word-wrapped label takes for ``text`` in ``room`` pixels."""
    if not text:
        return 0
    height = metrics.boundingRect(QRect(0, 0, max(1, room), 1 << 20), int(Qt.TextFlag.TextWordWrap.value),
                                  text).height()
    return max(1, round(height / metrics.lineSpacing()))


def elide_lines(text: str, metrics: QFontMetrics, room: int, lines: int) -> str:
    """``text`` in at most ``lines`` wrapped lines of ``room`` pixels, then "…": cut at a whole
    word where one is near the end, else where it must (one long word would lose a whole line)."""
    if lines_needed(text, metrics, room) <= lines:
        return text
    mark = ellipsis(text)
    kept, longest = 0, len(text)
    while kept < longest:  # the longest start that fits with its "…"
        middle = (kept + longest + 1) // 2
        if lines_needed(text[:middle].rstrip() + mark, metrics, room) <= lines:
            kept = middle
        else:
            longest = middle - 1
    cut = text[:kept]
    space = cut.rfind(" ")
    if space > len(cut) * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ·,") + mark


def wrap_words(text: str, metrics: QFontMetrics, room: int, lines: int) -> str:
    """``text`` broken into at most ``lines`` lines of whole words that fit ``room`` (for a button,
    which does not wrap), the last cut at a whole word with "…" when the words run out of lines."""
    words, out = text.split(), list[str]()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= room:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out[-1] = elide_words(f"{out[-1]} {' '.join(words)}", metrics, room)
    return "\n".join(elide_words(line, metrics, room) for line in out)


def button_room(button: QPushButton) -> int:
    """The width a button's words have: its own less its frame and the style's padding, as the
    style says."""
    option = QStyleOptionButton()
    button.initStyleOption(option)
    return button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button).width()


class WordsButton(QPushButton):
    """A button whose words are fitted to its own width whenever it changes: whole words on up to
    two lines, never cut mid-word (a quiz answer "Despina Nikolaidis" showed as "espina Nikolaidi");
    the whole text is its accessible name."""

    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines, self.whole = lines, ""
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the badge reader, not to buttons
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_words(self, text: str) -> None:
        self.whole = text
        self.setAccessibleName(text)
        self._fit()

    def room(self) -> int:
        return button_room(self)

    def _fit(self) -> None:
        fitted = wrap_words(self.whole, QFontMetrics(self.font()), max(40, self.room()), self.lines)
        self.setText(fitted.replace("&", "&&"))  # as written: "&" would mark a shortcut

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()
