"""The tray app as a person uses it, end to end: a real demo network on loopback, a real store,
real Qt windows on the session's Xvfb, a real system tray (trayer), a real notification daemon
(dunst on a session bus of the tests' own) and a real keyring backend (keyrings.alt's file).
Only the system browser is replaced, by a function that follows the links as a browser would."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import qasync
import requests
from conftest import Until
from desktop_host import embedded_icon, history, press
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot
from tray_apps import Opened, others, post_as, synced

from desktop.feed.model import ITEM
from desktop.parts.alerts import Alert
from desktop.parts.navigation import NO_TRAY_NOTE
from desktop.system.tray import Tray
from desktop.tray_app import TrayApp
from desktop.views.sign_in_forms import PasswordForm
from hallway import signin
from hallway.demo import server
from hallway.demo.faults import Fault
from hallway.demo.synapse import PASSWORD, Synapse
from hallway.model import Announcement, Post
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Connection
from kiosk.lobby import Lobby
from kiosk.visitors import Visitors

pytestmark = pytest.mark.usefixtures("english")  # the catalogue hallway-desktop installs


# ---------------------------------------------------------------- the feed and the tray


def test_signed_in_the_tray_shows_unread_and_the_window_marks_them_read_on_the_network(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, tray_host: None,
        qtbot: QtBot) -> None:
    # The home feed: Mastodon keeps read markers for home and notifications only (the company
    # feed's read position stays on the computer).
    app = make_app(fresh_demo, machine='feed = "home"\n')
    synced(app, until)
    state = app.tray.state
    assert not state.signed_out and state.unread, "new posts: the unread dot"
    assert state.mentions == app.store.unread_mentions() > 0
    until(lambda: embedded_icon() is not None, 10)
    x, y = embedded_icon() or (0, 0)
    QTest.qWait(200)
    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], check=True, timeout=10)
    until(app.window.isVisible, 5)
    assert app.window.current_tab() == "feed"
    feed = app.window.posts
    assert feed.rowCount() == min(50, app.store.count_posts(app.feed))
    newest = feed.index(0).data(ITEM)
    assert isinstance(newest, Post)
    until(lambda: not app.tray.state.unread, 5)  # read once it stayed on screen a moment
    app.window.show_tab("mentions")
    until(lambda: app.tray.state.mentions == 0, 5)
    assert app.window.tabs.tabText(1) == "Mentions"
    assert app.session.sync is not None
    app.session.sync.now()
    token = fresh_demo.token_for("demo")

    def marker(timeline: str) -> str | None:
        found = requests.get(f"{fresh_demo.url}/api/v1/markers", params={"timeline[]": timeline}, timeout=5,
                             headers={"Authorization": f"Bearer {token}"}).json()
        return str(found[timeline]["last_read_id"]) if timeline in found else None
    until(lambda: marker("home") == newest.id, 10)
    notices = app.window.notices.index(0).data(ITEM)
    until(lambda: marker("notifications") == notices.id, 10)


def test_another_client_reading_further_clears_the_badge_here(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    assert app.tray.state.mentions > 0
    newest = app.store.notices(limit=1)[0]
    requests.post(f"{fresh_demo.url}/api/v1/markers", data={"notifications[last_read_id]": newest.id}, timeout=5,
                  headers={"Authorization": f"Bearer {fresh_demo.token_for('demo')}"}).raise_for_status()
    assert app.session.sync is not None
    app.session.sync.now(full=True)
    until(lambda: app.tray.state.mentions == 0, 10)


def test_a_mention_becomes_a_native_notification_and_a_click_opens_it(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, dunst: None) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    assert history() == [], "what the first sync brings is history, not news"
    author = others(fresh_demo, 1)[0]
    status_id = post_as(fresh_demo, author, "@demo lunch at noon? <b>bring</b> the map")
    until(lambda: any("mentioned you" in n["summary"] for n in history()), 15)
    shown = history()
    assert len(shown) == 1 and "lunch at noon?" in shown[0]["body"]
    assert app.tray.state.mentions >= 1
    app.window.hide()
    assert app.notices.notifier.show(Alert("again", "x", status_id, "test"))  # shown again here, to be clicked
    until(lambda: displayed() >= 1, 5)  # on dunst's screen before it is clicked (the two calls may cross)
    subprocess.run(["dunstctl", "action", "0"], check=True, timeout=5)
    until(app.window.isVisible, 5)
    assert app.window.current_tab() == "mentions"
    opened = app._open_url
    assert isinstance(opened, Opened) and any(f"/{status_id}" in url for url in opened)
    assert app.notices.alerts.due() == [], "never shown twice"


def test_do_not_disturb_holds_mentions_and_sums_them_up_after(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, dunst: None) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    app.tray.actions["dnd_hour"].trigger()
    assert app.tray.state.quiet and app.tray.actions["dnd_hour"].isChecked()
    before = app.store.unread_mentions()
    for author in others(fresh_demo, 2):
        post_as(fresh_demo, author, "@demo are you coming to the retro?")
    until(lambda: app.store.unread_mentions() == before + 2, 15)
    QTest.qWait(2000)  # longer than the pause that gathers a burst
    assert history() == [], "nothing while do-not-disturb is on"
    app.tray.actions["dnd_off"].trigger()
    until(lambda: len(history()) == 1, 5)
    summary = history()[0]
    assert summary["summary"] == "While it was quiet" and summary["body"] == "2 mentions"
    assert not app.tray.state.quiet


def test_a_flood_of_mentions_is_one_notification(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, dunst: None) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    before = app.store.unread_mentions()
    people = others(fresh_demo, 5)
    session = requests.Session()
    for i in range(60):
        author = people[i % len(people)]
        session.post(f"{fresh_demo.url}/api/v1/statuses", data={"status": f"@demo ping {i}"}, timeout=10,
                     headers={"Authorization": f"Bearer {fresh_demo.token_for(author)}"}).raise_for_status()
    until(lambda: app.store.unread_mentions() >= before + 60, 30)
    QTest.qWait(2000)
    shown = history()
    assert 1 <= len(shown) <= 2, [n["summary"] for n in shown]
    assert shown[0]["summary"].endswith("new mentions")
    assert app.tray.state.badge_text() == "9+"


def test_favourite_and_dismiss_reach_the_network(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, qtbot: QtBot) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    app.navigation.open_window("feed")
    view = app.window.lists["feed"]
    until(lambda: view.isVisible() and view.model().rowCount() > 0, 5)
    row = next(r for r in range(view.model().rowCount()) if not view.model().index(r, 0).data(ITEM).liked)
    index = view.model().index(row, 0)
    view.scrollTo(index)
    post = index.data(ITEM)
    star, _, _, _ = app.window.delegate.action_rects(view.visualRect(index))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=star.center())
    assert view.model().index(row, 0).data(ITEM).liked, "shown at once"
    token = fresh_demo.token_for("demo")

    def on_server(path: str) -> Any:
        return requests.get(f"{fresh_demo.url}{path}", timeout=5, headers={"Authorization": f"Bearer {token}"}).json()
    until(lambda: on_server(f"/api/v1/statuses/{post.id}")["favourited"] is True, 10)

    app.window.show_tab("announcements")
    listed = app.window.lists["announcements"]
    until(lambda: listed.model().rowCount() > 0, 5)
    first = listed.model().index(0, 0)
    announcement = first.data(ITEM)
    assert isinstance(announcement, Announcement)
    cross = app.window.delegate.dismiss_rect(listed.visualRect(first))
    QTest.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=cross.center())
    assert all(a.id != announcement.id for a in app.store.announcements()), "gone here at once"
    until(lambda: any(a["id"] == announcement.id and a["read"]
                      for a in on_server("/api/v1/announcements?with_dismissed=true")), 10)


def test_scrolling_back_loads_older_posts_from_the_network(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    app = make_app(demo, machine='feed = "local"\n')
    synced(app, until)
    stored = app.store.count_posts("local")
    app.navigation.open_window("feed")
    view = app.window.lists["feed"]
    for _ in range(60):
        view.scrollToBottom()
        QTest.qWait(50)
        if app.store.count_posts("local") > stored:
            break
    until(lambda: app.store.count_posts("local") > stored, 10)
    until(lambda: view.model().rowCount() > stored, 10)


def test_hostile_posts_show_as_safe_text(fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp],
                                         until: Until, tmp_path: Path) -> None:
    author = others(fresh_demo, 1)[0]
    hostile = {
        "script": "<p>hi<script>alert(1)</script><iframe src='https://evil.example'></iframe></p>",
        "links": "<p><a href='javascript:alert(1)'>click</a> <a href='https://ok.example/x'>ok</a>"
                 "<img src='https://tracker.example/p.png'></p>",
        "long": "<p>" + "lorem ipsum " * 9000 + "</p>",
        "zalgo": "<p>Z" + "\u0301\u0302\u0303\u0304\u0305" * 40 + "algo</p>",
        "rtl": "<p>file\u202egnp.exe</p>",
    }
    ids = {name: requests.post(f"{fresh_demo.url}/_demo/statuses", data={"account": author, "html": html},
                               timeout=10).json()["id"] for name, html in hostile.items()}
    app = make_app(fresh_demo)
    synced(app, until)
    app.navigation.open_window("feed")
    view = app.window.lists["feed"]
    until(lambda: view.model().rowCount() > 5, 5)
    rows = {view.model().index(r, 0).data(ITEM).id: r for r in range(view.model().rowCount())}
    assert set(ids.values()) <= set(rows)
    delegate = app.window.delegate
    docs = {}
    for name, post_id in ids.items():
        index = view.model().index(rows[post_id], 0)
        view.scrollTo(index)
        QApplication.processEvents()
        docs[name] = delegate._document(index.data(ITEM), view.font(), delegate._text_width(view.width(), None))
    assert "alert" not in docs["script"].toPlainText() and "evil" not in docs["script"].toHtml()
    links_html = docs["links"].toHtml()
    assert "javascript:" not in links_html and "https://ok.example/x" in links_html
    assert "tracker.example" not in links_html, "no remote image is ever loaded"
    assert len(docs["long"].toPlainText()) < 3000 and "Read more in the browser" in docs["long"].toPlainText()
    assert "\u202e" not in docs["rtl"].toPlainText()
    assert sum(1 for ch in docs["zalgo"].toPlainText() if 0x300 <= ord(ch) <= 0x36f) <= 2
    picture = app.window.grab()
    assert not picture.isNull()
    picture.save(str(tmp_path / "hostile.png"))


# ---------------------------------------------------------------- signing in and out


def test_sign_in_end_to_end_through_the_browser_and_the_keyring(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, tray_host: None) -> None:
    visited: list[str] = []

    def browser(url: str) -> bool:
        """What the system browser does: open the sign-in page, which (the demo approves at once)
        sends it back to Hallway's loopback address."""
        visited.append(url)
        requests.get(url, timeout=10)
        return True

    app = make_app(demo, signed_in=False, browser=browser)
    assert app.tray.state.signed_out and app.tray.actions["sign_in"].isVisible()
    assert app.connection is Connection.SIGNED_OUT
    app.tray.actions["sign_in"].trigger()
    until(lambda: app.window.isVisible() and app.window.signed_out.isVisible(), 5)
    until(lambda: not app.tray.state.signed_out, 15)
    assert visited and visited[0].startswith(f"{demo.url}/oauth/authorize?")
    assert "code_challenge_method=S256" in visited[0]
    token = signin.load_token(demo.url)
    assert token, "the token is in the keyring"
    synced(app, until)
    assert not app.window.signed_out.isVisible() and app.window.pages.isVisible()
    user_file = Path(app.config.user_file or "")
    assert not user_file.exists() or token not in user_file.read_text()
    app.tray.actions["sign_out"].trigger()
    assert app.tray.state.signed_out
    until(lambda: signin.load_token(demo.url) is None, 10)
    until(lambda: requests.get(f"{demo.url}/api/v1/accounts/verify_credentials", timeout=5,
                               headers={"Authorization": f"Bearer {token}"}).status_code == 401, 10)


