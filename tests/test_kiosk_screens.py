"""The lobby kiosk as a visitor meets it: the real window, locked full screen on a real X
server (Xvfb), badge bursts typed with real X key events (xdotool), touch taps, and the demo
network on loopback behind it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from conftest import Until
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPointingDevice, QTextDocumentFragment
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from synapse_server import AsRun

from hallway import config as settings
from hallway.demo import server
from hallway.demo.faults import Fault
from hallway.model import Colleague
from hallway.networks import DirectoryPass
from hallway.picker import Population, colleague_of_the_day
from hallway.pin import hash_pin
from hallway.sync import Connection
from kiosk.app import Kiosk, build
from kiosk.badge import Badge
from kiosk.visitors import Sharing

PIN = "2468"
PIN_HASH = hash_pin(PIN)


@pytest.fixture
def make_kiosk(english: QApplication, demo: server.DemoNetwork, synced_lobby: Path, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Kiosk]]:
    """A kiosk as IT installs it: machine config, the lobby's token, and a store already synced."""
    made: list[Kiosk] = []

    def make(quiz: str = "off", idle_seconds: int = 45, windowed: tuple[int, int] | None = None,
             network: str = "") -> Kiosk:
        data = tmp_path / "kiosk-data"
        if not data.exists():
            shutil.copytree(synced_lobby, data)
        machine = tmp_path / "machine.toml"
        machine.write_text(f'[network]\nserver = "{demo.url}"\n{network}[office]\nname = "Lisbon"\n'
                           f'[kiosk]\nquiz = "{quiz}"\nidle_seconds = {idle_seconds}\nadmin_pin_hash = "{PIN_HASH}"\n'
                           'hide_cursor = false\n')
        monkeypatch.setenv("HALLWAY_MACHINE_CONFIG", str(machine))
        monkeypatch.setenv("HALLWAY_DATA_DIR", str(data))
        monkeypatch.setenv("HALLWAY_TOKEN", demo.token_for("lobby"))
        kiosk = build(settings.load(), windowed)
        kiosk.connect()
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()
        kiosk.window.deleteLater()
    QTest.qWait(50)


def shown(qtbot: QtBot, kiosk: Kiosk) -> None:
    window = kiosk.window
    qtbot.waitUntil(lambda: window.isVisible() and window.isActiveWindow(), timeout=5000)
    QTest.qWait(250)  # the first fade


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=20)


def scan(badge: str) -> None:
    """A badge reader: the number typed in a fast burst (5 ms between keys), then Enter."""
    assert badge.isalnum()  # each character is its own keysym name
    xdotool("key", "--delay", "5", *badge, "Return")  # one process: no pause before Enter


def todays_colleague(kiosk: Kiosk, person: Colleague) -> Colleague:
    population = Population.of(kiosk.store.people())
    expected = colleague_of_the_day(person, datetime.now().astimezone().date(), population)
    assert expected is not None
    return expected


def tap(widget: QWidget, device: QPointingDevice) -> None:
    """A finger on the touch screen: a touch press and release at the widget's centre."""
    window = widget.window()
    centre = widget.mapTo(window, widget.rect().center())
    QTest.touchEvent(window, device).press(0, centre, window)
    QTest.touchEvent(window, device).release(0, centre, window)
    QTest.qWait(20)


@pytest.fixture
def finger() -> QPointingDevice:
    return QTest.createTouchDevice()


def test_a_badge_burst_shows_the_colleague_of_the_day(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                                     x_server: str) -> None:
    kiosk = make_kiosk()
    shown(qtbot, kiosk)
    assert kiosk.window.isFullScreen()
    person = kiosk.store.people()[3]
    kiosk.lobby.visitors.link_badge("0004521987", person)
    expected = todays_colleague(kiosk, person)
    scan("0004521987")
    qtbot.waitUntil(lambda: kiosk.window.stack.currentWidget() is kiosk.window.card, timeout=5000)
    assert kiosk.window.card.name.text() == expected.name
    # "checked in" once the check-in is saved: a frame after the card is painted
    qtbot.waitUntil(lambda: kiosk.window.card.checked_in.text().startswith("✓"), timeout=2000)
    assert kiosk.window.card.checked_in.text().endswith(person.name.split(" ")[0])
    qtbot.waitUntil(lambda: kiosk.window.card.qr.url == expected.profile_url, timeout=2000)
    assert kiosk.lobby.visitors.visits(datetime.now().astimezone().date(), "Lisbon") == 1


