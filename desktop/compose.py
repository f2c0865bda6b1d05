"""The compose box under the feed: write to everyone, or reply to a post or a mention (what it
answers is shown above the box). What is typed is sent as plain text (a QPlainTextEdit takes
no rich text, and the connectors send no markup), counted against the server's own limit, and
handed to the outbox, which delivers it once, now or when the network is back."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hallway.text import cap

PREVIEW = 80  # characters of the answered post shown above the box


@dataclass(frozen=True)
class Draft:
    """What the person wrote, ready for the outbox."""

    text: str
    reply_to: str | None = None
    warning: str = ""


class ComposeBox(QWidget):
    sent = Signal(object)  # a Draft

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compose")
        self.limit: int | None = None  # the server's, once known (None: none, as on Matrix)
        self._reply_to: str | None = None

        self.answering = QLabel()
        self.answering.setObjectName("answering")
        self.answering.setWordWrap(True)
        self.cancel_reply = QToolButton()
        self.cancel_reply.setText("✕")
        self.cancel_reply.setAccessibleName("Stop replying")
        self.cancel_reply.setToolTip("Stop replying")
        self.cancel_reply.setAutoRaise(True)
        self.cancel_reply.clicked.connect(self.clear_reply)
        reply_row = QHBoxLayout()
        reply_row.addWidget(self.answering, 1)
        reply_row.addWidget(self.cancel_reply, 0, Qt.AlignmentFlag.AlignTop)
        self.reply_bar = QWidget()
        self.reply_bar.setLayout(reply_row)
        reply_row.setContentsMargins(0, 0, 0, 0)
        self.reply_bar.hide()

        self.warning = QLineEdit()
        self.warning.setPlaceholderText("Content warning (shown before the post)")
        self.warning.setAccessibleName("Content warning")
        self.warning.setMaxLength(200)
        self.warning.hide()
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("compose-text")
        self.editor.setPlaceholderText("Write to everyone…")
        self.editor.setAccessibleName("Write a post")
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(72)
        self.editor.textChanged.connect(self._changed)
        self.warning.textChanged.connect(self._changed)

        self.warn_toggle = QToolButton()
        self.warn_toggle.setText("CW")
        self.warn_toggle.setCheckable(True)
        self.warn_toggle.setToolTip("Add a content warning")
        self.warn_toggle.setAccessibleName("Add a content warning")
        self.warn_toggle.toggled.connect(self._toggle_warning)
        self.warn_toggle.hide()  # shown where the network has content warnings
        self.count = QLabel()
        self.count.setObjectName("count")
        self.waiting = QLabel()
        self.waiting.setObjectName("waiting")
        self.send = QPushButton("Post")
        self.send.setObjectName("send")
        self.send.setAccessibleName("Post")
        self.send.setToolTip("Post (Ctrl+Enter)")
        self.send.clicked.connect(self._send)
        actions = QHBoxLayout()
        actions.addWidget(self.warn_toggle)
        actions.addWidget(self.waiting, 1)
        actions.addWidget(self.count)
        actions.addWidget(self.send)

        box = QVBoxLayout(self)
        box.setContentsMargins(12, 6, 12, 10)
        box.setSpacing(4)
        box.addWidget(self.reply_bar)
        box.addWidget(self.warning)
        box.addWidget(self.editor)
        box.addLayout(actions)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.editor, self._send, context=Qt.ShortcutContext.WidgetShortcut)
        self._changed()

    # ------------------------------------------------------------ what the app sets

    def set_limit(self, limit: int | None, warnings: bool) -> None:
        self.limit = limit
        self.warn_toggle.setVisible(warnings)
        if not warnings:
            self.warn_toggle.setChecked(False)
        self._changed()

    def set_waiting(self, count: int) -> None:
        """Posts written but not yet delivered (offline, or a moment after Post)."""
        self.waiting.setText("" if count <= 0 else "Sending…" if count == 1 else f"Sending {count} posts…")

    def reply_to(self, post_id: str, author: str, text: str) -> None:
        self._reply_to = post_id
        preview = cap(" ".join(text.split()), PREVIEW)
        self.answering.setText(f"Replying to {cap(author, 80)}: “{preview}”" if author and preview else
                               f"Replying to {cap(author, 80)}" if author else "Replying to a post")
        self.reply_bar.show()
        self.editor.setPlaceholderText(f"Reply to {cap(author, 80)}…" if author else "Write your reply…")
        self.editor.setFocus()

    def mention(self, handle: str) -> None:
        """"Say hi": the box with the colleague mentioned, ready to write."""
        self.clear_reply()
        self.editor.setPlainText(f"@{handle} ")
        cursor = self.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def clear_reply(self) -> None:
        self._reply_to = None
        self.reply_bar.hide()
        self.editor.setPlaceholderText("Write to everyone…")

    # ------------------------------------------------------------ inside

    def _toggle_warning(self, on: bool) -> None:
        self.warning.setVisible(on)
        if on:
            self.warning.setFocus()
        else:
            self.warning.clear()

    def length(self) -> int:
        """As Mastodon counts: characters of the text and of the warning."""
        return len(self.editor.toPlainText()) + len(self.warning.text())

    def _changed(self) -> None:
        used = self.length()
        over = self.limit is not None and used > self.limit
        self.count.setText("" if self.limit is None else str(self.limit - used))
        self.count.setProperty("over", over)
        self.count.setAccessibleName("" if self.limit is None else
                                     f"{used - self.limit} characters too many" if over else
                                     f"{self.limit - used} characters left")
        self.count.style().unpolish(self.count)
        self.count.style().polish(self.count)
        self.send.setEnabled(bool(self.editor.toPlainText().strip()) and not over)
        self.send.setToolTip(f"Too long for this server by {used - self.limit} characters" if over and self.limit
                             else "Post (Ctrl+Enter)")

    def _send(self) -> None:
        if not self.send.isEnabled():
            return
        draft = Draft(self.editor.toPlainText(), self._reply_to,
                      self.warning.text().strip() if self.warn_toggle.isChecked() else "")
        self.editor.clear()
        self.warn_toggle.setChecked(False)
        self.clear_reply()
        self.sent.emit(draft)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._reply_to is not None:
            self.clear_reply()
            return
        super().keyPressEvent(event)