@pytest.mark.slow
def test_on_a_matrix_server_without_single_sign_on_the_password_form_signs_in(
        password_synapse: tuple[Synapse, str], make_app: Callable[..., TrayApp], until: Until, tray_host: None,
        tmp_path: Path) -> None:
    homeserver, username = password_synapse
    opened: list[str] = []
    app = make_app(cast(server.DemoNetwork, SimpleNamespace(url=homeserver.url)), signed_in=False,
                   machine='kind = "matrix"\n', browser=opened.append)
    forms: list[PasswordForm] = []
    app.asker.form_shown.connect(forms.append)
    app.tray.actions["sign_in"].trigger()
    until(lambda: bool(forms) and forms[0].isVisible(), 10)
    form = forms[0]
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled(), "Sign in waits for a name and a password"
    QTest.keyClicks(form.user, username)
    QTest.keyClicks(form.password, PASSWORD)
    assert form.password.echoMode() is QLineEdit.EchoMode.Password and ok.isEnabled()
    form.grab().save(str(tmp_path / "password-form.png"))
    ok.click()
    until(lambda: not app.tray.state.signed_out, 15)
    assert opened == [], "no browser for a server without single sign-on"
    token = signin.load_token(homeserver.url)
    assert token and homeserver.call("GET", "/_matrix/client/v3/account/whoami", token)["user_id"] == \
        f"@{username}:localhost"
    assert not any(PASSWORD in p.read_text(errors="ignore") for p in tmp_path.rglob("*.toml"))
    app.tray.actions["sign_out"].trigger()
    until(lambda: signin.load_token(homeserver.url) is None, 10)
    until(lambda: requests.get(f"{homeserver.url}/_matrix/client/v3/account/whoami", timeout=5,
                               headers={"Authorization": f"Bearer {token}"}).status_code == 401, 10)

    app.tray.actions["sign_in"].trigger()  # and Cancel says so, and leaves the app signed out
    until(lambda: len(forms) == 2 and forms[1].isVisible(), 10)
    forms[1].buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    until(lambda: "closed the sign-in form" in app.window.sign_in_note.text(), 10)
    assert app.tray.state.signed_out


def test_an_expired_token_shows_signed_out(fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp],
                                           until: Until) -> None:
    signin.save_token(fresh_demo.url, "not-a-token-the-network-knows")
    app = make_app(fresh_demo, signed_in=False)
    until(lambda: app.connection is Connection.SIGNED_OUT and app.tray.state.signed_out, 15)
    assert app.window.signed_out.isVisibleTo(app.window)
    # #28: the signed-out view says why, and what to do
    assert "no longer accepts this computer's sign-in" in app.window.sign_in_note.text()
    assert "Sign in again" in app.window.sign_in_note.text()


# ---------------------------------------------------------------- the colleague of the day


def test_the_colleague_of_the_day_agrees_with_the_kiosk_and_says_hi(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, dunst: None,
        tmp_path: Path) -> None:
    """On a network of its own, with a lobby synced from it now: a check-in other tests make on a
    shared network (the kiosk's choice travels with it) would rightly change the laptop's pick."""
    from hallway.networks.mastodon import MastodonNetwork
    from hallway.sync import Sync
    demo = fresh_demo
    synced_lobby = tmp_path / "lobby"
    kiosk_store = Store(synced_lobby / "hallway.sqlite3", synced_lobby / "photos")
    Sync(kiosk_store, MastodonNetwork(demo.url, demo.token_for("lobby")), feed=None, notices=False,
         stream=False).once(directory=True)
    kiosk_store.close()
    morning = datetime.now().astimezone().replace(hour=9, minute=5)
    app = make_app(demo, machine="[notifications]\ncolleague = true\n", now=lambda: morning)
    synced(app, until)
    until(lambda: app.daily.me() is not None and app.store.get_state("desktop.colleague_shown_on") is not None, 15)
    until(lambda: displayed() >= 1, 5)  # on dunst's screen before it is clicked
    subprocess.run(["dunstctl", "action", "0"], check=True, timeout=5)  # a click on the notification
    until(app.card.isVisible, 5)
    me = app.daily.me()
    assert me is not None
    chosen = app.daily.colleague()
    assert chosen is not None and chosen.id != me.id

    lobby_store = Store(synced_lobby / "hallway.sqlite3", synced_lobby / "photos")
    try:
        lobby = Lobby(lobby_store, Outbox(lobby_store), Visitors(lobby_store), "Lisbon", "off",
                      now=lambda: morning)
        kiosk_pick = lobby.colleague_for(lobby.people[me.id], morning.date())
        assert kiosk_pick is not None and kiosk_pick.id == chosen.id, "the laptop and the kiosk agree"
    finally:
        lobby_store.close()

    assert [n["summary"] for n in history()] == [f"Meet {chosen.name}"]
    assert app.card.name.text() == chosen.name
    app.morning.greet()
    QTest.qWait(200)
    assert len(history()) == 1, "once a day"
    opened = app._open_url
    assert isinstance(opened, Opened)
    app.card.buttons[0].click()  # "Say hi": the compose box with them mentioned, not the browser (#17)
    assert app.window.isVisible() and app.window.compose.editor.toPlainText() == f"@{chosen.handle} "
    assert not opened
    app.card.buttons[1].click()
    assert opened[-1].startswith("file://") and opened[-1].endswith(".ics")
    invitation = Path(QUrl(opened[-1]).toLocalFile()).read_text()
    assert "BEGIN:VEVENT" in invitation and f"Coffee: {me.name} and {chosen.name}" in invitation.replace("\r\n ", "")


