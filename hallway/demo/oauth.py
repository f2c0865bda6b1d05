"""The demo network's OAuth 2 provider: apps, consent, codes with PKCE, tokens.

Shaped like Mastodon's (Doorkeeper): confidential apps from ``POST /api/v1/apps``,
authorization codes with optional PKCE (S256), and loopback redirect URIs that
match on any port, as RFC 8252 section 7.3 asks of servers. Behind a switch
(``token_lifetime_s``) its tokens expire and come with refresh tokens, as Microsoft's
and Salesforce's do: Doorkeeper's ``access_token_expires_in`` with
``use_refresh_token``, rotating the refresh token on each use.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CODE_LIFETIME_S = 600
KNOWN_SCOPES = {"read", "write", "follow", "push", "profile", "admin"}
OOB = "urn:ietf:wg:oauth:2.0:oob"


class OAuthError(Exception):
    """An OAuth request that fails; ``code`` is the RFC 6749 error name."""

    def __init__(self, code: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.code, self.description, self.status = code, description, status


@dataclass
class App:
    client_id: str
    client_secret: str
    name: str
    redirect_uris: list[str]
    scopes: set[str]
    website: str | None = None


@dataclass
class Grant:
    code: str
    client_id: str
    account_id: str
    redirect_uri: str
    scopes: set[str]
    challenge: str | None
    expires: float


@dataclass
class Token:
    value: str
    client_id: str
    account_id: str | None  # None for an app-only (client_credentials) token
    scopes: set[str]
    created_at: float = field(default_factory=time.time)
    expires_at: float = 0.0  # 0: never (Mastodon's own tokens)
    refresh_token: str = ""


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _is_loopback(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1")


def redirect_matches(registered: str, requested: str) -> bool:
    """Exact match, except that loopback IP redirects may use any port (RFC 8252 7.3)."""
    if registered == requested:
        return True
    if _is_loopback(registered) and _is_loopback(requested):
        a, b = urlsplit(registered), urlsplit(requested)
        return (a.hostname, a.path or "/", a.query) == (b.hostname, b.path or "/", b.query)
    return False


def parse_scopes(text: str | None, default: str = "read") -> set[str]:
    scopes = set((text or default).replace("+", " ").split())
    unknown = {s for s in scopes if s.split(":")[0] not in KNOWN_SCOPES}
    if unknown:
        raise OAuthError("invalid_scope", f"The requested scope is invalid: {' '.join(sorted(unknown))}")
    return scopes


def _covers(granted: set[str], requested: set[str]) -> bool:
    """``read`` covers ``read:accounts`` and so on, as in Mastodon."""
    return all(s in granted or s.split(":")[0] in granted for s in requested)


class OAuthProvider:
    """Holds apps, grants and tokens in memory; every method is thread-safe."""

    def __init__(self, loopback_any_port: bool = True, loopback_redirects: bool = True,
                 token_lifetime_s: float = 0.0) -> None:
        # Doorkeeper matches a loopback redirect on any port (RFC 8252 7.3); some servers compare
        # redirect URIs exactly, port and all, and some take none but the out-of-band one.
        self.loopback_any_port, self.loopback_redirects = loopback_any_port, loopback_redirects
        self.token_lifetime_s = token_lifetime_s  # > 0: signed-in tokens expire and can be refreshed
        self._refresh_tokens: dict[str, Token] = {}  # refresh token -> the access token it renews
        self.refreshed = 0  # how many refreshes were granted (the tests watch it)
        self._lock = threading.Lock()
        self.apps: dict[str, App] = {}
        self._grants: dict[str, Grant] = {}
        self._tokens: dict[str, Token] = {}

    def register(self, name: str, redirect_uris: list[str], scopes: set[str],
                 website: str | None = None) -> App:
        for uri in redirect_uris:
            parts = urlsplit(uri)
            if uri != OOB and (not parts.scheme or not (parts.netloc or parts.scheme not in ("http", "https"))):
                raise OAuthError("invalid_redirect_uri", f"Validation failed: Redirect URI {uri!r} is not valid", 422)
            if not self.loopback_redirects and _is_loopback(uri):
                raise OAuthError("invalid_redirect_uri", "Validation failed: Redirect URI must use https", 422)
        app = App(secrets.token_urlsafe(32), secrets.token_urlsafe(32), name, redirect_uris, scopes, website)
        with self._lock:
            self.apps[app.client_id] = app
        return app

    def check_authorization(self, client_id: str | None, redirect_uri: str | None,
                            response_type: str | None, scope: str | None,
                            challenge: str | None, method: str | None) -> tuple[App, set[str]]:
        """Validate an authorization request before the consent page is shown."""
        app = self.apps.get(client_id or "")
        if app is None:
            raise OAuthError("invalid_client", "Client authentication failed due to unknown client.", 401)
        if not redirect_uri or not any(self._matches(r, redirect_uri) for r in app.redirect_uris):
            raise OAuthError("invalid_redirect_uri", "The redirect URI included is not valid.")
        if response_type != "code":
            raise OAuthError("unsupported_response_type",
                             "The authorization server does not support this response type.")
        scopes = parse_scopes(scope, default=" ".join(sorted(app.scopes)))
        if not _covers(app.scopes, scopes):
            raise OAuthError("invalid_scope", "The requested scope is invalid, unknown, or malformed.")
        if challenge is not None and (method or "plain") != "S256":
            raise OAuthError("invalid_request", "Only the S256 code challenge method is supported.")
        return app, scopes

    def grant(self, app: App, account_id: str, redirect_uri: str, scopes: set[str],
              challenge: str | None) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._grants[code] = Grant(code, app.client_id, account_id, redirect_uri, scopes,
                                       challenge, time.time() + CODE_LIFETIME_S)
        return code

    def exchange(self, form: dict[str, str]) -> Token:
        """``POST /oauth/token``: authorization_code (with PKCE or a client secret) or client_credentials."""
        app = self.apps.get(form.get("client_id", ""))
        if app is None:
            raise OAuthError("invalid_client", "Client authentication failed due to unknown client.", 401)
        grant_type = form.get("grant_type")
        if grant_type == "client_credentials":
            self._check_secret(app, form)
            return self._issue(app, None, parse_scopes(form.get("scope")))
        if grant_type == "refresh_token":
            return self._refresh(app, form)
        if grant_type != "authorization_code":
            raise OAuthError("unsupported_grant_type", "The authorization grant type is not supported.")
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)
        if grant is None or grant.client_id != app.client_id or grant.expires < time.time():
            raise OAuthError("invalid_grant", "The provided authorization grant is invalid, expired or revoked.")
        if not self._matches(grant.redirect_uri, form.get("redirect_uri", "")):
            raise OAuthError("invalid_grant",
                             "The redirect URI does not match the one used in the authorization request.")
        if grant.challenge is not None:
            verifier = form.get("code_verifier", "")
            if not secrets.compare_digest(s256(verifier), grant.challenge):
                raise OAuthError("invalid_grant", "The code verifier does not match the code challenge.")
        else:
            self._check_secret(app, form)
        return self._issue(app, grant.account_id, grant.scopes, expiring=True)

    def _refresh(self, app: App, form: dict[str, str]) -> Token:
        """RFC 6749 section 6: a confidential app authenticates; the refresh token is spent (the
        next one comes with the new access token) and the old access token ends."""
        self._check_secret(app, form)
        with self._lock:
            old = self._refresh_tokens.pop(form.get("refresh_token", ""), None)
            if old is None or old.client_id != app.client_id:
                raise OAuthError("invalid_grant", "The provided authorization grant is invalid, expired, revoked, "
                                 "does not match the redirection URI used in the authorization request, or was "
                                 "issued to another client.")
            self._tokens.pop(old.value, None)
            self.refreshed += 1
        assert old.account_id is not None
        return self._issue(app, old.account_id, old.scopes, expiring=True)

    def _matches(self, registered: str, requested: str) -> bool:
        return redirect_matches(registered, requested) if self.loopback_any_port else registered == requested

    def _check_secret(self, app: App, form: dict[str, str]) -> None:
        if not secrets.compare_digest(form.get("client_secret", ""), app.client_secret):
            raise OAuthError("invalid_client", "Client authentication failed.", 401)

    def _issue(self, app: App, account_id: str | None, scopes: set[str], expiring: bool = False) -> Token:
        """``expiring``: a person's sign-in, which expires behind the switch (an app token never does)."""
        token = Token(secrets.token_urlsafe(32), app.client_id, account_id, scopes)
        if expiring and self.token_lifetime_s > 0:
            token.expires_at = token.created_at + self.token_lifetime_s
            token.refresh_token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token.value] = token
            if token.refresh_token:
                self._refresh_tokens[token.refresh_token] = token
        return token

    def mint(self, account_id: str, app_name: str = "Hallway demo tools", scopes: set[str] | None = None) -> Token:
        """A token for any account, for tests and the demo's kiosk (never on a real server)."""
        with self._lock:
            app = next((a for a in self.apps.values() if a.name == app_name), None)
        app = app or self.register(app_name, [OOB], {"read", "write", "follow", "push", "admin:read:accounts"})
        return self._issue(app, account_id, scopes or {"read", "write", "follow", "push"})

    def revoke(self, form: dict[str, str]) -> None:
        """RFC 7009: answer 200 whatever the token; revoke only the client's own tokens."""
        with self._lock:
            token = self._tokens.get(form.get("token", ""))
            if token is not None and token.client_id == form.get("client_id"):
                del self._tokens[token.value]

    def lookup(self, value: str) -> Token | None:
        with self._lock:
            token = self._tokens.get(value)
        return None if token is None or (token.expires_at and token.expires_at <= time.time()) else token

    def expired(self, value: str) -> bool:
        """A token this server made that has expired (its 401 says so, as Doorkeeper's does)."""
        with self._lock:
            token = self._tokens.get(value)
        return token is not None and bool(token.expires_at) and token.expires_at <= time.time()

    def expire(self, value: str) -> None:
        """End a token's life now (the tests: a token that expires mid-session)."""
        with self._lock:
            token = self._tokens.get(value)
            if token is not None and token.expires_at:
                token.expires_at = time.time() - 1
