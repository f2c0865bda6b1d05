"""Find your name by touch: a large on-screen keyboard and at most six live results (four on a
short landscape screen), each with a photo. A search, never a list to browse: nothing shows
before two letters."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hallway.model import Colleague
from kiosk.screens import Screen, button, literal, set_font, text_label
from kiosk.screens.words import button_room, fit_parts, wrap_words
from kiosk.theme import Theme
from ui.faces import pixmap_of

ROWS = ("qwertyuiop", "asdfghjkl-", "zxcvbnm'")
RESULTS = 6
SHORT = 900  # px: a landscape screen this short shows four results, so two-line names fit above the keys
MOST_TYPED = 80
WIDE = 1600  # px: a landscape screen this wide has room for three columns of results


class Search(Screen):
    query_changed = Signal(str)
    chosen = Signal(object)  # Colleague
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.query = ""
        self.theme: Theme | None = None
        self.results: list[Colleague] = []
        self.photos: dict[str, bytes | None] = {}
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = text_label(wrap=True)
        self.cancel = button(self.tr("Cancel"), "quiet")
        self.cancel.clicked.connect(self.cancelled)
        top.addWidget(self.title, 1)
        top.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(top)
        self.field = text_label()
        self.field.setProperty("role", "chip")
        root.addWidget(self.field)
        self.hint = text_label("muted", wrap=True)
        root.addWidget(self.hint)
        self.grid = QGridLayout()
        self.tiles: list[QPushButton] = []
        for i in range(RESULTS):
            tile = button()
            # The grid gives each column its share; a long name never widens its own column.
            tile.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            tile.setProperty("index", i)
            tile.clicked.connect(self._tile_tapped)
            tile.setVisible(False)
            self.tiles.append(tile)
        root.addLayout(self.grid)
        root.addStretch(1)
        self.keys: dict[str, QPushButton] = {}
        self.board = QVBoxLayout()
        for row in ROWS:
            line = QHBoxLayout()
            line.addStretch(1)
            for letter in row:
                key = button(letter.upper(), "key")
                key.clicked.connect(lambda _=False, ch=letter: self.type_text(ch))
                self.keys[letter] = key
                line.addWidget(key)
            if row == ROWS[-1]:
                erase = button("⌫", "key")
                erase.setAccessibleName(self.tr("Delete"))
                erase.clicked.connect(self.erase)
                self.keys["erase"] = erase
                line.addWidget(erase)
            line.addStretch(1)
            self.board.addLayout(line)
        space_row = QHBoxLayout()
        space = button(self.tr("Space"), "key")
        space.clicked.connect(lambda: self.type_text(" "))
        self.keys[" "] = space
        space_row.addStretch(1)
        space_row.addWidget(space, 4)
        space_row.addStretch(1)
        self.board.addLayout(space_row)
        # Latin letters in their usual order on every screen: an Arabic screen must not mirror QWERTY.
        board = QWidget()
        board.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        board.setLayout(self.board)
        self.board.setContentsMargins(0, 0, 0, 0)
        root.addWidget(board)
        self._root = root
        self._columns = 3  # 2 in portrait and on small screens (apply_theme)
        self._tile_height = 132
        self._most = RESULTS
        self.start(linking=False)

    def start(self, linking: bool) -> None:
        """A fresh search; ``linking`` after an unknown badge, to say why we ask."""
        self.title.setText(self.tr("We don't know this badge yet. Find your name once, and next time "
                                   "your badge is enough.") if linking else self.tr("Find your name"))
        self.query = ""
        self.show_results([], {})

    def type_text(self, text: str) -> None:
        # Names have no digits: a badge number that slipped past the reader never shows here.
        self.query = (self.query + "".join(ch for ch in text if ch.isprintable() and not ch.isdigit()))[:MOST_TYPED]
        self.query_changed.emit(self.query)

    def erase(self) -> None:
        self.query = self.query[:-1]
        self.query_changed.emit(self.query)

    def show_results(self, people: list[Colleague], photos: dict[str, bytes | None]) -> None:
        self.results, self.photos = people[:self._most], photos
        # Nothing typed yet: the caret first and the hint in the muted colour, so it never reads as typed.
        empty = not self.query
        if self.field.property("empty") != empty:
            self.field.setProperty("empty", empty)
            self.field.style().unpolish(self.field)
            self.field.style().polish(self.field)
        self.field.setText("▏" + self.tr("Type the first letters of your name") if empty else self.query + "▏")
        if len(self.query.strip()) < 2:
            self.hint.setText(self.tr("Results appear after two letters."))
        elif not people:
            self.hint.setText(self.tr("Nobody found. Check the spelling, or try your first name only."))
        else:
            self.hint.setText(self.tr("Tap your name."))
        self._lay_out_tiles()

    def _lay_out_tiles(self) -> None:
        theme = self.theme
        side = theme.px(96) if theme else 96
        for i, tile in enumerate(self.tiles):
            if i < len(self.results):
                person = self.results[i]
                parts = [x for x in (person.team, person.office) if x]
                metrics = QFontMetrics(tile.font())
                room = max(80, self._column_width() - self._padding(tile) - side - metrics.horizontalAdvance("  ") - 8)
                # A long name takes a second line rather than lose its surname ("Zebulon…" five times).
                lines = [*wrap_words(person.name, metrics, room, 2).split("\n"), fit_parts(parts, metrics, room)]
                tile.setText(literal("\n".join(f"  {line}" for line in lines)))
                tile.setIcon(QIcon(pixmap_of(person, self.photos.get(person.id), side)))
                tile.setIconSize(QSize(side, side))
                tile.setAccessibleName(", ".join([person.name, *parts]))  # the whole of it, whatever fits
                tile.setMinimumHeight(max(self._tile_height, tile.sizeHint().height()))
                tile.setVisible(True)
            else:
                tile.setVisible(False)

    @staticmethod
    def _padding(tile: QPushButton) -> int:
        """What a tile keeps around its contents (its frame and the style's padding), as the style
        says: the words get a column's width less this, the photo and the gap after it."""
        return max(0, tile.width() - button_room(tile))

    def _column_width(self) -> int:
        """A column's width, from the screen's (the tiles themselves may not be laid out yet)."""
        margins = self._root.contentsMargins()
        inside = self.width() - margins.left() - margins.right()
        return int((inside - self.grid.spacing() * (self._columns - 1)) / self._columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out_tiles()

    def _tile_tapped(self) -> None:
        index = int(self.sender().property("index"))
        if index < len(self.results):
            self.chosen.emit(self.results[index])

    def note_line(self, corner: QRect) -> tuple[QLabel, QWidget | None] | None:
        """Up beside the title only where the corner would cover a key (the space bar on a small
        screen): a long title wraps to make the room."""
        for key in self.keys.values():
            if QRect(key.mapTo(self, key.rect().topLeft()), key.size()).intersects(corner):
                return self.title, self.cancel
        return None

    def apply_theme(self, theme: Theme, portrait: bool) -> None:
        self.theme = theme
        margin = theme.px(64)
        self._root.setContentsMargins(margin, theme.px(48), margin, theme.px(40))
        self._root.setSpacing(theme.px(20))
        set_font(self.title, theme, 54, QFont.Weight.Bold)
        set_font(self.cancel, theme, 30, QFont.Weight.Medium)
        set_font(self.field, theme, 46, QFont.Weight.Medium)
        set_font(self.hint, theme, 26)
        # Three columns only where a long name still fits in one: two on 1280x800 and smaller, where
        # three cut "Zebulon Alexander Featherstonehaugh" and "Zebulon Bartholomew …" to "Zebulon…".
        columns = self._columns = 3 if not portrait and self.window().width() >= WIDE else 2
        for column in range(3):  # columns of one width, whatever the names in them
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self._tile_height = max(60, theme.px(132))
        self._most = RESULTS if portrait or self.window().height() >= SHORT else 4
        for i, tile in enumerate(self.tiles):
            self.grid.addWidget(tile, i // columns, i % columns)
            set_font(tile, theme, 28, QFont.Weight.Medium)
            tile.setMinimumHeight(self._tile_height)
            tile.setStyleSheet("text-align: left;")
        self.grid.setSpacing(theme.px(18))
        self.board.setSpacing(theme.px(12))
        # Ten keys and their gaps within the margins (1080x1920 had them 36 px past the edge).
        inside = self.window().width() - 2 * margin
        longest = max(len(row) for row in ROWS)
        side = max(60, min(theme.px(92) if not portrait else theme.px(88),
                           (inside - (longest - 1) * self.board.spacing()) // longest))
        for name, key in self.keys.items():
            set_font(key, theme, 34, QFont.Weight.Medium)
            key.setMinimumSize(side if name != " " else side * 6, side)
            key.setMaximumWidth(side * 2 if name != " " else 16777215)
        self._lay_out_tiles()
