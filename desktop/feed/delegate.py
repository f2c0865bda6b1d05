"""How a row of the feed window is drawn and clicked: one delegate paints every post, mention,
announcement and person, so a feed of 10,000 posts is 10,000 rows of data, not of widgets.

Post text is the store's sanitised HTML (hallway.text: no scripts, no images, safe links only),
laid out by a QTextDocument that loads no resources at all. Very long posts are cut before
layout, so 100 KB of text costs what a screenful does. Links open in the system browser; only
http, https and mailto are ever opened.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTime,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPalette,
    QPixmap,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.feed.model import CONTEXT, ITEM, REPLIES, PersonRow
from desktop.views.look import MUTED_ALPHA
from hallway.model import Announcement, Colleague, Notice, NoticeKind, Post
from hallway.store import Store
from hallway.text import openable
from ui.faces import pixmap_of
from ui.language import day_and_month_format, fill, translate

PAD = 12
AVATAR = 36
GAP = 10
ACTIONS_H = 26
LONG_POST = 2400  # characters of HTML past which a post is shown cut, with "Read more in the browser"


class SafeDocument(QTextDocument):
    """A text document that never loads anything: no remote images, no files."""

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        return None


def when(moment: datetime, now: datetime | None = None) -> str:
    """"now", "5 min", "3 h", "Mon", "12 Nov": short, like a notification centre."""
    now = now or datetime.now(moment.tzinfo)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return translate("FeedDelegate", "now")
    if seconds < 3600:
        return fill(translate("FeedDelegate", "%1 min"), int(seconds // 60))
    if seconds < 86400:
        return fill(translate("FeedDelegate", "%1 h"), int(seconds // 3600))
    local = moment.astimezone()
    locale = QLocale()
    if seconds < 6 * 86400:
        return locale.dayName(local.isoweekday(), QLocale.FormatType.ShortFormat)
    day = QDate(local.year, local.month, local.day)
    short = day_and_month_format(locale).replace("dddd", "").replace("MMMM", "MMM").strip(" ,،")
    return locale.toString(day, short) + ("" if local.year == now.year else f" {local.year}")


class FeedDelegate(QStyledItemDelegate):
    favourite = Signal(object)  # the Post to favourite
    share = Signal(object)  # the Post to boost
    reply = Signal(object)  # the Post to answer (its "Reply" button)
    open_url = Signal(str)  # a link or an item to open in the browser
    dismiss = Signal(object)  # the Announcement to dismiss

    def __init__(self, store: Store, accent: QColor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store, self.accent = store, accent
        self._docs: OrderedDict[tuple[str, int], QTextDocument] = OrderedDict()
        self._faces: OrderedDict[tuple[str, str], QPixmap] = OrderedDict()
        self._font_description = ""
        self._estimated: dict[tuple[str, int], int] = {}
        self._index: QModelIndex | None = None
        self._font_set = (QFont(), QFont(), QFont())
        self.can_share = False  # the network has shares (Mastodon's boosts): the ⇄ button is drawn
        self._second_click = False  # a double-click's second release is coming: it does nothing

    # ------------------------------------------------------------ sizes

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        """Body, bold and small fonts, made once per view font (sizeHint runs for every row)."""
        description = option.font.toString()
        if self._font_description != description:
            body = QFont()
            body.fromString(description)
            bold = QFont(body)
            bold.setWeight(QFont.Weight.DemiBold)
            small = QFont(body)
            small.setPointSizeF(max(7.0, body.pointSizeF() * 0.88))
            self._font_set = (body, bold, small)
            self._font_description = description
            self._docs.clear()
        return self._font_set

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        item = index.data(ITEM)
        width = option.rect.width() or 380
        body, bold, small = self._fonts(option)
        line = QFontMetrics(bold).height()
        if isinstance(item, PersonRow):
            return QSize(width, (QFontMetrics(small).height() + PAD + 4) if item.colleague is None else 52)
        text_width = self._text_width(width, item)
        key = self._key(item, text_width)
        doc = self._docs.get(key)
        if doc is not None:
            text_height = int(doc.size().height())
        else:  # not laid out yet (rows far from the screen): an estimate, corrected when painted
            if len(self._estimated) > 5000:
                self._estimated.clear()
            text_height = self._estimated[key] = self._estimate(item, body, text_width)
        height = PAD + line + 4 + text_height + self._context_height(index, small)
        if isinstance(item, Post):
            height += 4 + ACTIONS_H
        return QSize(width, max(height + PAD, AVATAR + 2 * PAD))

    @staticmethod
    def _context_height(index: QModelIndex | QPersistentModelIndex, small: QFont) -> int:
        """The line above a reply's words that says what it answers (none for other rows)."""
        return QFontMetrics(small).height() + 2 if index.data(CONTEXT) else 0

    @staticmethod
    def _text_width(width: int, item: Any) -> int:
        left = PAD if isinstance(item, Announcement) else PAD + AVATAR + GAP
        return max(120, width - left - PAD)

    @staticmethod
    def _key(item: Any, width: int) -> tuple[str, int]:
        """What a laid-out text depends on: its item, and its words (an edit lays it out again;
        a string's hash is kept by the string, so asking costs nothing)."""
        words = hash(getattr(item, "html", "") or getattr(item, "text", ""))
        return f"{type(item).__name__}:{getattr(item, 'id', '')}:{getattr(item, 'liked', '')}:{words}", width

    @staticmethod
    def _estimate(item: Any, font: QFont, width: int) -> int:
        """The text's height from font metrics alone: a hundred times cheaper than laying out the
        document, so loading 50 more rows while scrolling does not stall a frame."""
        if isinstance(item, Post | Announcement):
            text = item.text[:LONG_POST // 2] + ("\nRead more in the browser" if len(item.html) > LONG_POST else "")
        elif isinstance(item, Notice):
            text = item.text[:600] or kind_words(item.kind)
        else:
            text = ""
        flags = int(Qt.TextFlag.TextWordWrap)
        return QFontMetrics(font).boundingRect(QRect(0, 0, width, 1_000_000), flags, text).height()

    def _document(self, item: Any, font: QFont, width: int) -> QTextDocument:
        key = self._key(item, width)
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        doc = SafeDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        doc.setDefaultStyleSheet(f"a {{ color: {self.accent.name()}; text-decoration: none; }} p {{ margin: 0; }}")
        if isinstance(item, Post | Announcement):
            html = item.html
            if len(html) > LONG_POST:
                html = f"<p>{escape(item.text[:LONG_POST // 2].rstrip())}…</p>"
                if isinstance(item, Post) and openable(item.url):
                    html += f'<p><a href="{escape(item.url)}">Read more in the browser</a></p>'
            doc.setHtml(html)
        elif isinstance(item, Notice):
            doc.setPlainText(item.text[:600] or kind_words(item.kind))
        doc.setTextWidth(width)
        self._docs[key] = doc
        while len(self._docs) > 400:
            self._docs.popitem(last=False)
        return doc

    def forget(self) -> None:
        """Drop laid-out text and faces (the palette or photos changed)."""
        self._docs.clear()
        self._faces.clear()

    def _face(self, person_id: str, name: str, photo_url: str, size: int) -> QPixmap:
        key = (person_id, photo_url)
        face = self._faces.get(key)
        if face is None:
            photo = self.store.photo(photo_url, touch=False) if photo_url else None
            face = pixmap_of(Colleague(id=person_id, name=name), photo, size)
            self._faces[key] = face
            while len(self._faces) > 300:
                self._faces.popitem(last=False)
        return face

    # ------------------------------------------------------------ painting

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = index.data(ITEM)
        self._index = index.model().index(index.row(), 0) if isinstance(index, QPersistentModelIndex) else index
        rect: QRect = option.rect
        palette: QPalette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & QStyle.StateFlag.State_MouseOver and not isinstance(item, PersonRow):
            hover = QColor(palette.color(QPalette.ColorRole.Text))
            hover.setAlpha(12)
            painter.fillRect(rect, hover)
        body, bold, small = self._fonts(option)
        text = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlphaF(MUTED_ALPHA)
        if isinstance(item, PersonRow):
            self._paint_person(painter, rect, item, bold, small, text, muted)
        elif item is not None:
            self._paint_item(painter, rect, item, body, bold, small, text, muted,
                             str(index.data(CONTEXT) or ""), int(index.data(REPLIES) or 0))
        rule = QColor(text)
        rule.setAlpha(28)
        painter.setPen(rule)
        painter.drawLine(rect.left() + PAD, rect.bottom(), rect.right() - PAD, rect.bottom())
        painter.restore()

    def _paint_item(self, painter: QPainter, rect: QRect, item: Any, body: QFont, bold: QFont, small: QFont,
                    text: QColor, muted: QColor, context: str = "", replies: int = 0) -> None:
        x, y = rect.left() + PAD, rect.top() + PAD
        line = QFontMetrics(bold).height()
        moment: datetime | None
        if isinstance(item, Post):
            name, handle, moment = item.author_name, f"@{item.author_handle}", item.created_at
            if item.shared_by:
                handle = fill(self.tr("⇄ boosted by %1"), item.shared_by)
            painter.drawPixmap(x, y, self._face(item.author_id, item.author_name, item.author_photo_url, AVATAR))
            if item.mentions_me:
                painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), self.accent)
            x += AVATAR + GAP
        elif isinstance(item, Notice):
            name, handle, moment = item.from_name, kind_words(item.kind), item.created_at
            painter.drawPixmap(x, y, self._face(item.from_id, item.from_name, self._photo_of(item.from_id), AVATAR))
            x += AVATAR + GAP
        else:
            assert isinstance(item, Announcement)
            name, handle, moment = self.tr("Announcement"), "", item.published_at
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), self.accent)
        right = rect.right() - PAD
        stamp = when(moment) if moment else ""
        painter.setFont(small)
        painter.setPen(muted)
        stamp_w = QFontMetrics(small).horizontalAdvance(stamp)
        if isinstance(item, Announcement):
            painter.drawText(self.dismiss_rect(rect), Qt.AlignmentFlag.AlignCenter, "✕")
            right -= 28
        painter.drawText(QRect(right - stamp_w, y, stamp_w, line), Qt.AlignmentFlag.AlignVCenter, stamp)
        room = right - stamp_w - 8 - x
        painter.setFont(bold)
        painter.setPen(self.accent if isinstance(item, Announcement) else text)
        name = QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, room)
        painter.drawText(QRect(x, y, room, line), Qt.AlignmentFlag.AlignVCenter, name)
        used = QFontMetrics(bold).horizontalAdvance(name) + 6
        if handle and room - used > 30:
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(QRect(x + used, y, room - used, line), Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(small).elidedText(handle, Qt.TextElideMode.ElideRight, room - used))
        text_width = self._text_width(rect.width(), item)
        top = y + line + 4
        if context:  # what this reply answers, one muted line, so a thread reads as one
            height = QFontMetrics(small).height()
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(QRect(x, top - 2, text_width, height), Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(small).elidedText(context, Qt.TextElideMode.ElideRight, text_width))
            top += height + 2
        doc = self._document(item, body, text_width)
        estimate = self._estimated.pop(self._key(item, text_width), None)
        if estimate is not None and estimate != int(doc.size().height()) and self._index is not None:
            self.sizeHintChanged.emit(self._index)  # the row takes its true height
        painter.translate(x, top)
        paint_context = QAbstractTextDocumentLayout.PaintContext()
        paint_context.palette.setColor(QPalette.ColorRole.Text, text)
        doc.documentLayout().draw(painter, paint_context)
        painter.translate(-x, -top)
        if isinstance(item, Post):
            star, shared, answer, opener = self.action_rects(rect)
            painter.setFont(small)
            painter.setPen(self.accent if item.liked else muted)
            painter.drawText(star, Qt.AlignmentFlag.AlignVCenter,
                             ("★" if item.liked else "☆") + (f" {item.likes}" if item.likes else ""))
            if self.can_share:
                painter.setPen(self.accent if item.shared else muted)
                painter.drawText(shared, Qt.AlignmentFlag.AlignVCenter,
                                 "⇄" + (f" {item.shares}" if item.shares else ""))
            painter.setPen(muted)
            # "Reply", and how many answers this computer holds in the thread under the post
            words = self.tr("↩ Reply") + (f" · {replies}" if replies else "")
            painter.drawText(answer, Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(small).elidedText(words, Qt.TextElideMode.ElideRight, answer.width()))
            painter.drawText(opener, Qt.AlignmentFlag.AlignVCenter, self.tr("Open ↗"))

    def _photo_of(self, person_id: str) -> str:
        colleague = self.store.colleague(person_id)
        return colleague.photo_url if colleague else ""

    def _paint_person(self, painter: QPainter, rect: QRect, row: PersonRow, bold: QFont, small: QFont,
                      text: QColor, muted: QColor) -> None:
        if row.colleague is None:
            painter.setFont(small)
            painter.setPen(muted)
            label = fill(self.tr("%1  ·  %2 in"), row.office.upper(), row.count)
            painter.drawText(rect.adjusted(PAD, PAD // 2, -PAD, 0), Qt.AlignmentFlag.AlignVCenter, label)
            return
        colleague = row.colleague
        size = 32
        top = rect.top() + (rect.height() - size) // 2
        painter.drawPixmap(rect.left() + PAD, top, self._face(colleague.id, colleague.name, colleague.photo_url, size))
        x = rect.left() + PAD + size + GAP
        width = rect.right() - PAD - x
        painter.setFont(bold)
        painter.setPen(text)
        line = QFontMetrics(bold).height()
        middle = rect.top() + rect.height() // 2
        painter.drawText(QRect(x, middle - line, width, line), Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(bold).elidedText(colleague.name, Qt.TextElideMode.ElideRight, width))
        painter.setFont(small)
        painter.setPen(muted)
        facts = " · ".join(f for f in (colleague.title, colleague.team) if f)
        if row.at is not None:
            local = row.at.at.astimezone()
            since = QLocale().toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
            facts += (" · " if facts else "") + fill(self.tr("since %1"), since)
        painter.drawText(QRect(x, middle, width, QFontMetrics(small).height()), Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(small).elidedText(facts, Qt.TextElideMode.ElideRight, width))

    # ------------------------------------------------------------ clicks

    def action_rects(self, rect: QRect) -> tuple[QRect, QRect, QRect, QRect]:
        """The ☆, ⇄ (where the network has shares: else an empty rect), "Reply" and "Open" buttons
        at the foot of a post's row."""
        x = rect.left() + PAD + AVATAR + GAP
        y = rect.bottom() - PAD - ACTIONS_H + 2
        star = QRect(x, y, 64, ACTIONS_H)
        shared = QRect(x + 72, y, 64, ACTIONS_H) if self.can_share else QRect()
        reply = QRect(x + (144 if self.can_share else 72), y, 96, ACTIONS_H)  # room for "↩ Antworten"
        return star, shared, reply, QRect(reply.right() + 8, y, 72, ACTIONS_H)

    @staticmethod
    def dismiss_rect(rect: QRect) -> QRect:
        return QRect(rect.right() - PAD - 24, rect.top() + PAD - 4, 24, 24)

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem,  # noqa: C901
                    index: QModelIndex | QPersistentModelIndex) -> bool:
        """A click acts once: on its release. A double-click is one click (its second release
        is ignored), so a link opens once and nothing else happens."""
        if event.type() == QEvent.Type.MouseButtonDblClick:
            self._second_click = True
            return True
        if event.type() != QEvent.Type.MouseButtonRelease or not isinstance(event, QMouseEvent):
            return False
        if self._second_click:
            self._second_click = False
            return True
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        item = index.data(ITEM)
        point = event.position().toPoint()
        rect: QRect = option.rect
        if isinstance(item, Announcement) and self.dismiss_rect(rect).contains(point):
            self.dismiss.emit(item)
            return True
        if isinstance(item, Post):
            star, shared, answer, opener = self.action_rects(rect)
            if star.contains(point):
                self.favourite.emit(item)
                return True
            if shared.contains(point):
                self.share.emit(item)
                return True
            if answer.contains(point):
                self.reply.emit(item)
                return True
            if opener.contains(point):
                if openable(item.url):
                    self.open_url.emit(item.url)
                return True
        link = self.link_at(item, rect, point, option, self._context_height(index, self._fonts(option)[2]))
        if link:
            if openable(link):
                self.open_url.emit(link)
            return True
        if isinstance(item, Notice) and openable(item.url):
            self.open_url.emit(item.url)
            return True
        return False

    def link_at(self, item: Any, rect: QRect, point: Any, option: QStyleOptionViewItem, below: int = 0) -> str:
        """The link under ``point`` in an item's words (``below``: the reply line above them)."""
        if not isinstance(item, Post | Announcement | Notice):
            return ""
        body, bold, _ = self._fonts(option)
        left = PAD if isinstance(item, Announcement) else PAD + AVATAR + GAP
        origin = QPointF(rect.left() + left, rect.top() + PAD + QFontMetrics(bold).height() + 4 + below)
        doc = self._document(item, body, self._text_width(rect.width(), item))
        inside = QPointF(point) - origin
        if not QRectF(QPointF(0, 0), doc.size()).contains(inside):
            return ""
        return str(doc.documentLayout().anchorAt(inside))


def kind_words(kind: NoticeKind) -> str:
    return {NoticeKind.MENTION: translate("FeedDelegate", "mentioned you"),
            NoticeKind.REPLY: translate("FeedDelegate", "replied to you"),
            NoticeKind.LIKE: translate("FeedDelegate", "liked your post"),
            NoticeKind.FOLLOW: translate("FeedDelegate", "followed you")}.get(kind, "")
