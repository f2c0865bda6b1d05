"""What the apps rely on from a network, checked against every connector on a real server: the
demo network (Mastodon API), mastodon-mock (a Mastodon API written by someone else) and
Synapse (Matrix), twice: as the tests set it up, and as a company's admin leaves it (default
rate limits, no extended profile fields, an encrypted company room). A connector that fails
one fails the suite. Where mastodon-mock differs
from Mastodon's documentation, the check follows Mastodon and says so in one line."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import viva_tenant
from fault_proxy import FaultProxy
from mock_mastodon import MastodonMock
from synapse_server import AsRun

from hallway.demo import server
from hallway.demo.behaviour import COMPATIBLE
from hallway.demo.organisation import generate
from hallway.demo.synapse import SeededOrganisation, Synapse
from hallway.http import HttpClient, Offline
from hallway.model import COMPANY_FEED, HOME_FEED, CheckIn, Colleague, FeedKind, FeedRef, NoticeKind, Place
from hallway.networks import Network, NoteKind, Refused, StreamEvent, Unauthorized
from hallway.networks.mastodon import MastodonNetwork
from hallway.networks.matrix import MatrixNetwork

pytestmark = pytest.mark.slow


@dataclass
class Organisation:
    """One organisation on one server, as the suite drives it."""

    kind: str
    network_for: Callable[[str], Network]  # signed in as a username
    post_as: Callable[[str, str, str], None]  # (author, text, mentioned username or "")
    me: str  # the person the apps run as
    kiosk: str  # the lobby's service account
    other: str  # a colleague who writes
    token_for: Callable[[str], str]  # a username's token
    # The company room is end-to-end encrypted (Synapse as admins leave it): Hallway writes
    # nothing there, and people's own clients write what the checks need (``stage``).
    encrypted: bool = False
    # A post and a 👍 as a person's own client makes them (their id): Hallway's connector where it
    # may write, the server's API directly where it must not.
    stage: Callable[[str, str], str] | None = None
    stage_reaction: Callable[[str, str], None] | None = None
    # The server keeps a write's idempotency key (Mastodon; Matrix's transaction ids): a retry with
    # the same key is the same post. Where it does not, the outbox looks before any resend.
    keeps_keys: bool = True
    streams: bool = True  # a live stream for apps (Mastodon's streaming API, Matrix's /sync)
    markers: bool = True  # read positions kept on the server for the person's other clients
    # The same connector at another address with another token (a proxy in between, a token the
    # server no longer takes): by default its own class, built from the address and the token.
    network_at: Callable[[str, str, HttpClient | None], Network] | None = None

    def rebuilt(self, url: str, token: str, client: HttpClient | None = None) -> Network:
        if self.network_at is not None:
            return self.network_at(url, token, client)
        return type(self.network_for(self.me))(url, token, client)  # type: ignore[call-arg]

    def publish_as(self, author: str, text: str) -> str:
        if self.stage is not None:
            return self.stage(author, text)
        return self.network_for(author).publish(text, f"staged-{time.time_ns()}")

    def react_as(self, author: str, post_id: str) -> None:
        if self.stage_reaction is not None:
            self.stage_reaction(author, post_id)
        else:
            self.network_for(author).react(post_id, f"staged-{time.time_ns()}")


def refuses_plain_text(on: Organisation) -> None:
    """What the checks that write find on an encrypted company room: Hallway says why it will not
    write there, and nothing it tried reaches the room."""
    network = on.network_for(on.other)
    marker = f"never-{time.time_ns()}"
    assert "end-to-end encrypted" in network.write_refusal("feed")
    with pytest.raises(Refused, match="end-to-end encrypted"):
        network.publish(f"{marker} in plain text?", marker)
    with pytest.raises(Refused, match="end-to-end encrypted"):
        network.react("$anything", marker)
    assert not any(marker in p.text for p in network.feed(HOME_FEED, limit=20).posts)


@pytest.fixture(scope="module")
def demo_org() -> Iterator[Organisation]:
    org = generate(seed=11, people=40)
    network = server.create(org, rate_limit=1_000_000, heartbeat_s=1.0).start_in_background()
    me = org.accounts[org.demo_user_id].username
    # Someone the person follows: on Mastodon, home and the user stream hold only those posts.
    other = next(a.username for a in org.accounts.values() if a.id in org.following(org.demo_user_id))

    def post_as(author: str, text: str, mention: str) -> None:
        status = f"@{mention} {text}" if mention else text
        requests.post(f"{network.url}/api/v1/statuses", data={"status": status, "visibility": "public"},
                      headers={"Authorization": f"Bearer {network.token_for(author)}"}, timeout=10).raise_for_status()

    yield Organisation("mastodon", lambda who: MastodonNetwork(network.url, network.token_for(who)), post_as,
                       me, org.accounts[org.kiosk_account_id].username, other, network.token_for)
    network.stop()


@pytest.fixture(scope="module")
def compatible_org() -> Iterator[Organisation]:
    """The demo network behaving as an independent Mastodon-compatible server does (no directory,
    keys ignored, exact redirect URIs, 400 for a bad token, no streaming, no markers, ULIDs):
    hallway/demo/behaviour.py. Its people follow the lobby account, as the company asked."""
    org = generate(seed=11, people=40, string_ids=True)
    network = server.create(org, rate_limit=1_000_000, heartbeat_s=1.0, behaviour=COMPATIBLE).start_in_background()
    me = org.accounts[org.demo_user_id].username
    other = next(a.username for a in org.accounts.values() if a.id in org.following(org.demo_user_id)
                 and a.id != org.kiosk_account_id)

    def post_as(author: str, text: str, mention: str) -> None:
        status = f"@{mention} {text}" if mention else text
        requests.post(f"{network.url}/api/v1/statuses", data={"status": status, "visibility": "public"},
                      headers={"Authorization": f"Bearer {network.token_for(author)}"}, timeout=10).raise_for_status()

    yield Organisation("compatible", lambda who: MastodonNetwork(network.url, network.token_for(who)), post_as,
                       me, org.accounts[org.kiosk_account_id].username, other, network.token_for, keeps_keys=False,
                       streams=False, markers=False)
    network.stop()


def on_matrix(kind: str, url: str, homeserver: Synapse, seeded: SeededOrganisation,
              encrypted: bool = False) -> Organisation:
    org = seeded.org
    me = org.accounts[org.demo_user_id].username
    other = next(a.username for a in org.accounts.values() if not a.bot and a.username != me)
    sent = iter(range(1_000_000))

    def post_as(author: str, text: str, mention: str) -> None:
        content: dict[str, object] = {"msgtype": "m.text", "body": text}
        if mention:
            who = seeded.user_ids[mention]
            content = {"msgtype": "m.text", "body": f"{who} {text}", "m.mentions": {"user_ids": [who]}}
        homeserver.call("PUT", f"/_matrix/client/v3/rooms/{quote(seeded.everyone)}/send/m.room.message/"
                               f"contract{next(sent)}", seeded.tokens[author], content)

    def stage(author: str, text: str) -> str:
        sent = homeserver.call("PUT", f"/_matrix/client/v3/rooms/{quote(seeded.everyone)}/send/m.room.message/"
                                      f"staged{next(sent_ids)}", seeded.tokens[author],
                               {"msgtype": "m.text", "body": text})
        return str(sent["event_id"])

    def stage_reaction(author: str, post_id: str) -> None:
        homeserver.call("PUT", f"/_matrix/client/v3/rooms/{quote(seeded.everyone)}/send/m.reaction/"
                               f"staged{next(sent_ids)}", seeded.tokens[author],
                        {"m.relates_to": {"rel_type": "m.annotation", "event_id": post_id, "key": "👍"}})

    sent_ids = iter(range(1_000_000))
    return Organisation(kind, lambda who: MatrixNetwork(url, seeded.tokens[who]), post_as,
                        me, org.accounts[org.kiosk_account_id].username, other, seeded.tokens.__getitem__,
                        encrypted, stage if encrypted else None, stage_reaction if encrypted else None)


@pytest.fixture(scope="module")
def synapse_org(synapse: tuple[Synapse, SeededOrganisation]) -> Organisation:
    homeserver, seeded = synapse
    return on_matrix("matrix", homeserver.url, homeserver, seeded)


@pytest.fixture(scope="module")
def as_run_org(synapse_as_run: AsRun) -> Organisation:
    """Synapse as admins leave it (tests/synapse_server.py). Hallway's accounts keep Synapse's
    default limits; only the colleague who writes the suite's posts has theirs lifted by IT, so
    the 45 mentions of the gap check take seconds rather than three minutes (rc_message: one
    message every 5 s after 10). The suite's posts are plain text, as a bot or bridge writes
    them; the people's encrypted posts are the seeded ones."""
    run = synapse_as_run
    org = on_matrix("matrix-as-run", run.url, run.homeserver, run.seeded, encrypted=True)
    writer = run.seeded.user_ids[org.other]
    run.homeserver.call("POST", f"/_synapse/admin/v1/users/{quote(writer)}/override_ratelimit",
                        run.seeded.admin_token, {"messages_per_second": 0, "burst_count": 0})
    return org


