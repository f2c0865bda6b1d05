"""Signing in through the network's own single sign-on, and keeping the token in the OS keyring.

Each network kind has its way in (``mastodon``: OAuth 2 with PKCE; ``matrix``: the server's
SSO, or a password where it has none); all of them end on the loopback redirect and in the
keyring, never in a file.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hallway import proxy
from hallway.http import HttpClient
from hallway.networks.registry import DEFAULT_KIND, connector
from hallway.signin.credentials import Credentials, SignIn
from hallway.signin.errors import Revoked, SignInError
from hallway.signin.mastodon import AskCode, s256
from hallway.signin.matrix import AskPassword
from hallway.signin.tokens import (
    CREDENTIALS_ENV,
    KIOSK_CREDENTIAL,
    SERVICE,
    TOKEN_ENV,
    KeyringSilent,
    delete_token,
    handed_over,
    keyring_name,
    load_credentials,
    load_token,
    save_token,
)

if TYPE_CHECKING:
    from hallway.config import Config

__all__ = ["CREDENTIALS_ENV", "KIOSK_CREDENTIAL", "REVOKED_WORDS", "SERVICE", "TOKEN_ENV", "AskCode", "AskPassword",
           "Credentials", "KeyringSilent", "Revoked", "SignIn", "SignInError", "delete_token", "handed_over",
           "keyring_name", "load_credentials", "load_token", "s256", "save_token", "sign_in", "sign_out"]


def sign_in(server: str, kind: str = DEFAULT_KIND, client: HttpClient | None = None,
            open_browser: Callable[[str], Any] = webbrowser.open, timeout_s: float = 300.0,
            kiosk: bool = False, ask_password: AskPassword | None = None, ask_code: AskCode | None = None,
            config: Config | None = None) -> str:
    """Sign in the way the server offers, store the sign-in in the keyring (with its refresh token
        and expiry, where the network gives them), and return the access token. ``ask_password`` is
    asked only on a Matrix server without single sign-on; ``ask_code`` only on a server that
    shows a code to paste instead of returning to Hallway."""
    if config is not None:
        proxy.configure(config)
    client = client or HttpClient()
    server = server.rstrip("/")
    credentials = connector(kind).sign_in(server, client, open_browser, timeout_s, ask_password=ask_password,
                                          ask_code=ask_code, config=config)
    save_token(server, credentials, kiosk=kiosk)
    return credentials.access_token


def sign_out(server: str, kind: str = DEFAULT_KIND, client: HttpClient | None = None, kiosk: bool = False) -> Revoked:
    """End the sign-in at the network where it answers, and forget it here (always). What the
    server did is returned: a refusal is said to the person, never "signed out" alone."""
    client = client or HttpClient()
    server = server.rstrip("/")
    held = load_credentials(server, kiosk)
    revoked = Revoked.NOTHING
    if held is not None:  # the refresh token where there is one: revoking it ends every session it made
        revoked = connector(kind).revoke(server, held.refresh_token or held.access_token, client)
    delete_token(server, kiosk)
    return revoked


REVOKED_WORDS = {
    Revoked.YES: "Signed out: the network ended Hallway's sign-in.",
    Revoked.REFUSED: "Signed out on this computer, but the network refused to end the sign-in: it keeps working "
                     "until it expires or you end it in the network's settings (on Mastodon: Preferences > "
                     "Account > Authorized apps).",
    Revoked.OFFLINE: "Signed out on this computer. The network did not answer, so the sign-in may still work "
                     "there until it expires or you end it in the network's settings.",
    Revoked.NOT_OURS: "Signed out on this computer. The sign-in was stored here by IT, not made by Hallway, so "
                      "Hallway cannot end it at the network: it keeps working until it expires or is ended in the "
                      "network's settings.",
    Revoked.UNTIL_EXPIRY: "Signed out on this computer. The network has no way for one app to end its own "
                          "sign-in: it ends when it goes unused for 90 days, or when you sign out everywhere in "
                          "your account's settings.",
    Revoked.NOTHING: "Signed out on this computer.",
}
