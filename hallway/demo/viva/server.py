"""Serving the emulated tenant: one TLS server on 127.0.0.1 (a CA of its own, made at start)
that answers as the three hosts Hallway talks to: the sign-in (``/{tenant}/...``, Microsoft's
``login.microsoftonline.com``), Graph (``/v1.0/...``) and Yammer (``/api/v1/...``). Their paths do
not overlap, so one address stands for all three in Hallway's settings."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import tempfile
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from urllib.parse import urlencode

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hallway.demo.faults import FaultPlan
from hallway.demo.organisation import Organisation
from hallway.demo.stream import StreamHub
from hallway.demo.viva import graph, yammer
from hallway.demo.viva.login import CLIENT_ID, GRAPH, YAMMER, Authority, LoginError
from hallway.demo.viva.routes import Call, Route
from hallway.demo.viva.tenant import TENANT_ID, Person, Quirks, Tenant, create
from hallway.demo.web import DemoHTTPServer, EventStream, Request, Response, html_response, json_response
from hallway.http import HttpClient
from hallway.networks.viva_engage import VivaEngageNetwork
from hallway.signin import oauth
from hallway.signin.credentials import Credentials, SignIn, new_account, oauth_fields

LOOPBACK = "127.0.0.1"


@dataclass
class TestCA:
    """A certificate authority made for one run, and the server certificate it signed for
    127.0.0.1 and localhost. ``ca_file`` is what a client trusts (``SSL_CERT_FILE``)."""

    folder: Path
    ca_file: Path = field(init=False)
    cert_file: Path = field(init=False)
    key_file: Path = field(init=False)

    def __post_init__(self) -> None:
        now = dt.datetime.now(dt.UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hallway demo CA (loopback only)")])
        ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
              .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
              .not_valid_after(now + dt.timedelta(days=7))
              .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                           content_commitment=False, key_encipherment=False, data_encipherment=False,
                                           key_agreement=False, encipher_only=False, decipher_only=False),
                             critical=True)
              .sign(ca_key, hashes.SHA256()))
        key = ec.generate_private_key(ec.SECP256R1())
        leaf = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
                .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=7))
                .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK)),
                                                            x509.DNSName("localhost")]), critical=False)
                .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .sign(ca_key, hashes.SHA256()))
        self.ca_file, self.cert_file, self.key_file = (self.folder / n for n in ("ca.pem", "server.pem", "server.key"))
        self.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        self.cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
        self.key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


class Limits:
    """Yammer's 10 requests per user per app per 30 s (documented; its 429 carries no Retry-After,
    and its body is a guess), and Graph's 429 with Retry-After (documented) past a generous rate."""

    def __init__(self, quirks: Quirks) -> None:
        self.quirks = quirks
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self.refused = {"yammer": 0, "graph": 0}

    def allow(self, api: str, who: str) -> bool:
        window, most = (30.0, self.quirks.yammer_limit) if api == "yammer" else (10.0, self.quirks.graph_limit)
        now = time.monotonic()
        with self._lock:
            seen = self._seen[(api, who)]
            while seen and now - seen[0] > window:
                seen.popleft()
            if len(seen) >= most:
                self.refused[api] += 1
                return False
            seen.append(now)
            return True


