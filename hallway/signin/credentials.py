"""A sign-in as the network gave it, and the live sign-in every request carries.

Mastodon's and Matrix's access tokens live until revoked; Microsoft's and Salesforce's expire
within hours and come with a refresh token (and Salesforce's with the ``instance_url`` its API
answers on). ``Credentials`` holds all of it, kept in the OS keyring as one item; ``SignIn``
hands the current access token to the HTTP client, refreshes it shortly before it expires or
once when the server refuses it, and keeps the new one. Only when a refresh is refused does the
person have to sign in again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from hallway.http import Offline, Unauthorized

log = logging.getLogger(__name__)

REFRESH_EARLY_S = 120.0  # a token this close to its expiry is refreshed before it is sent
STORED_VERSION = 1


@dataclass(frozen=True)
class Credentials:
    """What the network's sign-in answered. An item with only an access token is stored as the bare
    token, as Hallway always stored it (and as IT's ``set-token`` and systemd's credential hand it)."""

    access_token: str
    refresh_token: str = ""
    expires_at: float = 0.0  # seconds since the epoch; 0: does not expire
    api_base: str = ""  # where the API answers, when not the sign-in host (Salesforce's instance_url)
    token_url: str = ""  # where the refresh token is exchanged (OAuth 2, RFC 6749 section 6)
    client_id: str = ""
    client_secret: str = ""  # only for a confidential app (a Mastodon app registration); never for PKCE apps
    scope: str = ""  # what a refresh asks for (Entra wants one on every refresh; one resource per token)
    granted: str = ""  # what the last token answer said it covers (doctor names consent that is missing)
    account: str = ""  # this sign-in's own name, the same across refreshes (kept answers are filed under it)

    @property
    def refreshable(self) -> bool:
        return bool(self.refresh_token)

    def expires_within(self, seconds: float, now: float | None = None) -> bool:
        return bool(self.expires_at) and self.expires_at - (time.time() if now is None else now) <= seconds

    def stored(self) -> str:
        """The keyring item: the bare token, or one line of JSON when there is more."""
        if not (self.refresh_token or self.expires_at or self.api_base):
            return self.access_token
        return json.dumps({"hallway_credentials": STORED_VERSION} | {k: v for k, v in asdict(self).items() if v})

    @classmethod
    def from_stored(cls, text: str) -> Credentials:
        """From a keyring item, ``HALLWAY_TOKEN`` or a systemd credential: a bare token, or what
        ``stored`` wrote (unknown keys from a newer Hallway are ignored)."""
        text = text.strip()
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            if isinstance(data, dict) and data.get("access_token"):
                known = {f.name for f in fields(cls)}
                values = {k: v for k, v in data.items() if k in known}
                with_types: dict[str, Any] = {k: str(v) for k, v in values.items()}
                try:
                    with_types["expires_at"] = float(values.get("expires_at") or 0)
                except (TypeError, ValueError):
                    with_types["expires_at"] = 1.0  # unreadable: taken as expired, so refreshed first
                return cls(**with_types)
        return cls(text)

    def refreshed(self, answer: dict[str, Any], now: float | None = None) -> Credentials:
        """These credentials after an OAuth token answer (RFC 6749 section 5.1): a new access token,
        the new refresh token if the server rotated it, the new expiry."""
        return replace(self, **oauth_fields(answer, now, self.refresh_token))


def oauth_fields(answer: dict[str, Any], now: float | None = None, refresh_token: str = "") -> dict[str, Any]:
    """What an OAuth 2 token answer says: ``access_token``, ``refresh_token``, ``expires_in`` and,
    from Salesforce, ``instance_url``."""
    now = time.time() if now is None else now
    values: dict[str, Any] = {"access_token": str(answer["access_token"]),
                              "refresh_token": str(answer.get("refresh_token") or refresh_token)}
    try:
        lifetime = float(answer.get("expires_in") or 0)
    except (TypeError, ValueError):
        lifetime = 0.0
    values["expires_at"] = now + lifetime if lifetime > 0 else 0.0
    if answer.get("scope"):
        values["granted"] = str(answer["scope"])
    if answer.get("instance_url"):
        values["api_base"] = str(answer["instance_url"]).rstrip("/")
    return values


def new_account() -> str:
    """A name for a sign-in that will be refreshed (its tokens change; its kept answers must not)."""
    return secrets.token_hex(8)


Refresh = Callable[[Credentials], Credentials]


class SignIn:
    """The sign-in the requests of one network carry (hallway.http.Authorizer). Thread-safe: many
    requests may be refused at once, and one refresh serves them all."""

    def __init__(self, credentials: Credentials | str, refresh: Refresh | None = None,
                 keep: Callable[[Credentials], None] | None = None, clock: Callable[[], float] = time.time) -> None:
        """``refresh``: the network's exchange of a refresh token (None: its tokens do not expire);
        ``keep``: where a refreshed sign-in is saved (the keyring; None where it was handed over
        by IT or the demo, and lives in memory only)."""
        self._credentials = Credentials.from_stored(credentials) if isinstance(credentials, str) else credentials
        self._refresh, self._keep, self._clock = refresh, keep, clock
        self._lock = threading.Lock()
        self.refreshes = 0  # how many times the token was refreshed (doctor, tests)
        c = self._credentials
        # What answers kept for this sign-in are filed under: the same across refreshes (a name
        # from its first refresh token where the sign-in gave none: both tokens may rotate).
        self.account = (f"signin {c.account}" if c.account else
                        "signin " + hashlib.sha256(c.refresh_token.encode()).hexdigest()[:16] if c.refreshable else
                        f"Bearer {c.access_token}")

    @property
    def credentials(self) -> Credentials:
        return self._credentials

    def header(self) -> str:
        """``Authorization``'s value; a token about to expire is refreshed first (if that fails
        for want of a network, the old one is sent: the server says what it thinks of it)."""
        c = self._credentials
        if c.refreshable and c.expires_within(REFRESH_EARLY_S, self._clock()):
            try:
                self.renew(f"Bearer {c.access_token}")
            except Offline as failure:
                log.info("could not refresh the sign-in ahead of its expiry: %s", failure.message)
        return f"Bearer {self._credentials.access_token}"

    def adopt(self, **changes: Any) -> None:
        """Take changes made elsewhere (a rotated refresh token another resource's refresh was
        given), and keep them."""
        with self._lock:
            self._credentials = replace(self._credentials, **changes)
            fresh = self._credentials
        if self._keep is not None:
            try:
                self._keep(fresh)
            except Exception as failure:
                log.warning("could not keep the sign-in: %s", failure)

    def renew(self, refused: str) -> bool:
        """After the server refused ``refused`` (an ``Authorization`` value): whether a new token
        is now in use, refreshed here or by another request meanwhile. Offline propagates (the
        sign-in is not lost for want of a network); a refused refresh is False: sign in again."""
        with self._lock:
            current = self._credentials
            if f"Bearer {current.access_token}" != refused:
                return True  # another request refreshed it already
            if self._refresh is None or not current.refreshable:
                return False
            try:
                fresh = self._refresh(current)
            except Unauthorized as refusal:
                log.warning("the network refused to refresh the sign-in: %s", refusal.message)
                return False
            self._credentials = fresh
            self.refreshes += 1
        log.info("refreshed the sign-in (expires in %s)",
                 f"{fresh.expires_at - self._clock():.0f} s" if fresh.expires_at else "never")
        if self._keep is not None:
            try:
                self._keep(fresh)
            except Exception as failure:  # a locked keyring: the refreshed token is used, only not kept
                log.warning("could not keep the refreshed sign-in: %s", failure)
        return True
