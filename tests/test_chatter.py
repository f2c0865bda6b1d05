"""Salesforce Chatter beyond the contract suite (#32): the web server flow with PKCE as a public
client, the API at the instance_url on another host than the login, sessions that end and are
renewed, the org's API allocation kept by Hallway, and what a real org holds besides colleagues.
All against the emulator (hallway/demo/chatter)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from hallway import config as settings
from hallway import signin
from hallway.connect import open_network
from hallway.demo.chatter import server as chatter
from hallway.demo.chatter.org import Limits, create
from hallway.http import HttpClient, RateLimited, Refused
from hallway.model import COMPANY_FEED, FeedKind, FeedRef
from hallway.networks import NoteKind
from hallway.networks.chatter import ChatterNetwork
from hallway.networks.salesforce_ids import eighteen
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Sync


def machine(tmp_path: Path, org: chatter.ChatterOrg) -> settings.Config:
    file = tmp_path / "machine.toml"
    file.write_text(org.machine_config())
    config = settings.load(file, tmp_path / "user.toml")
    assert not config.problems, config.problems
    return config


def browser(url: str) -> None:
    """The person signs in on the org's login page, which sends the browser back to Hallway."""
    assert requests.get(url, timeout=10).ok


def test_a_laptop_signs_in_with_pkce_and_calls_the_instance_not_the_login_host(tmp_path: Path) -> None:
    with chatter.start() as org:
        config = machine(tmp_path, org)
        signin.sign_in(org.url, kind="chatter", open_browser=browser, config=config)
        stored = signin.load_credentials(org.url)
        assert stored is not None and stored.refresh_token and stored.api_base == org.instance_url != org.url
        network = open_network(config)
        assert network.me().handle == "demo" and network.feed(COMPANY_FEED, limit=5).posts
        assert org.login.granted == ["authorization_code"]


def test_a_secret_is_refused_for_a_public_client() -> None:
    with chatter.start() as org:
        answer = requests.post(f"{org.url}/services/oauth2/token", timeout=10, data={
            "grant_type": "authorization_code", "code": "x", "client_id": chatter.CONSUMER_KEY, "client_secret": "s"})
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_client"


def test_an_ended_session_is_renewed_and_the_queued_post_lands_once(tmp_path: Path) -> None:
    with chatter.start() as org:
        network = org.network_for("demo")
        network.me()
        store = Store(tmp_path / "s.db", tmp_path / "photos")
        outbox = Outbox(store)
        outbox.add_post("The 3rd floor printer is fixed")
        org.login.expire_all()  # the org's session timeout, mid-session
        delivery = outbox.deliver(network)
        assert (delivery.delivered, delivery.pending, delivery.stopped_by) == (1, 0, None)
        texts = ["".join(s.get("text", "") for s in i.segments) for i in org.emulated.items.values()]
        assert texts.count("The 3rd floor printer is fixed") == 1
        assert org.login.granted.count("refresh_token") == 1
        store.close()


def test_a_revoked_refresh_token_means_sign_in_again() -> None:
    from hallway.http import Unauthorized

    with chatter.start() as org:
        held = org.signed_in("demo")
        network = org.network_for("demo", signed_in=held)
        requests.post(f"{org.url}/services/oauth2/revoke", data={"token": held.refresh_token}, timeout=10)
        with pytest.raises(Unauthorized):
            network.me()


def test_the_daily_share_of_the_orgs_allocation_is_kept_and_said() -> None:
    with chatter.start() as org:
        network = org.network_for("demo")
        network.daily_calls = 6
        network.me()
        with pytest.raises(RateLimited, match="share of the org's API calls today") as told:
            for _ in range(10):
                network.feed(COMPANY_FEED, limit=5)
        assert told.value.retry_after_s > 60, "until tomorrow, not in a few seconds"
        assert org.instance.usage.calls <= 6