@pytest.fixture(scope="module")
def mock_org(mastodon_mock: MastodonMock) -> Organisation:
    org = mastodon_mock.org
    me = org.accounts[org.demo_user_id].username
    other = next(a.username for a in org.accounts.values() if a.id in org.following(org.demo_user_id))

    def post_as(author: str, text: str, mention: str) -> None:
        status = f"@{mention} {text}" if mention else text
        requests.post(f"{mastodon_mock.url}/api/v1/statuses", data={"status": status, "visibility": "public"},
                      headers={"Authorization": f"Bearer {mastodon_mock.token_for(author)}"},
                      timeout=10).raise_for_status()

    return Organisation("mastodon-mock", lambda who: MastodonNetwork(mastodon_mock.url, mastodon_mock.token_for(who)),
                        post_as, me, org.accounts[org.kiosk_account_id].username, other, mastodon_mock.token_for)


def fresh_person(on: Organisation, number: int) -> Colleague:
    """A colleague no other check of the suite (or of the other test modules, which check in the
    person the apps run as) checks in: the number-th by id, leaving out the person and the writer."""
    network = on.network_for(on.me)
    taken = {network.me().id, on.network_for(on.other).me().id}
    return sorted((c for page in network.directory() for c in page if c.id not in taken), key=lambda c: c.id)[number]


