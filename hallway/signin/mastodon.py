"""Signing in to a Mastodon-API network: OAuth 2 authorization code with PKCE (S256) in the
system browser, answered on the loopback redirect. No password passes through Hallway."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from hallway.http import HttpClient, HttpError
from hallway.signin.errors import SignInError
from hallway.signin.loopback import CALLBACK_PATH, LoopbackRedirect
from hallway.signin.tokens import load_secret, save_secret

SCOPES = "read write"


def s256(verifier: str) -> str:
    """The PKCE code challenge for ``verifier`` (RFC 7636, S256)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class App:
    client_id: str
    client_secret: str


def registered_app(server: str, client: HttpClient) -> App:
    """Hallway's app registration on this server, made once and remembered in the keyring."""
    name = f"app@{server}"
    stored = load_secret(name)
    if stored:
        data = json.loads(stored)
        return App(data["client_id"], data["client_secret"])
    answer = client.request("POST", f"{server}/api/v1/apps", data={
        "client_name": "Hallway", "redirect_uris": f"http://127.0.0.1{CALLBACK_PATH}", "scopes": SCOPES,
        "website": "https://hallway.example"}).json()
    app = App(str(answer["client_id"]), str(answer["client_secret"]))
    save_secret(name, json.dumps({"client_id": app.client_id, "client_secret": app.client_secret}))
    return app


def sign_in(server: str, client: HttpClient, open_browser: Callable[[str], Any], timeout_s: float) -> str:
    """Open the network's sign-in page, wait for the redirect, and return the token."""
    try:
        app = registered_app(server, client)
    except HttpError as failure:
        raise SignInError(failure.title, failure.message) from None
    loopback = LoopbackRedirect(expects="code")
    verifier = secrets.token_urlsafe(64)
    url = f"{server}/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": app.client_id, "redirect_uri": loopback.redirect, "scope": SCOPES,
        "state": loopback.state, "code_challenge": s256(verifier), "code_challenge_method": "S256"})
    code = loopback.wait(url, open_browser, timeout_s)
    try:
        token = client.request("POST", f"{server}/oauth/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": loopback.redirect,
            "client_id": app.client_id, "client_secret": app.client_secret, "code_verifier": verifier}).json()
    except HttpError as failure:
        raise SignInError("The network did not accept the sign-in", failure.message) from None
    return str(token["access_token"])


def revoke(server: str, token: str, client: HttpClient) -> None:
    app = registered_app(server, client)
    client.request("POST", f"{server}/oauth/revoke", data={
        "client_id": app.client_id, "client_secret": app.client_secret, "token": token})
