"""The demo network speaks the Mastodon API as documented, over real HTTP on loopback."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from hallway.demo.oauth import s256
from hallway.demo.organisation import generate
from hallway.demo.server import DemoNetwork, create

REDIRECT = "http://127.0.0.1/callback"


def register(base: str) -> dict[str, str]:
    answer = requests.post(f"{base}/api/v1/apps", timeout=5, data={
        "client_name": "Hallway", "redirect_uris": REDIRECT, "scopes": "read write"})
    assert answer.status_code == 200, answer.text
    app: dict[str, str] = answer.json()
    return app


def authorize(base: str, app: dict[str, str], challenge: str | None = None, port: int = 51234) -> str:
    params = {"response_type": "code", "client_id": app["client_id"], "scope": "read write",
              "redirect_uri": f"http://127.0.0.1:{port}/callback", "state": "s1"}
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    answer = requests.get(f"{base}/oauth/authorize", params=params, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    assert location.port == port  # RFC 8252: any port on a loopback redirect
    return parse_qs(location.query)["code"][0]


def test_pkce_sign_in_token_and_revoke(demo: DemoNetwork) -> None:
    app = register(demo.url)
    verifier = "v" * 64
    code = authorize(demo.url, app, s256(verifier))
    token_url = f"{demo.url}/oauth/token"
    base_form = {"grant_type": "authorization_code", "client_id": app["client_id"],
                 "redirect_uri": "http://127.0.0.1:51234/callback"}
    wrong = requests.post(token_url, data=base_form | {"code": code, "code_verifier": "x" * 64}, timeout=5)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    # A code is single-use, even after a failed exchange; sign in again.
    code = authorize(demo.url, app, s256(verifier))
    good = requests.post(token_url, data=base_form | {"code": code, "code_verifier": verifier}, timeout=5)
    assert good.status_code == 200, good.text
    token = good.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = requests.get(f"{demo.url}/api/v1/accounts/verify_credentials", headers=headers, timeout=5)
    assert me.json()["username"] == "demo"
    reused = requests.post(token_url, data=base_form | {"code": code, "code_verifier": verifier}, timeout=5)
    assert reused.status_code == 400
    revoked = requests.post(f"{demo.url}/oauth/revoke", timeout=5, data={
        "client_id": app["client_id"], "client_secret": app["client_secret"], "token": token})
    assert revoked.status_code == 200
    after = requests.get(f"{demo.url}/api/v1/accounts/verify_credentials", headers=headers, timeout=5)
    assert after.status_code == 401


def test_consent_page_lets_a_person_choose_and_approve_or_deny() -> None:
    with create(generate(seed=3, people=20)).start_in_background() as network:
        app = register(network.url)
        params = {"response_type": "code", "client_id": app["client_id"], "scope": "read write",
                  "redirect_uri": REDIRECT, "state": "abc"}
        page = requests.get(f"{network.url}/oauth/authorize", params=params, timeout=5)
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
        assert "Allow <strong>Hallway</strong>" in page.text
        assert 'value="demo"' in page.text and "Authorize" in page.text
        form = params | {"account": "demo", "decision": "approve"}
        approved = requests.post(f"{network.url}/oauth/authorize", data=form, allow_redirects=False, timeout=5)
        query = parse_qs(urlsplit(approved.headers["Location"]).query)
        assert query["state"] == ["abc"] and query["code"]
        denied = requests.post(f"{network.url}/oauth/authorize", data=params | {"decision": "deny"},
                               allow_redirects=False, timeout=5)
        assert parse_qs(urlsplit(denied.headers["Location"]).query)["error"] == ["access_denied"]
        unknown = requests.get(f"{network.url}/oauth/authorize", params=params | {"client_id": "nope"}, timeout=5)
        assert unknown.status_code == 401 and "does not work" in unknown.text
        elsewhere = requests.get(f"{network.url}/oauth/authorize",
                                 params=params | {"redirect_uri": "https://evil.example/cb"}, timeout=5)
        assert elsewhere.status_code == 400


def test_every_api_call_needs_a_token(demo: DemoNetwork) -> None:
    for path in ("/api/v1/timelines/home", "/api/v1/directory", "/api/v1/notifications",
                 "/api/v1/announcements", "/api/v1/markers", "/api/v1/accounts/1",
                 "/api/v1/streaming/user"):
        answer = requests.get(f"{demo.url}{path}", timeout=5)
        assert answer.status_code == 401, path
        assert answer.json() == {"error": "The access token is invalid"}
    bad = requests.get(f"{demo.url}/api/v1/timelines/home", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert bad.status_code == 401


def test_malformed_requests_get_the_errors_the_real_api_gives(api: requests.Session) -> None:
    base = api.base  # type: ignore[attr-defined]
    broken = api.post(f"{base}/api/v1/statuses", data=b"{not json",
                      headers={"Content-Type": "application/json"}, timeout=5)
    assert broken.status_code == 400 and "error" in broken.json()
    wrong_type = api.post(f"{base}/api/v1/statuses", json={"status": {"nested": 1}}, timeout=5)
    assert wrong_type.status_code == 422
    blank = api.post(f"{base}/api/v1/statuses", data={"status": "   "}, timeout=5)
    assert blank.status_code == 422 and "can't be blank" in blank.json()["error"]
    long = api.post(f"{base}/api/v1/statuses", data={"status": "x" * 501}, timeout=5)
    assert long.status_code == 422
    assert api.get(f"{base}/api/v1/accounts/999999", timeout=5).status_code == 404
    assert api.get(f"{base}/api/v1/statuses/1", timeout=5).status_code == 404
    assert api.get(f"{base}/api/v1/no/such/thing", timeout=5).json() == {"error": "Record not found"}
    assert api.get(f"{base}/api/v1/timelines/home?limit=abc", timeout=5).status_code == 400
    assert api.get(f"{base}/api/v1/timelines/home?max_id=%27;DROP", timeout=5).status_code == 400
    assert len(api.get(f"{base}/api/v1/timelines/home?limit=100000", timeout=5).json()) == 40
    assert len(api.get(f"{base}/api/v1/directory?limit=-5000", timeout=5).json()) == 80
    assert api.get(f"{base}/api/v1/directory?offset=-1", timeout=5).status_code == 400
    huge = api.post(f"{base}/api/v1/statuses", data=b"x" * 2_000_000,
                    headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=5)
    assert huge.status_code == 413
    assert api.delete(f"{base}/api/v1/timelines/home", timeout=5).status_code == 405


def test_timeline_paging_follows_link_headers(api: requests.Session) -> None:
    base = api.base  # type: ignore[attr-defined]
    first = api.get(f"{base}/api/v1/timelines/home?limit=5", timeout=5)
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', first.headers["Link"]))
    ids = [int(s["id"]) for s in first.json()]
    assert ids == sorted(ids, reverse=True)
    older = api.get(links["next"], timeout=5).json()
    assert max(int(s["id"]) for s in older) < min(ids)
    assert "limit=5" in links["next"]
    # min_id gives the page just newer than a post; since_id the newest ones above it.
    pivot = older[-1]["id"]
    above = api.get(f"{base}/api/v1/timelines/home", params={"min_id": pivot, "limit": 3}, timeout=5).json()
    assert [int(s["id"]) for s in above] == sorted((int(s["id"]) for s in older[-4:-1]), reverse=True)
    newest = api.get(f"{base}/api/v1/timelines/home", params={"since_id": pivot, "limit": 3}, timeout=5).json()
    assert [s["id"] for s in newest] == [str(i) for i in ids[:3]]
    local = api.get(f"{base}/api/v1/timelines/public", params={"local": "true", "limit": "2"}, timeout=5)
    assert len(local.json()) == 2
    tagged = api.get(f"{base}/api/v1/timelines/tag/office", timeout=5).json()
    assert tagged and all(any(t["name"] == "office" for t in s["tags"]) for s in tagged)


def test_directory_lists_only_discoverable_people(demo: DemoNetwork, api: requests.Session) -> None:
    seen: list[dict[str, object]] = []
    offset = 0
    while True:
        page = api.get(f"{demo.url}/api/v1/directory", params={"local": "true", "offset": str(offset),
                                                               "limit": "80", "order": "new"}, timeout=5).json()
        if not page:
            break
        seen += page
        offset += len(page)
    hidden = [a for a in demo.org.accounts.values() if not a.discoverable]
    assert hidden
    assert len(seen) == len(demo.org.accounts) - len(hidden)
    assert {p["id"] for p in seen}.isdisjoint({a.id for a in hidden})
    assert all(p["discoverable"] for p in seen)


def test_notifications_markers_and_announcements(demo: DemoNetwork, api: requests.Session) -> None:
    base = demo.url
    mentions = api.get(f"{base}/api/v1/notifications", params={"types[]": "mention"}, timeout=5).json()
    assert mentions and all(n["type"] == "mention" for n in mentions)
    assert all(">demo</span></a>" in n["status"]["content"] for n in mentions)
    without = api.get(f"{base}/api/v1/notifications", params={"exclude_types[]": "favourite"}, timeout=5).json()
    assert all(n["type"] != "favourite" for n in without)
    saved = api.post(f"{base}/api/v1/markers", data={"home[last_read_id]": "123"}, timeout=5).json()
    assert saved["home"]["last_read_id"] == "123"
    again = api.post(f"{base}/api/v1/markers", json={"home": {"last_read_id": "456"}}, timeout=5).json()
    assert again["home"]["version"] == saved["home"]["version"] + 1
    read = api.get(f"{base}/api/v1/markers", params={"timeline[]": ["home", "notifications"]}, timeout=5)
    assert read.json()["home"]["last_read_id"] == "456"
    other = requests.get(f"{base}/api/v1/announcements", timeout=5,
                         headers={"Authorization": f"Bearer {demo.token_for('lobby')}"}).json()
    first = other[0]["id"]
    lobby = {"Authorization": f"Bearer {demo.token_for('lobby')}"}
    assert requests.post(f"{base}/api/v1/announcements/{first}/dismiss", headers=lobby, timeout=5).ok
    remaining = requests.get(f"{base}/api/v1/announcements", headers=lobby, timeout=5).json()
    assert first not in [a["id"] for a in remaining]
    everything = requests.get(f"{base}/api/v1/announcements", params={"with_dismissed": "true"},
                              headers=lobby, timeout=5).json()
    assert [a["read"] for a in everything if a["id"] == first] == [True]


def test_favourite_and_conditional_get(demo: DemoNetwork, api: requests.Session) -> None:
    post = api.get(f"{demo.url}/api/v1/timelines/public", params={"limit": 1}, timeout=5).json()[0]
    liked = api.post(f"{demo.url}/api/v1/statuses/{post['id']}/favourite", timeout=5).json()
    assert liked["favourited"] is True and liked["favourites_count"] == post["favourites_count"] + 1
    unliked = api.post(f"{demo.url}/api/v1/statuses/{post['id']}/unfavourite", timeout=5).json()
    assert unliked["favourited"] is False
    first = api.get(f"{demo.url}/api/v1/accounts/{post['account']['id']}", timeout=5)
    again = api.get(f"{demo.url}/api/v1/accounts/{post['account']['id']}", timeout=5,
                    headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_avatars_and_media_are_served_as_png(demo: DemoNetwork, api: requests.Session) -> None:
    people = api.get(f"{demo.url}/api/v1/directory", params={"limit": 3}, timeout=5).json()
    pictures = [requests.get(p["avatar"], timeout=5) for p in people]
    assert all(p.status_code == 200 and p.headers["Content-Type"] == "image/png" for p in pictures)
    assert all(p.content.startswith(b"\x89PNG") for p in pictures)
    assert len({p.content for p in pictures}) == 3  # everyone looks different
    with_media = next(s for s in demo.org.statuses.values() if s.media_seed)
    status = api.get(f"{demo.url}/api/v1/statuses/{with_media.id}", timeout=5).json()
    picture = requests.get(status["media_attachments"][0]["url"], timeout=5)
    assert picture.content.startswith(b"\x89PNG")
    assert requests.get(f"{demo.url}/system/accounts/avatars/1/original/avatar.png", timeout=5).status_code == 404


def test_rate_limit_answers_429_with_retry_after(fresh_demo: DemoNetwork) -> None:
    requests.post(f"{fresh_demo.url}/_demo/rate-limit", data={"limit": 3, "window": 60}, timeout=5)
    headers = {"Authorization": f"Bearer {fresh_demo.token_for('demo')}"}
    answers = [requests.get(f"{fresh_demo.url}/api/v1/timelines/home", headers=headers, timeout=5)
               for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert 1 <= int(answers[3].headers["Retry-After"]) <= 60
    assert answers[3].json() == {"error": "Too many requests"}


@pytest.mark.parametrize("kind, status", [("500", 500), ("502", 502), ("503", 503), ("html", 502),
                                          ("429", 429)])
def test_fault_injection_status_codes(api: requests.Session, kind: str, status: int) -> None:
    base = api.base  # type: ignore[attr-defined]
    requests.post(f"{base}/_demo/faults", json={"path": "/api/v1/timelines/*", "kind": kind, "count": 2,
                                                "retry_after": 7}, timeout=5)
    answers = [api.get(f"{base}/api/v1/timelines/home", timeout=5) for _ in range(3)]
    assert [a.status_code for a in answers] == [status, status, 200]
    if kind == "429":
        assert answers[0].headers["Retry-After"] == "7"
    if kind in ("502", "503", "html"):
        assert answers[0].headers["Content-Type"].startswith("text/html")


def test_fault_injection_on_the_socket(api: requests.Session) -> None:
    base = api.base  # type: ignore[attr-defined]
    home = f"{base}/api/v1/timelines/home"
    requests.post(f"{base}/_demo/faults", data={"spec": "/api/v1/timelines/home=drop"}, timeout=5)
    with pytest.raises(requests.ConnectionError):
        api.get(home, timeout=5)
    requests.post(f"{base}/_demo/faults", data={"spec": "/api/v1/timelines/home=truncated"}, timeout=5)
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        api.get(home, timeout=5).json()
    requests.post(f"{base}/_demo/faults", data={"spec": "/api/v1/timelines/home=invalid-json"}, timeout=5)
    with pytest.raises(requests.JSONDecodeError):
        api.get(home, timeout=5).json()
    requests.post(f"{base}/_demo/faults", data={"spec": "/api/v1/timelines/home=slow:0.6"}, timeout=5)
    started = time.monotonic()
    assert api.get(home, timeout=5).ok
    assert time.monotonic() - started >= 0.6
    requests.post(f"{base}/_demo/faults", data={"spec": "/api/v1/timelines/home=slow:3"}, timeout=5)
    with pytest.raises(requests.Timeout):
        api.get(home, timeout=0.5)
    assert api.get(home, timeout=5).ok


def test_bad_fault_descriptions_are_refused(demo: DemoNetwork) -> None:
    for body in ({"path": "/x", "kind": "explode"}, {"kind": "500"}, {"path": "nope", "kind": "500"},
                 {"path": "/x", "kind": "500", "count": "many"}):
        answer = requests.post(f"{demo.url}/_demo/faults", json=body, timeout=5)
        assert answer.status_code == 422, body
    assert requests.get(f"{demo.url}/_demo/faults", timeout=5).json() == []


def test_profile_page_for_the_phone(demo: DemoNetwork) -> None:
    person = next(a for a in demo.org.accounts.values() if a.discoverable and not a.bot)
    page = requests.get(f"{demo.url}/@{person.username}", timeout=5)
    assert page.status_code == 200 and person.display_name.split()[0] in page.text
    hidden = next(a for a in demo.org.accounts.values() if not a.discoverable and not a.bot)
    assert requests.get(f"{demo.url}/@{hidden.username}", timeout=5).status_code == 404
