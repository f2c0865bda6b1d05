"""Signing in to a Mastodon-API network: OAuth 2 authorization code with PKCE (S256) in the
system browser, answered on the loopback redirect. No password passes through Hallway.

Servers differ in how they keep the OAuth promises, so each step copes with the strict ones:

- Mastodon (Doorkeeper) matches a loopback redirect on any port (RFC 8252 7.3); others compare
  redirect URIs exactly. Hallway registers a few fixed loopback ports and listens on the first
  free one, so the redirect it asks for is always one it registered; if all are taken, it
  registers the exact address of a free port for this attempt alone.
- A server may forget an app (a reset, an admin's clean-up): the registration kept in the
  keyring is checked (a client-credentials grant) before the browser opens, and made again
  when the server no longer knows it, or after sign-out.
- A server that refuses loopback redirects gets the out-of-band code: its page shows a code the
  person pastes into Hallway.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from hallway.http import HttpClient, HttpError, Refused, Unauthorized
from hallway.signin.credentials import Credentials, new_account, oauth_fields
from hallway.signin.errors import Revoked, SignInError
from hallway.signin.loopback import CALLBACK_PATH, LoopbackRedirect
from hallway.signin.tokens import delete_secret, load_secret, save_secret

log = logging.getLogger(__name__)
SCOPES = "read write"
OOB = "urn:ietf:wg:oauth:2.0:oob"  # the server shows the code; the person pastes it into Hallway
# Loopback ports registered with the app: one free among them is the redirect of each sign-in.
PORTS = (42813, 42814, 42815)
AskCode = Callable[[str], str | None]  # shown the server's address, returns the pasted code (None: cancelled)


def s256(verifier: str) -> str:
    """The PKCE code challenge for ``verifier`` (RFC 7636, S256)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def loopback_uri(port: int) -> str:
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


@dataclass(frozen=True)
class App:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


def _name(server: str) -> str:
    return f"app@{server}"


def _register(server: str, client: HttpClient, redirect_uris: tuple[str, ...]) -> App:
    answer = client.request("POST", f"{server}/api/v1/apps", data={
        "client_name": "Hallway", "redirect_uris": "\n".join(redirect_uris), "scopes": SCOPES,
        "website": "https://hallway.example"}).json()
    if not isinstance(answer, dict) or not answer.get("client_id") or not answer.get("client_secret"):
        raise SignInError("The network did not register Hallway", "Its answer had no client id. Try again later.")
    return App(str(answer["client_id"]), str(answer["client_secret"]), redirect_uris)


def stored_app(server: str) -> App | None:
    """The registration kept in the keyring (None: none, or one from an older Hallway)."""
    stored = load_secret(_name(server))
    if not stored:
        return None
    with contextlib.suppress(ValueError, KeyError, TypeError):
        data = json.loads(stored)
        uris = tuple(data.get("redirect_uris") or ())
        if uris:
            return App(str(data["client_id"]), str(data["client_secret"]), uris)
    return None  # made before redirect URIs were kept: registered again


def _keep(server: str, app: App) -> App:
    save_secret(_name(server), json.dumps({"client_id": app.client_id, "client_secret": app.client_secret,
                                           "redirect_uris": list(app.redirect_uris)}))
    return app


def forget_app(server: str) -> None:
    delete_secret(_name(server))


def _still_known(server: str, app: App, client: HttpClient) -> bool:
    """A client-credentials grant: 401 invalid_client means the server forgot this app. The
    app token it gives is revoked at once (it can do nothing a person could not see)."""
    try:
        answer = client.request("POST", f"{server}/oauth/token", data={
            "grant_type": "client_credentials", "client_id": app.client_id, "client_secret": app.client_secret,
            "scope": "read"}).json()
    except Unauthorized:
        return False
    except Refused as refused:
        return "invalid_client" not in refused.message  # a server without this grant: assume it knows us
    if isinstance(answer, dict) and answer.get("access_token"):
        with contextlib.suppress(HttpError):
            client.request("POST", f"{server}/oauth/revoke", data={
                "client_id": app.client_id, "client_secret": app.client_secret, "token": str(answer["access_token"])})
    return True


def registered_app(server: str, client: HttpClient) -> App:
    """Hallway's registration on this server: kept in the keyring, checked, made again when
    the server no longer knows it. Loopback ports and the out-of-band code where the server
    takes them; the out-of-band code alone where it refuses loopback addresses."""
    app = stored_app(server)
    if app is not None and _still_known(server, app, client):
        return app
    if app is not None:
        log.info("the network no longer knows Hallway's app registration: registering again")
    try:
        return _keep(server, _register(server, client, (*map(loopback_uri, PORTS), OOB)))
    except Refused as refused:  # 422: a redirect it will not take (loopback, or several at once)
        log.info("the network refused loopback redirects (%s): the code is pasted instead", refused.message)
        return _keep(server, _register(server, client, (OOB,)))


