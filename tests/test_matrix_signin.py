"""Signing in to Synapse: its single sign-on through the company's sign-in (the demo network's
OAuth, which Synapse's OIDC module calls), and the password form where a server has no SSO."""

from __future__ import annotations

import http.cookiejar
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from hallway import signin
from hallway.demo.synapse import PASSWORD, SeededOrganisation, Synapse
from hallway.networks import Unauthorized
from hallway.networks.matrix import MatrixNetwork

pytestmark = pytest.mark.slow


class LoopbackIsSecure(http.cookiejar.DefaultCookiePolicy):
    """Browsers treat http://127.0.0.1 as a secure context and send it ``Secure`` cookies (as
    Synapse's SSO session cookie is); Python's cookie jar does not unless told."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return urlsplit(request.get_full_url()).hostname == "127.0.0.1" or super().return_ok_secure(cookie, request)


def browser(url: str) -> None:
    """Follows the redirects as a browser would, cookies and all: Synapse, the company's sign-in
    (which approves at once), Synapse's callback, and Hallway's loopback redirect. (urllib, not
    requests: requests copies the cookie jar for each request and drops its policy.)"""
    jar = http.cookiejar.CookieJar(policy=LoopbackIsSecure())
    with urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(url, timeout=30) as page:
        assert b"signed in to Hallway" in page.read()


def test_single_sign_on_goes_through_the_company_and_ends_in_the_keyring(
        synapse: tuple[Synapse, SeededOrganisation], isolated_home: Path) -> None:
    homeserver, seeded = synapse
    asked: list[str] = []

    def ask_password(server: str) -> None:
        asked.append(server)

    token = signin.sign_in(homeserver.url, kind="matrix", open_browser=browser, ask_password=ask_password)
    assert asked == []  # a server with SSO never sees a password form
    assert signin.load_token(homeserver.url) == token
    me = MatrixNetwork(homeserver.url, token).me()
    demo = seeded.org.accounts[seeded.org.demo_user_id]
    assert (me.handle, me.name) == (seeded.user_ids[demo.username].lstrip("@"), demo.display_name)
    devices = homeserver.call("GET", "/_matrix/client/v3/devices", token)["devices"]
    assert any((d.get("display_name") or "").startswith("Hallway on ") for d in devices)
    assert not any(token in p.read_text(errors="ignore") for p in isolated_home.rglob("*.toml"))

    signin.sign_out(homeserver.url, kind="matrix")
    assert signin.load_token(homeserver.url) is None
    with pytest.raises(Unauthorized):
        MatrixNetwork(homeserver.url, token).me()  # logged out at the server, not only forgotten here


def test_a_cancelled_single_sign_on_says_so(synapse: tuple[Synapse, SeededOrganisation]) -> None:
    homeserver, _ = synapse
    with pytest.raises(signin.SignInError, match="took too long"):
        signin.sign_in(homeserver.url, kind="matrix", open_browser=lambda url: None, timeout_s=0.5)


def test_without_single_sign_on_a_password_is_asked_for_and_not_kept(
        password_synapse: tuple[Synapse, str], isolated_home: Path) -> None:
    homeserver, username = password_synapse
    opened: list[str] = []
    token = signin.sign_in(homeserver.url, kind="matrix", open_browser=opened.append,
                           ask_password=lambda server: (f" {username} ", PASSWORD))
    assert opened == []
    assert MatrixNetwork(homeserver.url, token).me().handle == f"{username}:localhost"
    assert not any(PASSWORD in p.read_text(errors="ignore") for p in isolated_home.rglob("*") if p.is_file())


def test_a_wrong_password_or_no_answer_gets_a_clear_message(password_synapse: tuple[Synapse, str]) -> None:
    homeserver, username = password_synapse
    with pytest.raises(signin.SignInError, match="Wrong name or password"):
        signin.sign_in(homeserver.url, kind="matrix", ask_password=lambda server: (username, "not it"))
    with pytest.raises(signin.SignInError, match="cancelled"):
        signin.sign_in(homeserver.url, kind="matrix", ask_password=lambda server: None)
    with pytest.raises(signin.SignInError, match="wants a password"):
        signin.sign_in(homeserver.url, kind="matrix")
