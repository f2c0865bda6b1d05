"""Viva Engage beyond the contract suite (#31): signing in through Microsoft's own page with MSAL
(the browser and the kiosk's device code), one refresh token serving Graph and Yammer, tokens
that expire mid-session, the tenant's own choices (which Yammer scope name, which consent), and
Yammer's documented limit kept by Hallway itself. All against the emulator (hallway/demo/viva)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import viva_tenant

from hallway import config as settings
from hallway import signin
from hallway.connect import open_network
from hallway.demo.viva.server import VivaTenant
from hallway.demo.viva.tenant import Quirks, create
from hallway.http import HttpClient
from hallway.model import COMPANY_FEED, FeedKind, FeedRef
from hallway.networks import NoteKind
from hallway.networks.viva_engage import VivaEngageNetwork
from hallway.outbox import Outbox
from hallway.signin import viva_engage as viva_signin
from hallway.store import Store
from hallway.sync import Sync


def machine(tmp_path: Path, tenant: VivaTenant) -> settings.Config:
    file = tmp_path / "machine.toml"
    file.write_text(tenant.machine_config())
    config = settings.load(file, tmp_path / "user.toml")
    assert not config.problems, config.problems
    return config


def browser(ca: Path) -> Callable[[str], None]:
    def open_page(url: str) -> None:
        """The person signs in on Microsoft's page, which sends the browser back to Hallway."""
        assert requests.get(url, timeout=10, verify=str(ca)).ok
    return open_page


def test_a_laptop_signs_in_on_microsofts_page_and_one_sign_in_serves_graph_and_yammer(tmp_path: Path) -> None:
    with viva_tenant.running() as tenant:
        config = machine(tmp_path, tenant)
        token = signin.sign_in(tenant.url, kind="viva-engage", open_browser=browser(tenant.ca.ca_file), config=config)
        stored = signin.load_credentials(tenant.url)
        assert stored is not None and stored.access_token == token
        assert stored.refresh_token and stored.expires_at and stored.token_url.endswith("/oauth2/v2.0/token")
        assert "User.Read.All" in stored.granted, "what IT granted, for doctor"
        network = open_network(config)
        assert network.me().handle == "demo"
        assert network.feed(COMPANY_FEED, limit=5).posts, "Yammer's token, made from the same sign-in"
        grants = [g for g in tenant.authority.issued if g[0] != "minted"]
        assert grants == [("authorization_code", "https://graph.microsoft.com"),
                          ("refresh_token", "https://api.yammer.com")]
        assert signin.sign_out(tenant.url, kind="viva-engage") is signin.Revoked.UNTIL_EXPIRY
        assert signin.load_credentials(tenant.url) is None


def test_the_kiosk_signs_in_with_a_code_typed_on_a_phone(tmp_path: Path) -> None:
    with viva_tenant.running(device_interval_s=1) as tenant:
        config = machine(tmp_path, tenant)
        shown: list[tuple[str, str]] = []

        def show(address: str, code: str) -> None:
            shown.append((address, code))
            typed = threading.Timer(0.5, lambda: requests.post(f"{address}", data={"code": code, "username": "lobby"},
                                                               timeout=10, verify=str(tenant.ca.ca_file)))
            typed.start()

        made = viva_signin.device_sign_in(config, show, timeout_s=30)
        assert shown and shown[0][0].endswith("/devicelogin") and len(shown[0][1]) >= 8
        kiosk = viva_tenant.network(tenant, "lobby", signed_in=made)
        assert kiosk.me().handle == "lobby" and made.refresh_token


def test_tokens_that_expire_mid_session_are_refreshed_for_both_and_nothing_queued_is_lost(tmp_path: Path) -> None:
    with viva_tenant.running() as tenant:
        network = viva_tenant.network(tenant, "demo")
        network.me()
        network.feed(COMPANY_FEED, limit=5)
        store = Store(tmp_path / "s.db", tmp_path / "photos")
        outbox = Outbox(store)
        outbox.add_post("Standup moved to 9:30 tomorrow")
        tenant.authority.expire_all()  # the hour is up for the Graph token and the Yammer one
        delivery = outbox.deliver(network)
        assert (delivery.delivered, delivery.pending, delivery.stopped_by) == (1, 0, None)
        mine = [m for m in tenant.tenant.messages.values() if m.body == "Standup moved to 9:30 tomorrow"]
        assert len(mine) == 1
        assert next(iter(network.directory())), "Graph's token refreshed too"
        refreshed = [g[1] for g in tenant.authority.issued if g[0] == "refresh_token"]
        assert refreshed.count("https://api.yammer.com") == 2 and refreshed.count("https://graph.microsoft.com") == 1
        store.close()


