"""A sign-in whose access token expires (as Microsoft's and Salesforce's do, within hours) and
comes with a refresh token: refreshed when the server refuses it or shortly before it expires,
kept in the keyring as one item, and nothing queued lost meanwhile (#30, item 2). The demo's
tokens expire behind a switch (``Behaviour.token_lifetime_s``)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import keyring
import pytest
import requests

from hallway import cli, signin
from hallway import config as settings
from hallway.connect import open_network
from hallway.demo import server
from hallway.demo.behaviour import MASTODON
from hallway.demo.organisation import generate
from hallway.http import HttpClient, Unauthorized
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.signin import oauth
from hallway.signin.credentials import Credentials, SignIn
from hallway.store import Store

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast


def browser(url: str) -> None:
    """The demo approves at once and redirects to Hallway's loopback callback, as a browser would."""
    assert requests.get(url, timeout=10).ok


@pytest.fixture
def expiring() -> Iterator[server.DemoNetwork]:
    """A network whose people's tokens last an hour and come with refresh tokens."""
    network = server.create(generate(seed=13, people=30), auto_approve=True, heartbeat_s=1.0,
                            behaviour=replace(MASTODON, token_lifetime_s=3600)).start_in_background()
    yield network
    network.stop()


def machine(tmp_path: Path, url: str) -> settings.Config:
    file = tmp_path / "machine.toml"
    file.write_text(f'[network]\nserver = "{url}"\n')
    return settings.load(file, tmp_path / "user.toml")


def verify(url: str, token: str) -> int:
    return requests.get(f"{url}/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"},
                        timeout=5).status_code


def who(network: object) -> str:
    """Who the network's sign-in is, asked of the server now (``me()`` may answer from what it keeps)."""
    assert isinstance(network, MastodonNetwork)
    answer = network.client.request("GET", f"{network.server}/api/v1/accounts/verify_credentials",
                                    conditional=False, auth=network.signin)
    return str(answer.json()["username"])


def test_a_token_that_expires_mid_session_is_refreshed_and_the_queued_post_lands_once(
        expiring: server.DemoNetwork, tmp_path: Path) -> None:
    first = signin.sign_in(expiring.url, open_browser=browser)
    stored = signin.load_credentials(expiring.url)
    assert stored is not None and stored.access_token == first
    assert stored.refresh_token and 3500 < stored.expires_at - time.time() <= 3600
    item = json.loads(keyring.get_password(signin.SERVICE, f"user@{expiring.url}") or "")
    assert item["refresh_token"] == stored.refresh_token, "one keyring item holds the whole sign-in"

    network = open_network(machine(tmp_path, expiring.url), client=HttpClient(sleep=lambda s: None))
    assert network.me().handle == "demo"
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    outbox = Outbox(store)
    outbox.add_post("Who's up for the 4 pm walk?")

    expiring.api.oauth.expire(first)  # the hour is up, mid-session
    assert verify(expiring.url, first) == 401
    delivery = outbox.deliver(network)

    assert (delivery.delivered, delivery.pending, delivery.stopped_by) == (1, 0, None)
    assert expiring.api.oauth.refreshed == 1
    mine = [s for s in expiring.org.statuses.values() if s.text == "Who's up for the 4 pm walk?"]
    assert len(mine) == 1, "sent once, after the refresh; not lost, not doubled"
    kept = signin.load_credentials(expiring.url)
    assert kept is not None and kept.access_token != first and kept.refresh_token != stored.refresh_token
    assert verify(expiring.url, kept.access_token) == 200, "the keyring holds the token that works now"
    assert verify(expiring.url, first) == 401

    again = open_network(machine(tmp_path, expiring.url))  # the next start: no refresh needed
    assert again.me().handle == "demo" and expiring.api.oauth.refreshed == 1
    store.close()


def test_many_requests_refused_at_once_share_one_refresh(expiring: server.DemoNetwork, tmp_path: Path) -> None:
    first = signin.sign_in(expiring.url, open_browser=browser)
    network = open_network(machine(tmp_path, expiring.url))
    network.me()
    expiring.api.oauth.expire(first)
    handles: list[str] = []
    threads = [threading.Thread(target=lambda: handles.append(who(network))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert handles == ["demo"] * 6
    assert expiring.api.oauth.refreshed == 1, "one refresh for six refused requests (a spent refresh token fails)"


def test_a_token_about_to_expire_is_refreshed_before_it_is_sent(expiring: server.DemoNetwork) -> None:
    signin.sign_in(expiring.url, open_browser=browser)
    stored = signin.load_credentials(expiring.url)
    assert stored is not None
    later = SignIn(stored, refresh=lambda c: oauth.refresh(c, HttpClient()),
                   clock=lambda: stored.expires_at - 30)  # half a minute before the hour is up
    answer = HttpClient().request("GET", f"{expiring.url}/api/v1/accounts/verify_credentials", auth=later)
    assert answer.status == 200
    assert expiring.api.oauth.refreshed == 1 and later.credentials.access_token != stored.access_token


def test_a_refused_refresh_means_sign_in_again_and_the_queue_waits(expiring: server.DemoNetwork,
                                                                   tmp_path: Path) -> None:
    first = signin.sign_in(expiring.url, open_browser=browser)
    network = open_network(machine(tmp_path, expiring.url), client=HttpClient(sleep=lambda s: None))
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    outbox = Outbox(store)
    outbox.add_post("Cake in the kitchen")
    expiring.api.oauth.expire(first)
    expiring.api.oauth._refresh_tokens.clear()  # the person's password changed: IT ended every refresh token

    delivery = outbox.deliver(network)

    assert isinstance(delivery.stopped_by, Unauthorized)
    assert outbox.pending_count() == 1, "kept for when the person signs in again"
    with pytest.raises(Unauthorized):
        who(network)
    store.close()


def test_a_bare_token_and_a_damaged_item_read_back_safely() -> None:
    assert Credentials.from_stored("abc123") == Credentials("abc123")
    assert Credentials("abc123").stored() == "abc123", "tokens that never expire stay as Hallway always kept them"
    whole = Credentials("a", refresh_token="r", expires_at=1_900_000_000.0, token_url="https://x/oauth/token",
                        client_id="c", account="k")
    assert Credentials.from_stored(whole.stored()) == whole
    odd = Credentials.from_stored(json.dumps({"access_token": "a", "refresh_token": "r", "expires_at": "soon",
                                              "from_a_newer_hallway": 1}))
    assert odd.access_token == "a" and odd.expires_within(0), "an unreadable expiry is refreshed first"


def test_doctor_says_the_sign_in_renews_itself(expiring: server.DemoNetwork, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    signin.sign_in(expiring.url, open_browser=browser)
    machine(tmp_path, expiring.url)
    monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(tmp_path / "machine.toml"))
    monkeypatch.setenv(settings.USER_CONFIG_ENV, str(tmp_path / "user.toml"))
    cli.main(["doctor"])
    said = capsys.readouterr().out
    assert "your sign-in: signed in as @demo (renews itself; this token expires in 60 min)" in said, said
