"""Signing in through the network's own single sign-on, and keeping the token in the OS keyring.

Each network kind has its way in (``mastodon``: OAuth 2 with PKCE; ``matrix``: the server's
SSO, or a password where it has none); all of them end on the loopback redirect and in the
keyring, never in a file.
"""

from __future__ import annotations

import contextlib
import webbrowser
from collections.abc import Callable
from typing import Any

from hallway.http import HttpClient, HttpError
from hallway.signin import mastodon, matrix
from hallway.signin.errors import SignInError
from hallway.signin.mastodon import s256
from hallway.signin.matrix import AskPassword
from hallway.signin.tokens import (
    CREDENTIALS_ENV,
    KIOSK_CREDENTIAL,
    SERVICE,
    TOKEN_ENV,
    KeyringSilent,
    delete_token,
    keyring_name,
    load_token,
    save_token,
)

__all__ = ["CREDENTIALS_ENV", "KIOSK_CREDENTIAL", "SERVICE", "TOKEN_ENV", "AskPassword", "KeyringSilent", "SignInError",
           "delete_token", "keyring_name", "load_token", "s256", "save_token", "sign_in", "sign_out"]


def sign_in(server: str, kind: str = "mastodon", client: HttpClient | None = None,
            open_browser: Callable[[str], Any] = webbrowser.open, timeout_s: float = 300.0,
            kiosk: bool = False, ask_password: AskPassword | None = None) -> str:
    """Sign in the way the server offers, store the token in the keyring, and return it.
    ``ask_password`` is asked only on a Matrix server without single sign-on."""
    client = client or HttpClient()
    server = server.rstrip("/")
    if kind == "matrix":
        token = matrix.sign_in(server, client, open_browser, timeout_s, ask_password)
    else:
        token = mastodon.sign_in(server, client, open_browser, timeout_s)
    save_token(server, token, kiosk=kiosk)
    return token


def sign_out(server: str, kind: str = "mastodon", client: HttpClient | None = None, kiosk: bool = False) -> None:
    """End the sign-in at the network (if it answers) and forget it here (always)."""
    client = client or HttpClient()
    server = server.rstrip("/")
    token = load_token(server, kiosk)
    if token:
        with contextlib.suppress(HttpError):  # offline: the token is still forgotten here
            (matrix if kind == "matrix" else mastodon).revoke(server, token, client)
    delete_token(server, kiosk)