def test_an_unknown_badge_links_once_through_a_touch_search(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                                           x_server: str, finger: QPointingDevice) -> None:
    kiosk = make_kiosk()
    window = kiosk.window
    shown(qtbot, kiosk)
    person = kiosk.store.people()[7]
    scan("7781")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.search, timeout=5000)
    assert "don't know this badge" in window.search.title.text()
    first = person.name.split(" ")[0].lower()
    tap(window.search.keys[first[0]], finger)
    assert not any(t.isVisible() for t in window.search.tiles), "nothing shows before two letters"
    for letter in first[1:]:
        if letter in window.search.keys:
            tap(window.search.keys[letter], finger)
    tile = next(t for t in window.search.tiles if t.isVisible() and t.accessibleName().split(", ")[0] == person.name)
    tap(tile, finger)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.card, timeout=5000)
    assert window.card.name.text() == todays_colleague(kiosk, person).name
    assert kiosk.lobby.visitors.badge_owner("7781") == person.id
    tap(window.card.name, finger)  # a tap anywhere finishes
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.welcome, timeout=3000)
    scan("7781")  # next time the badge is enough
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.card, timeout=5000)
    assert "already checked in today" in window.card.note.text()


def test_a_garbled_burst_asks_to_try_again(qtbot: QtBot, make_kiosk: Callable[..., Kiosk], x_server: str) -> None:
    kiosk = make_kiosk()
    shown(qtbot, kiosk)
    scan("12")
    qtbot.waitUntil(kiosk.window.toast.isVisible, timeout=3000)
    assert "try again" in kiosk.window.toast.text()
    assert kiosk.window.stack.currentWidget() is kiosk.window.welcome


def test_the_quiz_comes_before_the_card_whatever_the_answer(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                                           finger: QPointingDevice) -> None:
    kiosk = make_kiosk(quiz="always")
    window = kiosk.window
    shown(qtbot, kiosk)
    person = kiosk.store.people()[11]
    window.arrive(person, by_badge=False)
    assert window.stack.currentWidget() is window.quiz
    quiz = kiosk.window.arrival.quiz if kiosk.window.arrival else None
    assert quiz is not None and quiz.subject == todays_colleague(kiosk, person)
    wrong = next(i for i, c in enumerate(quiz.choices) if c.id != quiz.subject.id)
    tap(window.quiz.choices[wrong], finger)
    assert window.quiz.choices[wrong].property("role") == "wrong"
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.card, timeout=3000)
    assert window.card.name.text() == quiz.subject.name
    assert kiosk.lobby.visitors.visitor(person).quiz_streak == 0


def test_idle_returns_to_the_welcome_screen(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                            finger: QPointingDevice) -> None:
    kiosk = make_kiosk(idle_seconds=1)
    window = kiosk.window
    shown(qtbot, kiosk)
    tap(window.welcome.find_button, finger)
    assert window.stack.currentWidget() is window.search
    tap(window.search.keys["m"], finger)
    started = time.monotonic()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.welcome, timeout=4000)
    assert time.monotonic() - started >= 0.9
    assert window.search.query == ""


