"""Signing in to Salesforce (Chatter): the OAuth 2.0 web server flow with PKCE, as a public
client of the company's External Client App (no secret), in the system browser and back on
Hallway's loopback redirect. The answer's ``instance_url`` is where the API lives (not the
login host) and is kept with the sign-in; the refresh token (scope ``refresh_token``) renews the
access token when the org's session ends (hallway/signin/oauth.py; Salesforce keeps the refresh
token, so a refresh answer carries none).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from hallway.http import HttpClient, HttpError, Refused, Unauthorized
from hallway.signin.credentials import Credentials, new_account, oauth_fields
from hallway.signin.errors import Revoked, SignInError
from hallway.signin.loopback import LoopbackRedirect
from hallway.signin.mastodon import PORTS, s256

if TYPE_CHECKING:
    from hallway.config import Config

SCOPES = "chatter_api api refresh_token"


def consumer_key(config: Config | None) -> str:
    key = config["chatter.consumer_key"] if config is not None else ""
    if not key:
        raise SignInError("Chatter is not set up", "IT sets chatter.consumer_key (the consumer key of Hallway's "
                          "External Client App in Salesforce): see docs/admin.md.")
    return str(key)


def _listener() -> LoopbackRedirect:
    """On one of the callback ports IT registered in the External Client App (Salesforce compares
    callback URLs exactly, port and all)."""
    for port in PORTS:
        with contextlib.suppress(OSError):
            return LoopbackRedirect("code", port)
    raise SignInError("Hallway's sign-in ports are all in use", f"Ports {', '.join(map(str, PORTS))} are taken by "
                      "other programs on this computer: close one and try again.")


def sign_in(server: str, client: HttpClient, open_browser: Callable[[str], Any], timeout_s: float,
            ask_password: object = None, ask_code: object = None, config: Config | None = None) -> Credentials:
    """The browser to the org's login page, back with a code, redeemed with the PKCE verifier."""
    key = consumer_key(config)
    listener = _listener()
    verifier = secrets.token_urlsafe(64)
    url = f"{server}/services/oauth2/authorize?" + urlencode({
        "response_type": "code", "client_id": key, "redirect_uri": listener.redirect, "scope": SCOPES,
        "state": listener.state, "code_challenge": s256(verifier), "code_challenge_method": "S256"})
    code = listener.wait(url, open_browser, timeout_s)
    token_url = f"{server}/services/oauth2/token"
    try:
        answer = client.request("POST", token_url, data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": listener.redirect, "client_id": key,
            "code_verifier": verifier}, conditional=False).json()
    except HttpError as failure:
        raise SignInError("Salesforce did not accept the sign-in", failure.message) from None
    if not isinstance(answer, dict) or not answer.get("access_token") or not answer.get("instance_url"):
        raise SignInError("Salesforce did not accept the sign-in", "Its answer had no token or no instance address.")
    return Credentials(**oauth_fields(answer), token_url=token_url, client_id=key, account=new_account())


def revoke(server: str, token: str, client: HttpClient) -> Revoked:
    """``/services/oauth2/revoke``: revoking the access token ends the session; the refresh token
    Hallway keeps goes with the keyring item."""
    try:
        client.request("POST", f"{server}/services/oauth2/revoke", data={"token": token}, conditional=False)
    except (Refused, Unauthorized):
        return Revoked.REFUSED
    except HttpError:
        return Revoked.OFFLINE
    return Revoked.YES
