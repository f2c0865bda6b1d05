"""The Mastodon connector against the demo network, over loopback HTTP."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime

import pytest
import requests

from hallway.demo.organisation import Account
from hallway.demo.server import DemoNetwork
from hallway.http import HttpClient, Refused
from hallway.model import COMPANY_FEED, HOME_FEED, CheckIn, FeedKind, FeedRef, NoticeKind, Place
from hallway.networks import FieldNames, StreamEvent
from hallway.networks.mastodon import MastodonNetwork


@pytest.fixture
def network(demo: DemoNetwork) -> MastodonNetwork:
    return MastodonNetwork(demo.url, demo.token_for("demo"), HttpClient(sleep=lambda s: None))


def test_me_and_the_whole_directory(demo: DemoNetwork, network: MastodonNetwork) -> None:
    assert network.me().handle == "demo"
    people = [c for page in network.directory() for c in page]
    expected = [a for a in demo.org.accounts.values() if a.discoverable and not a.bot]
    assert {c.id for c in people} == {a.id for a in expected}
    somebody = next(c for c in people if c.pronouns)
    source = demo.org.accounts[somebody.id]
    facts = dict(source.fields)
    assert somebody.name == source.display_name and somebody.title == facts["Title"]
    assert somebody.team == facts["Team"] and somebody.office == facts["Office"]
    assert ", ".join(somebody.hobbies) == facts["Hobbies"] and somebody.ask_me_about == facts["Ask me about"]
    assert somebody.started_on == date.fromisoformat(facts["Started"]) and somebody.pronouns == facts["Pronouns"]
    assert somebody.bio and "<p>" not in somebody.bio and somebody.photo_url.endswith("avatar.png")


def test_field_names_are_configurable_and_case_insensitive(network: MastodonNetwork) -> None:
    account = {"id": "1", "display_name": "Ana", "acct": "ana",
               "fields": [{"name": "JOB", "value": "Chef &amp; baker"}, {"name": "abteilung", "value": "Küche"},
                          {"name": "Seit", "value": "2024-03"}]}
    custom = MastodonNetwork("http://x", "t", fields=FieldNames(title="job", team="Abteilung", started="seit"))
    colleague = custom.colleague(account)
    assert (colleague.title, colleague.team, colleague.started_on) == ("Chef & baker", "Küche", date(2024, 3, 1))


def test_odd_accounts_never_break_the_mapping(network: MastodonNetwork) -> None:
    odd = network.colleague({"id": 5, "username": "x", "fields": None, "note": None, "display_name": None,
                             "discoverable": None})
    assert odd.name == "x" and odd.discoverable and odd.title == ""
    hostile = network.colleague({
        "id": "6", "display_name": "<script>alert(1)</script>Eve\u202e", "note": "<p>" + "a" * 1_000_000,
        "fields": [{"name": "Title", "value": '<img src=x onerror=alert(1)>Boss'}, {"name": 3, "value": []},
                   "nonsense"]})
    assert hostile.name == "<script>alert(1)</script>Eve"  # plain text in the API: shown, never run
    assert hostile.title == "Boss" and len(hostile.bio) <= 2000


def test_hostile_profiles_from_the_server_sync_as_text(demo: DemoNetwork, network: MastodonNetwork) -> None:
    base = max(int(i) for i in demo.org.accounts) + 1000
    demo.org.accounts[str(base)] = Account(
        id=str(base), username="mallory", display_name='<b onmouseover="x()">Mal</b>\u202elory',
        note="<script>steal()</script><p>" + "z" * 1_000_000 + "</p>",
        fields=[("Title", "<iframe src=evil>CEO</iframe>"), ("Team", "x" * 100_000)],
        created_at=datetime.now(UTC), avatar_seed="m")
    try:
        people = {c.id: c for page in network.directory() for c in page}
        mallory = people[str(base)]
        # Display names are plain text and field values escaped HTML: the markup is only text to show.
        assert mallory.name == '<b onmouseover="x()">Mal</b>lory'
        assert mallory.title == "<iframe src=evil>CEO</iframe>"
        assert "steal" not in mallory.bio and len(mallory.bio) <= 2000  # the note is HTML: scripts dropped
        assert len(mallory.team) <= 500
    finally:
        del demo.org.accounts[str(base)]


def test_feed_pages_and_cursors(fresh_demo: DemoNetwork) -> None:
    """On a network of its own: check-ins other tests post are kept out of feeds, so a shared
    network's page of five may show fewer."""
    network = MastodonNetwork(fresh_demo.url, fresh_demo.token_for("demo"), HttpClient(sleep=lambda s: None))
    first = network.feed(HOME_FEED, limit=5)
    assert len(first.posts) == 5 and first.older
    older = network.feed(HOME_FEED, older_than=first.older, limit=5)
    assert max(p.position for p in older.posts) < min(p.position for p in first.posts)
    newer = network.feed(HOME_FEED, newer_than=older.posts[0].id, limit=5)
    assert [p.id for p in newer.posts] == [p.id for p in first.posts]
    assert all("<script" not in p.html for p in first.posts)
    assert network.feed(FeedRef(FeedKind.TAG, "office"), limit=3).posts
    assert network.feed(COMPANY_FEED, limit=3).posts
    with pytest.raises(ValueError, match="no such feed"):
        network.feed(FeedRef(FeedKind.TAG, "../../admin"))