def test_five_corner_taps_and_the_pin_open_the_admin_panel(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                                           finger: QPointingDevice) -> None:
    kiosk = make_kiosk()
    window = kiosk.window
    shown(qtbot, kiosk)
    corner = QPoint(window.width() - 30, 30)
    for _ in range(4):
        QTest.touchEvent(window, finger).press(0, corner, window)
        QTest.touchEvent(window, finger).release(0, corner, window)
        QTest.qWait(120)
    assert window.stack.currentWidget() is window.welcome, "four taps are not enough"
    QTest.touchEvent(window, finger).press(0, corner, window)
    QTest.touchEvent(window, finger).release(0, corner, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.admin, timeout=2000)
    digits = {b.text(): b for b in window.admin.digit_buttons}
    for key in "1111✓":
        tap(digits[key], finger)
    assert window.admin.message.text() == "Wrong PIN."
    assert not window.admin.unlocked
    for key in PIN + "✓":
        tap(digits[key], finger)
    assert window.admin.unlocked
    read = QTextDocumentFragment.fromHtml(window.admin.status.text()).toPlainText()
    assert re.search(r"Colleagues in the directory\s+\d+", read), read
    with qtbot.waitSignal(window.exit_confirmed, timeout=2000):
        tap(window.admin.exit, finger)
    assert not window.isVisible()


def test_lockdown_ignores_close_alt_f4_and_escape(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                                  x_server: str) -> None:
    kiosk = make_kiosk()
    window = kiosk.window
    shown(qtbot, kiosk)
    window.close()
    for keys in ("alt+F4", "Escape", "ctrl+q", "ctrl+w"):
        xdotool("key", keys)
    QTest.qWait(300)
    assert window.isVisible() and window.isFullScreen()
    assert window.stack.currentWidget() is window.welcome


def test_offline_check_ins_are_delivered_exactly_once_when_the_network_returns(
        qtbot: QtBot, make_kiosk: Callable[..., Kiosk], demo: server.DemoNetwork, x_server: str,
        until: Until) -> None:
    kiosk = make_kiosk()
    window = kiosk.window
    shown(qtbot, kiosk)
    person = kiosk.store.people()[21]
    kiosk.lobby.visitors.link_badge("5550123", person)
    kiosk.lobby.visitors.set_sharing(person, Sharing.YES, datetime(2026, 1, 1).date())
    demo.api.faults.add(Fault("/*", "drop", count=1_000_000))
    task = kiosk.start_sync(interval_s=300)
    assert task is not None and kiosk.sync is not None

    until(lambda: window.connection is Connection.OFFLINE, 10)
    scan("5550123")
    until(lambda: window.stack.currentWidget() is window.card, 5)
    # Which colleague is the picker's to say (tests/test_picker.py); here: one the kiosk holds,
    # shown with the network gone, and never the person themself.
    colleagues = {c.name for c in kiosk.store.people() if c.id != person.id}
    assert window.card.name.text() in colleagues, "the card comes from the cache"
    until(lambda: window.pending == 1, 5)
    assert window.status.isVisible() and "Offline" in window.status.text()
    assert "1 check-in waiting to send" in window.status.text()
    demo.api.faults.clear()
    until(lambda: window.pending == 0 and window.connection is Connection.ONLINE, 30)
    assert not window.status.isVisible()
    kiosk.sync.now()  # one more pass: nothing is sent twice
    time.sleep(0.3)
    until(lambda: kiosk.outbox.pending_count() == 0, 5)
    found = requests.get(f"{demo.url}/_demo/statuses", params={"contains": "office=Lisbon&day="}, timeout=5).json()
    found = [s for s in found if f"account={person.id}&" in s["text"]]
    assert len(found) == 1
    kiosk.sync.stop()
    until(task.done, 5)
    kiosk.executor.shutdown(wait=True)


def test_hostile_profile_text_shows_as_text_and_no_photo_gets_initials(qtbot: QtBot,
                                                                      make_kiosk: Callable[..., Kiosk]) -> None:
    kiosk = make_kiosk()
    window = kiosk.window
    shown(qtbot, kiosk)
    hostile = Colleague(id="x1", name="<b>Eve</b> <script>alert(1)</script> Mallory", title="<img src=x onerror=1>",
                        team="\u202eevil", hobbies=("<i>chess</i>",), ask_me_about="A" * 10_000,
                        profile_url="javascript:alert(1)")
    arrival = kiosk.lobby.arrive(kiosk.store.people()[2], by_badge=False)
    arrival.colleague, arrival.quiz = hostile, None
    window.arrival = arrival
    window._show_card()
    qtbot.waitUntil(lambda: window.card_painted_at > 0, timeout=3000)
    assert window.card.name.textFormat() == Qt.TextFormat.PlainText
    assert "<script>" in window.card.name.text(), "shown as the characters it is, never run or rendered"
    assert len(window.card.ask.text()) < 200, "a long field is cut, not laid out in full"
    assert window.card.photo.image is None and window.card.photo.colleague == hostile
    image = window.card.photo.grab().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 4)
    assert centre.saturation() > 40, "no photo: a coloured disc with initials, not a grey blank"


