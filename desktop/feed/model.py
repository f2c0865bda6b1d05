"""The feed window's lists as Qt models over the local store: a view asks for rows, the store
answers, and nothing here touches the network. The feed is paged: the view's scroll asks for
more (``fetchMore``); past the store's oldest post the model asks the app, which fetches an
older page from the network in the background and calls ``older_arrived``."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from hallway.model import Announcement, Colleague, Notice, NoticeKind, Post, Presence
from hallway.store import Store
from ui.language import fill, translate

PAGE = 50
ITEM = Qt.ItemDataRole.UserRole + 1  # the row's Post, Notice, Announcement or PersonRow
CONTEXT = Qt.ItemDataRole.UserRole + 2  # a reply's one line about what it answers ("" for others)
REPLIES = Qt.ItemDataRole.UserRole + 3  # how many replies to a post this computer holds
PREVIEW = 80  # characters of the answered post a reply's line shows
Index = QModelIndex | QPersistentModelIndex


class ListModel(QAbstractListModel):
    """A short list read whole from the store (mentions, announcements, who is in)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == ITEM:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return describe(item)
        return None

    def show(self, items: list[Any]) -> None:
        if items == self.items:
            return
        self.beginResetModel()
        self.items = items
        self.endResetModel()


class PostsModel(ListModel):
    """One feed, newest first."""

    wants_older = Signal(str)  # the store has no older posts: fetch a page from the network

    def __init__(self, store: Store, feed: str) -> None:
        super().__init__()
        self.store, self.feed = store, feed
        self.items = store.posts(feed, limit=PAGE)
        self._store_exhausted = len(self.posts) < PAGE
        self._network_exhausted = False
        self._asking = False
        self.context: dict[str, str] = {}  # post id -> what it answers, in one line
        self.replies: dict[str, int] = {}  # post id -> replies held here
        self._annotate(self.items)

    def _annotate(self, posts: list[Post]) -> None:
        """What each reply answers and how many replies each post has, from the store, in two
        queries for the posts given (a thread reads as one, not as loose posts)."""
        answered = self.store.posts_by_id(p.reply_to_id for p in posts if p.reply_to_id)
        counts = self.store.reply_counts(p.id for p in posts)
        for post in posts:
            self.replies[post.id] = counts.get(post.id, 0)
            if post.reply_to_id:
                self.context[post.id] = answers(post, answered.get(post.reply_to_id))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (CONTEXT, REPLIES, Qt.ItemDataRole.AccessibleTextRole) and index.isValid() \
                and 0 <= index.row() < len(self.items):
            post = self.items[index.row()]
            if role == CONTEXT:
                return self.context.get(post.id, "")
            if role == REPLIES:
                return self.replies.get(post.id, 0)
            context = self.context.get(post.id, "")
            return describe(post) + (f" ({context})" if context else "")
        return super().data(index, role)

    @property
    def posts(self) -> list[Post]:
        return self.items

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not (self._store_exhausted and self._network_exhausted) and bool(self.posts)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.posts:
            return
        older = self.store.posts(self.feed, limit=PAGE, before_position=self.posts[-1].position)
        if older:
            self._append(older)
        if len(older) < PAGE:
            self._store_exhausted = True
            if not self._asking and not self._network_exhausted:
                self._asking = True
                self.wants_older.emit(self.feed)

    def older_arrived(self, count: int, failed: bool = False) -> None:
        """The app fetched ``count`` older posts into the store (0: the feed has no more; or,
        ``failed``, the network did not answer: the next scroll to the end asks again)."""
        self._asking = False
        if failed:
            return
        if count == 0:
            self._network_exhausted = True
            return
        self._store_exhausted = False
        self.fetchMore()

    def _append(self, posts: list[Post]) -> None:
        self._annotate(posts)
        self.beginInsertRows(QModelIndex(), len(self.posts), len(self.posts) + len(posts) - 1)
        self.posts.extend(posts)
        self.endInsertRows()

    def refresh(self) -> int:
        """After a sync or a pushed change: new posts go on top, and rows whose post changed in the
        store meanwhile (an edit, a reaction, from this laptop or another) are read again;
        returns how many posts are new. One query for everything shown."""
        if not self.posts:
            fresh = self.store.posts(self.feed, limit=PAGE)
            if fresh:
                self._annotate(fresh)
                self.beginResetModel()
                self.items = fresh
                self._store_exhausted = len(fresh) < PAGE
                self.endResetModel()
            return len(fresh)
        stored = self.store.posts(self.feed, limit=len(self.posts) + PAGE)
        by_id = {p.id: p for p in stored}
        context, replies = dict(self.context), dict(self.replies)
        self._annotate(stored)  # a new reply changes the count under its post, and a reply's line
        for row, shown in enumerate(self.posts):
            now = by_id.get(shown.id, shown)
            if now != shown or self.context.get(shown.id) != context.get(shown.id) \
                    or self.replies.get(shown.id) != replies.get(shown.id):
                self.posts[row] = now
                self.dataChanged.emit(self.index(row), self.index(row))
        top = self.posts[0].position
        newer = [p for p in stored if p.position > top]
        if newer:
            self.beginInsertRows(QModelIndex(), 0, len(newer) - 1)
            self.posts[:0] = newer
            self.endInsertRows()
        return len(newer)

    def remove(self, post_id: str) -> None:
        for row, post in enumerate(self.posts):
            if post.id == post_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.posts[row]
                self.endRemoveRows()
                return

    def replace(self, post: Post) -> None:
        """A post changed (a favourite): repaint its row."""
        for row, shown in enumerate(self.posts):
            if shown.id == post.id:
                self.posts[row] = post
                self.dataChanged.emit(self.index(row), self.index(row))
                return