@pytest.fixture(scope="module")
def viva_org() -> Iterator[Organisation]:
    """The Viva Engage emulator (hallway/demo/viva): Microsoft Graph for people, Yammer v1 for
    posts, Entra ID's tokens, one per resource. No idempotency keys, no stream, no read markers."""
    with viva_tenant.running() as tenant:
        tokens = {p.username: viva_tenant.credentials(tenant, p.username).stored()
                  for p in tenant.tenant.people.values()}

        def post_as(author: str, text: str, mention: str) -> None:
            body = f"[[user:{tenant.person(mention).yammer_id}]] {text}" if mention else text
            token = tenant.authority.mint(tenant.person(author), "https://api.yammer.com")
            requests.post(f"{tenant.url}/api/v1/messages.json", data={"body": body,
                          "group_id": str(tenant.tenant.all_company.id)}, headers={"Authorization": f"Bearer {token}"},
                          timeout=10, verify=str(tenant.ca.ca_file)).raise_for_status()

        def network_at(url: str, token: str, client: HttpClient | None) -> Network:
            return viva_tenant.network(tenant, "", client, url=url, signed_in=token)

        me = tenant.tenant.demo.username
        other = next(p.username for p in tenant.tenant.people.values() if p.show_in_address_list
                     and p.user_type == "Member" and p.account_enabled and p.username not in (me, "lobby"))
        yield Organisation("viva-engage", lambda who: viva_tenant.network(tenant, who, signed_in=tokens[who]),
                           post_as, me, "lobby", other, tokens.__getitem__, keeps_keys=False, streams=False,
                           markers=False, network_at=network_at)


@pytest.fixture(scope="module")
def chatter_org() -> Iterator[Organisation]:
    """The Salesforce Chatter emulator (hallway/demo/chatter): the login host and the org's
    instance on two loopback ports; people from query on User, posts from Connect REST."""
    from hallway.demo.chatter import server as chatter

    with chatter.start() as org:
        tokens = {u.handle: org.signed_in(u.handle).stored() for u in org.emulated.users.values()}

        def post_as(author: str, text: str, mention: str) -> None:
            segments: list[dict[str, str]] = [{"type": "Text", "text": text}]
            if mention:
                segments = [{"type": "Mention", "id": org.user(mention).id}, {"type": "Text", "text": f" {text}"}]
            token = org.login.mint(org.user(author))["access_token"]
            requests.post(f"{org.instance_url}/services/data/v{chatter.VERSION}/chatter/feed-elements", timeout=10,
                          json={"body": {"messageSegments": segments}, "feedElementType": "FeedItem",
                                "subjectId": "me"}, headers={"Authorization": f"Bearer {token}"}).raise_for_status()

        def network_at(url: str, token: str, client: HttpClient | None) -> Network:
            return org.network_for("", client, url=url, signed_in=token)

        me = org.emulated.demo.handle
        other = next(u.handle for u in org.emulated.users.values() if u.is_active and u.user_type == "Standard"
                     and u.handle not in (me, "lobby") and org.company.by_username(u.handle) is not None
                     and org.company.by_username(u.handle).discoverable)  # type: ignore[union-attr]
        yield Organisation("chatter", lambda who: org.network_for(who, signed_in=tokens[who]), post_as, me, "lobby",
                           other, tokens.__getitem__, keeps_keys=False, streams=False, markers=True,
                           network_at=network_at)


SERVERS = {"mastodon": "demo_org", "mastodon-mock": "mock_org", "compatible": "compatible_org", "matrix": "synapse_org",
           "matrix-as-run": "as_run_org", "viva-engage": "viva_org", "chatter": "chatter_org"}


@pytest.fixture(params=list(SERVERS))
def on(request: pytest.FixtureRequest) -> Organisation:
    org: Organisation = request.getfixturevalue(SERVERS[request.param])
    return org


def test_the_directory_lists_colleagues_with_their_profile_facts(on: Organisation) -> None:
    network = on.network_for(on.me)
    me = network.me()
    people = [c for page in network.directory() for c in page]
    assert len(people) >= 30 and me.id in {c.id for c in people}, "everyone (the picker leaves out the person)"
    assert not any(c.handle.startswith(on.kiosk) for c in people), "service accounts are not colleagues"
    assert all(c.handle and not c.handle.startswith("@") for c in people), "the apps show it as @handle"
    with_facts = [c for c in people if c.title and c.team and c.office]
    assert len(with_facts) >= len(people) * 0.8, "titles, teams and offices come from profile fields"
    assert any(c.hobbies for c in people) and any(c.started_on for c in people)
    if on.kind != "viva-engage":  # the API's limit: Graph v1.0's user has no pronouns
        assert any(c.pronouns for c in people)
    assert all(c.name for c in people) and sum(bool(c.photo_url) for c in people) >= len(people) * 0.8
    url = next(c.photo_url for c in people if c.photo_url)
    if on.kind == "mastodon-mock":  # it draws avatars as SVG; Mastodon serves raster images (uploads are converted)
        with pytest.raises(Refused, match="not an image Hallway can show"):
            network.photo(url)
        return
    assert network.photo(url).startswith(b"\x89PNG")