def test_long_hobbies_end_in_an_ellipsis_inside_a_small_landscape_screen(
        qtbot: QtBot, make_kiosk: Callable[..., Kiosk]) -> None:
    kiosk = make_kiosk(windowed=(1280, 800))
    window = kiosk.window
    shown(qtbot, kiosk)
    busy = Colleague(id="x2", name="Selam Girma", title="Payroll Specialist", team="Finance", office="Toronto",
                     started_on=date(2021, 3, 1), hobbies=("sci-fi novels", "ultimate frisbee", "sourdough baking"))
    arrival = kiosk.lobby.arrive(kiosk.store.people()[2], by_badge=False)
    arrival.colleague, arrival.quiz = busy, None
    window.arrival = arrival
    window._show_card()
    qtbot.waitUntil(lambda: window.card_painted_at > 0, timeout=3000)
    last = window.card.chips[2]
    assert last.text().endswith("…") and last.text() != last.toolTip()
    right = last.mapTo(window, last.rect().topRight()).x()
    assert right <= window.width() - 40, "the hobbies chip stays inside the screen, clear of the margin"


def test_an_empty_directory_shows_getting_ready(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                                tmp_path: Path) -> None:
    (tmp_path / "kiosk-data").mkdir()  # a first start: nothing synced yet
    kiosk = make_kiosk()
    window = kiosk.window
    shown(qtbot, kiosk)
    assert not kiosk.lobby.ready
    assert window.welcome.greeting.text() == "Getting ready…"
    assert not window.welcome.find_button.isVisible()


def test_with_the_directory_off_the_admin_panel_says_where_people_come_from(
        make_kiosk: Callable[..., Kiosk], demo: server.DemoNetwork) -> None:
    requests.post(f"{demo.url}/_demo/settings", data={"directory": "off"}, timeout=5).raise_for_status()
    try:
        kiosk = make_kiosk()
        assert kiosk.sync is not None
        result = kiosk.sync.once(directory=True)
        assert result.problems == [], "people come from the company feed's posters instead"
        lines = kiosk.window.fact_lines()
        assert any(line.startswith("People from: people seen posting in the company feed (") for line in lines), lines
        assert any("Enable profile directory" in line for line in lines), lines
        assert kiosk.lobby.people, "the colleagues it had are kept"
    finally:
        requests.post(f"{demo.url}/_demo/settings", data={"directory": "on"}, timeout=5).raise_for_status()


def test_the_admin_panel_sets_what_needs_it_apart_and_shows_the_servers_words_as_words(
        make_kiosk: Callable[..., Kiosk]) -> None:
    """IT reads the panel at a glance: what is wrong stands above, in the alert colour; the rest
    is a table of what and how many; words from the server (a problem's text) are never markup."""
    kiosk = make_kiosk()
    window = kiosk.window
    kiosk.lobby.sharing_refused = "the lobby community refused the post <b>bold</b> &amp; <img src=x>"
    window.open_admin()
    window.admin.pages.setCurrentIndex(1)
    said = f"Check-ins are not shared: {kiosk.lobby.sharing_refused}"
    assert window.admin.alarms.isVisibleTo(window.admin) and window.admin.alarms.text() == said
    read = QTextDocumentFragment.fromHtml(window.admin.status.text()).toPlainText()
    assert "not shared" not in read, "what needs IT is not repeated among the figures"
    assert re.search(r"Office\s+" + re.escape(window.settings.office), read), read
    assert re.search(r"Check-ins waiting to send\s+\d+", read), read
    kiosk.lobby.sharing_refused = ""
    window.go_home()
    window.open_admin()
    assert not window.admin.alarms.isVisibleTo(window.admin), "nothing to set apart: no empty alert box"
    hostile = "Note: <b>bold</b> &amp; <img src=x>"
    window.admin.show_status([hostile], [])
    assert QTextDocumentFragment.fromHtml(window.admin.status.text()).toPlainText().split() == [
        "Note", "<b>bold</b>", "&amp;", "<img", "src=x>"], "the server's words, as words"