def test_yammers_scope_is_asked_under_the_name_the_tenant_accepts() -> None:
    with viva_tenant.running(yammer_scopes=(".default",)) as tenant:
        network = viva_tenant.network(tenant, "demo")
        assert network.feed(COMPANY_FEED, limit=3).posts
        assert network.yammer_scope == "https://api.yammer.com/.default"
        assert any("scope https://api.yammer.com/.default" in line.words for line in network.set_up(False))


def test_without_admin_consent_the_directory_has_names_and_doctor_names_the_permission() -> None:
    with viva_tenant.running(create(quirks=replace(viva_tenant.RELAXED, user_read_all=False,
                                                   presence_read_all=False))) as tenant:
        signed_in = viva_tenant.credentials(tenant, "demo")
        network = viva_tenant.network(tenant, "demo", signed_in=signed_in)
        people = [c for page in network.directory() for c in page]
        assert len(people) > 30 and all(c.name for c in people) and not any(c.title for c in people)
        lines = [line.words for line in network.set_up(False)]
        assert any("User.Read.All" in w for w in lines) and any("Presence.Read.All" in w for w in lines)
        assert network.in_office(datetime.now(UTC).date()) == [] and NoteKind.WHO_IS_IN in network.notes


def test_guests_leavers_and_the_lobby_are_not_colleagues() -> None:
    with viva_tenant.running() as tenant:
        people = {c.handle for page in viva_tenant.network(tenant, "demo").directory() for c in page}
        assert "river.partner" not in people and "former.colleague" not in people and "lobby" not in people


def test_hallway_keeps_under_yammers_documented_limit_by_itself(tmp_path: Path) -> None:
    """10 requests per person per app per 30 s, strictly: a laptop's first pass and a few more
    reads are paced by Hallway, and the tenant never has to refuse one."""
    with viva_tenant.running(create(quirks=Quirks())) as tenant:  # the documented limit
        network = viva_tenant.network(tenant, "demo", HttpClient(), pace=(10, 30.0))
        store = Store(tmp_path / "s.db", tmp_path / "photos")
        Sync(store, network, Outbox(store), feed=COMPANY_FEED, photos_per_pass=0).once()
        for _ in range(4):
            network.feed(COMPANY_FEED, limit=5)
        assert tenant.api.limits.refused["yammer"] == 0
        assert tenant.api.calls["yammer"] > 10 and network.pace.waited_s > 0, "it waited rather than be told"
        store.close()


def test_a_wrong_audience_is_refused_as_yammer_documents() -> None:
    with viva_tenant.running() as tenant:
        graph_token = tenant.authority.mint(tenant.person("demo"), "https://graph.microsoft.com")
        answer = requests.get(f"{tenant.url}/api/v1/users/current.json", timeout=10, verify=str(tenant.ca.ca_file),
                              headers={"Authorization": f"Bearer {graph_token}"})
        assert answer.status_code == 401
        assert answer.json() == {"response": {"message": "Token not found.", "code": 16, "stat": "fail"}}


@pytest.mark.parametrize("username", ["demo"])
def test_a_reply_names_the_person_answered_in_yammers_markup(username: str) -> None:
    with viva_tenant.running() as tenant:
        writer = viva_tenant.network(tenant, "lobby")
        post = viva_tenant.network(tenant, username).publish("Who has the projector remote?", "k1")
        writer.publish("Top drawer, left", "k2", reply_to=post)
        [reply] = [m for m in tenant.tenant.messages.values() if m.body.endswith("Top drawer, left")]
        assert reply.body.startswith(f"[[user:{tenant.person(username).yammer_id}]]")
        assert tenant.person(username).yammer_id in reply.notified_user_ids


