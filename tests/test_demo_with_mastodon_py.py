"""A third-party client, Mastodon.py, uses the demo network as it would a real server."""

from __future__ import annotations

import threading
import uuid
from urllib.parse import parse_qs, urlsplit

import requests
from mastodon import Mastodon, StreamListener

from hallway.demo.server import DemoNetwork

REDIRECT = "http://127.0.0.1:45999/callback"


def sign_in_with_mastodon_py(demo: DemoNetwork) -> Mastodon:
    client_id, client_secret = Mastodon.create_app(
        "Mastodon.py test", redirect_uris=REDIRECT, api_base_url=demo.url,
        scopes=["read", "write", "follow", "push"])
    client = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=demo.url)
    url = client.auth_request_url(redirect_uris=REDIRECT, scopes=["read", "write", "follow", "push"],
                                  state="xyz", allow_http=True)
    # The demo approves at once (auto-approve), as a person clicking "Authorize" would.
    answer = requests.get(url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    client.log_in(code=query["code"][0], redirect_uri=REDIRECT, scopes=["read", "write", "follow", "push"],
                  allow_http=True)
    return client


def test_oauth_sign_in_and_reading_everything(demo: DemoNetwork) -> None:
    client = sign_in_with_mastodon_py(demo)
    me = client.account_verify_credentials()
    assert me.username == "demo"
    assert me.source.note

    people = client.directory(local=True, limit=80, order="new")
    assert len(people) == 80
    assert all(person.discoverable for person in people)
    names = {field.name for field in people[0].fields}
    assert {"Title", "Team", "Office", "Hobbies", "Ask me about", "Started"} <= names

    home = client.timeline_home(limit=10)
    assert len(home) == 10
    older = client.fetch_next(home)
    assert older and int(older[0].id) < int(home[-1].id)

    notices = client.notifications()
    assert {n.type for n in notices} >= {"mention", "favourite"}

    announcements = client.announcements()
    assert len(announcements) == 2
    assert "lobby" in announcements[0].content


def test_same_idempotency_key_posts_once(demo: DemoNetwork) -> None:
    client = sign_in_with_mastodon_py(demo)
    key = str(uuid.uuid4())
    text = f"Checked in at the Lisbon office {key[:8]}"
    first = client.status_post(text, idempotency_key=key)
    second = client.status_post(text, idempotency_key=key)
    assert first.id == second.id
    stored = requests.get(f"{demo.url}/_demo/statuses", params={"contains": key[:8]}, timeout=5).json()
    assert len(stored) == 1


def test_streaming_delivers_a_new_post(demo: DemoNetwork) -> None:
    client = sign_in_with_mastodon_py(demo)
    arrived = threading.Event()
    seen: list[str] = []

    class Listener(StreamListener):
        def on_update(self, status: dict[str, object]) -> None:
            seen.append(str(status["content"]))
            arrived.set()

    handle = client.stream_user(Listener(), run_async=True, reconnect_async=False)
    try:
        # Someone the demo person follows: the user stream is the home timeline, as on Mastodon.
        followed = demo.org.accounts[next(iter(demo.org.following(demo.org.demo_user_id)))]
        colleague = Mastodon(access_token=demo.token_for(followed.username), api_base_url=demo.url)
        # Wait until the stream is connected, then post as someone else.
        deadline = threading.Event()
        for _ in range(100):
            if demo.api.hub.count() > 0:
                break
            deadline.wait(0.05)
        colleague.status_post("Fresh croissants at the front desk!")
        assert arrived.wait(10), "the stream never delivered the new post"
        assert any("Fresh croissants" in text for text in seen)
    finally:
        handle.close()