def test_the_orgs_own_limit_is_read_and_doctor_shows_the_headroom() -> None:
    with chatter.start(create(limits=Limits(daily_calls=5000))) as org:
        network = org.network_for("demo")
        network.me()
        network.feed(COMPANY_FEED, limit=5)
        lines = [line.words for line in network.set_up(False)]
        assert any("the org's API calls today:" in w and "of 5,000 used" in w for w in lines), lines
        assert any(w.startswith("never verified against a real org:") for w in lines)


def test_an_org_over_its_daily_allocation_is_waited_for_never_signed_out() -> None:
    with chatter.start(create(limits=Limits(daily_calls=3))) as org:
        network = org.network_for("demo")
        with pytest.raises(RateLimited, match="used its API calls for the last 24 hours") as told:
            for _ in range(5):
                network.feed(COMPANY_FEED, limit=5)
        assert told.value.retry_after_s >= 3600


def test_inactive_and_community_users_are_not_colleagues_and_ids_are_eighteen_characters() -> None:
    with chatter.start() as org:
        people = [c for page in org.network_for("demo").directory() for c in page]
        handles = {c.handle for c in people}
        assert "river.partner" not in handles and "former.colleague" not in handles and "lobby" not in handles
        assert all(len(c.id) == 18 and c.id.startswith("005") and eighteen(c.id[:15]) == c.id for c in people)


def test_a_group_the_person_cannot_see_is_said_in_words() -> None:
    with chatter.start() as org:
        hidden = org.emulated._group("Board")
        hidden.visibility = "PrivateAccess"
        with pytest.raises(Refused, match="no group called 'Board' that Hallway can read"):
            org.network_for("demo").feed(FeedRef(FeedKind.GROUP, "Board"))


def test_the_groups_the_person_belongs_to_are_offered_as_feeds_and_each_reads() -> None:
    """The settings window offers the person's own groups: a private one they are in too, never
    one they are not in; a group picked there reads its posts."""
    with chatter.start() as org:
        me = org.emulated.demo
        team = next(u.department for u in org.emulated.users.values() if u.id == me.id)
        board = org.emulated._group("Board")
        board.visibility = "PrivateAccess"
        private = org.emulated._group("Hiring panel")
        private.visibility = "PrivateAccess"
        private.members.add(me.id)
        many = [org.emulated._group(f"Reading circle {n:02}") for n in range(30)]  # past one page of 25
        for group in many:
            group.members.add(me.id)
        network = org.network_for("demo")
        offered = network.feeds()
        names = [f.id for f in offered]
        assert all(f.kind is FeedKind.GROUP for f in offered)
        assert {"All Company", team, "Hiring panel", "Reading circle 00", "Reading circle 29"} <= set(names)
        assert "Board" not in names and "Lobby check-ins" not in names
        assert names == sorted(names, key=str.casefold)
        network.feed(FeedRef(FeedKind.GROUP, "Hiring panel"))  # readable as offered (no "no group called")


def test_a_photo_on_another_host_is_refused_before_the_session_goes_there() -> None:
    with chatter.start() as org:
        network = org.network_for("demo")
        with pytest.raises(Refused):
            network.photo("https://elsewhere.example/profilephoto/005/M")


@contextmanager
def laptop(tmp_path: Path) -> Iterator[tuple[chatter.ChatterOrg, Store, Sync]]:
    """An org and a laptop's store whose directory was read once."""
    with chatter.start() as org:
        store = Store(tmp_path / "s.db", tmp_path / "photos")
        sync = Sync(store, org.network_for("demo", HttpClient()), Outbox(store), feed=COMPANY_FEED, photos_per_pass=0)
        sync.read_directory()
        yield org, store, sync
        store.close()


def test_a_directory_pass_after_the_first_asks_only_who_changed(tmp_path: Path) -> None:
    with laptop(tmp_path) as (org, store, sync):
        everyone = store.count_people()
        before = org.instance.requests["query"]
        sync.read_directory()
        assert org.instance.requests["query"] - before == 2 and store.count_people() == everyone, \
            "who changed, and who is frozen"
        leaver = next(u for u in org.emulated.users.values() if u.is_active and u.handle not in ("demo", "lobby")
                      and store.colleague(u.id) is not None)
        leaver.is_active = False
        org.emulated.touch(leaver)
        sync.read_directory()
        assert store.colleague(leaver.id) is None and store.count_people() == everyone - 1