class NoticesModel(ListModel):
    SHOWN = (NoticeKind.MENTION, NoticeKind.REPLY)

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.refresh()

    def refresh(self) -> None:
        self.show([n for n in self.store.notices(limit=200) if n.kind in self.SHOWN][:100])


class AnnouncementsModel(ListModel):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.refresh()

    def refresh(self) -> None:
        self.show(self.store.announcements())


class PersonRow:
    """A row of "who's in": an office heading (``colleague`` None) or a person in it."""

    __slots__ = ("at", "colleague", "count", "office")

    def __init__(self, office: str, colleague: Colleague | None = None, count: int = 0,
                 at: Presence | None = None) -> None:
        self.office, self.colleague, self.count, self.at = office, colleague, count, at

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersonRow) and (self.office, self.colleague, self.count) == (
            other.office, other.colleague, other.count)

    __hash__ = None  # type: ignore[assignment]


class InOfficeModel(ListModel):
    """The people who shared their kiosk check-in today, by office; the person's own office first."""

    def __init__(self, store: Store, my_office: str = "") -> None:
        super().__init__()
        self.store, self.my_office = store, my_office

    def refresh(self, day: date) -> None:
        offices: dict[str, list[tuple[Colleague, Presence]]] = {}
        for presence in self.store.presence(day):
            # Someone the network did not list to this computer (no directory, not among the
            # people it could read) is still in: counted and shown, never left out of the count.
            colleague = self.store.colleague(presence.colleague_id) or Colleague(
                id=presence.colleague_id, name=translate("FeedModel", "A colleague not in this computer's list yet"),
                handle="")
            offices.setdefault(presence.place.name, []).append((colleague, presence))
        rows: list[PersonRow] = []
        for office in sorted(offices, key=lambda o: (o != self.my_office, o.casefold())):
            people = sorted(offices[office], key=lambda cp: cp[0].name.casefold())
            rows.append(PersonRow(office, count=len(people)))
            rows += [PersonRow(office, colleague, at=presence) for colleague, presence in people]
        self.show(rows)


def answers(reply: Post, answered: Post | None) -> str:
    """A reply's line: what it answers, by whom, in a few words; or that it is in a thread."""
    if answered is None:
        return translate("FeedModel", "In a thread") if reply.in_thread else translate("FeedModel", "↩ A reply")
    words = " ".join(answered.text.split())
    preview = words if len(words) <= PREVIEW else words[:PREVIEW].rsplit(" ", 1)[0] + "…"
    if reply.in_thread:
        return fill(translate("FeedModel", "In %1's thread: “%2”"), answered.author_name, preview)
    return fill(translate("FeedModel", "↩ %1: “%2”"), answered.author_name, preview)


def describe(item: Any) -> str:
    """What a screen reader says for a row."""
    if isinstance(item, Post):
        if item.shared_by:
            return fill(translate("FeedModel", "%1, boosted by %2: %3"), item.author_name, item.shared_by,
                        item.text[:500])
        return f"{item.author_name}: {item.text[:500]}"
    if isinstance(item, Notice):
        return f"{item.from_name}: {item.text[:300]}"
    if isinstance(item, Announcement):
        return fill(translate("FeedModel", "Announcement: %1"), item.text[:300])
    if isinstance(item, PersonRow):
        return item.colleague.name if item.colleague else \
            fill(translate("FeedModel", "%1: %2 in"), item.office, item.count)
    return str(item)[:300]
