"""Hallway on a server that speaks Mastodon's client API but is not Mastodon: the demo network
behaving as such servers document themselves (hallway/demo/behaviour.py: no directory, keys
ignored, exact redirect URIs, 400 for a bad token, no streaming, no markers, no revoking), and
mastodon-mock with its directory switched off. What a new user tries first: the kiosk, signing
in, exactly once, a revoked sign-in, the report."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from conftest import Until
from mock_mastodon import MISSING as MOCK_MISSING
from mock_mastodon import mock_command
from mock_mastodon import start as start_mock
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from tray_apps import synced

from desktop.tray_app import TrayApp
from hallway import config as settings
from hallway import signin
from hallway.demo import server
from hallway.demo.behaviour import COMPATIBLE
from hallway.demo.organisation import follow_the_lobby, generate
from hallway.http import HttpClient, Unauthorized
from hallway.model import CheckIn, Colleague, Place
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.signin import mastodon as mastodon_signin
from hallway.store import Store
from hallway.sync import Connection
from kiosk.app import build
from kiosk.visitors import Sharing

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


@pytest.fixture
def compatible() -> Iterator[server.DemoNetwork]:
    network = server.create(generate(seed=29, people=40, string_ids=True), rate_limit=1_000_000,
                            behaviour=COMPATIBLE, auto_approve=True).start_in_background()
    yield network
    network.stop()


def browser(url: str) -> None:
    """The person approves on the server's page, which sends the browser to the redirect."""
    assert requests.get(url, timeout=10, allow_redirects=True).ok


def lobby_statuses(network: server.DemoNetwork, text: str) -> list[str]:
    found = requests.get(f"{network.url}/_demo/statuses", params={"contains": text}, timeout=5).json()
    return [s["text"] for s in found]


def test_the_kiosk_without_a_directory_knows_the_lobbys_followers_and_checks_them_in(
        english: QApplication, qtbot: QtBot, compatible: server.DemoNetwork, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nserver = "{compatible.url}"\n[office]\nname = "Lisbon"\n'
                       '[kiosk]\nhide_cursor = false\nquiz = "off"\n')
    monkeypatch.setenv("HALLWAY_MACHINE_CONFIG", str(machine))
    monkeypatch.setenv("HALLWAY_DATA_DIR", str(tmp_path / "kiosk-data"))
    monkeypatch.setenv("HALLWAY_TOKEN", compatible.token_for("lobby"))
    kiosk = build(settings.load(), (1280, 800))
    try:
        assert kiosk.connect() and kiosk.sync is not None
        kiosk.window.synced(kiosk.sync.once(directory=True))
        kiosk.lobby.refresh()
        followers = {a.id for a in compatible.org.accounts.values()
                     if compatible.org.kiosk_account_id in compatible.org.following(a.id)}
        assert kiosk.lobby.ready and followers <= set(kiosk.lobby.people), "the lobby's followers are its people"
        assert any(line.startswith("People from: the lobby account's followers (")
                   for line in kiosk.window.fact_lines()), kiosk.window.fact_lines()
        kiosk.window.refresh()
        assert "Follow @lobby on the company network" in kiosk.window.welcome.join.text(), "joining is a choice, said"
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            kiosk.window.show()
            qtbot.waitUntil(kiosk.window.isVisible, timeout=5000)
            QTest.qWait(300)
            kiosk.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/welcome-join-by-following.png")
        person = next(p for p in kiosk.lobby.people.values() if p.office == "Lisbon")
        kiosk.lobby.visitors.set_sharing(person, Sharing.YES, datetime(2026, 1, 1).date())
        kiosk.window.show()
        qtbot.waitUntil(kiosk.window.isVisible, timeout=5000)
        kiosk.window.arrive(person, by_badge=False)
        qtbot.waitUntil(lambda: kiosk.window.card_painted_at > 0, timeout=5000)
        arrival = kiosk.window.arrival
        assert arrival is not None and arrival.colleague is not None and arrival.colleague.id != person.id
        assert kiosk.window.card.name.text() == arrival.colleague.name[:80], "the colleague of the day is on the card"
        kiosk.sync.once()
        [posted] = lobby_statuses(compatible, f"account={person.id}&")
        assert person.profile_url and person.profile_url in posted, "it links the account's own page"
        assert all("@" not in p.handle for p in kiosk.lobby.people.values()), "colleagues here by name alone"
    finally:
        kiosk.close()
        kiosk.window.deleteLater()
        QTest.qWait(50)


