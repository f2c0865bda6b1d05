"""A post's Like, Share, Reply and Open are buttons the keyboard and a screen reader reach (#28):
the feed's rows are painted, so before this a screen reader found no button on any post."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop.views.feed_window import FeedWindow
from hallway.model import Post, sort_key
from hallway.store import Store


def posts(store: Store) -> list[Post]:
    now = datetime.now(UTC)
    made = [Post(str(100 + i), sort_key(str(100 + i)), f"a{i}", name, f"{name.split()[0].lower()}@corp", "",
                 f"Lunch at one? ({i})", f"<p>Lunch at one? ({i})</p>", now - timedelta(minutes=i),
                 url=f"https://social.example.com/@a{i}/{100 + i}")
            for i, name in enumerate(("Ana Lima", "Kwame Mensah", "Mei Tanaka"))]
    store.save_posts("local", made)
    return made


def test_the_current_post_has_real_buttons_named_for_it(english: QApplication, qtbot: QtBot, tmp_path: Path) -> None:
    # A store of the test's own, left open: Qt may still fetch the window's rows from it after
    # the test (a closed window lingers until Python lets it go).
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    written = posts(store)
    window = FeedWindow(store, "local", QColor("#2f6f5e"))
    qtbot.addWidget(window)
    window.delegate.can_share = True
    window.resize(480, 720)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    view = window.lists["feed"]
    view.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(view, Qt.Key.Key_Down)  # the keyboard moves to a post, as a screen reader's user does
    qtbot.waitUntil(lambda: view.currentIndex().isValid(), timeout=2000)
    current = view.currentIndex().row()
    author = sorted(written, key=lambda p: p.position, reverse=True)[current].author_name
    shown = [b for b in view.viewport().findChildren(QPushButton) if b.isVisible()]
    names = {b.accessibleName() for b in shown}
    assert names == {f"Like {author}'s post", f"Share {author}'s post", f"Reply to {author}",
                     f"Open {author}'s post in the browser"}, names
    row = view.visualRect(view.currentIndex())
    assert all(row.contains(b.geometry()) for b in shown), "over the row's own painted buttons"

    liked: list[Post] = []
    window.delegate.favourite.connect(liked.append)
    QTest.keyClick(view, Qt.Key.Key_Tab)  # Tab from the list reaches the post's first button
    like = QApplication.focusWidget()
    assert isinstance(like, QPushButton) and like.accessibleName() == f"Like {author}'s post"
    if os.environ.get("HALLWAY_SCREENSHOTS"):  # the focus ring on the painted ☆
        window.grab().save(str(Path(os.environ["HALLWAY_SCREENSHOTS"]) / "feed-post-action-focus.png"))
    QTest.keyClick(like, Qt.Key.Key_Space)
    assert [p.author_name for p in liked] == [author], "Space on the button likes that very post"

    reply = next(b for b in shown if b.accessibleName().startswith("Reply"))
    reply.click()
    assert author in window.compose.answering.text(), "the compose box answers the post"

    QTest.keyClick(view, Qt.Key.Key_Down)
    moved = view.currentIndex().row()
    assert moved != current
    other = sorted(written, key=lambda p: p.position, reverse=True)[moved].author_name
    assert any(b.accessibleName() == f"Reply to {other}" for b in view.viewport().findChildren(QPushButton)
               if b.isVisible()), "the buttons follow the keyboard to the next post"