def test_the_feed_pages_back_in_time_and_forward_to_what_is_new(on: Organisation) -> None:
    network = on.network_for(on.me)
    first = network.feed(HOME_FEED, limit=10)
    assert len(first.posts) == 10 and first.older
    assert all(p.author_name and p.author_handle and not p.author_handle.startswith("@") for p in first.posts)
    second = network.feed(HOME_FEED, older_than=first.older, limit=10)
    assert second.posts and not {p.id for p in first.posts} & {p.id for p in second.posts}
    assert max(p.position for p in second.posts) < min(p.position for p in first.posts)
    assert [p.position for p in first.posts] == sorted((p.position for p in first.posts), reverse=True)
    on.post_as(on.other, "Contract test: the new espresso machine works", "")
    newer = network.feed(HOME_FEED, newer_than=first.posts[0].id, limit=10)
    assert any("espresso machine works" in p.text for p in newer.posts)


def test_a_mention_becomes_a_notice(on: Organisation) -> None:
    on.post_as(on.other, "could you look at the rota?", on.me)
    network = on.network_for(on.me)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        notices = network.notices()
        if any("look at the rota" in n.text for n in notices):
            break
        time.sleep(0.2)
    [notice] = [n for n in notices if "look at the rota" in n.text]
    assert notice.kind in (NoticeKind.MENTION, NoticeKind.REPLY) and notice.post_id
    author = next(c for page in network.directory() for c in page if c.id == notice.from_id)
    assert notice.from_name == author.name, "the notification says who, by name"


def test_announcements_are_there(on: Organisation) -> None:
    announcements = on.network_for(on.me).announcements()
    assert announcements and all(a.id and a.text for a in announcements)


def test_a_check_in_is_written_exactly_once(on: Organisation) -> None:
    kiosk = on.network_for(on.kiosk)
    person = fresh_person(on, 0)  # their first check-in today: "who is in" keeps the day's first
    shown = fresh_person(on, 2)
    check_in = CheckIn(person.id, Place("Lisbon"), datetime.now(UTC), shared=True, met=shown.id)
    key = f"contract-{on.kind}-{time.time_ns()}"
    first = kiosk.check_in(check_in, person, key)
    if on.keeps_keys:
        again = kiosk.check_in(check_in, person, key)  # the outbox retrying after a lost answer
        assert first and again == first
    else:
        assert first and kiosk.keys_kept_s == 0, "keys the server ignores are never trusted"
    # Past the server's idempotency window (or on a server without one) the outbox looks first.
    assert kiosk.find_check_in(check_in, person, key) == first
    elsewhere = CheckIn(person.id, Place("Nairobi"), datetime.now(UTC), shared=True)
    assert kiosk.find_check_in(elsewhere, person, f"{key}-other") is None
    present = [p for p in kiosk.in_office(check_in.at.astimezone().date()) if p.colleague_id == person.id]
    assert len(present) == 1 and present[0].place.name == "Lisbon"
    assert present[0].met == shown.id, "the colleague of the day the kiosk showed travels with it"


def test_the_stream_delivers_a_new_post(on: Organisation) -> None:
    network = on.network_for(on.me)
    if not on.streams:  # said plainly, so sync polls instead (and doctor does not call it switched off)
        with pytest.raises(Refused, match="has no live stream"):
            next(iter(network.stream(threading.Event())))
        return
    stop = threading.Event()
    seen: list[StreamEvent] = []

    def listen() -> None:
        try:
            for event in network.stream(stop):
                seen.append(event)
                if event.post and "live from the stream" in event.post.text:
                    return
        except Exception as failure:  # the test reports it below
            seen.append(StreamEvent(notice=None, deleted_post_id=f"failed: {failure}"))

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    time.sleep(1.5)  # the stream is open (the Matrix one has taken its position)
    on.post_as(on.other, "live from the stream", "")
    reader.join(20)
    stop.set()
    network.close_stream()
    assert any(e.post and "live from the stream" in e.post.text and e.feed == HOME_FEED for e in seen), seen[-3:]


def test_closing_the_stream_ends_it_while_it_waits(on: Organisation) -> None:
    """A quitting app closes the stream from another thread; it must not wait for the next event
    or the long-poll's timeout (30 s on Matrix), or logging out would hang."""
    network = on.network_for(on.me)
    if not on.streams:  # nothing to wait on: the refusal comes at once
        with pytest.raises(Refused):
            list(network.stream(threading.Event()))
        return
    stop = threading.Event()
    reader = threading.Thread(target=lambda: list(network.stream(stop)), daemon=True)
    reader.start()
    time.sleep(2)  # open, and waiting for news
    stop.set()
    network.close_stream()
    reader.join(5)
    assert not reader.is_alive()