def test_before_seven_the_colleague_waits_for_the_morning(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    early = datetime.now().astimezone().replace(hour=6, minute=30)
    app = make_app(demo, machine="[notifications]\ncolleague = true\n", now=lambda: early)
    synced(app, until)
    assert not app.daily.due() and not app.card.isVisible()
    assert app.morning._timer.isActive()
    assert 25 * 60_000 < app.morning._timer.remainingTime() <= 30 * 60_000, "it wakes at 07:00, not before"


def test_the_first_unlock_after_seven_brings_the_colleague(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, dunst: None,
        loop: qasync.QEventLoop) -> None:
    clock = [datetime.now().astimezone().replace(hour=6, minute=50)]
    app = make_app(demo, machine="[notifications]\ncolleague = true\n", now=lambda: clock[0])
    synced(app, until)
    until(lambda: app.daily.me() is not None, 10)
    assert history() == [], "not before seven"
    clock[0] = clock[0].replace(hour=8, minute=40)  # the laptop was locked at seven
    subprocess.run(["dbus-send", "--session", "--type=signal", "/org/freedesktop/ScreenSaver",
                    "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:false"], check=True, timeout=5)
    until(lambda: any(n["summary"].startswith("Meet ") for n in history()), 10)
    subprocess.run(["dbus-send", "--session", "--type=signal", "/org/freedesktop/ScreenSaver",
                    "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:false"], check=True, timeout=5)
    loop.run_until_complete(asyncio.sleep(0.5))  # the app hears the second unlock
    assert len(history()) == 1, "once a day, however often it is unlocked"


# ---------------------------------------------------------------- settings, in the office, no tray


def test_settings_show_it_s_locks_and_write_the_rest(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    app = make_app(demo, machine='[quiet_hours]\nenabled = true\nstart = "19:00"\n', start=False,
                   locked=("notifications.mentions", "quiet_hours.start"))
    app.start()
    app.tray.actions["settings"].trigger()
    window = app.preferences.window
    assert window is not None and window.isVisible()
    mentions = window.fields["notifications.mentions"]
    assert not mentions.isEnabled() and mentions.toolTip() == "Set by your organisation"
    assert not window.fields["quiet_hours.start"].isEnabled()
    replies = window.fields["notifications.replies"]
    assert replies.isEnabled()
    replies.click()  # type: ignore[attr-defined]
    written = Path(app.config.user_file or "").read_text()
    assert "replies = false" in written and "mentions" not in written
    assert app.config["notifications.replies"] is False
    assert app.notices.alerts.config["notifications.replies"] is False


def test_in_the_office_today_lists_shared_check_ins_by_office(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    from hallway.model import CheckIn, Place
    from hallway.networks.mastodon import MastodonNetwork
    lobby = fresh_demo.token_for("lobby")
    kiosk = MastodonNetwork(fresh_demo.url, lobby, is_lobby=True)
    people = others(fresh_demo, 3)
    for username, office in zip(people[:2], ("Lisbon", "Lisbon"), strict=True):
        account = fresh_demo.org.by_username(username)
        assert account is not None
        person = kiosk.colleague(requests.get(f"{fresh_demo.url}/api/v1/accounts/{account.id}", timeout=5,
                                              headers={"Authorization": f"Bearer {lobby}"}).json())
        kiosk.check_in(CheckIn(person.id, Place(office), datetime.now().astimezone(), shared=True), person, username)
    account = fresh_demo.org.by_username(people[2])
    assert account is not None
    person = kiosk.colleague(requests.get(f"{fresh_demo.url}/api/v1/accounts/{account.id}", timeout=5,
                                          headers={"Authorization": f"Bearer {lobby}"}).json())
    kiosk.check_in(CheckIn(person.id, Place("Toronto"), datetime.now().astimezone(), shared=True), person, "t")
    app = make_app(fresh_demo)
    synced(app, until)
    app.tray.actions["in_office"].trigger()
    assert app.window.isVisible() and app.window.current_tab() == "in_office"
    until(lambda: len(app.window.in_office.items) == 5, 5)
    rows = app.window.in_office.items
    assert [(r.office, r.count) for r in rows if r.colleague is None] == [("Lisbon", 2), ("Toronto", 1)]
    assert {r.colleague.handle for r in rows if r.colleague} == set(people)
    assert app.window.tabs.tabText(3) == "In today (3)"


def test_without_a_tray_it_runs_in_a_window_and_says_why_once(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, x_server: str) -> None:
    app = make_app(demo)
    until(app.window.isVisible, 5)
    assert app.window.quit_on_close
    assert app.window.status.isVisibleTo(app.window) and app.window.status.text() == app.navigation.tr(NO_TRAY_NOTE)
    app.window.hide()
    app.window.set_status("")
    app.start()  # the next start, same profile: no explanation again
    until(app.window.isVisible, 5)
    assert not app.window.status.isVisibleTo(app.window)


def test_offline_it_shows_what_it_has_and_recovers_by_itself(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    shown = app.window.posts.rowCount()
    fresh_demo.api.faults.add(Fault("/*", "drop", count=1_000_000))
    assert app.session.sync is not None
    app.session.sync.now(full=True)
    until(lambda: app.connection is Connection.OFFLINE, 20)
    assert app.tray.state.offline and "offline" in app.tray.icon.toolTip()
    assert app.window.status.text().startswith("Offline")
    assert app.window.posts.rowCount() == shown, "still showing what it had"
    fresh_demo.api.faults.clear()
    app.session.sync.now()
    until(lambda: app.connection is Connection.ONLINE, 30)
    assert not app.tray.state.offline and not app.window.status.isVisibleTo(app.window)


def test_a_window_first_opened_after_a_hidden_morning_shows_all_that_happened(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, tray_host: None) -> None:
    """A tray app started hidden makes no feed window (its 10 MB wait until someone looks); the
    window opened later says everything the hidden app went through: offline, and what waits."""
    app = make_app(fresh_demo)
    synced(app, until)
    assert app.feed_view.made() is None, "the hidden app made its feed window anyway"
    fresh_demo.api.faults.add(Fault("/*", "drop", count=1_000_000))
    assert app.session.sync is not None
    app.session.sync.now(full=True)
    until(lambda: app.connection is Connection.OFFLINE, 20)
    app.writing.writes.post("Written in the morning, before anyone opened the window")
    assert app.outbox.pending_count() == 1 and app.feed_view.made() is None

    app.tray.open_feed.emit()
    window = app.feed_view.made()
    assert window is not None and window.isVisible()
    assert window.status.text().startswith("Offline")
    assert window.compose.waiting.text() == "Will send when you're back online"
    assert window.posts.rowCount() > 0, "the feed read from the store"
    fresh_demo.api.faults.clear()
    app.session.sync.now()
    until(lambda: app.connection is Connection.ONLINE and not window.compose.waiting.text(), 30)
    assert not window.status.isVisibleTo(window)


def test_nothing_polls_while_idle(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    """Idle, nothing polls: the only timers running are the single-shot ones for what is due."""
    app = make_app(fresh_demo)
    synced(app, until)
    running = [t for t in app.findChildren(QTimer) if t.isActive()]
    assert running and all(t.isSingleShot() for t in running)
    assert all(t.remainingTime() > 10_000 for t in running if t is not app.notices._notify_timer)


# ---------------------------------------------------------------- starting late, quitting fast, refusals


def test_a_tray_host_that_comes_up_after_the_app_is_waited_for(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, x_server: str,
        qtbot: QtBot) -> None:
    """At login the panel often starts after the apps: Hallway waits for it instead of falling
    back to a window for the whole session."""
    if shutil.which("trayer") is None:
        pytest.skip("needs trayer (./run test installs it)")
    assert not Tray.available()
    app = make_app(demo, tray_wait_s=30)
    QTest.qWait(2000)
    assert not app.window.isVisible(), "no fallback window while the panel may still come"
    host = subprocess.Popen(["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
                             "--height", "32", "--expand", "true"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        until(lambda: embedded_icon() is not None, 15)
        QTest.qWait(1500)
        assert not app.window.isVisible() and not app.window.quit_on_close, "the tray, not a window"
    finally:
        host.terminate()
        host.wait(10)
        qtbot.waitUntil(lambda: not Tray.available(), timeout=10_000)


def test_a_keyring_that_refuses_during_sign_in_says_what_to_do(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A dismissed unlock prompt is InitError, not a KeyringError: it once left "Finish signing in
    in your browser…" on screen for ever."""
    import keyring.errors

    from hallway.signin import tokens

    class Dismissed:
        def get_password(self, *_: object) -> str:
            raise keyring.errors.InitError("Prompt dismissed")

        set_password = delete_password = get_password

    app = make_app(demo, signed_in=False)
    monkeypatch.setattr(tokens, "backend", lambda: Dismissed())
    app.signing.sign_in()
    until(lambda: not app.session.signing_in, 15)
    text = app.window.sign_in_note.text()
    assert "Prompt dismissed" in text and "unlock" in text.lower() and "Finish signing in" not in text


def test_hostile_posts_reach_the_tray_feed_as_plain_words(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, qapp: QApplication,
        tmp_path: Path) -> None:
    """Script and style tags, a local-file image, javascript: links, 1,000 nested tags, lone
    surrogates, direction overrides, 300 enclosing marks and a 10 MB post from the server: the
    feed shows plain, bounded words and links only to the web, and sync stays online."""
    import os

    from hostile_server import HostileServer
    from test_hostile_screens import assert_plain_words

    with HostileServer(demo.url, {"/api/v1/timelines": "hostile-text", "/api/v1/accounts": "hostile-text",
                                  "/api/v1/directory": "hostile-text"}) as hostile:
        app = make_app(SimpleNamespace(url=hostile.url, token_for=demo.token_for))
        synced(app, until)
        app.navigation.open_window("feed")
        view = app.window.lists["feed"]
        until(lambda: view.isVisible() and view.model().rowCount() > 5, 10)
        assert app.connection is Connection.ONLINE
        posts = [view.model().index(row, 0).data(ITEM) for row in range(view.model().rowCount())]
        for post in posts:
            assert_plain_words(post.author_name, 200)
            assert_plain_words(post.text, 20_000)
            for bad in ("<script", "<style", "<img", "<iframe", "javascript:", "onclick", "file:"):
                assert bad not in post.html.lower(), bad
        assert any("deep" in p.text for p in posts), "the posts' words are in the feed"
        QTest.qWait(300)
        image = app.window.grab()
        image.save(str(tmp_path / "hostile-feed.png"))
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            image.save(os.environ["HALLWAY_SCREENSHOTS"] + "/desktop-hostile-feed.png")
        assert not image.isNull()


def test_with_the_directory_off_the_laptop_still_meets_the_people_seen_posting(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    """Once "Nobody yet" and a Mastodon setting to switch on; now the people who post in the
    company feed are the laptop's colleagues until IT switches the directory on."""
    requests.post(f"{fresh_demo.url}/_demo/settings", data={"directory": "off"}, timeout=5).raise_for_status()
    app = make_app(fresh_demo)
    synced(app, until)
    app.navigation.open_colleague()
    posters = {s.account_id for s in fresh_demo.org.statuses.values() if s.visibility == "public"}
    chosen = app.daily.colleague()
    assert chosen is not None and chosen.id in posters and app.card.name.text() == chosen.name
    assert app.store.count_posts(app.feed) > 0, "the feed is there all the same"


def test_settings_name_the_feed_in_peoples_words_and_switching_it_refills_the_feed(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    from PySide6.QtWidgets import QComboBox, QLabel
    app = make_app(demo)
    synced(app, until)
    assert app.feed == "local", "the company's feed on day one"
    app.preferences.open()
    assert app.preferences.window is not None
    combo = app.preferences.window.fields["network.feed"]
    assert isinstance(combo, QComboBox)
    # The hashtags the person follows on the server come a moment later (asked off the GUI thread)
    until(lambda: combo.count() > 2, 10)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Everyone in the company", "People I follow", "", "Posts tagged #lunch", "Posts tagged #welcome"]
    assert combo.currentText() == "Everyone in the company"
    labels = [w.text() for w in app.preferences.window.findChildren(QLabel)]
    assert "Your feed shows" in labels and not any("#hashtag" in text for text in labels)
    label = next(w for w in app.preferences.window.findChildren(QLabel) if w.text() == "Your feed shows")
    assert label.buddy() is combo, "the words name the choice beside them (and a screen reader says them)"
    combo.setCurrentIndex(1)
    until(lambda: app.store.count_posts("home") > 0, 20)
    assert app.config.user_file is not None
    assert app.feed == "home" and 'feed = "home"' in app.config.user_file.read_text()
    home = {p.author_id for p in app.store.posts("home", limit=200)}
    follows = demo.org.following(demo.org.demo_user_id) | {demo.org.demo_user_id}
    assert home <= follows, "only people the person follows, as on Mastodon"


def test_a_hashtag_the_person_follows_is_offered_and_choosing_it_fills_the_feed_with_its_posts(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    from PySide6.QtWidgets import QComboBox
    requests.post(f"{fresh_demo.url}/api/v1/tags/planning/follow", timeout=5,
                  headers={"Authorization": f"Bearer {fresh_demo.token_for('demo')}"}).raise_for_status()
    app = make_app(fresh_demo)
    synced(app, until)
    app.preferences.open()
    assert app.preferences.window is not None
    combo = app.preferences.window.fields["network.feed"]
    assert isinstance(combo, QComboBox)
    until(lambda: combo.findText("Posts tagged #planning") >= 0, 10)
    if os.environ.get("HALLWAY_SCREENSHOTS"):  # the window with its list open (the list is a window of its own)
        from PySide6.QtGui import QGuiApplication
        combo.showPopup()
        QTest.qWait(300)
        shown = app.preferences.window.frameGeometry().united(combo.view().window().frameGeometry())
        QGuiApplication.primaryScreen().grabWindow(0, shown.x(), shown.y(), shown.width(), shown.height()).save(
            os.environ["HALLWAY_SCREENSHOTS"] + "/desktop-settings-feeds.png")
        combo.hidePopup()
    combo.setCurrentIndex(combo.findText("Posts tagged #planning"))
    until(lambda: app.store.count_posts("#planning") > 0, 20)
    assert app.feed == "#planning"
    tagged = {s.id for s in fresh_demo.org.statuses.values() if "planning" in s.tags and s.visibility == "public"}
    assert {p.id for p in app.store.posts("#planning", limit=200)} <= tagged, "only the hashtag's posts"
    app.preferences.window.close()
    app.preferences.open()  # asked again, the choice stays chosen
    until(lambda: combo.count() > 2, 10)
    assert combo.currentText() == "Posts tagged #planning"


def test_settings_open_wholly_on_screen_and_quiet_hours_times_follow_their_switch(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, tray_host: None,
        qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QCheckBox
    app = make_app(demo)
    synced(app, until)
    app.preferences.open()
    window = app.preferences.window
    assert window is not None
    qtbot.waitUntil(window.isVisible, timeout=5000)
    frame = window.frameGeometry()
    screen = (QGuiApplication.screenAt(frame.center()) or QGuiApplication.primaryScreen()).availableGeometry()
    assert screen.contains(frame), (frame, screen)
    anchor = app.navigation.tray_rect()
    assert anchor is not None, "the tray host says where the icon is"
    assert frame.left() - 8 <= anchor.center().x() <= frame.right() + 8, "opened beside the tray icon"
    switch = window.fields["quiet_hours.enabled"]
    assert isinstance(switch, QCheckBox)
    times = [window.fields[k] for k in ("quiet_hours.start", "quiet_hours.end", "quiet_hours.weekends")]
    switch.setChecked(False)
    assert not any(t.isEnabled() for t in times), "quiet hours off: their times are greyed"
    switch.setChecked(True)
    assert all(t.isEnabled() for t in times)


def test_a_check_in_shows_in_the_open_in_today_tab_within_ten_seconds(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    """No stream brings presence (check-ins notify nobody), so while a person looks at "who is in"
    it is read every few seconds; a check-in at the kiosk shows within 10 s."""
    import time

    from hallway.model import CheckIn, Place
    from hallway.networks.mastodon import MastodonNetwork
    app = make_app(fresh_demo)
    synced(app, until)
    app.navigation.open_window("in_office")
    QTest.qWait(2000)  # the pass that opening the tab starts, then the wait before the next
    lobby = fresh_demo.token_for("lobby")
    kiosk = MastodonNetwork(fresh_demo.url, lobby, is_lobby=True)
    account = fresh_demo.org.by_username(others(fresh_demo, 1)[0])
    assert account is not None
    person = kiosk.colleague(requests.get(f"{fresh_demo.url}/api/v1/accounts/{account.id}", timeout=5,
                                          headers={"Authorization": f"Bearer {lobby}"}).json())
    kiosk.check_in(CheckIn(person.id, Place("Lisbon"), datetime.now().astimezone(), shared=True), person, "now")
    started = time.monotonic()
    until(lambda: any(r.colleague and r.colleague.id == person.id for r in app.window.in_office.items), 10)
    assert time.monotonic() - started < 10


def test_esc_puts_each_window_away(demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until,
                                   tray_host: None, qtbot: QtBot) -> None:
    """Esc closes Settings and the colleague card and puts the feed back in the tray, as people
    expect from a tray app's windows."""
    app = make_app(demo)
    synced(app, until)
    app.preferences.open()
    app.navigation.open_colleague()
    app.navigation.open_window("feed")
    windows: list[QWidget] = [w for w in (app.preferences.window, app.card, app.window) if w is not None]
    assert len(windows) == 3
    for window in windows:
        window.show()
        qtbot.waitUntil(window.isVisible, timeout=5000)
        QTest.keyClick(window, Qt.Key.Key_Escape)
        qtbot.waitUntil(window.isHidden, timeout=5000)
    assert app.tray.icon.isVisible(), "Hallway itself goes on, in the tray"


def test_writing_from_the_tray_posts_once_as_typed_replies_and_says_hi(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, tmp_path: Path) -> None:
    """The compose box: a post sent as plain text, a reply to a double-clicked post, the
    server's limit counted before sending, and "Say hi" opening the box with the mention."""
    import os

    app = make_app(demo)
    synced(app, until)
    app.navigation.open_window("feed")
    compose = app.window.compose
    until(lambda: compose.limit is not None, 10)
    assert compose.limit == 500 and compose.warn_toggle.isVisibleTo(app.window), "Mastodon's own limit and CW"
    marker = f"compose{datetime.now().timestamp():.0f}"
    QTest.keyClicks(compose.editor, f"{marker} coffee at 3? <b>really</b>")
    assert compose.count.text() == str(500 - len(compose.editor.toPlainText()))
    QTest.mouseClick(compose.send, Qt.MouseButton.LeftButton)
    assert compose.editor.toPlainText() == ""

    def on_network(contains: str) -> list[dict[str, str]]:
        found: list[dict[str, str]] = requests.get(f"{demo.url}/_demo/statuses", params={"contains": contains},
                                                   timeout=5).json()
        return found

    until(lambda: len(on_network(marker)) == 1 and app.outbox.pending_count() == 0, 15)
    assert "<b>really</b>" in on_network(marker)[0]["text"], "what was typed, not markup"
    until(lambda: compose.waiting.text() == "", 5)  # "Sending…" goes as soon as it is sent

    view = app.window.lists["feed"]
    until(lambda: view.model().rowCount() > 0, 10)
    index = view.model().index(0, 0)
    post = index.data(ITEM)
    _, _, answer, _ = app.window.delegate.action_rects(view.visualRect(index))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=answer.center())  # the row's Reply
    until(lambda: compose.reply_bar.isVisibleTo(app.window), 5)
    assert post.author_name in compose.answering.text()
    QTest.keyClicks(compose.editor, f"{marker}-reply agreed")
    QTest.qWait(300)
    if os.environ.get("HALLWAY_SCREENSHOTS"):
        app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/compose-reply.png")
    QTest.keyClick(compose.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: len(on_network(f"{marker}-reply")) == 1, 15)
    assert on_network(f"{marker}-reply")[0].get("in_reply_to_id") == post.id

    compose.editor.setPlainText("x" * 501)
    assert not compose.send.isEnabled() and compose.count.text() == "-1", "refused before sending, count shown"
    if os.environ.get("HALLWAY_SCREENSHOTS"):
        app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/compose-too-long.png")
    compose.editor.clear()

    colleague = next(c for c in app.store.people() if c.handle and c.handle != "demo")
    app.morning.say_hi(colleague)
    assert app.window.isVisible() and compose.editor.toPlainText() == f"@{colleague.handle} "
    assert not list(app._open_url), "no browser"  # type: ignore[call-overload]
    # "Say hi" is private (#28): the box says who will see it, and the post is a direct message.
    assert compose.reply_bar.isVisibleTo(app.window) and colleague.name in compose.answering.text()
    assert "only" in compose.answering.text()
    QTest.keyClicks(compose.editor, f"{marker}-hi welcome aboard")
    if os.environ.get("HALLWAY_SCREENSHOTS"):
        QTest.qWait(300)
        app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/compose-say-hi.png")
    QTest.keyClick(compose.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: len(on_network(f"{marker}-hi")) == 1, 15)
    assert on_network(f"{marker}-hi")[0].get("visibility") == "direct", "only the colleague sees it"


def test_a_reply_from_the_tray_names_and_notifies_the_person_answered(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    """Replies once notified nobody (0 notifications after two replies): the box now starts with
    the author's @handle, as Mastodon clients do, and the author gets a notification."""
    app = make_app(demo)
    synced(app, until)
    app.navigation.open_window("feed")
    compose = app.window.compose
    until(lambda: compose.limit is not None, 10)
    view = app.window.lists["feed"]
    until(lambda: view.model().rowCount() > 0, 10)
    row = next(r for r in range(view.model().rowCount())
               if view.model().index(r, 0).data(ITEM).author_handle not in ("", "demo"))
    index = view.model().index(row, 0)
    post = index.data(ITEM)
    view.scrollTo(index)
    view.setFocus()
    view.setCurrentIndex(index)
    QTest.keyClick(view, Qt.Key.Key_Return)  # Enter on the selected row answers it
    until(lambda: compose.reply_bar.isVisibleTo(app.window), 5)
    assert compose.editor.hasFocus(), "the box takes the focus: the answer is typed at once"
    assert compose.editor.toPlainText() == f"@{post.author_handle} ", "the person answered, named first"
    assert not compose.send.isEnabled(), "a reply of only the name is not sent"
    marker = f"notified{datetime.now().timestamp():.0f}"
    QTest.keyClicks(compose.editor, f"{marker} sounds good")
    if os.environ.get("HALLWAY_SCREENSHOTS"):
        QTest.qWait(300)
        app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/compose-reply-named.png")
    QTest.keyClick(compose.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    author = demo.token_for(post.author_handle)

    def notified() -> bool:
        found = requests.get(f"{demo.url}/api/v1/notifications", headers={"Authorization": f"Bearer {author}"},
                             timeout=5).json()
        return any(marker in str((n.get("status") or {}).get("content", "")) for n in found)
    until(notified, 15)


# ---------------------------------------------------------------- acting on notifications, links, invitations


def displayed() -> int:
    return int(subprocess.run(["dunstctl", "count", "displayed"], capture_output=True, text=True,
                              timeout=5).stdout.strip() or 0)


def test_reply_and_mark_read_from_the_notification_work_through_dunst(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, dunst: None) -> None:
    """The buttons a person presses in the notification itself: Reply opens the compose box on
    that post and the reply reaches the network once; Mark read reads it on the network."""
    app = make_app(fresh_demo)
    synced(app, until)
    author, second = others(fresh_demo, 2)
    status_id = post_as(fresh_demo, author, "@demo can you look at the roadmap draft?")
    until(lambda: displayed() == 1, 15)
    offered = press("Reply")
    assert any("Mark read" in line for line in offered), offered
    compose = app.window.compose
    until(lambda: app.window.isVisible() and compose.reply_bar.isVisibleTo(app.window), 10)
    assert "roadmap draft" in compose.answering.text()
    marker = f"fromnotice{datetime.now().timestamp():.0f}"
    QTest.keyClicks(compose.editor, f"{marker} on it this afternoon")
    QTest.keyClick(compose.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    def on_network(contains: str) -> list[dict[str, str]]:
        found: list[dict[str, str]] = requests.get(f"{fresh_demo.url}/_demo/statuses", timeout=5,
                                                   params={"contains": contains}).json()
        return found
    until(lambda: len(on_network(marker)) == 1 and app.outbox.pending_count() == 0, 15)
    assert on_network(marker)[0]["in_reply_to_id"] == status_id

    app.window.hide()
    subprocess.run(["dunstctl", "close-all"], check=True, timeout=5)  # dunst's menu lists every shown one's buttons
    post_as(fresh_demo, second, "@demo the printer on 3 is fixed")
    until(lambda: app.store.unread_mentions() >= 1 and displayed() >= 1, 15)
    press("Mark read")
    until(lambda: app.store.unread_mentions() == 0 and app.tray.state.mentions == 0, 10)
    newest = app.store.notices(1)[0]

    def read_on_network() -> str:
        markers = requests.get(f"{fresh_demo.url}/api/v1/markers", params={"timeline[]": "notifications"},
                               headers={"Authorization": f"Bearer {fresh_demo.token_for('demo')}"}, timeout=5).json()
        return str(markers.get("notifications", {}).get("last_read_id", ""))
    until(lambda: read_on_network() == newest.id, 15)
    assert not app.window.isVisible(), "Mark read opens nothing"


def test_a_thread_is_one_notification(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, dunst: None) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    root = post_as(fresh_demo, "demo", "Who is up for the climbing wall on Friday?")
    first, second = others(fresh_demo, 2)
    for who, text in ((first, "@demo me!"), (second, "@demo count me in")):
        requests.post(f"{fresh_demo.url}/api/v1/statuses", data={"status": text, "in_reply_to_id": root},
                      headers={"Authorization": f"Bearer {fresh_demo.token_for(who)}"}, timeout=10).raise_for_status()
        QTest.qWait(2500)  # each on its own, as people reply
    # Waited for without touching dunst: closing a notification (as history() does) would make
    # the next one of the thread a new notification, as it is when a person dismissed the first.
    until(lambda: len([n for n in app.store.notices(10) if n.thread == root]) == 2
          and not app.store.unshown_notices(), 15)
    QTest.qWait(1000)
    assert displayed() == 1, "one notification on screen for the thread"
    assert [n["summary"] for n in history()] == [f"{app.store.notices(1)[0].from_name} replied (2 in this thread)"]


def test_a_post_written_offline_is_delivered_once_when_the_network_is_back(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    fresh_demo.api.faults.add(Fault("/*", "drop", count=1_000_000))
    assert app.session.sync is not None
    app.session.sync.now(full=True)
    until(lambda: app.connection is Connection.OFFLINE, 20)
    app.navigation.open_window("feed")
    compose = app.window.compose
    marker = f"offline{datetime.now().timestamp():.0f}"
    QTest.keyClicks(compose.editor, f"{marker} written on the train")
    QTest.mouseClick(compose.send, Qt.MouseButton.LeftButton)
    # said at once, not "Sending…" for minutes; the tray icon counts it too
    until(lambda: compose.waiting.text() == "Will send when you're back online", 5)
    until(lambda: "1 waiting to send" in app.tray.icon.toolTip(), 5)
    QTest.qWait(1500)
    assert app.outbox.pending_count() == 1
    fresh_demo.api.faults.clear()
    app.session.sync.now()
    until(lambda: app.connection is Connection.ONLINE and app.outbox.pending_count() == 0, 30)
    found = requests.get(f"{fresh_demo.url}/_demo/statuses", params={"contains": marker}, timeout=5).json()
    assert len(found) == 1, "delivered once"
    until(lambda: compose.waiting.text() == "", 5)


def test_a_hallway_link_opened_with_xdg_open_shows_that_card_in_the_running_app(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, x_server: str) -> None:
    """The installer's .desktop entry in a real MIME database; xdg-open starts a second
    hallway-desktop, which hands the link to the running one."""
    import os
    import sys

    from desktop.app import follow_wishes
    from desktop.system.single import SingleInstance

    for tool in ("xdg-open", "xdg-mime", "update-desktop-database"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} (./run test installs xdg-utils and desktop-file-utils)")
    data = tmp_path / "share"
    applications = data / "applications"
    applications.mkdir(parents=True)
    entry = (Path(__file__).parents[1] / "installer" / "linux" / "hallway-desktop.desktop").read_text()
    assert "MimeType=x-scheme-handler/hallway;" in entry and "Exec=hallway-desktop %u" in entry
    launcher = Path(sys.executable).with_name("hallway-desktop")
    (applications / "hallway-desktop.desktop").write_text(entry.replace("Exec=hallway-desktop", f"Exec={launcher}"))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_DATA_DIRS", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_DESKTOP_SESSION_ID"):
        monkeypatch.delenv(name, raising=False)
    subprocess.run(["update-desktop-database", str(applications)], check=True, timeout=20)
    subprocess.run(["xdg-mime", "default", "hallway-desktop.desktop", "x-scheme-handler/hallway"], check=True,
                   timeout=20)
    assert subprocess.run(["xdg-mime", "query", "default", "x-scheme-handler/hallway"], capture_output=True,
                          text=True, timeout=20).stdout.strip() == "hallway-desktop.desktop"

    app = make_app(demo)
    synced(app, until)
    single = SingleInstance()
    assert single.claim()
    follow_wishes(single, app)
    try:
        colleague = next(c for c in app.store.people() if c.handle not in ("demo", "lobby") and c.title)
        link = f"hallway://colleague/{colleague.id}"
        opener = subprocess.Popen(["xdg-open", link], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        until(lambda: app.card.isVisible() and app.card.name.text() == colleague.name, 30)
        assert opener.wait(30) == 0
        assert app.card.heading.text() in ("Colleague", "Your colleague of the day")

        app.card.hide()
        assert not app.navigation.open_link("hallway://colleague/")  # a malformed link: ignored, with a message
        assert not app.card.isVisible() and "does not say which colleague" in app.window.status.text()
        assert not app.navigation.open_link("hallway://nonsense/42")
        assert "does not know links" in app.window.status.text()
        assert app.navigation.open_link("hallway://in-today") and app.window.current_tab() == "in_office"
    finally:
        single.release()


def _invitation_app(network: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until,
                    calendar: str, opened: Callable[[QUrl], bool] | None = None) -> TrayApp:
    app = make_app(network, machine=f'\n[desktop]\nautostart = false\ncalendar = "{calendar}"\n')
    if opened is not None:
        app.invitations._open_url = opened
    synced(app, until)
    until(lambda: app.daily.me() is not None, 10)
    return app


def test_the_coffee_invitation_is_a_meeting_request_with_organiser_and_attendee(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    import icalendar

    app = _invitation_app(demo, make_app, until, "system")
    me = app.daily.me()
    assert me is not None and me.email
    same_office = next(c for c in app.store.people() if c.id != me.id and c.email and c.office == me.office)
    elsewhere = next(c for c in app.store.people() if c.id != me.id and c.email and c.office != me.office)
    nobody_knows = next((c for c in app.store.people() if c.id != me.id and not c.email), None)

    for colleague, place in ((same_office, f"Coffee corner, {me.office} office"), (elsewhere, "Online call")):
        app.card.show_colleague(colleague, None, app.now().date())
        app.card.buttons[1].click()
        opened = app._open_url
        assert isinstance(opened, Opened) and opened[-1].startswith("file://")
        path = Path(QUrl(opened[-1]).toLocalFile())
        assert path.is_relative_to(Path(os.environ["XDG_RUNTIME_DIR"])) if "XDG_RUNTIME_DIR" in os.environ \
            else "/tmp/hallway-invitations" not in str(path)
        calendar = icalendar.Calendar.from_ical(path.read_text())
        assert str(calendar["METHOD"]) == "REQUEST"
        event = next(iter(calendar.walk("VEVENT")))
        assert str(event["ORGANIZER"]) == f"mailto:{me.email}"
        listed = event["ATTENDEE"]
        attendees = [str(a) for a in (listed if isinstance(listed, list) else [listed])]
        assert f"mailto:{colleague.email}" in attendees
        assert str(event["LOCATION"]) == place
        start = event.decoded("DTSTART")
        assert start.weekday() < 5 and 8 <= start.astimezone().hour < 18, "working hours, outside quiet hours"
        assert "hallway://colleague/" in str(event["DESCRIPTION"])
    if nobody_knows is not None:
        app.card.show_colleague(nobody_knows, None, app.now().date())
        app.card.buttons[1].click()
        text = Path(QUrl(app._open_url[-1]).toLocalFile()).read_text()  # type: ignore[index]
        calendar = icalendar.Calendar.from_ical(text)
        assert str(calendar["METHOD"]) == "PUBLISH" and "ATTENDEE" not in text
        assert "has no email address" in text.replace("\r\n ", "")


def test_outlook_and_google_links_carry_subject_time_and_attendee(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    from urllib.parse import parse_qs, urlsplit

    for calendar in ("outlook", "google"):
        links = Opened()
        app = _invitation_app(demo, make_app, until, calendar, links)
        me = app.daily.me()
        assert me is not None
        colleague = next(c for c in app.store.people() if c.id != me.id and c.email)
        app.card.show_colleague(colleague, None, app.now().date())
        app.card.buttons[1].click()
        assert len(links) == 1
        url = urlsplit(links[0])
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        coffee = app.invitations.last
        assert coffee is not None
        if calendar == "outlook":
            assert url.netloc == "outlook.office.com" and url.path == "/calendar/deeplink/compose"
            assert query["subject"] == f"Coffee: {me.name} and {colleague.name}" and query["to"] == colleague.email
            assert datetime.fromisoformat(query["startdt"]) == coffee.start
        else:
            assert url.netloc == "calendar.google.com" and query["action"] == "TEMPLATE"
            assert query["text"] == f"Coffee: {me.name} and {colleague.name}" and query["add"] == colleague.email
            assert query["dates"].split("/")[0] == coffee.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def test_when_nothing_opens_the_invitation_it_says_so_and_offers_a_copy(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    """The browser refuses the calendar link, and no calendar app takes the file either."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    refused: list[str] = []

    def refuse(url: QUrl) -> bool:
        refused.append(url.toString())
        return False
    app = _invitation_app(demo, make_app, until, "google", refuse)
    colleague = next(c for c in app.store.people() if c.email and c.handle != "demo")
    app.card.show_colleague(colleague, None, app.now().date())
    app.card.show()
    app.card.buttons[1].click()
    assert refused[0].startswith("https://calendar.google.com/") and refused[1].startswith("file://")
    box = app.card.findChild(QMessageBox, "invitation-unopened")
    assert box is not None
    until(box.isVisible, 5)
    assert "No calendar app opened the invitation" in box.text()
    copy = next(b for b in box.buttons() if b.text() == "Copy invitation")
    copy.click()
    assert QGuiApplication.clipboard().text().startswith("BEGIN:VCALENDAR")


def test_on_synapse_a_post_and_a_reply_from_the_tray_reach_the_room_once(
        synapse: tuple[Synapse, Any], make_app: Callable[..., TrayApp], until: Until) -> None:
    from urllib.parse import quote

    homeserver, seeded = synapse
    me = seeded.org.accounts[seeded.org.demo_user_id].username
    network = cast(server.DemoNetwork, SimpleNamespace(url=homeserver.url, token_for=lambda _who: seeded.tokens[me]))
    app = make_app(network, machine='kind = "matrix"\n')
    synced(app, until)
    app.navigation.open_window("feed")
    compose = app.window.compose
    until(lambda: app.daily.me() is not None, 15)
    assert compose.limit is None and not compose.warn_toggle.isVisibleTo(app.window), "Matrix has neither"
    marker = f"matrixcompose{datetime.now().timestamp():.0f}"

    def in_room(contains: str) -> list[dict[str, Any]]:
        page = homeserver.call("GET", f"/_matrix/client/v3/rooms/{quote(seeded.everyone)}/messages?dir=b&limit=50",
                               seeded.tokens[me])
        return [e for e in page["chunk"] if e.get("type") == "m.room.message"
                and contains in str(e.get("content", {}).get("body", ""))]

    QTest.keyClicks(compose.editor, f"{marker} anyone for <b>lunch</b>?")
    QTest.mouseClick(compose.send, Qt.MouseButton.LeftButton)
    until(lambda: len(in_room(marker)) == 1 and app.outbox.pending_count() == 0, 20)
    sent = in_room(marker)[0]
    assert sent["content"]["body"] == f"{marker} anyone for <b>lunch</b>?", "sent as typed, as text"
    assert "<b>" not in str(sent["content"].get("formatted_body", "")), "never markup"

    other = next(p for p in app.store.posts(app.feed, 50) if p.author_handle != app.daily.me().handle)  # type: ignore[union-attr]
    app.window.compose.reply_to(other.id, [(other.author_name, other.text)])
    QTest.keyClicks(compose.editor, f"{marker}-reply yes please")
    QTest.keyClick(compose.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    until(lambda: len(in_room(f"{marker}-reply")) == 1 and app.outbox.pending_count() == 0, 20)
    relates = in_room(f"{marker}-reply")[0]["content"].get("m.relates_to", {})
    assert other.id in (relates.get("event_id"), relates.get("m.in_reply_to", {}).get("event_id"))


def test_on_synapse_a_live_edit_and_reaction_change_the_row_on_screen(
        synapse: tuple[Synapse, Any], make_app: Callable[..., TrayApp], until: Until) -> None:
    """An edit made while the tray app runs changed the store but not the window, and a reaction
    was never counted: both now reach the row on screen, through the live stream."""
    import os
    from urllib.parse import quote

    homeserver, seeded = synapse
    me = seeded.org.accounts[seeded.org.demo_user_id].username
    network = cast(server.DemoNetwork, SimpleNamespace(url=homeserver.url, token_for=lambda _who: seeded.tokens[me]))
    app = make_app(network, machine='kind = "matrix"\n')
    synced(app, until)
    app.navigation.open_window("feed")
    author = next(u for u in seeded.tokens if u not in (me, "lobby") and not u.startswith(("odd", "blank")))
    token, room, stamp = seeded.tokens[author], quote(seeded.everyone), datetime.now().timestamp()
    original = homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/w{stamp}", token,
                               {"msgtype": "m.text", "body": f"Quiz night on Thursday {stamp:.0f}"})["event_id"]

    def row() -> Any:
        return next((p for p in app.window.posts.posts if p.id == original), None)
    until(lambda: row() is not None, 20)
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/we{stamp}", token, {
        "msgtype": "m.text", "body": f"* Quiz night on Friday {stamp:.0f}",
        "m.new_content": {"msgtype": "m.text", "body": f"Quiz night on Friday {stamp:.0f}"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": original}})
    until(lambda: row().text == f"Quiz night on Friday {stamp:.0f}", 20)
    fan = next(u for u in seeded.tokens if u not in (me, "lobby", author) and not u.startswith(("odd", "blank")))
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.reaction/wr{stamp}", seeded.tokens[fan],
                    {"m.relates_to": {"rel_type": "m.annotation", "event_id": original, "key": "👍"}})
    until(lambda: row().likes == 1, 20)
    assert sum(p.id == original for p in app.window.posts.posts) == 1, "changed in place, not a new row"
    view = app.window.lists["feed"]
    index = view.model().index(next(r for r, p in enumerate(app.window.posts.posts) if p.id == original), 0)
    painted = app.window.delegate._document(index.data(ITEM), view.font(), 300).toPlainText()  # what the row draws
    assert painted == f"Quiz night on Friday {stamp:.0f}", painted
    if os.environ.get("HALLWAY_SCREENSHOTS"):
        app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/edited-live.png")


def test_on_synapse_a_thread_reply_reads_as_part_of_its_thread(
        synapse: tuple[Synapse, Any], make_app: Callable[..., TrayApp], until: Until) -> None:
    """Thread replies once appeared as loose posts ("Oat crackers") with nothing saying what they
    answer: a thread reply now says whose thread it is in, a plain reply what it answers, and the
    root how many answers it has."""
    import os
    from urllib.parse import quote

    from desktop.feed.model import CONTEXT, REPLIES

    homeserver, seeded = synapse
    me = seeded.org.accounts[seeded.org.demo_user_id].username
    network = cast(server.DemoNetwork, SimpleNamespace(url=homeserver.url, token_for=lambda _who: seeded.tokens[me]))
    app = make_app(network, machine='kind = "matrix"\n')
    synced(app, until)
    app.navigation.open_window("feed")
    people = [u for u in seeded.tokens if u not in (me, "lobby") and not u.startswith(("odd", "blank"))]
    room, stamp = quote(seeded.everyone), f"{datetime.now().timestamp():.0f}"

    def send(who: str, content: dict[str, Any]) -> str:
        return str(homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/t{who}{stamp}"
                                          f"{len(content)}", seeded.tokens[who], content)["event_id"])
    root = send(people[0], {"msgtype": "m.text", "body": f"Snacks for the offsite? {stamp}"})
    in_thread = send(people[1], {"msgtype": "m.text", "body": f"Oat crackers {stamp}",
                                 "m.relates_to": {"rel_type": "m.thread", "event_id": root}})
    reply = send(people[2], {"msgtype": "m.text", "body": f"Fruit, please {stamp}",
                             "m.relates_to": {"m.in_reply_to": {"event_id": root}}})
    model = app.window.posts

    def row(post_id: str) -> int:
        return next((r for r, p in enumerate(model.posts) if p.id == post_id), -1)
    until(lambda: min(row(root), row(in_thread), row(reply)) >= 0, 30)
    author = app.store.post(root).author_name  # type: ignore[union-attr]
    assert model.index(row(in_thread), 0).data(CONTEXT) == f"In {author}'s thread: “Snacks for the offsite? {stamp}”"
    assert model.index(row(reply), 0).data(CONTEXT) == f"↩ {author}: “Snacks for the offsite? {stamp}”"
    assert model.index(row(root), 0).data(REPLIES) == 2 and model.index(row(root), 0).data(CONTEXT) == ""
    described = model.index(row(in_thread), 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "thread" in described, "a screen reader hears it too"
    if os.environ.get("HALLWAY_SCREENSHOTS"):
        app.window.lists["feed"].scrollToTop()
        QTest.qWait(200)
        app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/thread.png")


def test_on_an_encrypted_company_room_the_tray_says_why_it_does_not_write(
        synapse_as_run: Any, make_app: Callable[..., TrayApp], until: Until) -> None:
    """Synapse as admins leave it, the company room end-to-end encrypted: the compose box gives
    way to why Hallway does not write there, and the ☆ says the same instead of sending a
    reaction in plain text."""
    import os

    run = synapse_as_run
    me = run.seeded.org.accounts[run.seeded.org.demo_user_id].username
    network = cast(server.DemoNetwork, SimpleNamespace(url=run.url, token_for=lambda _who: run.seeded.tokens[me]))
    app = make_app(network, machine='kind = "matrix"\n')
    synced(app, until)
    app.navigation.open_window("feed")
    compose = app.window.compose
    until(lambda: compose.refused.isVisibleTo(app.window), 20)
    assert "end-to-end encrypted" in compose.refused.text() and "Element" in compose.refused.text()
    assert not compose.editor.isVisibleTo(app.window) and not compose.send.isVisibleTo(app.window)
    if os.environ.get("HALLWAY_SCREENSHOTS"):
        app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/compose-encrypted.png")
    post = next(iter(app.store.posts(app.feed, 5)))
    app.writing.favourite(post)
    assert app.outbox.pending_count() == 0 and "end-to-end encrypted" in app.window.status.text()


def test_a_boost_made_offline_reaches_the_server_once(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    """The ⇄ under a post (Mastodon has boosts): shown at once, kept in the outbox while the
    network is away, and one boost on the server when it is back, however often it was tried."""
    app = make_app(fresh_demo)
    synced(app, until)
    until(lambda: app.window.delegate.can_share, 10)
    app.navigation.open_window("feed")
    view = app.window.lists["feed"]
    until(lambda: view.isVisible() and view.model().rowCount() > 0, 5)
    me = fresh_demo.org.demo_user_id
    row = next(r for r in range(view.model().rowCount())
               if not (p := view.model().index(r, 0).data(ITEM)).shared and p.author_id != me)
    fresh_demo.api.faults.add(Fault("/*", "drop", count=1_000_000))
    assert app.session.sync is not None
    app.session.sync.now(full=True)
    until(lambda: app.connection is Connection.OFFLINE, 20)
    index = view.model().index(row, 0)
    view.scrollTo(index)
    post = index.data(ITEM)
    _, shared, _, _ = app.window.delegate.action_rects(view.visualRect(index))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=shared.center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=shared.center())  # a second click
    shown = view.model().index(row, 0).data(ITEM)
    assert shown.shared and shown.shares == post.shares + 1, "shown at once"
    QTest.qWait(1500)
    assert app.outbox.pending_count() == 1, "one boost waits, however often it was clicked"
    fresh_demo.api.faults.clear()
    app.session.sync.now()
    until(lambda: app.connection is Connection.ONLINE and app.outbox.pending_count() == 0, 30)
    token = fresh_demo.token_for("demo")
    status = requests.get(f"{fresh_demo.url}/api/v1/statuses/{post.id}", timeout=5,
                          headers={"Authorization": f"Bearer {token}"}).json()
    assert status["reblogged"] is True and status["reblogs_count"] == post.shares + 1
    shares = [s for s in fresh_demo.org.statuses.values() if s.reblog_of == post.id and s.account_id == me]
    assert len(shares) == 1, "one boost on the server"


def test_a_double_click_on_a_link_opens_it_once_and_starts_no_reply(
        demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    """#28: double-clicking a mention opened the post in the browser and started a reply. Now a
    click does one thing, and a double-click is that one click."""
    app = make_app(demo)
    synced(app, until)
    app.navigation.open_window("feed")
    view = app.window.lists["feed"]
    until(lambda: view.model().rowCount() > 0, 10)
    delegate, option = app.window.delegate, QStyleOptionViewItem()
    option.font = view.font()
    for row in range(view.model().rowCount()):
        index = view.model().index(row, 0)
        if "href" not in index.data(ITEM).html:
            continue
        view.scrollTo(index)
        rect = view.visualRect(index)
        option.rect = rect
        below = delegate._context_height(index, delegate._fonts(option)[2])
        points = (QPoint(x, y) for y in range(rect.top(), rect.bottom(), 3)
                  for x in range(rect.left(), rect.right(), 4))
        spot = next((p for p in points if delegate.link_at(index.data(ITEM), rect, p, option, below)), None)
        if spot is not None:
            break
    else:
        pytest.fail("no post with a link in the demo feed")
    opened = app._open_url
    assert isinstance(opened, Opened)
    before = len(opened)
    # What a window system delivers for a double-click: press, release, double-click, release.
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
                 QEvent.Type.MouseButtonRelease):
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
        QApplication.sendEvent(view.viewport(), QMouseEvent(kind, QPointF(spot), view.viewport().mapToGlobal(
            QPointF(spot)), Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier))
    QTest.qWait(200)
    assert len(opened) == before + 1, "the link, once"
    assert not app.window.compose.reply_bar.isVisibleTo(app.window), "and no reply"
