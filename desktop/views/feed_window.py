"""The feed window: compact, like a notification centre, opened from the tray. Four tabs: the
feed, mentions and replies, announcements, and who is in the office today. Every list is a
QListView over a model (desktop.feed.model) drawn by one delegate (desktop.feed.delegate).
The window shows the store; it never waits on the network. A line under the title says when
it is offline, paused or signed out. Under the feed and the mentions, the compose box
(desktop.views.compose): double-click a post or a mention to reply to it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.feed.delegate import FeedDelegate
from desktop.feed.model import ITEM, AnnouncementsModel, InOfficeModel, ListModel, NoticesModel, PostsModel
from desktop.parts.colleague_of_the_day import ME_STATE
from desktop.views.compose import ComposeBox
from desktop.views.look import muted_css
from desktop.views.office_week import WeekStrip
from desktop.views.placement import near_tray
from desktop.views.post_actions import PostActions
from hallway.model import Notice, Post
from hallway.networks import Capabilities, StreamEvent
from hallway.store import Store
from hallway.sync import Connection, SyncResult
from ui.language import fill

TABS = ("feed", "mentions", "announcements", "in_office")
MOST_NAMED = 5  # people a reply names at the start: the author answered and the thread's last writers
WINDOW_SIZE = (420, 640)


class FeedWindow(QWidget):
    settings_wanted = Signal()
    sign_in_wanted = Signal()
    colleague_wanted = Signal()
    read = Signal()  # the read position moved: the tray's badge changes
    tab_shown = Signal(str)
    wants_older = Signal(str)  # the feed's list reached the store's oldest post: fetch older ones

    def __init__(self, store: Store, feed: str, accent: QColor, my_office: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.store, self.feed = store, feed
        self.setWindowTitle("Hallway")
        self.setObjectName("feed-window")
        self.resize(*WINDOW_SIZE)
        self.setMinimumSize(340, 420)
        self.quit_on_close = False  # True where there is no tray to return to

        self.delegate = FeedDelegate(store, accent, self)
        self.posts = PostsModel(store, feed)
        self.posts.wants_older.connect(self.wants_older)
        self.notices = NoticesModel(store)
        self.announcements = AnnouncementsModel(store)
        self.in_office = InOfficeModel(store, my_office)
        self.week = WeekStrip(accent.name())

        title = QLabel(self.tr("Hallway"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.hide()
        today = QToolButton()
        today.setText("☕")
        today.setToolTip(self.tr("Colleague of the day"))
        today.setAccessibleName(self.tr("Colleague of the day"))
        today.clicked.connect(self.colleague_wanted)
        gear = QToolButton()
        gear.setText("⚙")
        gear.setToolTip(self.tr("Settings"))
        gear.setAccessibleName(self.tr("Settings"))
        gear.clicked.connect(self.settings_wanted)
        for button in (today, gear):
            button.setAutoRaise(True)
            button.setFixedSize(32, 32)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(today)
        header.addWidget(gear)

        self.tabs = QTabBar()
        self.tabs.setExpanding(True)
        self.tabs.setDrawBase(False)
        for label in (self.tr("Feed"), self.tr("Mentions"), self.tr("Announcements"), self.tr("In today")):
            self.tabs.addTab(label)
        self.pages = QStackedWidget()
        self.lists: dict[str, QListView] = {}
        self.empty: dict[str, QLabel] = {}
        empty_words = {"feed": self.tr("Nothing in your feed yet."),
                       "mentions": self.tr("No mentions or replies yet."),
                       "announcements": self.tr("No announcements right now."),
                       "in_office": self.tr("Nobody has shared that they are in today.")}
        self._empty_words = empty_words
        for name, model in zip(TABS, (self.posts, self.notices, self.announcements, self.in_office), strict=True):
            view = QListView()
            view.setObjectName(f"list-{name}")
            view.setAccessibleName(self.tabs.tabText(len(self.lists)))
            view.setModel(model)
            view.setItemDelegate(self.delegate)
            view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            view.setFrameShape(QListView.Shape.NoFrame)
            view.setMouseTracking(True)
            view.setResizeMode(QListView.ResizeMode.Adjust)
            view.verticalScrollBar().setSingleStep(24)
            page = QStackedWidget()
            empty = QLabel(empty_words[name])
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            empty.setWordWrap(True)
            empty.setObjectName("empty")
            page.addWidget(view)
            page.addWidget(empty)
            self.lists[name], self.empty[name] = view, empty
            if name == "in_office":  # the person's office week above who is in today
                holder = QWidget()
                column = QVBoxLayout(holder)
                column.setContentsMargins(0, 0, 0, 0)
                column.setSpacing(0)
                column.addWidget(self.week)
                column.addWidget(page, 1)
                self.pages.addWidget(holder)
            else:
                self.pages.addWidget(page)
            self._watch(name, model)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.compose = ComposeBox()
        # One thing per click: a click acts (a link, ☆, Reply, Open); answering is the row's Reply
        # button or Enter on the selected row, never a double-click (its first click would open a link).
        for name in ("feed", "mentions"):
            self.lists[name].installEventFilter(self)
            self.lists[name].setAccessibleDescription(self.tr("Press Enter to reply to the selected post."))
        self.delegate.reply.connect(self._reply_to)
        self.post_actions = PostActions(self.lists["feed"], self.delegate, accent)  # the current post's, for real

        self.signed_out = QWidget()
        self.signed_out.setObjectName("signed-out")
        sign_in = QPushButton(self.tr("Sign in with your company account"))
        sign_in.setObjectName("sign-in")
        sign_in.setDefault(True)
        sign_in.clicked.connect(self.sign_in_wanted)
        self._sign_in_words = self.tr("Hallway opens your company's sign-in page in your browser, and keeps the "
                                      "sign-in in this computer's keyring.")
        self.sign_in_note = QLabel(self._sign_in_words)
        self.sign_in_note.setWordWrap(True)
        self.sign_in_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QVBoxLayout(self.signed_out)
        box.addStretch(1)
        box.addWidget(sign_in, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.sign_in_note)
        box.addStretch(2)
        self.signed_out.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(6)
        top = QVBoxLayout()
        top.setContentsMargins(16, 0, 10, 0)
        top.addLayout(header)
        top.addWidget(self.status)
        layout.addLayout(top)
        layout.addWidget(self.tabs)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.compose)
        layout.addWidget(self.signed_out, 1)
        self._style(accent)
        self._mark_timer = QTimer(self)
        self._mark_timer.setSingleShot(True)
        self._mark_timer.setInterval(1500)  # read is what stayed on screen a moment, not what flashed by
        self._mark_timer.timeout.connect(self.mark_shown_read)
        self.refresh_counts()

    def _style(self, accent: QColor) -> None:
        self.setStyleSheet(f"""
            QLabel#status {{ color: palette(text); background: rgba(217, 140, 0, 0.16); border-radius: 8px;
                             padding: 6px 10px; }}
            QLabel#empty {{ color: {muted_css()}; padding: 40px; }}
            QTabBar::tab {{ padding: 8px 4px; border: 0; border-bottom: 2px solid transparent; }}
            QTabBar::tab:selected {{ border-bottom: 2px solid {accent.name()}; font-weight: 600; }}
            QPushButton#sign-in {{ background: {accent.name()}; color: white; border: 0; border-radius: 8px;
                                   padding: 10px 18px; font-weight: 600; }}
            QWidget#compose {{ border-top: 1px solid palette(midlight); }}
            QLabel#earlier {{ color: {muted_css()}; border-left: 2px solid palette(midlight); padding-left: 6px; }}
            QLabel#answering {{ border-left: 2px solid {accent.name()}; padding-left: 6px; }}
            QPlainTextEdit#compose-text {{ border: 1px solid palette(mid); border-radius: 8px; padding: 4px; }}
            QPlainTextEdit#compose-text:focus {{ border: 1px solid {accent.name()}; }}
            QPushButton#send {{ background: {accent.name()}; color: white; border: 0; border-radius: 8px;
                                padding: 6px 16px; font-weight: 600; }}
            QPushButton#send:disabled {{ background: palette(midlight); color: palette(mid); }}
            QLabel#count {{ color: {muted_css()}; }}
            QLabel#count[over="true"] {{ color: #c0392b; font-weight: 600; }}
            QLabel#waiting, QLabel#answering {{ color: {muted_css()}; }}
            QLabel#refused {{ color: palette(text); background: palette(alternate-base); border-radius: 8px;
                              padding: 8px 10px; }}
        """)

    # ------------------------------------------------------------ what is shown

    def _watch(self, name: str, model: ListModel) -> None:
        """Show the list, or the tab's "nothing here" line, as rows come and go."""
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(lambda *_, n=name: self._empty_state(n))
        self._empty_state(name)

    def set_in_office_problem(self, why: str) -> None:
        """Why "In today" cannot be known (the account is outside the lobby room, say), in place
        of "Nobody has shared that they are in today", which would not be true."""
        self.empty["in_office"].setText(why or self._empty_words["in_office"])

    def _empty_state(self, name: str) -> None:
        model = self.lists[name].model()
        page = self.lists[name].parentWidget()
        if isinstance(page, QStackedWidget):
            page.setCurrentIndex(0 if model.rowCount() else 1)

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))
        self._tab_changed(TABS.index(name))

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def show_post(self, post_id: str) -> bool:
        """Bring a post of the feed into view (a ``hallway://post`` link); False when the feed
        on this computer does not hold it."""
        self.show_tab("feed")
        view = self.lists["feed"]
        for row, post in enumerate(self.posts.items):
            if post.id == post_id:
                index = self.posts.index(row, 0)
                view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
                view.setCurrentIndex(index)
                return True
        return False

    def reply_to_item(self, post_id: str) -> None:
        """The compose box answering ``post_id`` (a notification's "Reply"), with the words it answers."""
        notice = next((n for n in self.store.notices(200) if n.post_id == post_id), None)
        self.show_tab("mentions" if notice is not None else "feed")
        self._answer(post_id, (notice.from_name, notice.text) if notice is not None else None)
        self.compose.editor.setFocus()

    def _reply_to(self, item: object) -> None:
        if isinstance(item, Post):
            self._answer(item.acts_on, (item.author_name, item.text))
        elif isinstance(item, Notice) and item.post_id:
            self._answer(item.post_id, (item.from_name, item.text), item.from_id)

    def _answer(self, post_id: str, known: tuple[str, str] | None = None, author_id: str = "") -> None:
        """The compose box on ``post_id``, with the thread this computer holds above it (``known``,
        the words of the row or mention answered, when its post is not in a feed here), and the
        people to notify: the author answered, then the thread's other writers, never oneself."""
        chain = self.store.thread(post_id)
        thread = [(p.author_name, p.text) for p in chain]
        if known is not None and not thread:
            thread = [known]
        handles = [p.author_handle for p in reversed(chain)]
        if not chain and author_id:
            author = self.store.colleague(author_id)
            handles = [author.handle] if author is not None else []
        me = self.store.get_state(ME_STATE) or ""
        myself = self.store.colleague(me) if me else None
        mine = {p.author_handle for p in chain if p.author_id == me} | ({myself.handle} if myself else set())
        people = [h for h in dict.fromkeys(handles) if h and h not in mine][:MOST_NAMED]
        self.compose.reply_to(post_id, thread, people)

    def _tab_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.compose.setVisible(TABS[index] in ("feed", "mentions") and not self.signed_out.isVisible())
        self.tab_shown.emit(TABS[index])
        if self.isVisible():
            self._mark_timer.start()

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_signed_out(self, signed_out: bool, note: str = "") -> None:
        self.signed_out.setVisible(signed_out)
        self.tabs.setVisible(not signed_out)
        self.pages.setVisible(not signed_out)
        self.compose.setVisible(not signed_out and self.current_tab() in ("feed", "mentions"))
        if signed_out:
            self.sign_in_note.setText(note or self._sign_in_words)

    def show_result(self, result: SyncResult, today: date, notes: str = "") -> None:
        """What a sync pass brought, drawn: every list and count, what waits to be sent, what the
        network refuses, new photos; ``notes``: what the server lacks, while online."""
        if notes:
            self.set_status(notes)
        self.in_office.refresh(today)
        self.refresh()  # every list, then the tab counts once
        self.compose.set_waiting(result.pending)
        self.set_in_office_problem(next((p.message for p in result.problems if p.step == "presence"), ""))
        if "feed" in result.refusals:
            self.compose.set_refused(result.refusals["feed"])
        if result.photos_new:
            self.delegate.forget()
            self.repaint_lists()

    def show_pushed(self, event: StreamEvent) -> None:
        """What the stream pushed, drawn at once."""
        if event.post is not None or event.edit is not None or event.reactions is not None:
            self.posts.refresh()
        if event.deleted_post_id:
            self.posts.remove(event.deleted_post_id)
        if event.notice is not None:
            self.notices.refresh()
        self.refresh_counts()

    def show_connection(self, connection: Connection, why: str, notes: str = "") -> None:
        """The connection in words: signed out (``why``, and what to do), offline, slow, a
        problem (``why``), or online (``notes``: what the server lacks)."""
        if connection is Connection.SIGNED_OUT:
            self.set_signed_out(True, why)
            self.set_status("")
        elif connection is Connection.OFFLINE:
            self.set_status(self.tr("Offline: showing what was last synced. Hallway reconnects by itself."))
        elif connection is Connection.SLOW:
            self.set_status(self.tr("Sending slowly: the network limits how fast Hallway may write. "
                                    "What you wrote goes out by itself."))
        elif connection is Connection.PROBLEM:
            self.set_status(fill(self.tr("Not syncing: %1 Showing what was last synced; Hallway keeps trying."), why))
        else:
            self.set_status(notes)
            self.set_signed_out(False)
        self.compose.set_offline(connection in (Connection.OFFLINE, Connection.PROBLEM))

    def network_opened(self, capabilities: Capabilities) -> None:
        """Signed in, on a network that offers these: the compose box's warnings and names in a
        reply, and the ⇄ on posts."""
        self.set_signed_out(False)
        self.compose.network_opened(capabilities)
        if capabilities.shares != self.delegate.can_share:
            self.delegate.can_share = capabilities.shares
            self.repaint_lists()

    def older_fetched(self, feed: str, count: int) -> None:
        """Older posts arrived for ``feed`` (-1: the network would not give them)."""
        if feed == self.posts.feed:
            self.posts.older_arrived(max(0, count), failed=count < 0)

    def repaint_lists(self) -> None:
        for view in self.lists.values():
            view.viewport().update()

    def refresh(self) -> None:
        """After a sync: every list from the store."""
        self.posts.refresh()
        self.notices.refresh()
        self.announcements.refresh()
        self.refresh_counts()
        if self.isVisible() and self.isActiveWindow():
            self._mark_timer.start()

    def refresh_counts(self) -> None:
        mentions = self.store.unread_mentions()
        self.tabs.setTabText(1, fill(self.tr("Mentions (%1)"), mentions) if mentions else self.tr("Mentions"))
        count = len(self.announcements.items)
        self.tabs.setTabText(2, fill(self.tr("Announcements (%1)"), count) if count else self.tr("Announcements"))
        people = sum(1 for row in self.in_office.items if row.colleague is not None)
        self.tabs.setTabText(3, fill(self.tr("In today (%1)"), people) if people else self.tr("In today"))

    def mark_shown_read(self) -> None:
        """The newest item of the tab on screen is read (the feed, or mentions)."""
        name = self.current_tab()
        view = self.lists[name]
        if not self.isVisible() or view.model().rowCount() == 0:
            return
        newest = view.model().index(0, 0).data(ITEM)
        feed = self.feed if name == "feed" else "notices" if name == "mentions" else None
        if feed and self.store.mark_read(feed, newest.id):
            self.refresh_counts()
            self.read.emit()

    # ------------------------------------------------------------ where it opens

    def show_near(self, anchor: QRect | None) -> None:
        """Open beside the tray icon (``anchor``), inside the screen; or centred when unknown."""
        near_tray(self, anchor)
        self.show()
        self.raise_()
        self.activateWindow()

    def set_feed(self, feed: str) -> None:
        """The person chose another feed in the settings."""
        self.feed = feed
        self.posts = PostsModel(self.store, feed)
        self.posts.wants_older.connect(self.wants_older)
        view = self.lists["feed"]
        view.setModel(self.posts)
        self._watch("feed", self.posts)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._mark_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on a selected post or mention answers it (the compose box takes the focus)."""
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(watched, QListView)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            item = watched.currentIndex().data(ITEM)
            if isinstance(item, Post | Notice):
                self._reply_to(item)
                self.compose.editor.setFocus()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc puts it away, as for any tray app's window; with no tray it stays (it would be gone)."""
        if event.key() == Qt.Key.Key_Escape and not self.quit_on_close:
            self.hide()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing hides: Hallway stays in the tray (unless there is no tray to stay in)."""
        if self.quit_on_close:
            super().closeEvent(event)
            return
        event.ignore()
        self.hide()

