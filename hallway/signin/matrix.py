"""Signing in to a Matrix homeserver.

The server's single sign-on first (``m.login.sso``): the browser goes to the company's sign-in
and comes back to the loopback redirect with a short-lived ``loginToken``, which Hallway trades
for an access token (``m.login.token``). Servers that moved to the OAuth 2.0 API (Matrix 1.15,
through matrix-authentication-service) keep offering ``m.login.sso`` through its compatibility
layer, so this one path reaches them too. Only a server with no single sign-on gets the
password form, and Hallway forgets the password as soon as the server has answered.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from hallway.http import HttpClient, HttpError, Refused, Unauthorized
from hallway.signin.errors import Revoked, SignInError
from hallway.signin.loopback import LoopbackRedirect

LOGIN = "/_matrix/client/v3/login"
AskPassword = Callable[[str], "tuple[str, str] | None"]  # server -> (user, password), or None if cancelled


def device_name() -> str:
    """How the sign-in shows in the person's list of sessions (Element's "Sessions")."""
    return f"Hallway on {platform.node() or 'this computer'}"


def _flows(server: str, client: HttpClient) -> dict[str, dict[str, Any]]:
    try:
        answer = client.request("GET", server + LOGIN).json()
    except HttpError as failure:
        raise SignInError(failure.title, failure.message) from None
    flows = answer.get("flows") if isinstance(answer, dict) else None
    return {str(f.get("type")): f for f in flows or [] if isinstance(f, dict)}


def _log_in(server: str, client: HttpClient, body: dict[str, Any]) -> str:
    try:
        answer = client.request("POST", server + LOGIN, json={
            **body, "initial_device_display_name": device_name()}).json()
    except Refused as refused:
        if refused.status == 403 and body["type"] == "m.login.password":
            raise SignInError("Wrong name or password", "The server did not accept that name and password. "
                              "Check them and try again.") from None
        raise SignInError("The server did not accept the sign-in", refused.message) from None
    except HttpError as failure:
        raise SignInError(failure.title, failure.message) from None
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise SignInError("The server did not accept the sign-in", "Its answer held no access token.")
    return token


def sign_in(server: str, client: HttpClient, open_browser: Callable[[str], Any], timeout_s: float,
            ask_password: AskPassword | None = None, ask_code: object = None, config: object = None) -> str:
    flows = _flows(server, client)
    if "m.login.sso" in flows and "m.login.token" in flows:
        return _single_sign_on(server, client, flows["m.login.sso"], open_browser, timeout_s)
    if "m.login.password" in flows:
        if ask_password is None:
            raise SignInError("This server wants a password", "It offers no single sign-on. Sign in from the "
                              "Hallway window, or with `hallway sign-in` in a terminal.")
        answer = ask_password(server)
        if answer is None:
            raise SignInError("Sign-in was cancelled", "You closed the sign-in form.")
        user, password = answer
        return _log_in(server, client, {"type": "m.login.password", "password": password,
                                        "identifier": {"type": "m.id.user", "user": user.strip()}})
    raise SignInError("No way to sign in", "This Matrix server offers neither single sign-on nor a password "
                      "login. Ask IT.")


def _single_sign_on(server: str, client: HttpClient, flow: dict[str, Any], open_browser: Callable[[str], Any],
                    timeout_s: float) -> str:
    """Straight to the identity provider when there is one; else the server's own picker."""
    loopback = LoopbackRedirect(expects="loginToken")
    providers = [p for p in flow.get("identity_providers") or [] if isinstance(p, dict) and p.get("id")]
    where = f"/{quote(str(providers[0]['id']), safe='')}" if len(providers) == 1 else ""
    back = loopback.redirect + "?" + urlencode({"state": loopback.state})  # the server appends loginToken
    url = f"{server}{LOGIN}/sso/redirect{where}?" + urlencode({"redirectUrl": back})
    login_token = loopback.wait(url, open_browser, timeout_s)
    return _log_in(server, client, {"type": "m.login.token", "token": login_token})


def revoke(server: str, token: str, client: HttpClient) -> Revoked:
    """Log this device out, which ends the session on the server (a token it no longer knows
    is ended already)."""
    try:
        client.request("POST", server + "/_matrix/client/v3/logout", json={},
                       headers={"Authorization": f"Bearer {token}"})
    except Unauthorized:
        return Revoked.YES
    except Refused:
        return Revoked.REFUSED
    except HttpError:
        return Revoked.OFFLINE
    return Revoked.YES