def sign_in(server: str, client: HttpClient, open_browser: Callable[[str], Any], timeout_s: float,
            ask_password: object = None, ask_code: AskCode | None = None, config: object = None) -> Credentials:
    """Open the network's sign-in page, wait for the redirect (or the pasted code), and return
    the sign-in (with its refresh token where the server expires its tokens)."""
    try:
        app = registered_app(server, client)
    except HttpError as failure:
        raise SignInError(failure.title, failure.message) from None
    loopback = _listen(server, app, client)
    if loopback is None:
        return _sign_in_by_code(server, client, app, open_browser, ask_code)
    listener, app = loopback
    verifier = secrets.token_urlsafe(64)
    url = f"{server}/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": app.client_id, "redirect_uri": listener.redirect, "scope": SCOPES,
        "state": listener.state, "code_challenge": s256(verifier), "code_challenge_method": "S256"})
    code = listener.wait(url, open_browser, timeout_s)
    return _token(server, client, app, code, listener.redirect, verifier)


def _listen(server: str, app: App, client: HttpClient) -> tuple[LoopbackRedirect, App] | None:
    """A listener on a registered port; failing that, on any free port registered now, for this
    attempt alone. None where the server takes no loopback redirect (the code is pasted)."""
    for uri in app.redirect_uris:
        if uri == OOB:
            continue
        port = int(uri.split(":")[2].split("/")[0])
        with contextlib.suppress(OSError):
            return LoopbackRedirect("code", port), app
    if OOB in app.redirect_uris and len(app.redirect_uris) == 1:
        return None
    listener = LoopbackRedirect("code")  # every registered port is taken: a free one, registered exactly
    try:
        return listener, _register(server, client, (listener.redirect,))
    except HttpError as failure:
        listener.close()
        raise SignInError(failure.title, failure.message) from None


def _sign_in_by_code(server: str, client: HttpClient, app: App, open_browser: Callable[[str], Any],
                     ask_code: AskCode | None) -> Credentials:
    if ask_code is None:
        raise SignInError("This network cannot send the sign-in back to Hallway",
                          "It shows a code to paste instead: run `hallway sign-in` in a terminal.")
    verifier = secrets.token_urlsafe(64)
    open_browser(f"{server}/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": app.client_id, "redirect_uri": OOB, "scope": SCOPES,
        "code_challenge": s256(verifier), "code_challenge_method": "S256"}))
    code = (ask_code(server) or "").strip()
    if not code:
        raise SignInError("Sign-in was cancelled", "No code was pasted.")
    return _token(server, client, app, code, OOB, verifier)


def _token(server: str, client: HttpClient, app: App, code: str, redirect: str, verifier: str) -> Credentials:
    try:
        token = client.request("POST", f"{server}/oauth/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
            "client_id": app.client_id, "client_secret": app.client_secret, "code_verifier": verifier}).json()
    except HttpError as failure:
        if "invalid_client" in failure.message or isinstance(failure, Unauthorized):
            forget_app(server)  # the next attempt registers again
            raise SignInError("The network no longer knows Hallway", "Try signing in again.") from None
        raise SignInError("The network did not accept the sign-in", failure.message) from None
    if not isinstance(token, dict) or not token.get("access_token"):
        raise SignInError("The network did not accept the sign-in", "Its answer had no token. Try again.")
    if not token.get("refresh_token"):
        return Credentials(str(token["access_token"]))  # Mastodon's: valid until revoked
    # A server that expires its tokens (Doorkeeper's access_token_expires_in): refreshed with the
    # app's registration at the token endpoint (hallway/signin/oauth.py).
    return Credentials(**oauth_fields(token), token_url=f"{server}/oauth/token", client_id=app.client_id,
                       client_secret=app.client_secret, account=new_account())


def revoke(server: str, token: str, client: HttpClient) -> Revoked:
    """End the token at the server with the registration that made it; never register an app
    just to try. The registration is forgotten after, so the next sign-in makes a fresh one."""
    app = stored_app(server)
    if app is None:
        return Revoked.NOT_OURS
    try:
        client.request("POST", f"{server}/oauth/revoke", data={
            "client_id": app.client_id, "client_secret": app.client_secret, "token": token})
    except (Refused, Unauthorized) as refused:
        log.warning("the network refused to end the sign-in: %s", refused.message)
        return Revoked.REFUSED
    except HttpError as failure:
        log.warning("the network did not answer the sign-out: %s", failure.message)
        return Revoked.OFFLINE
    finally:
        forget_app(server)
    return Revoked.YES