class VivaAPI:
    """Routes a request to the sign-in, Graph or Yammer, with each one's own checks."""

    def __init__(self, tenant: Tenant, authority: Authority) -> None:
        self.tenant, self.authority = tenant, authority
        self.limits = Limits(tenant.quirks)
        self.base = ""
        self.calls: dict[str, int] = defaultdict(int)  # "graph" / "yammer" / "login" -> requests (the bench)

    def dispatch(self, request: Request) -> Response | EventStream:
        path = request.path
        if path.startswith(f"/{TENANT_ID}/") or path.startswith(("/organizations/", "/common/")):
            self.calls["login"] += 1
            return self._login(request)
        if path.startswith("/devicelogin"):
            return self._device_page(request)
        if path.startswith("/v1.0/"):
            self.calls["graph"] += 1
            return self._resource(request, GRAPH, graph.ROUTES)
        if path.startswith("/api/v1/"):
            self.calls["yammer"] += 1
            return self._resource(request, YAMMER, yammer.ROUTES)
        return json_response({"error": "not found"}, 404)

    def _resource(self, request: Request, audience: str, routes: list[Route]) -> Response:
        header = request.headers.get("Authorization") or ""
        token = self.authority.check(header[7:].strip(), audience) if header.lower().startswith("bearer ") else None
        if token is None:
            if audience == YAMMER:  # documented: api-requests-1
                return yammer.yammer_error(401, "Token not found.", 16)
            return graph.graph_error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet "
                                     "valid." if header else "Access token is empty.")
        api = "yammer" if audience == YAMMER else "graph"
        if not self.limits.allow(api, f"{token.person}:{token.client_id}"):
            if api == "yammer":
                return yammer.yammer_error(429, "Rate limited due to excessive requests.", 33)
            return Response(429, b'{"error":{"code":"TooManyRequests","message":"Too many requests."}}',
                            headers={"Retry-After": str(self.tenant.quirks.graph_retry_after_s)})
        call = Call(self.tenant, self.authority, request, self.base, self.tenant.people[token.person], token)
        allowed: list[str] = []
        for route in routes:
            match = route.pattern.match(request.path)
            if match is None:
                continue
            if route.method != request.method:
                allowed.append(route.method)
                continue
            with self.tenant.lock:
                return route.handler(call, match)
        if allowed:
            return json_response({"error": "Method not allowed"}, 405)
        if api == "yammer":
            return yammer.yammer_error(404, "Not found.", 18)
        return graph.graph_error(400, "BadRequest", f"Resource not found for the segment '{request.path}'.")

    # ------------------------------------------------------------ the sign-in

    def _login(self, request: Request) -> Response:
        tail = request.path.split("/", 2)[2] if request.path.count("/") >= 2 else ""
        try:
            if tail == "v2.0/.well-known/openid-configuration" and request.method == "GET":
                return json_response(self.openid_configuration())
            if tail == "oauth2/v2.0/authorize" and request.method == "GET":
                return self._authorize(request)
            if tail == "oauth2/v2.0/token" and request.method == "POST":
                form = {k: v[-1] for k, v in request.form.items()}
                return json_response(self.authority.token(form))
            if tail == "oauth2/v2.0/devicecode" and request.method == "POST":
                return json_response(self.authority.device_code(request.get("client_id") or "",
                                                                request.get("scope") or "", f"{self.base}/devicelogin"))
        except LoginError as refused:
            return json_response(refused.body(), refused.status)
        return json_response(LoginError("invalid_request", 900561, "The endpoint only accepts POST, OPTIONS "
                                        "requests.").body(), 400)

    def openid_configuration(self) -> dict[str, object]:
        root = f"{self.base}/{TENANT_ID}"
        return {"issuer": f"https://login.microsoftonline.com/{TENANT_ID}/v2.0",
                "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
                "token_endpoint": f"{root}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
                "end_session_endpoint": f"{root}/oauth2/v2.0/logout", "jwks_uri": f"{root}/discovery/v2.0/keys",
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                          "client_secret_basic"],
                "code_challenge_methods_supported": ["plain", "S256"], "tenant_region_scope": "EU",
                "cloud_instance_name": "microsoftonline.com"}

    def _authorize(self, request: Request) -> Response:
        """The person signs in at once (the emulator has no passwords): as ``login_hint`` if
        given, else the demo's person; then the redirect with the code, as Entra sends it."""
        hint = (request.get("login_hint") or "").lower()
        person = next((p for p in self.tenant.people.values() if p.upn.lower() == hint), None) or self.tenant.demo
        redirect = request.get("redirect_uri") or ""
        try:
            code = self.authority.authorize(request.get("client_id") or "", redirect, request.get("scope") or "",
                                            request.get("code_challenge") or "",
                                            request.get("code_challenge_method") or "", request.get("nonce") or "",
                                            person)
        except LoginError as refused:
            return html_response(f"<h1>Sign in</h1><p>AADSTS{refused.code}: {refused.words}</p>", 400)
        values = {"code": code, "session_state": "00000000-0000-0000-0000-000000000001"}
        if request.get("state") is not None:
            values["state"] = request.get("state") or ""
        joiner = "&" if "?" in redirect else "?"
        return Response(302, b"", "text/plain", {"Location": f"{redirect}{joiner}{urlencode(values)}"})

    def _device_page(self, request: Request) -> Response:
        """Where a person types the kiosk's code (``POST`` code and username: the emulator's sign-in)."""
        if request.method == "POST":
            person = next((p for p in self.tenant.people.values() if p.username == request.get("username")), None)
            done = person is not None and self.authority.approve_device(request.get("code") or "", person)
            return html_response("<h1>You're signed in</h1>" if done else "<h1>That code did not work</h1>",
                                 200 if done else 400)
        return html_response("<h1>Enter code</h1><form method=post><input name=code><input name=username>"
                             "<button>Next</button></form>")


