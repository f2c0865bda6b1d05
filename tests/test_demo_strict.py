"""The demo network is as strict as Mastodon where Hallway could be fooled by a kinder server:
home holds only what you follow, the directory can be off, an Idempotency-Key lasts an hour,
ids may be strings (GoToSocial's ULIDs), and notifications page with a Link header. Each of
these failed against the demo before it was made strict (docs/demo-network.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from hallway.demo.organisation import generate, ulid
from hallway.demo.server import DemoNetwork, create


@pytest.fixture
def strict() -> Iterator[DemoNetwork]:
    network = create(generate(seed=21, people=60), rate_limit=1_000_000).start_in_background()
    yield network
    network.stop()


def get(network: DemoNetwork, who: str, path: str, **params: object) -> requests.Response:
    return requests.get(f"{network.url}{path}", params=params, timeout=10,  # type: ignore[arg-type]
                        headers={"Authorization": f"Bearer {network.token_for(who)}"})


def post(network: DemoNetwork, who: str, path: str, key: str = "", **data: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {network.token_for(who)}"} | ({"Idempotency-Key": key} if key else {})
    return requests.post(f"{network.url}{path}", data=data, headers=headers, timeout=10)


def test_home_holds_your_own_posts_and_those_you_follow_only(strict: DemoNetwork) -> None:
    org = strict.org
    me = org.accounts[org.demo_user_id]
    follows = org.following(me.id)
    assert follows, "people follow their team"
    home = get(strict, "demo", "/api/v1/timelines/home", limit=40).json()
    assert home and all(s["account"]["id"] in follows | {me.id} for s in home)
    stranger = next(a for a in org.accounts.values() if a.id not in follows and a.id != me.id and not a.bot)
    post(strict, stranger.username, "/api/v1/statuses", status="Not for your home timeline")
    local = get(strict, "demo", "/api/v1/timelines/public", local="true", limit=5).json()
    assert local[0]["content"].endswith("Not for your home timeline</p>"), "the company's feed has it"
    assert "Not for your home timeline" not in get(strict, "demo", "/api/v1/timelines/home").text
    post(strict, "demo", f"/api/v1/accounts/{stranger.id}/follow")
    assert "Not for your home timeline" in get(strict, "demo", "/api/v1/timelines/home").text, "once followed"


def test_new_joiners_follow_nobody_yet(strict: DemoNetwork) -> None:
    from datetime import UTC, datetime
    org = strict.org
    joiners = [a for a in org.accounts.values() if not a.bot and a.id != org.demo_user_id
               and (datetime.now(UTC).date() - a.created_at.date()).days < 7]
    for joiner in joiners:
        assert not org.following(joiner.id)
        home = get(strict, joiner.username, "/api/v1/timelines/home").json()
        assert all(s["account"]["id"] == joiner.id for s in home)


def test_the_directory_can_be_switched_off(strict: DemoNetwork) -> None:
    assert get(strict, "demo", "/api/v1/directory").status_code == 200
    requests.post(f"{strict.url}/_demo/settings", data={"directory": "off"}, timeout=5).raise_for_status()
    answer = get(strict, "demo", "/api/v1/directory")
    assert answer.status_code == 404 and answer.json() == {"error": "Record not found"}


def test_an_idempotency_key_lasts_an_hour(strict: DemoNetwork) -> None:
    first = post(strict, "lobby", "/api/v1/statuses", key="k-1", status="once").json()
    requests.post(f"{strict.url}/_demo/clock", data={"advance": "3000"}, timeout=5).raise_for_status()
    assert post(strict, "lobby", "/api/v1/statuses", key="k-1", status="once").json()["id"] == first["id"]
    requests.post(f"{strict.url}/_demo/clock", data={"advance": "700"}, timeout=5).raise_for_status()
    again = post(strict, "lobby", "/api/v1/statuses", key="k-1", status="once").json()
    assert again["id"] != first["id"], "after an hour the key is forgotten and the post is made again"


def test_notifications_page_with_max_and_min_id_and_a_link_header(strict: DemoNetwork) -> None:
    for number in range(12):
        post(strict, "lobby", "/api/v1/statuses", status=f"@demo page test {number}")
    first = get(strict, "demo", "/api/v1/notifications", limit=5)
    page = first.json()
    assert len(page) == 5 and 'rel="next"' in first.headers["Link"] and 'rel="prev"' in first.headers["Link"]
    older_url = re.search(r'<([^>]+)>; rel="next"', first.headers["Link"])
    assert older_url is not None
    older = requests.get(older_url[1], headers={"Authorization": f"Bearer {strict.token_for('demo')}"},
                         timeout=10).json()
    assert older and not {n["id"] for n in page} & {n["id"] for n in older}
    above = get(strict, "demo", "/api/v1/notifications", limit=3, min_id=older[0]["id"]).json()
    assert [n["id"] for n in above] == [n["id"] for n in page[-3:]], "min_id: the page just above"


def test_string_ids_are_ulids_that_sort_as_the_server_sorts() -> None:
    org = generate(seed=22, people=30, string_ids=True)
    with create(org, rate_limit=1_000_000).start_in_background() as network:
        home = get(network, "demo", "/api/v1/timelines/home", limit=10)
        ids = [s["id"] for s in home.json()]
        assert ids and all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", i) for i in ids)
        assert ids == sorted(ids, reverse=True), "newest first, in text order"
        older = get(network, "demo", "/api/v1/timelines/home", limit=10, max_id=ids[-1]).json()
        assert older and max(s["id"] for s in older) < ids[-1]
        notice_ids = [n["id"] for n in get(network, "demo", "/api/v1/notifications").json()]
        assert notice_ids and not any(i.isdigit() for i in notice_ids)
    assert ulid(2) > ulid(1) and ulid(1 << 20) > ulid((1 << 20) - 1)


def test_boosts_are_as_mastodon_keeps_them(strict: DemoNetwork) -> None:
    """A boost wraps its post; boosting twice answers with the first; public timelines carry no
    boosts, followers' home feeds do; followers-only and direct posts cannot be boosted by
    others (403); the author is notified; deleting the post takes its boosts with it."""
    org = strict.org
    me = org.accounts[org.demo_user_id]
    follower = next(a for a in org.accounts.values() if me.id in org.following(a.id) and not a.bot)
    writer = next(a for a in org.accounts.values() if a.id not in (me.id, follower.id) and not a.bot)
    original = post(strict, writer.username, "/api/v1/statuses", status="Cake in the kitchen").json()
    first = post(strict, "demo", f"/api/v1/statuses/{original['id']}/reblog").json()
    assert first["reblog"]["id"] == original["id"] and first["content"] == "" and first["account"]["id"] == me.id
    again = post(strict, "demo", f"/api/v1/statuses/{original['id']}/reblog").json()
    assert again["id"] == first["id"], "boosting twice is the first boost"
    shown = get(strict, "demo", f"/api/v1/statuses/{original['id']}").json()
    assert shown["reblogged"] is True and shown["reblogs_count"] == 1
    public = get(strict, "demo", "/api/v1/timelines/public", local="true", limit=40).json()
    assert all(s["reblog"] is None for s in public) and any(s["id"] == original["id"] for s in public)
    home = get(strict, follower.username, "/api/v1/timelines/home", limit=40).json()
    assert any(s["id"] == first["id"] and s["reblog"]["id"] == original["id"] for s in home), "followers see it"
    notices = get(strict, writer.username, "/api/v1/notifications", limit=40).json()
    assert any(n["type"] == "reblog" and n["account"]["id"] == me.id for n in notices)
    direct = post(strict, writer.username, "/api/v1/statuses", status="@demo just you", visibility="direct").json()
    refused = post(strict, "demo", f"/api/v1/statuses/{direct['id']}/reblog")
    assert refused.status_code == 403 and refused.json()["error"] == "This action is not allowed"
    private = post(strict, writer.username, "/api/v1/statuses", status="For followers", visibility="private").json()
    assert post(strict, "demo", f"/api/v1/statuses/{private['id']}/reblog").status_code in (403, 404)
    requests.delete(f"{strict.url}/api/v1/statuses/{original['id']}", timeout=10,
                    headers={"Authorization": f"Bearer {strict.token_for(writer.username)}"}).raise_for_status()
    assert get(strict, "demo", f"/api/v1/statuses/{first['id']}").status_code == 404, "its boosts go with it"