def test_a_token_the_server_no_longer_accepts_asks_to_sign_in_again(on: Organisation, tmp_path: Path) -> None:
    network = on.network_for(on.me)
    wrong = on.rebuilt(network.server, "expired-token")  # type: ignore[attr-defined]
    with pytest.raises(Unauthorized):
        wrong.me()


def test_faults_on_the_way_are_retried_and_the_connector_recovers_by_itself(on: Organisation) -> None:
    """Between Hallway and the real server, a proxy that fails on purpose: a few failed requests
    are retried unseen; many give Offline (the apps show cached data); then it works again."""
    server_url = on.network_for(on.me).server  # type: ignore[attr-defined]
    with FaultProxy(server_url) as proxy:
        client = HttpClient(attempts=3, sleep=lambda _s: None)
        network = on.rebuilt(proxy.url, on.token_for(on.me), client)
        shown = len(network.feed(HOME_FEED, limit=5).posts)
        assert shown
        for kind in ("503", "drop"):
            proxy.fail(2, kind)
            assert len(network.feed(HOME_FEED, limit=5).posts) == shown, f"two {kind}s are retried unseen"
        proxy.fail(50, "503")
        with pytest.raises(Offline):
            network.feed(HOME_FEED, limit=5)
        with pytest.raises(Offline):
            network.notices()
        proxy.fail(0)
        assert len(network.feed(HOME_FEED, limit=5).posts) == shown and network.me().handle, "and then it works again"


def test_notices_after_a_gap_arrive_page_by_page(on: Organisation) -> None:
    """A laptop asleep while more arrived than one page holds: every one comes on waking."""
    network = on.network_for(on.me)
    before = network.notices()
    cursor = max(before, key=lambda n: n.position).id if before else None
    marker = f"gap-{on.kind}-{time.time_ns()}"
    for number in range(45):
        on.post_as(on.other, f"{marker} number {number}", on.me)
    deadline = time.monotonic() + 20
    while True:
        found = {n.text.split("number ")[-1] for n in network.notices(newer_than=cursor) if marker in n.text}
        if len(found) == 45 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert found == {str(n) for n in range(45)}, f"{45 - len(found)} of 45 lost"



def test_a_check_in_notifies_nobody_fills_no_feed_and_is_in_today_for_others(on: Organisation) -> None:
    """Presence that respects the network: at most one post per office per day in anyone's
    feeds, no notification to the person or anyone else, and colleagues see who is in."""
    me, other = on.network_for(on.me), on.network_for(on.other)
    kiosk = on.network_for(on.kiosk)
    person = me.me()
    office = f"Contract {on.kind} {time.time_ns()}"
    notices_before = {n.id for n in me.notices()} | {n.id for n in other.notices()}
    feeds = (HOME_FEED, COMPANY_FEED)
    before = {feed: {p.id for p in other.feed(feed, limit=40).posts} for feed in feeds}
    for number in range(3):  # three people, say; the same person three times is still one
        at = datetime.now(UTC)
        kiosk.check_in(CheckIn(person.id, Place(office), at, shared=True), person, f"{office}-{number}")
    for feed in feeds:
        added = [p for p in other.feed(feed, limit=40).posts if p.id not in before[feed]]
        assert len([p for p in added if office in p.text]) <= 1, f"{feed}: at most the office's day post"
    assert {n.id for n in me.notices()} | {n.id for n in other.notices()} == notices_before, "nobody notified"
    present = [p.colleague_id for p in other.in_office(datetime.now().astimezone().date())]
    assert present.count(person.id) == 1, "seen by a colleague, by account id, once (their first office today)"


def test_a_check_in_is_in_a_colleagues_in_today_within_10_seconds(on: Organisation, tmp_path: Path) -> None:
    """The colleague's laptop syncs as the tray app does while its "In today" tab is open (the
    stream where the network has one, presence every few seconds); the kiosk checks someone in.
    The laptop lists them, by account id, within 10 s of the check-in's delivery."""
    import asyncio

    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Sync

    person = fresh_person(on, 1)  # a first check-in today
    kiosk = on.network_for(on.kiosk)
    store = Store(tmp_path / "laptop.sqlite3", tmp_path / "photos")
    sync = Sync(store, on.network_for(on.other), Outbox(store), feed=COMPANY_FEED, photos_per_pass=0)
    sync.watching_presence = lambda: True
    today = datetime.now().astimezone().date()
    office = f"Within ten {on.kind} {time.time_ns()}"

    async def drive() -> float:
        task = asyncio.get_running_loop().create_task(sync.run(300))
        try:
            while store.get_state("feed:local:newest") is None:  # the first pass is done
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)
            at = datetime.now().astimezone()
            await asyncio.to_thread(kiosk.check_in, CheckIn(person.id, Place(office), at, shared=True), person,
                                    f"{office}-key")
            delivered = time.monotonic()
            while time.monotonic() - delivered < 30:
                seen = store.presence_of(today, person.id)
                if seen is not None and seen.place.name == office:
                    return time.monotonic() - delivered
                await asyncio.sleep(0.1)
            return float("inf")
        finally:
            sync.stop()
            await asyncio.wait_for(task, 30)

    try:
        lag = asyncio.run(drive())
    finally:
        store.close()
    assert lag <= 10, f"listed after {lag:.1f} s"