def test_a_kiosk_the_network_lists_nobody_for_says_so_and_records_no_stranger(
        qtbot: QtBot, make_kiosk: Callable[..., Kiosk], tmp_path: Path, demo: server.DemoNetwork) -> None:
    """A first start on a network that lists nobody the kiosk may show (every source empty or
    refused): the welcome screen says so instead of "Getting ready…" for ever, and a badge it
    does not know is told it was not recorded (never "you're checked in")."""
    (tmp_path / "kiosk-data").mkdir()
    kiosk = make_kiosk(network='people_from = "directory"\n')
    requests.post(f"{demo.url}/_demo/settings", data={"directory": "off"}, timeout=5).raise_for_status()
    try:
        window = kiosk.window
        shown(qtbot, kiosk)
        assert kiosk.sync is not None
        window.synced(kiosk.sync.once(directory=True))
        assert not kiosk.lobby.ready
        assert window.welcome.greeting.text() == "No colleagues to meet yet"
        assert "lists nobody" in window.welcome.call.text()
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            QTest.qWait(300)
            window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/welcome-nobody-listed.png")
        window._badge(Badge("0042424242", 12.0))
        assert "not recorded" in window.toast.text() and "checked in" not in window.toast.text()
        assert kiosk.lobby.store.count_queued_writes() == 0
    finally:
        requests.post(f"{demo.url}/_demo/settings", data={"directory": "on"}, timeout=5).raise_for_status()


def test_the_card_says_where_to_meet_the_colleague_truthfully(make_kiosk: Callable[..., Kiosk]) -> None:
    from datetime import datetime

    from hallway.model import Place, Presence
    from kiosk.lobby import Where
    kiosk = make_kiosk()
    lobby, card = kiosk.lobby, kiosk.window.card
    people = list(lobby.people.values())
    here = next(p for p in people if p.office == "Lisbon")
    far = next(p for p in people if p.office and p.office != "Lisbon")
    arrived = next(p for p in people if p.office == "Lisbon" and p.id != here.id)
    visiting = next(p for p in people if p.id not in (here.id, far.id, arrived.id))
    today = lobby.today()
    kiosk.store.add_presence(today, Presence(arrived.id, Place("Lisbon"), datetime.now().astimezone()))
    kiosk.store.add_presence(today, Presence(visiting.id, Place("Nairobi"), datetime.now().astimezone()))
    cases = [(arrived, Where.IN_HERE, "In today: find them here in Lisbon"),
             (here, Where.WORKS_HERE, "Works in Lisbon"),
             (far, Where.WORKS_ELSEWHERE, f"Works in {far.office}: say hi on the network"),
             (visiting, Where.IN_ELSEWHERE, "In the Nairobi office today: say hi on the network")]
    for colleague, where, words in cases:
        whereabouts = lobby.whereabouts(colleague)
        assert whereabouts.where is where, colleague.name
        card.show_card(people[0], colleague, None, today, False, "", 20, whereabouts)
        card.add_qr(colleague.profile_url)
        assert card.where.text() == words
        far_away = where in (Where.WORKS_ELSEWHERE, Where.IN_ELSEWHERE)
        assert card.qr_label.text() == ("Say hi from your phone" if far_away else "Open on your phone")