def test_a_lost_answer_leaves_one_check_in_and_one_post_where_keys_are_ignored(
        compatible: server.DemoNetwork, tmp_path: Path) -> None:
    """The server ignores Idempotency-Key: a write whose answer was lost is looked for before it
    is sent again, as on Matrix, and found (one request back to its own moment)."""
    store = Store(tmp_path / "kiosk.sqlite3", tmp_path / "photos")
    try:
        outbox = Outbox(store)
        kiosk = MastodonNetwork(compatible.url, compatible.token_for("lobby"), HttpClient(sleep=lambda _s: None))
        kiosk.me()
        assert kiosk.keys_kept_s == 0
        first = Colleague(id="warmup", name="Warm Up", handle="warmup")
        outbox.add_check_in(CheckIn("warmup", Place("Lisbon"), datetime.now(UTC), shared=True), first)
        assert outbox.deliver(kiosk).delivered == 1  # the office's day post is there
        person = Colleague(id="lostanswer", name="Lost Answer", handle="lostanswer")
        outbox.add_check_in(CheckIn("lostanswer", Place("Lisbon"), datetime.now(UTC), shared=True), person)
        requests.post(f"{compatible.url}/_demo/faults", json={"path": "/api/v1/statuses", "kind": "truncated",
                                                              "count": 1}, timeout=5).raise_for_status()
        assert outbox.deliver(kiosk).pending == 1, "the answer was lost: still queued"
        assert len(lobby_statuses(compatible, "account=lostanswer&")) == 1, "yet it landed"
        before = kiosk.client.traffic.requests
        assert outbox.deliver(kiosk).pending == 0  # the next try looks first, and finds it
        assert kiosk.client.traffic.requests - before == 1, "the look is one request, not a walk"
        assert len(lobby_statuses(compatible, "account=lostanswer&")) == 1, "on the network once"

        laptop = MastodonNetwork(compatible.url, compatible.token_for("demo"), HttpClient(sleep=lambda _s: None))
        laptop.me()
        outbox.add_post("Lunch on the roof at one, anyone? (lost answer)", None)
        requests.post(f"{compatible.url}/_demo/faults", json={"path": "/api/v1/statuses", "kind": "truncated",
                                                              "count": 1}, timeout=5).raise_for_status()
        assert outbox.deliver(laptop).pending == 1
        assert outbox.deliver(laptop).pending == 0
        assert len(lobby_statuses(compatible, "Lunch on the roof at one")) == 1, "one post in everyone's feed"
    finally:
        store.close()


def test_signing_in_on_a_server_that_compares_redirects_exactly(
        compatible: server.DemoNetwork, isolated_home: Path) -> None:
    """The redirect asked for is one registered, port and all; after sign-out, or once the server
    forgot the app, sign-in registers again instead of looping for ever."""
    token = signin.sign_in(compatible.url, open_browser=browser, timeout_s=20)
    assert MastodonNetwork(compatible.url, token).me().handle == "demo"
    assert signin.sign_out(compatible.url) is signin.Revoked.REFUSED, "this server keeps tokens until they expire"
    assert mastodon_signin.stored_app(compatible.url) is None, "the registration goes with the sign-out"
    again = signin.sign_in(compatible.url, open_browser=browser, timeout_s=20)
    compatible.api.oauth.apps.clear()  # the server forgot every app (a reset, an admin's clean-up)
    third = signin.sign_in(compatible.url, open_browser=browser, timeout_s=20)
    assert again != third and MastodonNetwork(compatible.url, third).me().handle == "demo"


def test_with_every_registered_port_taken_the_redirect_is_registered_for_this_attempt(
        compatible: server.DemoNetwork, isolated_home: Path) -> None:
    import socket
    taken = []
    try:
        for port in mastodon_signin.PORTS:
            holder = socket.socket()
            holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past an earlier sign-in's TIME_WAIT
            try:
                holder.bind(("127.0.0.1", port))
            except OSError:  # another program on this shared machine holds it already: taken all the same
                holder.close()
                continue
            holder.listen()
            taken.append(holder)
        token = signin.sign_in(compatible.url, open_browser=browser, timeout_s=20)
        assert MastodonNetwork(compatible.url, token).me().handle == "demo"
    finally:
        for holder in taken:
            holder.close()