def test_what_a_person_writes_is_posted_once_as_text_and_a_reply_answers_its_post(on: Organisation) -> None:
    """The tray app's writes: plain text (markup and a javascript: link stay words), a retry
    with the same key is the same post, a reply points at its post, a mention reaches the
    person, and the server's length limit is known before sending."""
    if on.encrypted:
        return refuses_plain_text(on)
    network = on.network_for(on.other)
    network.me()
    list(network.directory())  # the people one can mention
    marker = f"written-{on.kind}-{time.time_ns()}"
    text = f"{marker} <b>bold?</b> <script>x()</script> javascript:alert(1) & more"
    key = f"{marker}-key"
    first = network.publish(text, key)
    if on.keeps_keys:
        assert first and network.publish(text, key) == first, "a retry is the same post"
    else:  # no key kept: the outbox finds the post before any resend
        assert first and network.find_post(text, None, datetime.now(UTC) - timedelta(minutes=1)) == first
    me = on.network_for(on.me)
    me.me()
    handle = me.me().handle
    mention = f"@{handle.split(':')[0] if on.kind.startswith('matrix') else handle}"
    reply = network.publish(f"{marker} reply to you {mention}", f"{key}-reply", reply_to=first)
    deadline = time.monotonic() + 10
    while True:
        posts = {p.id: p for p in me.feed(COMPANY_FEED, limit=20).posts}
        if (first in posts and reply in posts) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert sum(marker in p.text and "reply" not in p.text for p in posts.values()) == 1
    assert "<b>bold?</b>" in posts[first].text and "<script>x()</script>" in posts[first].text, posts[first].text
    assert "<b>" not in posts[first].html and 'href="javascript' not in posts[first].html
    assert posts[reply].reply_to_id == first
    deadline = time.monotonic() + 10
    while not any(marker in n.text for n in me.notices()) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert any(marker in n.text for n in me.notices()), "the mention reached the person"
    limit = network.text_limit()
    assert limit is None if on.kind.startswith("matrix") else isinstance(limit, int) and limit >= 500


def test_a_reply_notifies_the_person_answered(on: Organisation) -> None:
    """A reply written as the tray app writes it reaches the person answered as a notification:
    on Mastodon the box starts with their @handle (nobody is notified otherwise), on Matrix the
    connector names the sender of the message answered in m.mentions."""
    if on.encrypted:
        return refuses_plain_text(on)
    me = on.network_for(on.me)
    mine = me.me()
    marker = f"answered-{on.kind}-{time.time_ns()}"
    post = me.publish(f"{marker} what do you think?", f"{marker}-post")
    writer = on.network_for(on.other)
    writer.me()
    list(writer.directory())
    named = f"@{mine.handle} " if writer.capabilities().mentions_in_text else ""
    writer.publish(f"{named}{marker} a good idea", f"{marker}-reply", reply_to=post)
    deadline = time.monotonic() + 15
    while not (found := [n for n in me.notices() if marker in n.text and "good idea" in n.text]):
        assert time.monotonic() < deadline, "the person answered was notified"
        time.sleep(0.3)
    assert found[0].kind in (NoticeKind.REPLY, NoticeKind.MENTION) and found[0].post_id


def test_an_encrypted_room_is_never_written_in_plain_text(on: Organisation) -> None:
    """Hallway has no end-to-end encryption: where a room is encrypted it says why it will not
    write there (the tray app shows the words in place of its compose box, the kiosk shares no
    check-ins), and a write that comes anyway is refused before it leaves; elsewhere it writes."""
    network = on.network_for(on.other)
    if on.encrypted:
        refuses_plain_text(on)
        assert network.write_refusal("check-ins") == "", "the lobby room is not encrypted here"
    else:
        assert network.write_refusal("feed") == "" and network.write_refusal("check-ins") == ""


def test_a_boost_is_one_boost_and_shows_in_home_not_in_the_company_feed(on: Organisation) -> None:
    """Mastodon: boosting twice (a retry after the key is forgotten) is one boost; the post says
    it is boosted, once; the company feed shows the post and not the boost, the booster's home
    feed shows the boost, pointing at the post. Matrix has no boosts, and says so."""
    me = on.network_for(on.me)
    me.me()
    if on.kind.startswith("matrix") or on.kind in ("viva-engage", "chatter"):  # no shares Hallway can make
        assert me.capabilities().shares is False
        with pytest.raises(Refused):
            me.share("$nothing", "key")
        return
    assert me.capabilities().shares is True
    writer = on.network_for(on.other)
    marker = f"boosted-{on.kind}-{time.time_ns()}"
    original = writer.publish(f"{marker} the new espresso machine is in", f"{marker}-key")
    first = me.share(original, f"{marker}-boost")
    assert me.share(original, f"{marker}-boost-again") == first, "boosting twice is the first boost"
    deadline = time.monotonic() + 10
    while True:
        company = [p for p in me.feed(COMPANY_FEED, limit=40).posts if marker in p.text]
        home = [p for p in me.feed(HOME_FEED, limit=40).posts if p.share_of == original]
        if (company and home) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert [(p.id, p.shared, p.shares) for p in company] == [(original, True, 1)], "the post, boosted once"
    assert len(home) == 1 and home[0].id == first and home[0].acts_on == original
    assert home[0].shared_by and home[0].author_id == writer.me().id and marker in home[0].text


