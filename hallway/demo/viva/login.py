"""The emulated Microsoft identity platform (Entra ID, v2.0 endpoints) for one tenant: OIDC
discovery, the authorization code flow with PKCE for a public client, the device code flow, and
refresh tokens that serve every resource the app was granted (one sign-in, a Graph token and a
Yammer token). Shapes from Microsoft's documentation of the v2.0 protocol
(learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow, -device-code,
reference-error-codes); error codes are the documented AADSTS numbers."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from hallway.demo.viva.tenant import TENANT_ID, Person, Tenant

CLIENT_ID = "3d7a9f0e-5c41-4b8e-9a52-0c6e1f2d8b47"  # the demo's app registration (made up)
GRAPH = "https://graph.microsoft.com"
YAMMER = "https://api.yammer.com"
OIDC_SCOPES = {"openid", "profile", "offline_access", "email"}
# What IT granted the app (the Entra portal's "API permissions"); Presence.Read.All and
# User.Read.All need an admin's consent, which Quirks can take away.
GRAPH_PERMISSIONS = {"User.Read", "User.ReadBasic.All", "User.Read.All", "Presence.Read.All", "Presence.ReadWrite",
                     "Calendars.Read"}
YAMMER_PERMISSIONS = {"user_impersonation"}  # Yammer's delegated permission, as the portal lists it
# Entra accepts http://localhost and http://127.0.0.1 loopback redirects on any port (the port is
# ignored for loopback addresses; learn.microsoft.com/entra/identity-platform/reply-url).
REDIRECTS = ("http://127.0.0.1/callback", "http://localhost")
CODE_LIFETIME_S = 600
DEVICE_LIFETIME_S = 900
REFRESH_LIFETIME_S = 90 * 86400


class LoginError(Exception):
    """An OAuth error as Entra writes it: ``error``, ``error_description`` with its AADSTS code."""

    def __init__(self, error: str, code: int, words: str, status: int = 400) -> None:
        super().__init__(words)
        self.error, self.code, self.words, self.status = error, code, words, status

    def body(self) -> dict[str, object]:
        return {"error": self.error, "error_description": f"AADSTS{self.code}: {self.words}",
                "error_codes": [self.code], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
                "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4())}


@dataclass
class AccessToken:
    value: str
    audience: str  # GRAPH or YAMMER
    person: str  # graph id
    scopes: set[str]
    client_id: str
    expires_at: float


@dataclass
class Pending:
    """An authorization code, or a device code waiting for its person."""

    person: str | None
    scopes: list[str]
    client_id: str
    expires_at: float
    redirect_uri: str = ""
    challenge: str = ""
    nonce: str = ""
    user_code: str = ""
    polled: list[float] = field(default_factory=list)


def _loopback_match(registered: str, asked: str) -> bool:
    a, b = urlsplit(registered), urlsplit(asked)
    if a.scheme == b.scheme == "http" and a.hostname == b.hostname and a.hostname in ("127.0.0.1", "localhost"):
        return (a.path or "/") == (b.path or "/")
    return registered == asked


class Authority:
    """Apps, codes and tokens for the tenant; every method is thread-safe."""

    def __init__(self, tenant: Tenant, yammer_scopes: tuple[str, ...] = ("user_impersonation", ".default"),
                 device_interval_s: int = 5) -> None:
        """``yammer_scopes``: which Yammer scope strings this tenant accepts (Microsoft's pages
        disagree; a connector tries them in order)."""
        self.tenant = tenant
        self.yammer_scopes = yammer_scopes
        self.device_interval_s = device_interval_s
        self._lock = threading.Lock()
        self._pending: dict[str, Pending] = {}  # code or device code
        self._tokens: dict[str, AccessToken] = {}
        self._refresh: dict[str, tuple[str, str, float]] = {}  # refresh token -> (person, client, expires)
        self.issued: list[tuple[str, str]] = []  # (grant type, audience), for the tests and the bench
        self.revoked_people: set[str] = set()  # "sign out everywhere" (or a password reset)

    # ------------------------------------------------------------ scopes

    def resource(self, scopes: list[str]) -> tuple[str, set[str]]:
        """The one resource a token request is for, and its permissions: Entra refuses a request
        that names two (AADSTS28000)."""
        named: dict[str, set[str]] = {}
        for scope in scopes:
            if scope in OIDC_SCOPES:
                continue
            if scope.startswith(YAMMER + "/"):
                permission = scope[len(YAMMER) + 1:]
                if permission not in self.yammer_scopes:
                    raise LoginError("invalid_scope", 70011, f"The provided value for the input parameter 'scope' "
                                     f"is not valid. The scope {scope} is not valid.")
                named.setdefault(YAMMER, set()).update(YAMMER_PERMISSIONS if permission == ".default" else {permission})
            else:
                permission = scope[len(GRAPH) + 1:] if scope.startswith(GRAPH + "/") else scope
                if permission == ".default":
                    named.setdefault(GRAPH, set()).update(self._granted_graph())
                elif permission not in GRAPH_PERMISSIONS:
                    raise LoginError("invalid_scope", 70011, f"The provided value for the input parameter 'scope' "
                                     f"is not valid. The scope {scope} is not valid.")
                elif permission not in self._granted_graph():
                    raise LoginError("invalid_grant", 65001, f"The user or administrator has not consented to use "
                                     f"the application with ID '{CLIENT_ID}'. Send an interactive authorization "
                                     f"request for this user and resource.")
                else:
                    named.setdefault(GRAPH, set()).add(permission)
        if len(named) > 1:
            raise LoginError("invalid_request", 28000, "Provided value for the input parameter scope is not valid "
                             "because it contains more than one resource.")
        if not named:
            return GRAPH, {"User.Read"}
        (resource, permissions), = named.items()
        return resource, permissions

    def _granted_graph(self) -> set[str]:
        quirks = self.tenant.quirks
        return {p for p in GRAPH_PERMISSIONS if (quirks.user_read_all or p != "User.Read.All")
                and (quirks.presence_read_all or p != "Presence.Read.All")}

    # ------------------------------------------------------------ the flows

    def authorize(self, client_id: str, redirect_uri: str, scope: str, challenge: str, method: str, nonce: str,
                  person: Person) -> str:
        """The person signed in and consented: the code for the redirect."""
        if client_id != CLIENT_ID:
            raise LoginError("unauthorized_client", 700016, f"Application with identifier '{client_id}' was not "
                             "found in the directory.")
        if not any(_loopback_match(r, redirect_uri) for r in REDIRECTS):
            raise LoginError("invalid_request", 50011, f"The redirect URI '{redirect_uri}' specified in the request "
                             "does not match the redirect URIs configured for the application.")
        if not challenge or method != "S256":
            raise LoginError("invalid_request", 9002325, "Proof Key for Code Exchange is required for "
                             "cross-origin authorization code redemption.")
        self.resource(scope.split())  # refused here, as Entra's page refuses it
        code = "1.A" + secrets.token_urlsafe(48)
        with self._lock:
            self._pending[code] = Pending(person.graph_id, scope.split(), client_id, time.time() + CODE_LIFETIME_S,
                                          redirect_uri, challenge, nonce)
        return code

    def device_code(self, client_id: str, scope: str, verification_uri: str) -> dict[str, object]:
        if client_id != CLIENT_ID:
            raise LoginError("unauthorized_client", 700016, f"Application with identifier '{client_id}' was not "
                             "found in the directory.")
        self.resource(scope.split())
        device, user = secrets.token_urlsafe(40), "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                                                          for _ in range(9))
        with self._lock:
            self._pending[device] = Pending(None, scope.split(), client_id, time.time() + DEVICE_LIFETIME_S,
                                            user_code=user)
        return {"user_code": user, "device_code": device, "verification_uri": verification_uri,
                "expires_in": DEVICE_LIFETIME_S, "interval": self.device_interval_s,
                "message": f"To sign in, use a web browser to open the page {verification_uri} and enter the code "
                           f"{user} to authenticate."}

    def approve_device(self, user_code: str, person: Person) -> bool:
        """The person typed the code on their phone and signed in."""
        with self._lock:
            for pending in self._pending.values():
                if pending.user_code and pending.user_code == user_code.strip().upper() and pending.person is None:
                    pending.person = person.graph_id
                    return True
        return False

    def token(self, form: dict[str, str]) -> dict[str, object]:
        grant = form.get("grant_type", "")
        if form.get("client_secret"):
            raise LoginError("invalid_request", 700025, "Client is public so neither 'client_assertion' nor "
                             "'client_secret' should be presented.")
        if form.get("client_id") != CLIENT_ID:
            raise LoginError("unauthorized_client", 700016, f"Application with identifier '{form.get('client_id')}' "
                             "was not found in the directory.")
        if grant == "authorization_code":
            return self._redeem_code(form)
        if grant == "refresh_token":
            return self._redeem_refresh(form)
        if grant in ("urn:ietf:params:oauth:grant-type:device_code", "device_code"):
            return self._redeem_device(form)
        raise LoginError("unsupported_grant_type", 70003, "The app requested an unsupported grant type.")

    def _redeem_code(self, form: dict[str, str]) -> dict[str, object]:
        with self._lock:
            pending = self._pending.pop(form.get("code", ""), None)
        if pending is None or pending.expires_at < time.time() or pending.person is None:
            raise LoginError("invalid_grant", 70008, "The provided authorization code or refresh token has expired "
                             "due to inactivity. Send a new interactive authorization request for this user and "
                             "resource.")
        if pending.redirect_uri != form.get("redirect_uri"):
            raise LoginError("invalid_grant", 50148, "The redirect URI does not match the one used in the "
                             "authorization request.")
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not secrets.compare_digest(digest, pending.challenge):
            raise LoginError("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied "
                             "in the authorization request.")
        return self._issue(pending.person, form.get("scope") or " ".join(pending.scopes), pending.client_id,
                           "authorization_code", pending.nonce)

    def _redeem_device(self, form: dict[str, str]) -> dict[str, object]:
        with self._lock:
            pending = self._pending.get(form.get("device_code", ""))
            if pending is None or pending.expires_at < time.time():
                raise LoginError("expired_token", 70020, "The provided value for the input parameter 'device_code' "
                                 "is not valid. This device code has expired.")
            now = time.time()
            if pending.polled and now - pending.polled[-1] < self.device_interval_s - 0.5:
                pending.polled.append(now)
                raise LoginError("slow_down", 70016, "OAuth 2.0 device flow error. Authorization is pending.")
            pending.polled.append(now)
            if pending.person is None:
                raise LoginError("authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is "
                                 "pending. Continue polling.")
            del self._pending[form.get("device_code", "")]
        return self._issue(pending.person, " ".join(pending.scopes), pending.client_id, "device_code")

    def _redeem_refresh(self, form: dict[str, str]) -> dict[str, object]:
        with self._lock:
            held = self._refresh.get(form.get("refresh_token", ""))
        if held is None or held[2] < time.time() or held[0] in self.revoked_people:
            raise LoginError("invalid_grant", 700082, "The refresh token has expired due to inactivity or was "
                             "revoked. Sign in again.")
        person, client, _ = held
        if client != form.get("client_id"):
            raise LoginError("invalid_grant", 70000, "Provided grant is invalid or malformed.")
        if not form.get("scope"):
            raise LoginError("invalid_request", 900144, "The request body must contain the following parameter: "
                             "'scope'.")
        # Entra hands out a new refresh token with each use; the old one keeps working until it
        # expires (not single-use: documented as "replaced", never as "revoked").
        return self._issue(person, form["scope"], client, "refresh_token")

    def _issue(self, person: str, scope: str, client_id: str, grant: str, nonce: str = "") -> dict[str, object]:
        resource, permissions = self.resource(scope.split())
        lifetime = self.tenant.quirks.token_lifetime_s
        token = AccessToken("eyJ0eXAiOiJKV1QifQ." + secrets.token_urlsafe(60), resource, person, permissions,
                            client_id, time.time() + lifetime)
        refresh = "1.AQ" + secrets.token_urlsafe(80)
        with self._lock:
            self._tokens[token.value] = token
            self._refresh[refresh] = (person, client_id, time.time() + REFRESH_LIFETIME_S)
            self.issued.append((grant, resource))
        who = self.tenant.people[person]
        claims = {"iss": f"https://login.microsoftonline.com/{self.tenant_id}/v2.0", "sub": person, "aud": client_id,
                  "exp": int(time.time() + 3600), "iat": int(time.time()), "nbf": int(time.time()),
                  "oid": person, "tid": self.tenant_id, "preferred_username": who.upn, "name": who.display_name,
                  **({"nonce": nonce} if nonce else {})}
        granted = " ".join(sorted(f"{resource}/{p}" for p in permissions))
        return {"token_type": "Bearer", "scope": granted, "expires_in": int(lifetime), "ext_expires_in": int(lifetime),
                "access_token": token.value, "refresh_token": refresh, "id_token": _unsigned_jwt(claims),
                "client_info": _b64(json.dumps({"uid": person, "utid": self.tenant_id}))}

    tenant_id = TENANT_ID

    # ------------------------------------------------------------ the resources ask

    def check(self, value: str, audience: str) -> AccessToken | None:
        """The token behind a request to ``audience``: None when unknown, expired, for another
        resource, or its person signed out everywhere."""
        with self._lock:
            token = self._tokens.get(value)
        if token is None or token.audience != audience or token.expires_at <= time.time():
            return None
        return None if token.person in self.revoked_people else token

    def expire_all(self) -> None:
        """Every access token's hour is up (the tests: tokens that expire mid-session)."""
        with self._lock:
            for token in self._tokens.values():
                token.expires_at = time.time() - 1

    def mint(self, person: Person, audience: str) -> str:
        """A token without a sign-in, for the demo's apps and the tests (never on a real tenant)."""
        scope = f"{audience}/.default"
        return str(self._issue(person.graph_id, scope, CLIENT_ID, "minted")["access_token"])

    def mint_sign_in(self, person: Person) -> dict[str, object]:
        """A whole sign-in (Graph token and refresh token), as a device sign-in would give it."""
        return self._issue(person.graph_id, f"{GRAPH}/.default", CLIENT_ID, "minted")


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _unsigned_jwt(claims: dict[str, object]) -> str:
    return f"{_b64(json.dumps({'typ': 'JWT', 'alg': 'none'}))}.{_b64(json.dumps(claims))}."
