"""The compose box under the feed: write to everyone, or reply to a post or a mention (the
thread it answers is shown above the box). What is typed is sent as plain text (a QPlainTextEdit takes
no rich text, and the connectors send no markup), counted against the server's own limit, and
handed to the outbox, which delivers it once, now or when the network is back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
from ui.language import fill

if TYPE_CHECKING:
    from hallway.networks import Capabilities

PREVIEW = 80  # characters of the answered post shown above the box
EARLIER = 60  # characters of each earlier post of the thread


@dataclass(frozen=True)
class Draft:
    """What the person wrote, ready for the outbox."""

    text: str
    reply_to: str | None = None
    warning: str = ""
    private_to: str = ""  # a colleague's handle: a private message only they see ("Say hi")


class ComposeBox(QWidget):
    sent = Signal(object)  # a Draft

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compose")
        self.limit: int | None = None  # the server's, once known (None: none, as on Matrix)
        self._reply_to: str | None = None
        self._private_to = ""  # "Say hi": the colleague a private message goes to
        # A reply starts with the people it answers, "@ana @ben " (Mastodon notifies only those its
        # words name), where the network says so; Matrix names them beside the words itself.
        self.names_in_reply = False  # until the network is open and says
        self._named = ""  # what the box was filled with: a reply of only that is not sent

        self.earlier = QLabel()  # the thread before the answered post, muted
        self.earlier.setObjectName("earlier")
        self.earlier.setTextFormat(Qt.TextFormat.PlainText)
        self.earlier.setWordWrap(True)
        self.answering = QLabel()
        self.answering.setObjectName("answering")
        self.answering.setTextFormat(Qt.TextFormat.PlainText)
        self.answering.setWordWrap(True)
        thread = QVBoxLayout()
        thread.setSpacing(2)
        thread.addWidget(self.earlier)
        thread.addWidget(self.answering)
        self.cancel_reply = QToolButton()
        self.cancel_reply.setText("✕")
        self.cancel_reply.setAccessibleName(self.tr("Stop replying"))
        self.cancel_reply.setToolTip(self.tr("Stop replying"))
        self.cancel_reply.setAutoRaise(True)
        self.cancel_reply.clicked.connect(self.clear_reply)
        reply_row = QHBoxLayout()
        reply_row.addLayout(thread, 1)
        reply_row.addWidget(self.cancel_reply, 0, Qt.AlignmentFlag.AlignTop)
        self.reply_bar = QWidget()
        self.reply_bar.setLayout(reply_row)
        reply_row.setContentsMargins(0, 0, 0, 0)
        self.reply_bar.hide()

        self.warning = QLineEdit()
        self.warning.setPlaceholderText(self.tr("Content warning (shown before the post)"))
        self.warning.setAccessibleName(self.tr("Content warning"))
        self.warning.setMaxLength(200)
        self.warning.hide()
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("compose-text")
        self.editor.setPlaceholderText(self.tr("Write to everyone…"))
        self.editor.setAccessibleName(self.tr("Write a post"))
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(72)
        self.editor.textChanged.connect(self._changed)
        self.warning.textChanged.connect(self._changed)

        self.warn_toggle = QToolButton()
        self.warn_toggle.setText(self.tr("CW"))
        self.warn_toggle.setCheckable(True)
        self.warn_toggle.setToolTip(self.tr("Add a content warning"))
        self.warn_toggle.setAccessibleName(self.tr("Add a content warning"))
        self.warn_toggle.toggled.connect(self._toggle_warning)
        self.warn_toggle.hide()  # shown where the network has content warnings
        self.count = QLabel()
        self.count.setObjectName("count")
        self._waiting, self._offline = 0, False  # what waits to be sent, and whether the network is away
        self.waiting = QLabel()
        self.waiting.setObjectName("waiting")
        self.send = QPushButton(self.tr("Post"))
        self.send.setObjectName("send")
        self.send.setAccessibleName(self.tr("Post"))
        self.send.setToolTip(self.tr("Post (Ctrl+Enter)"))
        self.send.clicked.connect(self._send)
        self.action_row = QWidget()
        actions = QHBoxLayout(self.action_row)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.warn_toggle)
        actions.addWidget(self.waiting, 1)
        actions.addWidget(self.count)
        actions.addWidget(self.send)
        # Where Hallway must not write (an end-to-end encrypted room): why, in place of the box.
        self.refused = QLabel()
        self.refused.setObjectName("refused")
        self.refused.setTextFormat(Qt.TextFormat.PlainText)
        self.refused.setWordWrap(True)
        self.refused.hide()

        box = QVBoxLayout(self)
        box.setContentsMargins(12, 6, 12, 10)
        box.setSpacing(4)
        box.addWidget(self.reply_bar)
        box.addWidget(self.warning)
        box.addWidget(self.editor)
        box.addWidget(self.action_row)
        box.addWidget(self.refused)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.editor, self._send, context=Qt.ShortcutContext.WidgetShortcut)
        self._changed()

    # ------------------------------------------------------------ what the app sets

    def set_limit(self, limit: int | None) -> None:
        self.limit = limit
        self._changed()

    def network_opened(self, capabilities: Capabilities) -> None:
        """Content warnings where the network has them; the author answered named in a reply
        where that is what notifies them."""
        self.names_in_reply = capabilities.mentions_in_text
        self.warn_toggle.setVisible(capabilities.warnings)
        if not capabilities.warnings:
            self.warn_toggle.setChecked(False)
        self._changed()

    def set_refused(self, why: str) -> None:
        """The network will not take what is written here (``why``, in words), or "" again: the
        box gives way to the reason, so nothing is typed that could not be sent."""
        if bool(why) == self.refused.isVisible() and why == self.refused.text():
            return
        self.refused.setText(why)
        self.refused.setAccessibleName(why)
        if why:
            self.clear_reply()
        for part in (self.editor, self.action_row):
            part.setVisible(not why)
        self.warning.setVisible(not why and self.warn_toggle.isChecked())
        self.refused.setVisible(bool(why))

    def set_waiting(self, count: int) -> None:
        """Posts written but not yet delivered: a moment after Post, or, offline, until the
        network is back (said at once, not "Sending…" for minutes)."""
        self._waiting = count
        if count <= 0:
            self.waiting.setText("")
        elif self._offline:
            self.waiting.setText(self.tr("Will send when you're back online") if count == 1 else
                                 self.tr("%n posts will send when you're back online", "", count))
        else:
            self.waiting.setText(self.tr("Sending…") if count == 1 else self.tr("Sending %n post(s)…", "", count))

    def set_offline(self, offline: bool) -> None:
        self._offline = offline
        self.set_waiting(self._waiting)

    def reply_to(self, post_id: str, thread: Sequence[tuple[str, str]], people: Sequence[str] = ()) -> None:
        if self.refused.isVisible():
            return  # nowhere to write: the reason stays on show
        """Answer ``post_id``; ``thread`` is (author, text) from the oldest post known to the one
        answered, the last (empty when this computer holds none of it); ``people``, the handles to
        notify, the author answered first (named in the box where ``names_in_reply``; the person
        may take any of them out, as in any Mastodon client)."""
        self._reply_to = post_id
        current = self.editor.toPlainText()
        if self.names_in_reply and people and (not current.strip() or current == self._named):
            self._named = "".join(f"@{handle} " for handle in people)
            self.editor.setPlainText(self._named)
            cursor = self.editor.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            self.editor.setTextCursor(cursor)
        author, text = thread[-1] if thread else ("", "")
        author, preview = cap(author, 80), cap(" ".join(text.split()), PREVIEW)
        self.earlier.setText("\n".join(f"{cap(who, 40)}: {cap(' '.join(words.split()), EARLIER)}"
                                       for who, words in thread[:-1]))
        self.earlier.setVisible(len(thread) > 1)
        self.answering.setText(fill(self.tr("Replying to %1: “%2”"), author, preview) if author and preview else
                               fill(self.tr("Replying to %1"), author) if author else self.tr("Replying to a post"))
        self.reply_bar.show()
        self.editor.setPlaceholderText(fill(self.tr("Reply to %1…"), author) if author else
                                       self.tr("Write your reply…"))
        self.editor.setFocus()

    def mention(self, handle: str, name: str = "") -> None:
        """"Say hi": a private message to the colleague, ready to write, saying who will see it."""
        self.clear_reply()
        self._private_to = handle
        self.editor.setPlainText(f"@{handle} ")
        cursor = self.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.editor.setTextCursor(cursor)
        self.earlier.hide()
        self.answering.setText(fill(self.tr("A private message: only %1 will see it."), name or f"@{handle}"))
        self.cancel_reply.setAccessibleName(self.tr("Write to everyone instead"))
        self.cancel_reply.setToolTip(self.tr("Write to everyone instead"))
        self.reply_bar.show()
        self.editor.setPlaceholderText(fill(self.tr("Say hi to %1…"), name or f"@{handle}"))
        self.editor.setFocus()

    def clear_reply(self) -> None:
        """Back to a post for everyone (a reply or a private message given up)."""
        if self._named and self.editor.toPlainText() == self._named:
            self.editor.clear()  # only the names of a reply no longer written: gone with it
        self._named = ""
        self._reply_to = None
        self._private_to = ""
        self.cancel_reply.setAccessibleName(self.tr("Stop replying"))
        self.cancel_reply.setToolTip(self.tr("Stop replying"))
        self.reply_bar.hide()
        self.editor.setPlaceholderText(self.tr("Write to everyone…"))

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
                                     self.tr("%n character(s) too many", "", used - self.limit) if over else
                                     self.tr("%n character(s) left", "", self.limit - used))
        self.count.style().unpolish(self.count)
        self.count.style().polish(self.count)
        written = self.editor.toPlainText().strip()
        self.send.setEnabled(bool(written) and written != self._named.strip() and not over)
        self.send.setToolTip(self.tr("Too long for this server by %n character(s)", "", used - self.limit)
                             if over and self.limit else self.tr("Post (Ctrl+Enter)"))

    def _send(self) -> None:
        if not self.send.isEnabled():
            return
        draft = Draft(self.editor.toPlainText(), self._reply_to,
                      self.warning.text().strip() if self.warn_toggle.isChecked() else "", self._private_to)
        self.editor.clear()
        self._named = ""
        self.warn_toggle.setChecked(False)
        self.clear_reply()
        self.sent.emit(draft)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and (self._reply_to is not None or self._private_to):
            self.clear_reply()
            return
        super().keyPressEvent(event)