def test_the_network_object_is_what_the_registry_builds(tmp_path: Path) -> None:
    with viva_tenant.running() as tenant:
        config = machine(tmp_path, tenant)
        signin.save_token(tenant.url, viva_tenant.credentials(tenant, "demo"))
        assert isinstance(open_network(config), VivaEngageNetwork)


def test_it_signs_the_kiosk_in_with_set_token_and_a_code(tmp_path: Path) -> None:
    """`hallway set-token --kiosk --device`: the address and the code printed, typed on a phone,
    the kiosk's sign-in kept in the keyring, renewing itself."""
    import os
    import subprocess
    import sys

    with viva_tenant.running(device_interval_s=1) as tenant:
        machine(tmp_path, tenant)
        env = os.environ | {"HALLWAY_MACHINE_CONFIG": str(tmp_path / "machine.toml"),
                            "HALLWAY_USER_CONFIG": str(tmp_path / "user.toml")}
        process = subprocess.Popen([Path(sys.executable).parent / "hallway", "set-token", "--kiosk", "--device"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert process.stdout is not None
        said = process.stdout.readline()
        address, code = said.split("open ")[1].split(" and enter the code ")
        code = code.split(",")[0]
        requests.post(address, data={"code": code, "username": "lobby"}, timeout=10, verify=str(tenant.ca.ca_file))
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "It renews itself." in out
        kept = signin.load_credentials(tenant.url, kiosk=True)
        assert kept is not None and kept.refresh_token
        assert viva_tenant.network(tenant, "lobby", signed_in=kept).me().handle == "lobby"


def test_doctor_checks_both_tokens_and_lists_what_was_never_verified_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from doctor_run import doctor

    from hallway.networks.viva_engage import UNVERIFIED

    with viva_tenant.running() as tenant:
        machine(tmp_path, tenant)
        said, code = doctor(tmp_path, tenant.url, tenant.signed_in("demo"), tenant.signed_in("lobby"), monkeypatch,
                            capsys)
    assert code == 0
    assert "your sign-in: signed in as @demo (renews itself" in said
    assert "kiosk service token: signed in as @lobby (renews itself" in said
    assert said.count("Yammer token: accepted (scope https://api.yammer.com/user_impersonation)") == 2
    for guess in UNVERIFIED:
        assert said.count(f"never verified against a real tenant: {guess}") == 1, guess
    assert "live stream: This network has no live stream for apps." in said
    assert said.rstrip().endswith("All good.")


def test_a_directory_pass_after_the_first_asks_only_who_changed(tmp_path: Path) -> None:
    """Graph's delta link, kept by sync with the people: a morning with nothing changed costs one
    request; a new title arrives, and a leaver (disabled) is gone."""
    with viva_tenant.running() as tenant:
        network = viva_tenant.network(tenant, "demo")
        store = Store(tmp_path / "s.db", tmp_path / "photos")
        sync = Sync(store, network, Outbox(store), feed=COMPANY_FEED, photos_per_pass=0)
        sync.read_directory()
        everyone = store.count_people()
        assert everyone > 30
        before = tenant.api.calls["graph"]
        sync.read_directory()
        assert tenant.api.calls["graph"] - before <= 2 and store.count_people() == everyone, "nothing changed"
        changed, leaver = [p for p in tenant.tenant.people.values() if p.show_in_address_list
                           and p.username not in ("demo", "lobby") and p.user_type == "Member"][:2]
        changed.job_title = "Head of Coffee"
        tenant.tenant.touch(changed)
        leaver.account_enabled = False
        tenant.tenant.touch(leaver)
        sync.read_directory()
        now = store.colleague(changed.graph_id)
        assert now is not None and now.title == "Head of Coffee" and now.hobbies, "the facts were kept or read again"
        assert store.colleague(leaver.graph_id) is None and store.count_people() == everyone - 1
        store.close()


def test_the_demo_serves_the_emulator_and_stops_on_sigterm() -> None:
    """`hallway demo --network viva-engage --no-apps`: Microsoft's sign-in, Graph and Yammer on one
    loopback address, with the CA its apps trust."""
    import os
    import signal
    import subprocess
    import sys

    process = subprocess.Popen([Path(sys.executable).parent / "hallway", "demo", "--network", "viva-engage",
                                "--no-apps", "--people", "40"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=os.environ | {"PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "on Viva Engage (the emulator): 40 people at https://127.0.0.1:" in banner, banner
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
    assert process.returncode == 0


def test_a_tenant_throttled_for_minutes_is_waited_for_never_signed_out() -> None:
    from hallway.http import RateLimited

    quirks = replace(viva_tenant.RELAXED, graph_limit=0, graph_retry_after_s=180)
    with viva_tenant.running(create(quirks=quirks)) as tenant:
        network = viva_tenant.network(tenant, "demo")
        with pytest.raises(RateLimited) as told:
            next(iter(network.directory()))
        assert told.value.retry_after_s == 180, "the wait Graph asked for goes to sync's scheduler"


def test_a_community_the_person_cannot_read_is_said_in_words() -> None:
    from hallway.http import Refused

    with viva_tenant.running() as tenant:
        hidden = tenant.tenant._group("Leadership", "Private")
        hidden.privacy = "private"
        network = viva_tenant.network(tenant, "demo")
        with pytest.raises(Refused, match="no community called 'Leadership' that Hallway can read"):
            network.feed(FeedRef(FeedKind.GROUP, "Leadership"))


def test_the_communities_the_person_belongs_to_are_offered_as_feeds_and_each_reads() -> None:
    """Beside All Company (the company's feed already): the person's team community and a
    private one they are in; never one they are not in."""
    with viva_tenant.running() as tenant:
        me = tenant.tenant.demo
        private = tenant.tenant._group("Hiring panel", "Private")
        private.privacy = "private"
        private.members.add(me.yammer_id)
        tenant.tenant._group("Leadership", "Private").privacy = "private"
        network = viva_tenant.network(tenant, "demo")
        offered = network.feeds()
        assert all(f.kind is FeedKind.GROUP for f in offered)
        assert [f.id for f in offered] == sorted([str(me.department), "Hiring panel"], key=str.casefold)
        network.feed(FeedRef(FeedKind.GROUP, "Hiring panel"))  # readable as offered


def test_markup_and_mentions_of_strangers_in_messages_stay_words() -> None:
    with viva_tenant.running() as tenant:
        writer = tenant.person("lobby")
        tenant.tenant.add(writer, '<img src=x onerror=alert(1)> [[user:42]] <a href="javascript:x()">hi</a>',
                          tenant.tenant.all_company.id)
        post = viva_tenant.network(tenant, "demo").feed(COMPANY_FEED, limit=1).posts[0]
        assert "<img src=x onerror=alert(1)>" in post.text and "[[user:42]]" in post.text
        assert "<img" not in post.html and "<a " not in post.html, "shown as words, never as markup"


def test_a_token_from_another_tenant_asks_to_sign_in_again() -> None:
    from hallway.http import Unauthorized

    with viva_tenant.running() as other, viva_tenant.running() as tenant:
        elsewhere = other.authority.mint(other.person("demo"), "https://graph.microsoft.com")
        with pytest.raises(Unauthorized):
            viva_tenant.network(tenant, "demo", signed_in=elsewhere).me()


def test_it_signs_the_kiosk_in_from_its_admin_panel_with_a_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loop: object, until: Callable[..., None]) -> None:
    """A kiosk with no sign-in: IT opens the admin panel, taps "Sign in the kiosk", types the code
    shown (with its address and a QR code) on a phone, and the kiosk connects at once."""
    import asyncio
    import contextlib

    from test_kiosk_screens import PIN, PIN_HASH

    from hallway.sync import Connection
    from kiosk.app import build

    with viva_tenant.running(device_interval_s=1) as tenant:
        machine = tmp_path / "machine.toml"
        machine.write_text(tenant.machine_config() + f'\n[office]\nname = "Lisbon"\n[kiosk]\nquiz = "off"\n'
                           f'admin_pin_hash = "{PIN_HASH}"\nhide_cursor = false\n')
        monkeypatch.setenv("HALLWAY_MACHINE_CONFIG", str(machine))
        monkeypatch.setenv("HALLWAY_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.delenv("HALLWAY_TOKEN", raising=False)
        kiosk = build(settings.load(), (1280, 800))
        task = asyncio.get_event_loop().create_task(kiosk.run(30))
        try:
            window, admin = kiosk.window, kiosk.window.admin
            until(lambda: window.connection is Connection.SIGNED_OUT, 10)
            window.open_admin()
            for key in f"{PIN}✓":
                admin._key(key)
            assert admin.unlocked and admin.sign_in.isVisibleTo(admin), "offered where the network signs in by code"
            admin.sign_in.click()
            until(lambda: bool(admin.code.text()), 10)
            assert admin.code_address.text().endswith("/devicelogin") and admin.code_qr.url == admin.code_address.text()
            admin.grab().save(str(tmp_path / "kiosk-device-code.png"))
            requests.post(admin.code_address.text(), data={"code": admin.code.text(), "username": "lobby"},
                          timeout=10, verify=str(tenant.ca.ca_file))
            until(lambda: kiosk.sync is not None and window.connection is Connection.ONLINE, 20)
            assert "Signed in" in admin.reader.text()
            kept = signin.load_credentials(tenant.url, kiosk=True)
            assert kept is not None and kept.refresh_token, "kept in the kiosk's keyring, renewing itself"
        finally:
            kiosk.cancel_sign_in()
            kiosk.close()
            task.cancel()
            with contextlib.suppress(BaseException):
                asyncio.get_event_loop().run_until_complete(asyncio.sleep(0.1))


@pytest.mark.parametrize("said_yes", [True, False])
def test_a_kiosk_check_in_shows_the_person_in_the_office_in_teams_only_if_they_said_yes(said_yes: bool) -> None:
    from hallway.model import CheckIn, Place

    with viva_tenant.running() as tenant:
        laptop = tenant.network_for("demo", pace=viva_tenant.WIDE_PACE, work_location=said_yes)
        me = laptop.me()
        kiosk = viva_tenant.network(tenant, "lobby")
        kiosk.check_in(CheckIn(me.id, Place("Lisbon"), datetime.now(UTC).astimezone(), shared=True), me, "k")
        assert me.id in {p.colleague_id for p in laptop.in_office(datetime.now(UTC).astimezone().date())}
        person = tenant.person("demo")
        assert (person.work_location, person.location_source) == (("office", "manual") if said_yes
                                                                   else ("unspecified", "none"))


def test_the_settings_window_asks_about_teams_only_on_viva_engage(tmp_path: Path, qapp: object) -> None:
    from desktop.views.settings_window import SettingsWindow

    shown = {}
    for kind in ("viva-engage", "mastodon"):
        file = tmp_path / f"{kind}.toml"
        file.write_text(f'[network]\nkind = "{kind}"\nserver = "https://social.example"\n')
        window = SettingsWindow(settings.load(file, tmp_path / "user.toml"))
        shown[kind] = "viva_engage.work_location" in window.fields
        window.deleteLater()
    assert shown == {"viva-engage": True, "mastodon": False}


def test_days_planned_in_outlook_are_the_persons_office_days(tmp_path: Path, qapp: object) -> None:
    """A person who planned office days in Outlook does not plan them again: the directory brings
    their own plan (Graph gives each person only their own), and the tray's week shows it."""
    from datetime import date, timedelta

    from desktop.parts.office_week import WeekPlan
    from hallway.office_week import week_of

    week = [d for d in week_of(date.today()) if d > date.today() and d.weekday() < 5]
    if len(week) < 2:
        week = [d for d in week_of(date.today() + timedelta(days=7)) if d.weekday() < 5]
    with viva_tenant.running() as tenant:
        tenant.person("demo").plan.update({week[0]: "office", week[1]: "remote"})
        network = viva_tenant.network(tenant, "demo")
        me = network.me()
        mine = next(c for page in network.directory() for c in page if c.id == me.id)
        assert mine.office_days == (week[0],), "the office day, not the day at home"
        store = Store(tmp_path / "s.db", tmp_path / "photos")
        store.save_people([mine])
        plan = WeekPlan(store, settings.load(tmp_path / "m.toml", tmp_path / "u.toml"), Outbox(store),
                        lambda: datetime.now().astimezone(), lambda: None, lambda: store.colleague(me.id))
        assert week[0] in plan.mine()
        store.close()


def test_a_tenant_with_no_job_titles_still_lists_everyone() -> None:
    with viva_tenant.running(create(quirks=replace(viva_tenant.RELAXED, empty_titles=True))) as tenant:
        people = [c for page in viva_tenant.network(tenant, "demo").directory() for c in page]
        assert len(people) > 30 and not any(c.title for c in people) and all(c.team and c.office for c in people)


def test_say_hi_is_a_private_message_only_the_colleague_sees() -> None:
    with viva_tenant.running() as tenant:
        me = viva_tenant.network(tenant, "demo")
        other = next(p for p in tenant.tenant.people.values() if p.show_in_address_list and p.user_type == "Member"
                     and p.username not in ("demo", "lobby"))
        third = viva_tenant.network(tenant, "lobby")
        assert me.capabilities().private_messages
        sent = me.message(other.username, f"@{other.username} welcome aboard!", "hi-1")
        [made] = [m for m in tenant.tenant.messages.values() if str(m.id) == sent]
        assert made.direct_to == [other.yammer_id] and made.group_id is None
        assert sent in {n.post_id for n in viva_tenant.network(tenant, other.username).notices()}, "they are told"
        assert sent not in {p.id for p in third.feed(COMPANY_FEED, limit=20).posts}, "nobody else sees it"
        assert me.find_post(f"@{other.username} welcome aboard!", None, datetime.now(UTC)) == sent


def test_a_colleagues_new_photo_reaches_the_screens_though_graph_keeps_its_address(tmp_path: Path) -> None:
    """Graph serves a person's photo at /users/{id}/photo/$value whatever it shows, so a cache keyed
    by address kept the old face for good. A photo cached a week ago is fetched again (a few a
    pass, the faces shown most recently first): a new one replaces it, a removed one gives way to
    initials, an unchanged one is not asked again for another week."""
    import sqlite3
    import time

    with viva_tenant.running() as tenant:
        network = viva_tenant.network(tenant, "demo")
        store = Store(tmp_path / "s.db", tmp_path / "photos")
        sync = Sync(store, network, Outbox(store), feed=COMPANY_FEED, notices=False, stream=False, photos_per_pass=400)
        sync.once(directory=True)
        with_photos = [p for p in tenant.tenant.people.values() if p.has_photo and store.colleague(p.graph_id)]
        new_face, taken_down, same = with_photos[:3]
        urls = {}
        for person in (new_face, taken_down, same):
            stored = store.colleague(person.graph_id)
            assert stored is not None
            urls[person.graph_id] = stored.photo_url
        before = {key: store.photo(url) for key, url in urls.items()}
        assert all(before.values()), "the three faces are cached"
        new_face.avatar_seed += "-new"
        taken_down.has_photo = False
        sync.once(directory=False)
        assert store.photo(urls[new_face.graph_id]) == before[new_face.graph_id], "within the week: not asked again"
        with sqlite3.connect(tmp_path / "s.db") as db:  # a week later
            db.execute("UPDATE photos SET fetched_at = ?", (time.time() - 8 * 86400,))
        calls = tenant.api.calls["graph"]
        for _ in range(400 // 5 + 1):  # five a pass, until every face has been asked again
            sync.once(directory=False)
            if not store.photos_to_fetch_again(7 * 86400.0, 1):
                break
        assert store.photo(urls[new_face.graph_id]) not in (None, before[new_face.graph_id]), "the new face"
        assert store.photo(urls[taken_down.graph_id]) is None, "initials where the photo was taken down"
        assert store.photo(urls[same.graph_id]) == before[same.graph_id]
        asked = tenant.api.calls["graph"] - calls
        sync.once(directory=False)
        assert tenant.api.calls["graph"] - calls - asked <= 2, "then not asked again for a week"
        store.close()