def test_a_notice_marked_read_here_is_read_for_the_persons_other_clients(on: Organisation) -> None:
    """A notification's "Mark read": Mastodon's notifications marker; on Matrix (which has no
    such marker) a read receipt on the mention, which the server's /notifications reports."""
    me = on.network_for(on.me)
    marker = f"read-{on.kind}-{time.time_ns()}"
    on.post_as(on.other, f"{marker} are you in today?", on.me)
    deadline = time.monotonic() + 10
    while not (found := [n for n in me.notices() if marker in n.text]) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert found, "the mention arrived"
    me.set_read_marker("notices", found[0].id)
    if isinstance(me, MatrixNetwork):
        items = requests.get(f"{me.server}/_matrix/client/v3/notifications", params={"limit": 50}, timeout=10,
                             headers={"Authorization": f"Bearer {on.token_for(on.me)}"}).json()["notifications"]
        assert [i["read"] for i in items if i["event"]["event_id"] == found[0].id] == [True]
    elif on.markers:
        assert on.network_for(on.me).read_marker("notices") == found[0].id, "another client reads the same marker"
    else:  # nowhere on the server to keep it: it stays on this computer, and doctor says so
        assert on.network_for(on.me).read_marker("notices") is None
        assert NoteKind.READ_POSITIONS in me.notes, list(me.notes)


def test_office_days_shared_by_one_person_are_read_by_another(on: Organisation) -> None:
    """The office week: a person's plan, written with the network's own calls (a Mastodon profile
    field, a Matrix state event), is in a colleague's directory; the person's other profile
    fields stay as they were; taking the plan back leaves nothing behind."""
    from datetime import date, timedelta

    from hallway.office_week import planning_days

    writer = on.network_for(on.other)
    writer_id = writer.me().id
    days = planning_days(date.today() + timedelta(days=1))[:2]
    if on.kind == "viva-engage":  # the API's limit: a plan lives in Outlook, and only its owner may read it
        with pytest.raises(Refused, match="planned in Outlook"):
            writer.share_office_days(days)
        return
    before = next(c for page in on.network_for(on.me).directory() for c in page if c.id == writer_id)
    writer.share_office_days(days)
    reader = on.network_for(on.me)
    seen = next(c for page in reader.directory() for c in page if c.id == writer_id)
    assert seen.office_days == tuple(days)
    assert (seen.title, seen.team, seen.office, seen.email) == (before.title, before.team, before.office,
                                                                 before.email), "the other fields are kept"
    writer.share_office_days([])
    again = next(c for page in on.network_for(on.me).directory() for c in page if c.id == writer_id)
    assert again.office_days == () and again.title == before.title


def test_birthdays_and_the_yes_to_celebrations_are_read_from_profiles(on: Organisation) -> None:
    """The fields IT names (Birthday, Celebrate) as the seeded company wrote them, each person
    their own way: the day and month read, the year dropped; only a yes celebrates."""
    from hallway.celebrations import birthday, wants_celebrating

    seeded = {a.username: dict(a.fields) for a in generate(seed=11, people=40).accounts.values() if not a.bot}
    read = {c.handle.split(":")[0]: c for page in on.network_for(on.me).directory() for c in page}
    checked = 0
    for username, fields in seeded.items():
        colleague = read.get(username)
        if colleague is None:
            continue  # not discoverable
        yes = wants_celebrating(fields.get("Celebrate", ""))
        if on.kind == "viva-engage":  # Microsoft 365 has no separate yes: a birthday in one's profile is shared
            assert colleague.birthday == (birthday(fields.get("Birthday", "")) if yes else None), username
            assert colleague.celebrate == (yes and colleague.birthday is not None), username
        else:
            assert colleague.birthday == birthday(fields.get("Birthday", "")), username
            assert colleague.celebrate == yes, username
        checked += 1
    assert checked > 25
    assert any(c.birthday and c.celebrate for c in read.values()) and any(not c.celebrate for c in read.values())