@dataclass
class VivaTenant:
    """A running emulated tenant."""

    api: VivaAPI
    server: DemoHTTPServer
    ca: TestCA
    folder: tempfile.TemporaryDirectory[str]
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.api.base

    @property
    def tenant(self) -> Tenant:
        return self.api.tenant

    @property
    def authority(self) -> Authority:
        return self.api.authority

    def person(self, username: str) -> Person:
        return self.tenant.by_username(username)

    def signed_in(self, username: str) -> Credentials:
        """A whole sign-in for ``username`` (a Graph token and a refresh token), as a device
        sign-in gives it: for the demo's apps and the tests (never on a real tenant)."""
        answer = self.authority.mint_sign_in(self.person(username))
        return Credentials(**oauth_fields(answer), token_url=f"{self.url}/{TENANT_ID}/oauth2/v2.0/token",
                           client_id=CLIENT_ID, scope=f"{GRAPH}/.default offline_access", account=new_account())

    def network_for(self, username: str, client: HttpClient | None = None, url: str = "",
                    pace: tuple[int, float] = (10, 30.0), signed_in: Credentials | str | None = None,
                    work_location: bool = False) -> VivaEngageNetwork:
        """Hallway's connector signed in as ``username`` (or with ``signed_in``), its tokens
        refreshed as the apps refresh them; ``url``: another address in front (a proxy)."""
        client = client or HttpClient()
        held = signed_in if signed_in is not None else self.signed_in(username)
        made = held if isinstance(held, Credentials) else Credentials.from_stored(held)
        signin = SignIn(made, refresh=lambda stale: oauth.refresh(stale, client))
        return VivaEngageNetwork(url or self.url, signin, client, graph=url or self.url,
                                 is_lobby=username == "lobby", pace=pace, work_location=work_location)

    @property
    def org(self) -> Organisation:
        return self.tenant.org

    def token_for(self, username: str) -> str:
        """The demo's apps get a whole sign-in (it renews itself in the app's memory)."""
        return self.signed_in(username).stored()

    def environment(self) -> dict[str, str]:
        """The apps trust this run's CA (on Linux the OS trust store reads ``SSL_CERT_FILE``)."""
        return {"SSL_CERT_FILE": str(self.ca.ca_file)}

    def machine_config(self) -> str:
        return (f'[network]\nkind = "viva-engage"\nserver = "{self.url}"\n\n[viva_engage]\n'
                f'tenant = "{TENANT_ID}"\nclient_id = "{self.client_id}"\nlogin = "{self.url}"\n'
                f'graph = "{self.url}"\n')

    @property
    def client_id(self) -> str:
        return CLIENT_ID

    def start_in_background(self) -> VivaTenant:
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                       name="viva-emulator", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)
        self.folder.cleanup()

    def __enter__(self) -> VivaTenant:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()


def start(tenant: Tenant | None = None, *, port: int = 0, yammer_scopes: tuple[str, ...] = ("user_impersonation",
                                                                                            ".default"),
          device_interval_s: int = 5) -> VivaTenant:
    """Bind to 127.0.0.1 (never another address) with TLS from a CA made now, and serve."""
    tenant = tenant or create()
    folder = tempfile.TemporaryDirectory(prefix="hallway-viva-")
    ca = TestCA(Path(folder.name))
    api = VivaAPI(tenant, Authority(tenant, yammer_scopes, device_interval_s))
    server = DemoHTTPServer((LOOPBACK, port), api.dispatch, FaultPlan(), StreamHub())
    server.socket = ca.server_context().wrap_socket(server.socket, server_side=True)
    api.base = f"https://{LOOPBACK}:{server.server_address[1]}"
    return VivaTenant(api, server, ca, folder).start_in_background()