def test_the_network_object_is_what_the_registry_builds(tmp_path: Path) -> None:
    with chatter.start() as org:
        config = machine(tmp_path, org)
        signin.save_token(org.url, org.signed_in("demo"))
        assert isinstance(open_network(config), ChatterNetwork)
        assert replace(org.signed_in("demo"), access_token="x").api_base == org.instance_url


def test_doctor_shows_the_version_the_headroom_and_what_was_never_verified(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from doctor_run import doctor

    from hallway.networks.chatter import UNVERIFIED

    with chatter.start() as org:
        machine(tmp_path, org)
        said, code = doctor(tmp_path, org.url, org.signed_in("demo"), org.signed_in("lobby"), monkeypatch, capsys)
    assert code == 0
    assert "your sign-in: signed in as @demo" in said and "kiosk service token: signed in as @lobby" in said
    assert f"API version {chatter.VERSION} at {org.instance_url}" in said
    assert "the org's API calls today:" in said
    for guess in UNVERIFIED:
        assert said.count(f"never verified against a real org: {guess}") == 1, guess
    assert said.rstrip().endswith("All good.")


def test_the_demo_serves_the_emulator_and_stops_on_sigterm() -> None:
    import os
    import signal
    import subprocess
    import sys

    process = subprocess.Popen([Path(sys.executable).parent / "hallway", "demo", "--network", "chatter",
                                "--no-apps", "--people", "40"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=os.environ | {"PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "on Salesforce Chatter (the emulator): 40 people; the login host at http://127.0.0.1:" in banner
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
    assert process.returncode == 0


def test_signing_out_revokes_the_refresh_token_so_no_session_comes_back(tmp_path: Path) -> None:
    from hallway.http import Unauthorized

    with chatter.start() as org:
        config = machine(tmp_path, org)
        signin.sign_in(org.url, kind="chatter", open_browser=browser, config=config)
        network = open_network(config)
        network.me()
        assert signin.sign_out(org.url, kind="chatter") is signin.Revoked.YES
        org.login.expire_all()
        with pytest.raises(Unauthorized):
            network.me()  # the refresh was refused: the sign-in is gone at Salesforce too


def test_the_hourly_chatter_limit_is_waited_out_until_the_hour_turns_without_retrying() -> None:
    with chatter.start(create(limits=Limits(hourly_chatter=3))) as org:
        network = org.network_for("demo")
        with pytest.raises(RateLimited, match="over its limit for now") as told:
            for _ in range(6):
                network.feed(COMPANY_FEED, limit=5)
        assert 5 < told.value.retry_after_s <= 3605, "until the hour turns"
        assert org.instance.usage.refused["hourly"] == 1, "the 503 is not asked again at once"


def test_it_signs_the_kiosk_in_as_its_integration_user_with_sign_in_kiosk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import webbrowser

    from hallway import cli

    with chatter.start() as org:
        machine(tmp_path, org)
        monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(tmp_path / "machine.toml"))
        monkeypatch.setenv(settings.USER_CONFIG_ENV, str(tmp_path / "user.toml"))
        monkeypatch.setattr(webbrowser, "open", lambda url: browser(url.replace(
            "/authorize?", "/authorize?login_hint=lobby%40juniper.example&")))
        assert cli.main(["sign-in", "--kiosk"]) == 0
        assert "Signed in as the kiosk's account." in capsys.readouterr().out
        kept = signin.load_credentials(org.url, kiosk=True)
        assert kept is not None and kept.refresh_token and signin.load_credentials(org.url) is None
        assert org.network_for("lobby", signed_in=kept).me().handle == "lobby"


def test_a_mention_of_someone_who_left_stays_words_in_the_feed() -> None:
    with chatter.start() as org:
        left = org.user("former.colleague")
        writer = org.user(org.emulated.demo.handle)
        org.emulated.post(writer, writer.id, [{"type": "Text", "text": "Thanks to "},
                                              {"type": "Mention", "id": left.id},
                                              {"type": "Text", "text": " for <b>years</b> of help"}])
        post = org.network_for("demo").feed(COMPANY_FEED, limit=5).posts[0]
        assert post.text == "Thanks to @Former Colleague for <b>years</b> of help" and "<b>" not in post.html


def test_each_computers_share_is_half_the_orgs_allocation_shared_among_its_people() -> None:
    with chatter.start(create(limits=Limits(daily_calls=140_000))) as org:  # 100,000 + 40 licences x 1,000
        network = org.network_for("demo")
        assert network.ceiling() == 400, "until the allocation and the company are known"
        list(network.directory())
        network.feed(COMPANY_FEED, limit=5)
        assert network.ceiling() == 1000, "half of 140,000 among 40 people is 1,750: at most 1,000"
        network.daily_calls = 250
        assert network.ceiling() == 250, "IT's number where set"
        lines = [line.words for line in network.set_up(False)]
        assert any("the sign-in's scopes:" in w and "chatter_api" in w for w in lines)


def test_a_user_an_admin_froze_is_not_a_colleague_until_thawed(tmp_path: Path) -> None:
    with laptop(tmp_path) as (org, store, sync):
        frozen = next(u for u in org.emulated.users.values() if store.colleague(u.id) is not None
                      and u.handle != "demo")
        frozen.frozen = True
        sync.read_directory()
        assert store.colleague(frozen.id) is None
        frozen.frozen = False  # thawing changes the login, not the user's record: back at the weekly full read
        sync.read_directory()
        assert store.colleague(frozen.id) is None
        day, _, newest = (store.get_state("directory_cursor") or "").partition("|")
        store.set_state("directory_cursor", f"{date.fromisoformat(day) - timedelta(days=7)}|{newest}")
        sync.read_directory()
        assert store.colleague(frozen.id) is not None


def test_say_hi_opens_the_profile_where_chatter_has_no_private_messages() -> None:
    with chatter.start() as org:
        network = org.network_for("demo")
        assert network.capabilities().private_messages is False
        with pytest.raises(Refused, match="no private messages"):
            network.message("someone", "hi", "k")
        someone = next(c for page in network.directory() for c in page if c.handle != "demo")
        assert someone.profile_url == f"{org.instance_url}/{someone.id}", "the person's own page in Salesforce"


def test_a_group_it_names_by_its_15_character_id_is_the_same_group(tmp_path: Path) -> None:
    """IT copies a group's id from a Salesforce page (15 characters, case-sensitive): the kiosk's
    check-ins land in that group and the laptops read them back as the same people in."""
    from datetime import UTC, datetime

    from hallway.model import CheckIn, Place

    with chatter.start() as org:
        lobby_group = org.emulated.lobby_group.id
        kiosk = org.network_for("lobby")
        kiosk.lobby_group = lobby_group[:15]
        colleague = next(c for page in kiosk.directory() for c in page if c.handle != "lobby")
        check_in = CheckIn(colleague.id, Place("Lisbon"), datetime.now(UTC), shared=True)
        made = kiosk.check_in(check_in, colleague, "k-15")
        day_items = [i for i in org.emulated.items.values() if i.parent == lobby_group]
        assert len(day_items) == 1 and day_items[0].comments[0].id == made
        laptop = org.network_for("demo")
        laptop.lobby_group = lobby_group.lower()  # an 18-character id, as case-insensitive as Salesforce's
        assert [p.colleague_id for p in laptop.in_office(check_in.at.date())] == [colleague.id]
        answer = requests.get(f"{org.instance_url}/services/data/v{chatter.VERSION}/chatter/feed-elements/"
                              f"{day_items[0].id[:15]}", timeout=10,
                              headers={"Authorization": f"Bearer {org.signed_in('demo').access_token}"})
        assert answer.ok and answer.json()["id"] == day_items[0].id


def test_an_id_is_one_record_whichever_way_it_is_written() -> None:
    with chatter.start() as org:
        person = org.user("demo").id
        assert eighteen(person[:15]) == person == eighteen(person)
        assert eighteen(person[:15] + person[15:].lower()) == person, "the suffix is case-safe"
        assert eighteen(person.lower()) == person, "an 18-character id is case-insensitive"
        assert eighteen(person[:15].swapcase()) != person, "a 15-character id is case-sensitive"
        with pytest.raises(ValueError):
            eighteen("005' OR 1=1 --")


def _mention_of_demo(org: chatter.ChatterOrg, words: str) -> None:
    demo = org.user("demo")
    writer = next(u for u in org.emulated.users.values() if u.user_type == "Standard" and u.is_active
                  and u.id not in (demo.id, org.emulated.kiosk.id))
    org.emulated.post(writer, writer.id, [{"type": "Mention", "id": demo.id}, {"type": "Text", "text": f" {words}"}])


def test_what_was_read_is_shared_with_salesforces_bell_both_ways(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a mention in the tray marks Salesforce's notification read (its web and mobile apps
    stop showing it); reading it in Salesforce clears the tray's badge."""
    import hallway.networks.chatter as connector

    monkeypatch.setattr(connector, "READ_STATE_EVERY_S", 0.0)
    with chatter.start() as org:
        demo = org.user("demo")
        for note in org.emulated.notifications:
            note.read = note.seen = True  # the seeded company's history: read long ago
        store = Store(tmp_path / "laptop.db", tmp_path / "photos")
        sync = Sync(store, org.network_for("demo"), Outbox(store), feed=COMPANY_FEED, photos_per_pass=0)
        sync.once(directory=False)
        assert store.notices() and store.unread_mentions() == 0, "the history read in Salesforce is read here"
        asked = org.instance.requests["connect"]
        sync.once(directory=False)
        assert org.instance.requests["connect"] == asked, "nothing unread here: nothing to ask the bell"
        _mention_of_demo(org, "could you look at the Q3 figures?")
        sync.once(directory=False)
        assert store.unread_mentions() == 1 and org.instance.requests["connect"] == asked + 1
        mention = [n for n in org.emulated.notifications if n.recipient == demo.id and not n.read]
        assert len(mention) == 1

        newest = store.notices(limit=1)[0]
        assert store.mark_read("notices", newest.id)  # read in the tray
        sync.once(directory=False)
        assert mention[0].read and mention[0].seen

        _mention_of_demo(org, "lunch at noon?")
        sync.once(directory=False)
        assert store.unread_mentions() == 1
        for note in org.emulated.notifications:
            note.read = True  # read in Salesforce's web app
        sync.once(directory=False)
        assert store.unread_mentions() == 0
        store.close()


def test_an_org_without_the_bell_keeps_reading_on_this_computer_and_doctor_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chatter, "ROUTES", [r for r in chatter.ROUTES if not r.pattern.startswith("/connect/")])
    with chatter.start() as org:
        network = org.network_for("demo")
        _mention_of_demo(org, "the stand-up moved to 10")
        store = Store(tmp_path / "laptop.db", tmp_path / "photos")
        sync = Sync(store, network, Outbox(store), feed=COMPANY_FEED, photos_per_pass=0)
        sync.once(directory=False)
        assert store.unread_mentions() >= 1 and not sync.problems
        assert "stays on this computer" in network.notes.about(NoteKind.READ_POSITIONS)
        store.close()


def test_every_endpoint_says_where_its_shape_came_from_and_every_guess_is_listed_by_doctor() -> None:
    from hallway.demo.viva.routes import Source
    from hallway.networks.chatter import UNVERIFIED

    assert len(chatter.ROUTES) >= 20
    for one in chatter.ROUTES:
        assert one.where.strip() and one.source in Source, one.pattern
    guesses = {r.where for r in chatter.ROUTES if r.source == Source.GUESS}
    guesses |= {where for source, where in chatter.BEHAVIOUR.values() if source == Source.GUESS}
    assert guesses <= set(UNVERIFIED), guesses - set(UNVERIFIED)
    assert len(guesses) == len(UNVERIFIED), "doctor lists only what the emulator guessed"