def test_the_report_counts_a_staged_pair_and_not_an_unrelated_one(on: Organisation) -> None:
    """`hallway report` on each server: the kiosk showed one person a colleague, whom they then
    mentioned: a connection made; a person who met someone and mentioned someone else is not.
    Read with the kiosk's own token, as IT runs it. (The colleague shown is the person the apps
    run as, "demo": mastodon-mock reads no mention of a username with a dot, which Mastodon allows.)"""
    from hallway.report import read
    from hallway.report_cache import ReportCache

    kiosk = on.network_for(on.kiosk)
    directory = {c.handle.split(":")[0]: c for page in on.network_for(on.me).directory() for c in page}
    names = sorted(n for n in directory if n not in (on.me, on.kiosk, on.other))
    met, alone, elsewhere = (directory[n] for n in names[-3:])
    shown = directory[on.me]
    for person, colleague in ((met, shown), (alone, elsewhere)):
        kiosk.check_in(CheckIn(person.id, Place("Lisbon"), datetime.now(UTC), shared=True, met=colleague.id),
                       person, f"report-{on.kind}-{person.id}-{time.time_ns()}")
    on.post_as(met.handle.split(":")[0], "so good to meet you this morning", on.me)
    on.post_as(alone.handle.split(":")[0], "lunch at one?", on.other)
    fan, liked = (directory[n] for n in names[-5:-3])  # a favourite connects too
    kiosk.check_in(CheckIn(fan.id, Place("Lisbon"), datetime.now(UTC), shared=True, met=liked.id),
                   fan, f"report-{on.kind}-{fan.id}-{time.time_ns()}")
    liked_post = on.publish_as(liked.handle.split(":")[0], "the plants on 3 are thriving")
    on.react_as(fan.handle.split(":")[0], liked_post)
    today = datetime.now(UTC).date()
    cache = ReportCache()  # the report counts people as salted hashes: the pairs as it sees them
    tally = read(kiosk, today - timedelta(days=2), today, cache=cache)

    def pair(one: Colleague, other: Colleague) -> frozenset[str]:
        return frozenset((cache.person(one.id), cache.person(other.id)))
    assert pair(fan, liked) in tally.connected, "a favourite of the colleague's post"
    assert pair(met, shown) in tally.connected, "the staged pair"
    assert pair(alone, elsewhere) in tally.met and pair(alone, elsewhere) not in tally.connected, \
        "met, but talked to someone else"


def test_a_post_is_found_by_its_words_before_it_is_sent_again(on: Organisation) -> None:
    """The outbox's look before resending a post older than the server's key window."""
    if on.encrypted:
        return refuses_plain_text(on)
    network = on.network_for(on.other)
    network.me()
    since = datetime.now(UTC) - timedelta(seconds=5)
    marker = f"findme-{on.kind}-{time.time_ns()}"
    posted = network.publish(f"{marker} the printer works again", f"{marker}-key")
    assert network.find_post(f"{marker} the printer works again", None, since) == posted
    assert network.find_post(f"{marker} something else", None, since) is None


def test_say_hi_is_seen_by_the_colleague_alone_or_refused_where_there_are_no_private_messages(
        on: Organisation) -> None:
    """#28: "Say hi" once posted to the whole company. Where the network has private messages it
    is one (the colleague is told; a third person's feeds never show it); where it has none, the
    connector refuses rather than posting publicly (the app opens the person's profile instead).
    (Written to the person the apps run as, "demo": mastodon-mock reads no mention of a username
    with a dot.)"""
    writer = on.network_for(on.other)
    writer.me()
    marker = f"hi-{on.kind}-{time.time_ns()}"
    if not writer.capabilities().private_messages:
        with pytest.raises(Refused):
            writer.message(on.me, f"@{on.me} {marker}", marker)
        return
    list(writer.directory())
    sent = writer.message(on.me, f"@{on.me} {marker} welcome!", marker)
    reader = on.network_for(on.me)
    deadline = time.monotonic() + 10
    while not any(marker in n.text for n in reader.notices()):
        assert time.monotonic() < deadline, "the colleague is told"
        time.sleep(0.3)
    third = on.network_for(on.kiosk)
    for feed in (HOME_FEED, COMPANY_FEED):
        assert not any(marker in p.text for p in third.feed(feed, limit=40).posts), f"nobody else sees it ({feed})"
    assert writer.find_post(f"@{on.me} {marker} welcome!", None, datetime.now(UTC) - timedelta(minutes=1)) == sent


def test_the_feeds_a_person_follows_or_belongs_to_are_offered_and_each_reads(on: Organisation) -> None:
    """What the settings window offers beside the company's feed and the person's own: on
    Mastodon the hashtags they follow, on Viva Engage and Chatter their communities and groups
    (their team's among them), on Matrix nothing (Hallway reads the company room)."""
    network = on.network_for(on.me)
    if on.kind.startswith("matrix"):
        assert network.feeds() == []
        return
    if isinstance(network, MastodonNetwork):
        tag = f"lunchclub{time.time_ns() % 10**9}"
        requests.post(f"{network.server}/api/v1/tags/{tag}/follow", timeout=10,
                      headers={"Authorization": f"Bearer {on.token_for(on.me)}"}).raise_for_status()
        on.post_as(on.other, f"Soup in the kitchen at noon #{tag}", "")
        wanted = FeedRef(FeedKind.TAG, tag)
        assert wanted in network.feeds()
        page = network.feed(wanted)
        assert any("Soup in the kitchen" in p.text for p in page.posts), "the hashtag's feed reads its posts"
        return
    offered = network.feeds()
    me = network.me().id
    team = next(c.team for page in network.directory() for c in page if c.id == me)
    assert FeedRef(FeedKind.GROUP, team) in offered, f"{team!r}: the person's team community or group"
    assert all(f.kind is FeedKind.GROUP for f in offered)
    posts = network.feed(FeedRef(FeedKind.GROUP, team)).posts
    assert posts and all(p.text for p in posts), "the team's own posts, read as offered"