def test_on_a_synapse_as_admins_leave_it_the_admin_panel_says_where_facts_come_from(
        english: QApplication, synapse_as_run: AsRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kiosk on Matrix with no profile fields and the facts in room state: the colleagues come
    with their titles in one request, and the admin panel says so in words."""
    import os

    run = synapse_as_run
    lobby = run.seeded.org.accounts[run.seeded.org.kiosk_account_id].username
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nkind = "matrix"\nserver = "{run.url}"\n[office]\nname = "Lisbon"\n'
                       f'[kiosk]\nadmin_pin_hash = "{PIN_HASH}"\nhide_cursor = false\n')
    monkeypatch.setenv("HALLWAY_MACHINE_CONFIG", str(machine))
    monkeypatch.setenv("HALLWAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HALLWAY_TOKEN", run.seeded.tokens[lobby])
    kiosk = build(settings.load(), (1920, 1080))
    try:
        assert kiosk.connect() and kiosk.sync is not None
        result = kiosk.sync.once(directory=True)
        assert not result.problems, result.problems
        kiosk.lobby.refresh()
        people = list(kiosk.lobby.people.values())
        assert len(people) >= 30 and sum(bool(c.title) for c in people) >= len(people) * 0.8
        kiosk.window.open_admin()
        kiosk.window.admin.gate.try_pin("2468")
        kiosk.window.admin.pages.setCurrentIndex(1)
        lines = kiosk.window.status_lines()
        kiosk.window.admin.show_status(lines)
        assert any(line.startswith("Profile facts from: com.hallway.profile state") for line in lines), lines
        QTest.qWait(300)
        image = kiosk.window.grab()
        assert not image.isNull()
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            image.save(os.environ["HALLWAY_SCREENSHOTS"] + "/matrix-admin.png")
    finally:
        kiosk.close()
        kiosk.window.deleteLater()


def test_a_badge_makes_the_background_directory_read_wait_between_pages(
        qtbot: QtBot, make_kiosk: Callable[..., Kiosk], x_server: str) -> None:
    """The card is the interpreter's first call: while a badge's keys arrive, the kiosk's own
    directory refresh starts no new page (bench/kiosk.py measures what that buys)."""
    import threading
    import time as clock

    kiosk = make_kiosk()
    shown(qtbot, kiosk)
    sync = kiosk.window.sync
    assert sync is not None
    asked: list[float] = []
    real = sync.network.directory

    def pages(found: DirectoryPass) -> Iterator[list[Colleague]]:
        for page in found:
            asked.append(clock.monotonic())
            yield page

    def directory(known: Mapping[str, Colleague] | None = None, since: str = "") -> DirectoryPass:
        return DirectoryPass.reading(lambda _found: pages(real(known, since)), since)
    sync.network.directory = directory  # type: ignore[method-assign]
    person = kiosk.store.people()[5]
    kiosk.lobby.visitors.link_badge("0004529999", person)
    scan("0004529999")
    typed = clock.monotonic()  # the keys are handled after this, when the event loop runs
    qtbot.waitUntil(lambda: kiosk.window.stack.currentWidget() is kiosk.window.card, timeout=5000)
    reader = threading.Thread(target=sync.read_directory)
    reader.start()
    qtbot.waitUntil(lambda: not reader.is_alive(), timeout=30000)
    assert asked and asked[0] - typed >= 1.0, "no page was read while the badge's check-in was on its way"


def test_the_empty_search_reads_as_a_hint_not_as_typed_text(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                                              x_server: str) -> None:
    from PySide6.QtGui import QPalette

    kiosk = make_kiosk()
    shown(qtbot, kiosk)
    window = kiosk.window
    window.open_search(linking=False)
    field = window.search.field
    hint = field.palette().color(QPalette.ColorRole.WindowText)
    assert field.text().startswith("▏"), "the caret comes before the hint: nothing is typed yet"
    window.search.type_text("Ma")
    typed = field.palette().color(QPalette.ColorRole.WindowText)
    assert field.text() == "Ma▏"
    assert hint.lightness() - typed.lightness() > 40 or typed.lightness() - hint.lightness() > 40, \
        (hint.name(), typed.name())
    assert window.last_theme is not None and hint.name() == window.last_theme.muted.name()


def test_search_results_are_columns_of_one_width_cut_at_whole_words(qtbot: QtBot, make_kiosk: Callable[..., Kiosk],
                                                                    x_server: str) -> None:
    """#28: at 1280×800 the results cut words ("Customer Success · Singapo") in columns of unequal
    width. Now each column has its share, a line ends at a whole word, a long name takes a second
    line rather than lose its surname, and the accessible name says everything."""
    from dataclasses import replace

    kiosk = make_kiosk(windowed=(1280, 800))
    shown(qtbot, kiosk)
    store = kiosk.store
    base = next(c for c in store.people() if c.name)
    long_ones = [replace(base, id=f"zz{i}", name=f"Zebulon {word} Featherstonehaugh-Montgomery", handle=f"zz{i}",
                         team="Customer Success and Partner Enablement", office="Singapore Marina Bay Financial Centre")
                 for i, word in enumerate(("Alexander", "Bartholomew", "Christopher", "Dmitri", "Evangeline", "Fi"))]
    store.save_people(long_ones)
    window = kiosk.window
    window.open_search(linking=False)
    window.search.type_text("Zeb")
    qtbot.waitUntil(lambda: sum(t.isVisible() for t in window.search.tiles) >= 3, timeout=5000)
    tiles = [t for t in window.search.tiles if t.isVisible()]
    widths = {t.width() for t in tiles}
    assert max(widths) - min(widths) <= 2, widths
    for tile in tiles:
        *name_lines, detail = (line.strip() for line in tile.text().split("\n"))
        assert 1 <= len(name_lines) <= 2, "a long name takes a second line at most"
        name = " ".join(name_lines)
        person = next(p for p in long_ones if p.name.startswith(name.rstrip("…")))
        for shown_text, full in ((name, person.name), (detail, f"{person.team} · {person.office}")):
            kept = shown_text.rstrip("…")
            assert full.startswith(kept), (shown_text, full)
            assert len(kept) == len(full) or full[len(kept)] in " ·", f"cut mid-word: {shown_text!r}"
        assert person.team in tile.accessibleName() and person.office in tile.accessibleName()


def test_on_a_1024x768_screen_the_card_keeps_its_chips_whole_beside_the_sharing_question(
        qtbot: QtBot, make_kiosk: Callable[..., Kiosk]) -> None:
    """The shortest kiosk screen with every line the card can have (pronouns, a long role, three
    facts, where to meet, the sharing question): the gaps between the facts give way, and no chip
    is squashed below its own height (its words cut at the bottom, #28)."""
    kiosk = make_kiosk(windowed=(1024, 768))
    window = kiosk.window
    shown(qtbot, kiosk)
    full = Colleague(id="x3", name="Akosua Wiredu-Mensah", title="Senior Mobile Engineer", team="Mobile",
                     office="Singapore", pronouns="she/her", started_on=date.today() - timedelta(days=20),
                     hobbies=("table tennis", "film photography"), ask_me_about="the office plants")
    arrival = kiosk.lobby.arrive(kiosk.store.people()[2], by_badge=False)
    arrival.colleague, arrival.quiz, arrival.ask_sharing = full, None, True
    window.arrival = arrival
    window._show_card()
    qtbot.waitUntil(lambda: window.card_painted_at > 0, timeout=3000)
    QTest.qWait(100)
    card = window.card
    assert card.question.isVisible(), "the sharing question is on the card"
    layout = card.layout()
    assert layout is not None and layout.minimumSize().height() <= 768, "the card fits the screen's height"
    for chip in (c for c in card.chips if c.isVisible()):
        assert chip.height() >= chip.sizeHint().height(), f"{chip.text()!r} squashed to {chip.height()} px"
    for label in (card.name, card.role, card.ask, card.where):
        assert label.height() >= label.fontMetrics().height(), f"{label.text()!r} cut"
    bottom = card.where.mapTo(window, card.where.rect().bottomLeft()).y()
    assert bottom <= card.question.mapTo(window, card.question.rect().topLeft()).y(), "no line under the question"
