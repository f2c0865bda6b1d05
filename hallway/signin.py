"""Signing in through the network's own single sign-on, and keeping the token in the OS keyring.

OAuth 2 authorization code with PKCE (S256) in the system browser, answered on a loopback
redirect at 127.0.0.1 on a free port (RFC 8252). No password ever passes through Hallway.
Tokens live only in the keyring under one service name; there is no plaintext fallback.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import keyring
import keyring.errors

from hallway.http import HttpClient, HttpError

SERVICE = "Hallway"
TOKEN_ENV = "HALLWAY_TOKEN"  # noqa: S105 (the name of a variable, not a secret)
CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"  # systemd's, for a service's credentials
KIOSK_CREDENTIAL = "kiosk-token"
SCOPES = "read write"
CALLBACK_PATH = "/callback"
REFUSED_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyring.backends.chainer")


class SignInError(Exception):
    """Why signing in did not work, for a person: ``title`` and ``message``."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.title, self.message = title, message


def s256(verifier: str) -> str:
    """The PKCE code challenge for ``verifier`` (RFC 7636, S256)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _backend() -> Any:
    backend = keyring.get_keyring()
    module = type(backend).__module__
    if module.startswith(REFUSED_BACKENDS) and not getattr(backend, "backends", None):
        raise SignInError("No secure place for the sign-in", "This computer has no keyring (such as the GNOME "
                          "keyring, KWallet, the macOS Keychain or the Windows Credential Manager). Hallway does "
                          "not store tokens in plain files; ask IT to set one up.")
    return backend


def keyring_name() -> str:
    backend = _backend()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _account(server: str, kiosk: bool) -> str:
    return f"{'kiosk' if kiosk else 'user'}@{server.rstrip('/')}"


def save_token(server: str, token: str, kiosk: bool = False) -> None:
    try:
        _backend().set_password(SERVICE, _account(server, kiosk), token)
    except keyring.errors.KeyringError as failure:
        raise SignInError("Could not save the sign-in", f"The keyring refused it ({failure}).") from None


def load_token(server: str, kiosk: bool = False) -> str | None:
    """From the keyring; or from ``HALLWAY_TOKEN`` in this process's environment, which the demo
    uses to hand its apps a token (a fresh machine may have no keyring yet); or, for the kiosk
    run by systemd, from the credential systemd hands the service alone (``LoadCredential``, in
    the hallway-kiosk unit). Never from a config file."""
    if os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV]
    credentials = os.environ.get(CREDENTIALS_ENV)
    if kiosk and credentials and (Path(credentials) / KIOSK_CREDENTIAL).is_file():
        return (Path(credentials) / KIOSK_CREDENTIAL).read_text("utf-8").strip() or None
    try:
        value = _backend().get_password(SERVICE, _account(server, kiosk))
    except keyring.errors.KeyringError as failure:
        raise SignInError("Could not read the sign-in", f"The keyring refused ({failure}).") from None
    return str(value) if value else None


def delete_token(server: str, kiosk: bool = False) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        _backend().delete_password(SERVICE, _account(server, kiosk))


@dataclass(frozen=True)
class App:
    client_id: str
    client_secret: str


def registered_app(server: str, client: HttpClient) -> App:
    """Hallway's app registration on this server, made once and remembered in the keyring."""
    account = f"app@{server.rstrip('/')}"
    stored = _backend().get_password(SERVICE, account)
    if stored:
        data = json.loads(stored)
        return App(data["client_id"], data["client_secret"])
    answer = client.request("POST", f"{server.rstrip('/')}/api/v1/apps", data={
        "client_name": "Hallway", "redirect_uris": f"http://127.0.0.1{CALLBACK_PATH}", "scopes": SCOPES,
        "website": "https://hallway.example"}).json()
    app = App(str(answer["client_id"]), str(answer["client_secret"]))
    _backend().set_password(SERVICE, account, json.dumps({"client_id": app.client_id,
                                                          "client_secret": app.client_secret}))
    return app


class _Callback(BaseHTTPRequestHandler):
    server: _CallbackServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != CALLBACK_PATH:
            self.send_error(404)
            return
        self.server.answer = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        ok = "code" in self.server.answer
        page = (b"<!doctype html><meta charset=utf-8><title>Hallway</title><body style='font:18px system-ui;"
                b"display:grid;place-items:center;height:90vh'><div><h1>" +
                (b"You're signed in to Hallway" if ok else b"Sign-in was cancelled") +
                b"</h1><p>You can close this tab.</p></div>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)
        self.server.done.set()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the query holds the authorization code: never log it


class _CallbackServer(HTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Callback)
        self.answer: dict[str, str] = {}
        self.done = threading.Event()


def sign_in(server: str, client: HttpClient | None = None, open_browser: Callable[[str], Any] = webbrowser.open,
            timeout_s: float = 300.0, kiosk: bool = False) -> str:
    """Open the network's sign-in page, wait for the redirect, store and return the token."""
    client = client or HttpClient()
    server = server.rstrip("/")
    try:
        app = registered_app(server, client)
    except HttpError as failure:
        raise SignInError(failure.title, failure.message) from None
    callback = _CallbackServer()
    redirect = f"http://127.0.0.1:{callback.server_address[1]}{CALLBACK_PATH}"
    verifier, state = secrets.token_urlsafe(64), secrets.token_urlsafe(16)
    url = f"{server}/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": app.client_id, "redirect_uri": redirect, "scope": SCOPES,
        "state": state, "code_challenge": s256(verifier), "code_challenge_method": "S256"})
    waiter = threading.Thread(target=callback.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    waiter.start()
    try:
        open_browser(url)
        if not callback.done.wait(timeout_s):
            raise SignInError("Sign-in took too long", "Nothing came back from the browser. Try again.")
    finally:
        callback.shutdown()
        callback.server_close()
    answer = callback.answer
    if not secrets.compare_digest(answer.get("state", ""), state):
        raise SignInError("Sign-in did not match", "The answer from the browser was not for this sign-in.")
    if "code" not in answer:
        raise SignInError("Sign-in was cancelled", answer.get("error_description", "The network said no."))
    try:
        token = client.request("POST", f"{server}/oauth/token", data={
            "grant_type": "authorization_code", "code": answer["code"], "redirect_uri": redirect,
            "client_id": app.client_id, "client_secret": app.client_secret, "code_verifier": verifier}).json()
    except HttpError as failure:
        raise SignInError("The network did not accept the sign-in", failure.message) from None
    save_token(server, str(token["access_token"]), kiosk=kiosk)
    return str(token["access_token"])


def sign_out(server: str, client: HttpClient | None = None, kiosk: bool = False) -> None:
    """Revoke the token at the network (if it answers) and forget it here (always)."""
    client = client or HttpClient()
    token = load_token(server, kiosk)
    if token:
        try:
            app = registered_app(server, client)
            client.request("POST", f"{server.rstrip('/')}/oauth/revoke", data={
                "client_id": app.client_id, "client_secret": app.client_secret, "token": token})
        except HttpError:
            pass  # offline: the token is still forgotten here
    delete_token(server, kiosk)