def test_notices_announcements_and_markers(demo: DemoNetwork, network: MastodonNetwork) -> None:
    notices = network.notices()
    kinds = {n.kind for n in notices}
    assert NoticeKind.MENTION in kinds or NoticeKind.REPLY in kinds
    assert NoticeKind.LIKE in kinds
    assert network.notices(newer_than=notices[0].id) == []
    announcements = network.announcements()
    assert len(announcements) == 2 and "lobby" in announcements[0].text.lower()
    network.set_read_marker("home", "1234")
    assert network.read_marker("home") == "1234"


def test_a_check_in_is_written_once_whatever_the_retries(demo: DemoNetwork, network: MastodonNetwork) -> None:
    colleague = next(c for page in network.directory() for c in page)
    lobby = MastodonNetwork(demo.url, demo.token_for("lobby"), HttpClient(sleep=lambda s: None), is_lobby=True)
    key = str(uuid.uuid4())
    check_in = CheckIn(colleague.id, Place("Lisbon"), datetime.now(UTC), shared=True)
    first = lobby.check_in(check_in, colleague, key)
    assert lobby.check_in(check_in, colleague, key) == first
    posted = requests.get(f"{demo.url}/_demo/statuses", params={"contains": f"account={colleague.id}"},
                          timeout=5).json()
    assert len([p for p in posted if p["id"] == first]) == 1
    assert posted[-1]["visibility"] == "unlisted"
    assert demo.org.statuses[first].mentions == [], "it links the profile and mentions nobody"
    for reader in (lobby, network):  # the kiosk, and a laptop that knows the lobby account by name
        present = reader.in_office(datetime.now().astimezone().date())
        assert any(p.colleague_id == colleague.id and p.place.name == "Lisbon" for p in present)


def test_stream_delivers_a_new_post(demo: DemoNetwork, network: MastodonNetwork) -> None:
    """The user stream is the home feed: a post by someone the person follows arrives as it is
    written (as on Mastodon, a post by someone they do not follow does not)."""
    followed = demo.org.accounts[next(iter(demo.org.following(demo.org.demo_user_id)))]
    stop = threading.Event()
    events = network.stream(stop)
    got: list[str] = []

    def read() -> None:
        for event in events:
            if event.post:
                got.append(event.post.text)
                stop.set()
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    for _ in range(100):
        if demo.api.hub.count():
            break
        threading.Event().wait(0.05)
    requests.post(f"{demo.url}/api/v1/statuses", data={"status": "Fresh croissants in the Toronto office today"},
                  headers={"Authorization": f"Bearer {demo.token_for(followed.username)}"}, timeout=10)
    reader.join(10)
    assert got and "Toronto office today" in got[0]


def test_photos_are_capped_and_must_be_images(demo: DemoNetwork, network: MastodonNetwork) -> None:
    person = next(c for page in network.directory() for c in page)
    assert network.photo(person.photo_url).startswith(b"\x89PNG")
    with pytest.raises(Refused, match="not an image"):
        network.photo(f"{demo.url}/api/v1/instance")


@pytest.mark.parametrize("server", ["demo", "mastodon-mock"])
def test_the_company_feed_streams_beside_the_persons_own(server: str, request: pytest.FixtureRequest) -> None:
    """A laptop showing the company feed opens public:local beside user: a post by someone the
    person does not follow arrives pushed, as the local feed's, and nothing is polled for it."""
    import time

    site = request.getfixturevalue("demo" if server == "demo" else "mastodon_mock")
    org = site.org
    me = org.accounts[org.demo_user_id]
    stranger = next(a for a in org.accounts.values()
                    if not a.bot and a.id != me.id and a.id not in org.following(me.id))
    network = MastodonNetwork(site.url, site.token_for(me.username), local_stream=True)
    stop = threading.Event()
    seen: list[StreamEvent] = []

    def listen() -> None:
        for event in network.stream(stop):
            seen.append(event)
            if event.post and marker in event.post.text:
                return

    marker = f"company-wide {uuid.uuid4().hex[:8]}"
    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    time.sleep(1.5)
    requests.post(f"{site.url}/api/v1/statuses", data={"status": marker, "visibility": "public"}, timeout=10,
                  headers={"Authorization": f"Bearer {site.token_for(stranger.username)}"}).raise_for_status()
    reader.join(15)
    stop.set()
    network.close_stream()
    assert COMPANY_FEED in network.stream_feeds
    assert any(e.post and marker in e.post.text and e.feed == COMPANY_FEED for e in seen), seen[-3:]