def test_a_server_that_takes_no_loopback_redirect_gets_the_pasted_code(isolated_home: Path) -> None:
    behaviour = dataclasses.replace(COMPATIBLE, loopback_redirects=False)
    with server.create(generate(seed=29, people=20), behaviour=behaviour, auto_approve=True) as network:
        network.start_in_background()
        pages: list[str] = []

        def open_page(url: str) -> None:
            pages.append(requests.get(url, timeout=10).text)

        def paste(_server: str) -> str:
            return pages[-1].split("<code>")[1].split("</code>")[0]

        with pytest.raises(signin.SignInError, match="code to paste"):
            signin.sign_in(network.url, open_browser=open_page, timeout_s=5)
        token = signin.sign_in(network.url, open_browser=open_page, timeout_s=5, ask_code=paste)
        assert MastodonNetwork(network.url, token).me().handle == "demo"


def hallway(args: list[str], network: server.DemoNetwork, home: Path, token: str = "",
            stdin: str = "") -> subprocess.CompletedProcess[str]:
    machine = home / "machine.toml"
    machine.write_text(f'[network]\nserver = "{network.url}"\n')
    env = {k: v for k, v in os.environ.items() if k != "HALLWAY_TOKEN"} | {
        "HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_DATA_DIR": str(home / "data"),
        **({"HALLWAY_TOKEN": token} if token else {})}
    return subprocess.run([BIN / "hallway", *args], capture_output=True, text=True, timeout=120, env=env,
                          input=stdin)


