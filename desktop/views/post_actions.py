"""Real buttons over the current post's painted ones: Like, Share, Reply and Open.

The delegate paints each row's ☆, ⇄, "Reply" and "Open" (a widget per row of 10,000 would cost
memory and scrolling), so to a screen reader and to the Tab key they were pixels (#28). Over the
row that has the keyboard's focus the same four are push buttons: transparent (the painted ones
show through, so the row looks the same), named for what they do to whose post ("Like Ana
Lima's post"), reached with Tab from the list, and acting exactly as a click on the painting.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QListView, QPushButton, QWidget

from desktop.feed.delegate import FeedDelegate
from desktop.feed.model import ITEM
from hallway.model import Post
from hallway.text import openable
from ui.language import fill

ACTIONS = ("like", "share", "reply", "open")


class Ghost(QPushButton):
    """A button that draws nothing but the keyboard's focus ring: the row's painting is its face."""

    def __init__(self, accent: QColor, parent: QWidget) -> None:
        super().__init__(parent)
        self.accent = accent

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(self.accent, 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 6, 6)
            painter.end()


class PostActions(QObject):
    def __init__(self, view: QListView, delegate: FeedDelegate, accent: QColor) -> None:
        super().__init__(view)
        self.view, self.delegate = view, delegate
        self.buttons: dict[str, QPushButton] = {}
        for action in ACTIONS:
            button = Ghost(accent, view.viewport())
            button.setObjectName("post-action")
            button.clicked.connect(lambda _=False, a=action: self.act(a))
            button.hide()
            self.buttons[action] = button
        QWidget.setTabOrder(view, self.buttons[ACTIONS[0]])
        for before, after in itertools.pairwise(ACTIONS):
            QWidget.setTabOrder(self.buttons[before], self.buttons[after])
        selection = view.selectionModel()
        selection.currentChanged.connect(lambda *_: self.place())
        view.verticalScrollBar().valueChanged.connect(lambda *_: self.place())
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged, model.layoutChanged):
            signal.connect(lambda *_: self.place())
        view.viewport().installEventFilter(self)

    def post(self) -> Post | None:
        item = self.view.currentIndex().data(ITEM)
        return item if isinstance(item, Post) else None

    def place(self) -> None:
        """Over the current row's painted buttons, named for its post; hidden where there is no
        current post or its row is scrolled away."""
        index: QModelIndex | QPersistentModelIndex = self.view.currentIndex()
        post = self.post()
        row = self.view.visualRect(index) if post is not None else QRect()
        if post is None or not row.intersects(self.view.viewport().rect()):
            for button in self.buttons.values():
                button.hide()
            return
        who = post.author_name or post.author_handle
        rects = dict(zip(ACTIONS, self.delegate.action_rects(row), strict=True))
        names = {"like": self.tr("Liked: %1's post") if post.liked else self.tr("Like %1's post"),
                 "share": self.tr("Shared: %1's post") if post.shared else self.tr("Share %1's post"),
                 "reply": self.tr("Reply to %1"),
                 "open": self.tr("Open %1's post in the browser")}
        for action, button in self.buttons.items():
            rect = rects[action]
            wanted = rect.isValid() and not rect.isEmpty() and (action != "open" or openable(post.url))
            button.setAccessibleName(fill(names[action], who))
            button.setToolTip(button.accessibleName())
            button.setGeometry(rect.adjusted(-4, -1, 4, 1))  # the ring around the painted words, not on them
            button.setVisible(wanted)

    def act(self, action: str) -> None:
        """What a click on the painting does (feed_delegate.FeedDelegate.editorEvent)."""
        post = self.post()
        if post is None:
            return
        if action == "like":
            self.delegate.favourite.emit(post)
        elif action == "share":
            self.delegate.share.emit(post)
        elif action == "reply":
            self.delegate.reply.emit(post)
        elif openable(post.url):
            self.delegate.open_url.emit(post.url)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:  # rows reflow: the buttons follow their row
            self.place()
        return False