def test_the_tray_shows_signed_out_when_the_server_answers_400(
        compatible: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    signin.save_token(compatible.url, "no-longer-valid")
    app = make_app(compatible, signed_in=False)
    until(lambda: app.connection is Connection.SIGNED_OUT and app.tray.state.signed_out, 15)
    assert app.window.signed_out.isVisibleTo(app.window)


def test_a_revoked_token_is_signed_out_everywhere(compatible: server.DemoNetwork, isolated_home: Path,
                                                 tmp_path: Path) -> None:
    """The server answers a token it no longer knows with 400 "Invalid Bearer token": the apps
    say "signed out", doctor says to sign in again, and set-token keeps a working token."""
    with pytest.raises(Unauthorized):
        MastodonNetwork(compatible.url, "no-longer-valid", HttpClient(sleep=lambda _s: None)).me()
    doctor = hallway(["doctor"], compatible, isolated_home, token="no-longer-valid")
    assert "no longer accepts it" in doctor.stdout and doctor.returncode == 1, doctor.stdout
    good = compatible.token_for("demo")
    assert hallway(["set-token"], compatible, isolated_home, stdin=good + "\n").returncode == 0
    refused = hallway(["set-token"], compatible, isolated_home, stdin="no-longer-valid\n")
    assert refused.returncode == 1 and "does not accept this token" in refused.stderr
    doctor = hallway(["doctor"], compatible, isolated_home)
    assert "signed in as @demo" in doctor.stdout, "the working one is kept"
    assert "Lanternfish 3.2.1 has no profile directory" in doctor.stdout, doctor.stdout
    assert "Administration >" not in doctor.stdout, "no Mastodon menus for a server that is not Mastodon"
    assert "has no live stream for apps" in doctor.stdout
    stored_by_it = hallway(["sign-out"], compatible, isolated_home)
    assert stored_by_it.returncode == 0 and "cannot end it at the network" in stored_by_it.stdout
    signin.sign_in(compatible.url, open_browser=browser, timeout_s=20)  # a sign-in Hallway made itself
    registered = len(compatible.api.oauth.apps)
    out = hallway(["sign-out"], compatible, isolated_home)
    assert out.returncode == 1 and "refused to end the sign-in" in out.stdout, out.stdout
    assert len(compatible.api.oauth.apps) == registered, "no app registered just to try"
    assert signin.load_token(compatible.url) is None


def test_the_report_writes_what_it_could_read(compatible: server.DemoNetwork, isolated_home: Path,
                                              tmp_path: Path) -> None:
    requests.post(f"{compatible.url}/_demo/faults", json={"path": "/api/v1/timelines/public", "kind": "503",
                                                          "count": 1000}, timeout=5).raise_for_status()
    made = hallway(["report", "--kiosk", "--days", "7", "--out", str(tmp_path / "out")], compatible, isolated_home,
                   token=compatible.token_for("lobby"))
    assert made.returncode == 0, made.stderr
    written = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert written == [".csv", ".html"]
    page = next((tmp_path / "out").glob("*.html")).read_text()
    assert "Part of the network could not be read" in page and "the company feed" in page
    assert "could not read the company feed" in made.stderr


def test_mastodon_mock_with_the_directory_off_lists_the_lobbys_followers(
        isolated_home: Path, tmp_path: Path) -> None:
    """`hallway sync --once --kiosk` on mastodon-mock (a Mastodon API written elsewhere) whose
    directory answers 404: the people who follow the lobby account, with no setting changed."""
    if mock_command() is None:
        pytest.skip(MOCK_MISSING)
    org = generate(seed=41, people=24)
    follow_the_lobby(org)
    mock = start_mock(org, tmp_path / "mock")
    try:
        requests.post(f"{mock.url}/api/v1/_mock/faults", timeout=5, json={
            "match": {"path": "/api/v1/directory"},
            "effect": {"type": "status", "status": 404, "body": {"error": "Record not found"}}}).raise_for_status()
        machine = tmp_path / "machine.toml"
        machine.write_text(f'[network]\nserver = "{mock.url}"\n')
        env = {k: v for k, v in os.environ.items() if k != "HALLWAY_TOKEN"} | {
            "HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_DATA_DIR": str(tmp_path / "data"),
            "HALLWAY_TOKEN": mock.token_for("lobby")}
        done = subprocess.run([BIN / "hallway", "sync", "--once", "--kiosk"], capture_output=True, text=True,
                              timeout=120, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        followers = [a for a in org.accounts.values() if org.kiosk_account_id in org.following(a.id)]
        assert f"the lobby account's followers ({len(followers)})" in done.stdout, done.stdout
        store = Store(tmp_path / "data" / "hallway.sqlite3", tmp_path / "data" / "photos")
        try:
            assert {c.handle for c in store.people()} >= {a.username for a in followers}
        finally:
            store.close()
    finally:
        mock.stop()



def test_the_tray_asks_for_the_pasted_code_where_the_server_shows_one(
        make_app: Callable[..., TrayApp], until: Until) -> None:
    """A server that takes no loopback redirect: the tray opens its page, which shows a code, and
    asks for it in a small form of its own; pasted, the person is signed in."""
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.views.sign_in_forms import CodeForm
    behaviour = dataclasses.replace(COMPATIBLE, loopback_redirects=False)
    with server.create(generate(seed=29, people=20), behaviour=behaviour, auto_approve=True) as network:
        network.start_in_background()
        pages: list[str] = []
        app = make_app(network, signed_in=False, browser=lambda url: pages.append(requests.get(url, timeout=10).text))
        forms: list[CodeForm] = []
        app.asker.form_shown.connect(forms.append)
        app.tray.actions["sign_in"].trigger()
        until(lambda: bool(forms) and forms[0].isVisible(), 15)
        form = forms[0]
        ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled(), "Sign in waits for the code"
        form.code.setText(pages[-1].split("<code>")[1].split("</code>")[0])
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            form.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/code-form.png")
        ok.click()
        until(lambda: not app.tray.state.signed_out, 15)
        assert signin.load_token(network.url)


def test_in_today_counts_someone_the_laptop_does_not_know(
        compatible: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    """No directory: a person checked in whom this laptop could not read (neither following the
    lobby nor seen posting) is still in: counted and shown, not "nobody is in"."""
    kiosk = MastodonNetwork(compatible.url, compatible.token_for("lobby"), is_lobby=True)
    stranger = Colleague(id="01STRANGERNOTLISTED0000000", name="Quiet Person", handle="quiet")
    kiosk.check_in(CheckIn(stranger.id, Place("Lisbon"), datetime.now().astimezone(), shared=True), stranger, "q")
    app = make_app(compatible)
    synced(app, until)
    app.tray.actions["in_office"].trigger()
    until(lambda: len(app.window.in_office.items) == 2, 10)
    heading, row = app.window.in_office.items
    assert (heading.office, heading.count) == ("Lisbon", 1)
    assert row.colleague is not None and row.colleague.name == "A colleague not in this computer's list yet"
    assert app.window.tabs.tabText(3) == "In today (1)"
