"""The one way Hallway talks HTTP: a ``requests`` session with the OS trust store, proxies,
deadlines, polite retries and conditional GETs.

Nothing else in the code base creates a session. Calls here block, so callers on the
GUI thread run them in an executor (see hallway.sync).
"""

from __future__ import annotations

import contextlib
import email.utils
import json as jsonlib
import logging
import random
import re
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import requests
import truststore
import urllib3
from requests.adapters import HTTPAdapter

from hallway import __version__, proxy
from hallway.deadline import WATCHDOG, WATCHED_POOLS, Deadline, WatchedHTTPSConnection, WatchedHTTPSPool
from hallway.proxy import certificate, tunnel
from hallway.proxy import credentials as proxy_credentials

if TYPE_CHECKING:
    from requests.sessions import _Settings

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
# The longest silence from a server before it counts as hung; a hung request is not retried
# in its thread (sync's backoff tries again), so "Offline" shows within this, and a check-in
# waiting behind a dead connection is retried within this plus one backoff step (<= 15 s).
READ_TIMEOUT_S = 8.0
DEADLINE_S = 30.0  # one whole attempt: connect, first byte and the whole answer (a trickle ends here)
WRITE_DEADLINE_S = 10.0  # a write's answer is small: a check-in waits no longer behind a trickle
WRITE_READ_TIMEOUT_S = 5.0  # and comes at once from a healthy server (a retry keeps its idempotency key)
ATTEMPTS = 4
BASE_DELAY_S = 0.5
# Longer waits a server asks for are handed back to the caller's scheduler (RateLimited), which
# says "sending slowly" and waits on its own loop, instead of being slept unseen in a thread.
MAX_WAIT_S = 5.0
PATIENT_WAIT_S = 16 * 60.0  # the longest one wait of a patient client (Mastodon's window is 5 minutes)
RETRY_STATUSES = {500, 502, 503, 504}
MAX_ANSWER_BYTES = 16 * 1024 * 1024  # every API answer: a 500 MB "page" is refused, not read whole
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
USER_AGENT = f"Hallway/{__version__} (+https://hallway.example; internal social network client)"


class HttpError(Exception):
    """A request that did not get a usable answer; ``title`` and ``message`` are for people."""

    title = "Network problem"

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message, self.status = message, status


class Offline(HttpError):
    """No answer, or only server errors, after retrying: try again later."""

    title = "Can't reach the network"


class RateLimited(HttpError):
    """The server asked us to wait longer than is worth sleeping for."""

    title = "The network asked Hallway to slow down"

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message, 429)
        self.retry_after_s = retry_after_s


class Unauthorized(HttpError):
    """The token is missing, expired or revoked: the person must sign in again."""

    title = "Please sign in again"


class Refused(HttpError):
    """A client error (4xx) that retrying will not fix."""

    title = "The network refused the request"


class TooBig(Refused):
    """An answer larger than Hallway takes (a 500 MB "page"): refused unread, never kept."""


class BadAnswer(HttpError):
    """The server answered, but not with what its API promises (invalid or truncated JSON)."""

    title = "The network sent a garbled answer"


class UntrustedServer(HttpError):
    """TLS verification failed: the certificate is not trusted by this computer."""

    title = "The server's certificate is not trusted"


class ProxyRefused(Offline):
    """The company's proxy would not carry the request (it asks for a sign-in Hallway does not
    have, or refused the address), or its settings could not be read: ``message`` names it."""

    title = "The company's proxy is in the way"

    def __init__(self, message: str, status: int | None = None, proxy: str = "") -> None:
        super().__init__(message, status)
        self.proxy = proxy  # the proxy's URL, where known: the one to sign in to after a 407


class CertificateLocked(Offline):
    """The client certificate IT named cannot be shown (it needs a passphrase Hallway does not
    have, or it cannot be read): nothing reaches the server until it can; writes wait."""

    title = "The client certificate cannot be used"

    def __init__(self, trouble: certificate.CertificateTrouble) -> None:
        super().__init__(trouble.message)
        self.path = trouble.path if trouble.needs_passphrase else ""  # the file whose passphrase to ask for


class _SignedTunnel(WatchedHTTPSConnection):
    """A tunnel through the proxy (CONNECT) that signs in as the proxy asks, per tunnel: a
    Kerberos token is good for one connection, and NTLM signs in the connection itself."""

    def _tunnel(self) -> None:
        tunnel.connect(self.sock, self.send, f"http://{self.host}:{self.port}",
                       f"{self._tunnel_host}:{self._tunnel_port}", dict(getattr(self, "_tunnel_headers", {})))


class _SignedTunnels(WatchedHTTPSPool):
    ConnectionCls = _SignedTunnel


PROXIED_POOLS: dict[str, type[urllib3.HTTPConnectionPool]] = {"http": WATCHED_POOLS["http"], "https": _SignedTunnels}


class _WatchedAdapter(HTTPAdapter):
    """Connections whose sockets the deadline watchdog can shut (hallway.deadline), and the
    proxy's sign-in on each tunnel and each plain request through it (hallway.proxy.credentials)."""

    def add_headers(self, request: requests.PreparedRequest, **kwargs: Any) -> None:
        """A plain-HTTP request through the proxy carries the proxy's sign-in itself."""
        proxies = kwargs.get("proxies") or {}
        chosen = proxies.get("http") if (request.url or "").startswith("http://") else None
        if chosen:
            fresh = proxy_credentials.authorization(chosen)
            if fresh:
                request.headers["Proxy-Authorization"] = fresh

    def forget_proxy(self, proxy: str) -> None:
        """Connect afresh, so the next tunnel carries the sign-in just chosen."""
        manager = self.proxy_manager.pop(proxy, None)
        if manager is not None:
            manager.clear()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = PROXIED_POOLS
        return manager


class _TrustStoreAdapter(_WatchedAdapter):
    """Verifies TLS against the operating system's trust store (a company CA just works), and
    shows the client certificate with its key's password (hallway.proxy.certificate)."""

    def build_connection_pool_key_attributes(self, request: Any, verify: Any, cert: Any = None) -> Any:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        password = certificate.password_for(pool_kwargs.get("cert_file"))
        if password is not None:
            pool_kwargs["key_password"] = password  # type: ignore[typeddict-unknown-key]  # urllib3 takes it
        return host_params, pool_kwargs

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        """The pool's key password too: requests 2.31 (which pyproject allows) keys its pools
        without build_connection_pool_key_attributes, and sets the certificate here only."""
        super().cert_verify(conn, url, verify, cert)  # type: ignore[no-untyped-call]
        if cert:
            conn.key_password = certificate.password_for(conn.cert_file)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """Through a proxy too: requests builds the proxy's pools without the adapter's context,
        so a tunnel would trust only certifi's list, and a company root (TLS inspection) would be
        refused behind the proxy while trusted at home."""
        if not proxy.lower().startswith("socks"):
            proxy_kwargs.setdefault("ssl_context", truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
        return super().proxy_manager_for(proxy, **proxy_kwargs)


class _RoutedSession(requests.Session):
    """Every request, streams included, goes the way hallway.proxy decides: IT's proxy or PAC
    file first, then the computer's own settings (the environment's among them)."""

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> _Settings:
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        router = proxy.router()
        if not proxies:
            try:
                settings["proxies"] = router.route(str(url)).for_requests()
            except proxy.ProxyTrouble as trouble:
                raise ProxyRefused(trouble.message) from None
        if cert is None and router.client_certificate:
            named = router.client_certificate
            try:
                settings["cert"] = (certificate.shown(named) if isinstance(named, str) else
                                    certificate.shown(*named)).files
            except certificate.CertificateTrouble as trouble:
                raise CertificateLocked(trouble) from None
        return settings


def new_session() -> requests.Session:
    """A session with the trust store, the company's proxy as hallway.proxy finds it, and our
    User-Agent."""
    session = _RoutedSession()
    session.mount("https://", _TrustStoreAdapter(pool_maxsize=8))
    session.mount("http://", _WatchedAdapter(pool_maxsize=8))
    session.headers["User-Agent"] = USER_AGENT
    session.trust_env = False  # the proxy is hallway.proxy's to choose (it reads HTTPS_PROXY too); no .netrc
    return session


@dataclass
class Answer:
    """A successful response, already read; ``fresh`` is False when the server said 304."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    fresh: bool = True

    def json(self) -> Any:
        try:
            value = jsonlib.loads(self.body)
        except ValueError as broken:
            raise BadAnswer(f"The server's answer is not valid JSON ({str(broken)[:120]}).") from None
        except RecursionError:
            raise BadAnswer("The server's answer is nested too deeply to read.") from None
        # JSON may spell half a character ("\ud800"); such text cannot be stored or drawn. Only
        # answers that escape surrogates at all are walked, so the usual answer costs nothing.
        return _without_lone_surrogates(value) if _SURROGATE_ESCAPE.search(self.body) else value


def _without_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("", value)  # dropped, as text.clean does: no "?" box on a name
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


@dataclass
class Traffic:
    """What went over the wire, for benchmarks and the offline indicator."""

    requests: int = 0
    bytes_in: int = 0
    not_modified: int = 0
    rate_limited: int = 0  # answers that said "too many requests, wait" (429)
    unasked: int = 0  # answers kept and still fresh for the caller (``fresh_for_s``): no request at all


def retry_after_s(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date) or the rate-limit reset."""
    now = time.time() if now is None else now
    value = headers.get("Retry-After")
    if value:
        if value.strip().isdigit():
            return float(value)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            pass
    if headers.get("X-RateLimit-Remaining") == "0" and headers.get("X-RateLimit-Reset"):
        try:
            reset = datetime.fromisoformat(headers["X-RateLimit-Reset"].replace("Z", "+00:00"))
            return max(0.0, reset.astimezone(UTC).timestamp() - now)
        except ValueError:
            return None
    return None


Validated = tuple[str | None, str | None, bytes, float]  # ETag, Last-Modified, body, when the server last vouched


class Kept(Protocol):
    """Where answers are kept with their validators past a restart (the store: store/kept.py)."""

    def kept_answer(self, account: str, url: str) -> Validated | None: ...

    def keep_answer(self, account: str, url: str, etag: str | None, modified: str | None, body: bytes) -> None: ...

    def answer_checked(self, account: str, url: str) -> None: ...


class Authorizer(Protocol):
    """The sign-in a request carries (hallway.signin.credentials.SignIn): refreshed once when the
    server refuses it, before the refusal counts."""

    account: str  # what answers kept for this sign-in are filed under (the same across refreshes)

    def header(self) -> str: ...

    def renew(self, refused: str) -> bool: ...


class HttpClient:
    """Requests with retries (exponential backoff, full jitter, ``Retry-After`` honoured),
    conditional GETs against a small in-memory validator cache (and, with ``kept``, answers kept
    past a restart: a laptop's morning asks "changed since?"), and a traffic count."""

    def __init__(self, session: requests.Session | None = None, *, attempts: int = ATTEMPTS,
                 sleep: Callable[[float], None] = time.sleep, cache_size: int = 512, kept: Kept | None = None,
                 patient: Callable[[float], None] | None = None) -> None:
        """``patient``: a batch job (``hallway report``) that waits out the server's rate limit
        however long it asks (up to PATIENT_WAIT_S at a time), told of each wait, instead of
        failing the read; the apps never wait so (their sync backs off on its own)."""
        self.session = session or new_session()
        self.patient = patient
        self.attempts = attempts
        self.sleep = sleep
        self.traffic = Traffic()
        self._validators: OrderedDict[str, Validated] = OrderedDict()
        self._cache_size = cache_size
        self.kept = kept
        # A 429 that says not how long to wait (Yammer's): this long (a network module sets it).
        self.unsaid_wait_s = BASE_DELAY_S
        # How a network says "over your limit" with another status than 429 (Chatter's hourly 503,
        # with its own error body; a proxy's bare 503 is trouble, retried as such): never retried
        # here, handed to sync's scheduler to wait ``limit_wait()`` (a network module sets them).
        self.is_limit: Callable[[int, Any], bool] = lambda status, error: False
        self.limit_wait: Callable[[], float] = lambda: 60.0
        self.addresses: set[str] = set()  # every scheme://host:port asked (doctor says the way to each)
        self._lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
                data: Mapping[str, Any] | None = None, json: Any = None,
                headers: Mapping[str, str] | None = None, conditional: bool = True, max_bytes: int = MAX_ANSWER_BYTES,
                timeout: tuple[float, float] | None = None, deadline_s: float | None = None,
                resend: bool = True, fresh_for_s: float = 0.0, auth: Authorizer | None = None) -> Answer:
        """One request, retried on faults worth retrying (refused or dropped connections, server
        errors, short rate limits); bodies over ``max_bytes`` are refused without being read whole
        (every answer has a cap), and every attempt ends within ``deadline_s`` (by default 30 s
        for a read, 10 s for a write; the silence allowed before the first byte: 8 s, 5 s).
        ``resend=False``: a write the server may have received is never sent again here (no
        idempotency key holds it): only one that surely never left is retried, and the caller
        looks for the rest before sending them again. ``fresh_for_s``: an answer that rarely
        changes (which server this is, who is signed in) is taken from what is kept, without asking,
        while the server vouched for it this recently. ``auth``: the sign-in, refreshed once when
        the server refuses it (a 401, or a 400/403 that names the token); only a refused refresh
        raises Unauthorized."""
        options: dict[str, Any] = {"params": params, "data": data, "json": json, "conditional": conditional,
                                   "max_bytes": max_bytes, "timeout": timeout, "deadline_s": deadline_s,
                                   "resend": resend, "fresh_for_s": fresh_for_s}
        if auth is None:
            return self._send(method, url, dict(headers or {}), **options)
        sent = auth.header()
        try:
            return self._send(method, url, {**(headers or {}), "Authorization": sent}, auth.account, **options)
        except Unauthorized:
            if not auth.renew(sent):
                raise
        # A refused token never reached the API, so sending again is safe, a write included.
        return self._send(method, url, {**(headers or {}), "Authorization": auth.header()}, auth.account, **options)

    def _send(self, method: str, url: str, send_headers: dict[str, str], account: str | None = None, *,  # noqa: C901
              params: Mapping[str, Any] | None, data: Mapping[str, Any] | None, json: Any, conditional: bool,
              max_bytes: int, timeout: tuple[float, float] | None, deadline_s: float | None, resend: bool,
              fresh_for_s: float) -> Answer:
        """One request as ``request`` describes it, with its headers as they are sent and the
        account its kept answers are filed under (the ``Authorization`` header, by default)."""
        reading = method in ("GET", "HEAD")
        if deadline_s is None:
            deadline_s = DEADLINE_S if reading else WRITE_DEADLINE_S
        if timeout is None:
            timeout = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S if reading else WRITE_READ_TIMEOUT_S)
        wanted = requests.Request(method, url, params=params).prepare().url or url
        parts = urlsplit(url)
        self.addresses.add(f"{parts.scheme}://{parts.netloc}")
        account = send_headers.get("Authorization", "") if account is None else account
        plain_headers = dict(send_headers)
        cached = self._cached(account, wanted) if method == "GET" and conditional else None
        if cached and fresh_for_s and time.time() - cached[3] < fresh_for_s:
            with self._lock:
                self.traffic.unasked += 1
            return Answer(200, {}, cached[2], fresh=False)
        send_headers.update(_asking_if_changed(cached))
        failure: HttpError = Offline("No answer from the network.")
        signed_in = 0  # proxy sign-ins tried for this request: Kerberos, then the keyring's (at most two)
        resigned = False
        for attempt in range(self.attempts + 2):  # a proxy sign-in just chosen is one more go, not a lost one
            if attempt >= self.attempts + signed_in:
                break
            if attempt and not resigned:
                self.sleep(self._delay(attempt, failure))
            resigned = False
            with WATCHDOG.deadline(deadline_s) as deadline:
                try:
                    response = self.session.request(method, url, params=params, data=data, json=json,
                                                    headers=send_headers, timeout=timeout, stream=True)
                    body = read_capped(response, max_bytes, url)
                except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as lost:
                    if deadline.expired:  # a trickle, or a server that stopped mid-answer: not worth a retry
                        raise _late(url, deadline) from None
                    if isinstance(lost, requests.exceptions.ProxyError) or "Tunnel connection failed" in str(lost):
                        refused = self._through_proxy(url, str(lost), signed_in)
                        if refused is None:
                            signed_in, resigned = signed_in + 1, True
                            continue  # a proxy sign-in just chosen (Kerberos, the keyring's): asked again with it
                        if refused.status == 407:
                            raise refused from None
                        proxy.router().connection_lost()  # the proxy out of reach: left the office?
                        failure = refused
                        continue
                    proxy.router().connection_lost()  # another network, perhaps: the way again
                    failure = _lost(url, lost, retry_may_repeat=reading or resend)
                    continue
            if deadline.expired:  # cut mid-headers, an answer can look whole (and empty): it is not
                raise _late(url, deadline)
            with self._lock:
                self.traffic.requests += 1
                self.traffic.bytes_in += len(body)
            if response.status_code == 304 and cached:
                with self._lock:
                    self.traffic.not_modified += 1
                if fresh_for_s:
                    self._checked(account, wanted, cached)
                return Answer(200, response.headers, cached[2], fresh=False)
            if response.status_code < 300:
                if method == "GET" and conditional:
                    self._remember(account, wanted, response.headers, body)
                return Answer(response.status_code, response.headers, body)
            if response.status_code == 407:  # a plain-HTTP request, refused by the proxy itself
                refused = self._through_proxy(url, "407 Proxy Authentication Required", signed_in,
                                              response.headers.get("Proxy-Authenticate", ""))
                if refused is None:
                    signed_in, resigned = signed_in + 1, True
                    continue
                raise refused
            failure = self._failure(response, body, url)
            if self._waited_patiently(failure, reading):
                return self._send(method, url, plain_headers, account, params=params, data=None, json=None,
                                  conditional=conditional, max_bytes=max_bytes, timeout=timeout,
                                  deadline_s=deadline_s, resend=resend, fresh_for_s=0.0)
            if isinstance(failure, RateLimited) and (failure.retry_after_s > MAX_WAIT_S or not reading):
                raise failure  # a write's wait is the caller's to schedule (it says "sending slowly")
            if not isinstance(failure, (Offline, RateLimited)) or (not reading and not resend):
                raise failure
        raise failure

    def _waited_patiently(self, failure: HttpError, reading: bool) -> bool:
        """A rate limit, counted; a patient client's long wait for a read, waited (True: ask
        again); one longer than even a patient client waits is raised."""
        if not isinstance(failure, RateLimited):
            return False
        with self._lock:
            self.traffic.rate_limited += 1
        if not reading or self.patient is None or failure.retry_after_s <= MAX_WAIT_S:
            return False
        if failure.retry_after_s > PATIENT_WAIT_S:
            raise failure
        wait = failure.retry_after_s + random.uniform(0, 1.0)
        self.patient(wait)
        self.sleep(wait)
        return True

    def _through_proxy(self, url: str, said: str, signed_in: int, challenge: str = "") -> ProxyRefused | None:
        """What the proxy's refusal means, in words that name it; None: the keyring holds the
        proxy's sign-in (just saved, perhaps), so the request is worth sending again with it.
        ``challenge``: the Proxy-Authenticate a plain-HTTP request's 407 carried (a tunnel's
        refusal is read where the tunnel is made)."""
        try:
            route = proxy.router().route(url)
        except proxy.ProxyTrouble as trouble:
            return ProxyRefused(trouble.message)
        where = _host(route.proxy or "") or "the proxy"
        if challenge and route.proxy:
            proxy_credentials.offered(route.proxy, [challenge])
        if "407" in said and route.proxy:
            sent = proxy_credentials.scheme(route.proxy)
            if signed_in < 2 and proxy_credentials.prepare(route.proxy, sent):
                for adapter in self.session.adapters.values():
                    if isinstance(adapter, _WatchedAdapter):
                        adapter.forget_proxy(route.proxy)
                return None
            if sent == "negotiate":
                return ProxyRefused(f"The company's proxy at {where} refused Kerberos: your sign-in ticket may have "
                                    f"expired (lock and unlock the computer, or run kinit) ({route.source}).", 407,
                                    route.proxy)
            kerberos = proxy_credentials.trouble(route.proxy)
            kerberos = f" Kerberos could not be used: {kerberos}." if kerberos else ""
            return ProxyRefused(f"The company's proxy at {where} asks for a user name and password that Hallway "
                                f"does not have, or refused them ({route.source}).{kerberos} Sign in to it from "
                                "Hallway, or run `hallway proxy-sign-in`; ask IT if you do not know them.", 407,
                                route.proxy)
        detail = said.rsplit(":", 1)[-1].strip(" ')\"")[:120]
        return ProxyRefused(f"The company's proxy at {where} did not carry the request to {_host(url)} ({detail}; "
                            f"{route.source}).")

    def get_json(self, url: str, **options: Any) -> tuple[Any, Answer]:
        answer = self.request("GET", url, **options)
        return answer.json(), answer

    def _delay(self, attempt: int, failure: HttpError) -> float:
        if isinstance(failure, RateLimited):
            return min(MAX_WAIT_S, failure.retry_after_s + random.uniform(0, 0.5))
        return random.uniform(0, min(MAX_WAIT_S, BASE_DELAY_S * 2 ** attempt))  # full jitter

    def _failure(self, response: requests.Response, body: bytes, url: str) -> HttpError:
        """What a failed answer means. ``body`` is what was read (the response itself is consumed)."""
        status = response.status_code
        if status == 401:
            return Unauthorized("The network no longer accepts Hallway's sign-in.", status)
        error: Any = None
        with contextlib.suppress(ValueError, RecursionError):
            error = jsonlib.loads(body) if body[:1] in (b"{", b"[") else None
        if status in (400, 403) and _token_refused(response.headers, error):
            # Some servers answer a revoked token with 400 "Invalid Bearer token" or a 403: it is
            # the sign-in that is gone, not this one request (RFC 6750's invalid_token).
            return Unauthorized("The network no longer accepts Hallway's sign-in.", status)
        if self.is_limit(status, error):
            return RateLimited(f"{_host(url)} says Hallway is over its limit for now (HTTP {status}).",
                               self.limit_wait())
        if status == 429:
            wait = retry_after_s(response.headers)
            with contextlib.suppress(ValueError, KeyError, TypeError):
                wait = wait if wait is not None else float(error["retry_after_ms"]) / 1000  # Matrix
            return RateLimited("The network asked Hallway to slow down.", self.unsaid_wait_s if wait is None else wait)
        if status in RETRY_STATUSES:
            return Offline(f"{_host(url)} is having trouble (HTTP {status}).", status)
        detail = error_words(error)[:200]
        return Refused(f"{_host(url)} refused the request (HTTP {status}){': ' + detail if detail else ''}.", status)

    def _cached(self, account: str, url: str) -> Validated | None:
        key = f"{account}\n{url}"
        with self._lock:
            entry = self._validators.get(key)
            if entry:
                self._validators.move_to_end(key)
                return entry
        if self.kept is None:
            return None
        try:
            entry = self.kept.kept_answer(account, url)
        except Exception as failure:  # a locked or damaged store: asked in full, never a failed request
            log.warning("could not read a kept answer: %s", failure)
            return None
        if entry:
            self._hold(key, entry)
        return entry

    def _remember(self, account: str, url: str, headers: Mapping[str, str], body: bytes) -> None:
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        if not etag and not modified:
            return
        self._hold(f"{account}\n{url}", (etag, modified, body, time.time()))
        if self.kept is not None:
            try:
                self.kept.keep_answer(account, url, etag, modified, body)
            except Exception as failure:  # a full disk: the answer is used, only not kept
                log.warning("could not keep an answer: %s", failure)

    def _checked(self, account: str, url: str, entry: Validated) -> None:
        """The server said "not modified": the answer is vouched for from now."""
        self._hold(f"{account}\n{url}", (*entry[:3], time.time()))
        if self.kept is not None:
            try:
                self.kept.answer_checked(account, url)
            except Exception as failure:
                log.warning("could not mark a kept answer checked: %s", failure)

    def _hold(self, key: str, entry: Validated) -> None:
        with self._lock:
            self._validators[key] = entry
            self._validators.move_to_end(key)
            while len(self._validators) > self._cache_size:
                self._validators.popitem(last=False)


def read_lines_capped(response: requests.Response, max_line_bytes: int = 1024 * 1024) -> Iterator[str]:
    """A stream's lines, as text; a "line" that never ends (a hostile stream) is refused at the cap
    instead of filling memory."""
    pending = b""
    for chunk in response.iter_content(8192):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield line.rstrip(b"\r").decode("utf-8", "replace")
        if len(pending) > max_line_bytes:
            raise BadAnswer("The live stream sent a line longer than Hallway accepts.")
    if pending:
        yield pending.decode("utf-8", "replace")


def read_capped(response: requests.Response, max_bytes: int, url: str) -> bytes:
    """Read at most ``max_bytes``; a larger body (a 50 MB "avatar") is refused without reading it all."""
    with response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooBig(f"{_host(url)} sent {int(declared) // 1024} KB, more than Hallway accepts here.")
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise TooBig(f"{_host(url)} sent more than {max_bytes // 1024} KB, more than Hallway accepts here.")
            chunks.append(chunk)
        if declared.isdigit() and size < int(declared) and not response.headers.get("Content-Encoding"):
            # The line went dead mid-answer: a retry may get it whole (for a write, the
            # idempotency key makes the retry harmless).
            raise requests.exceptions.ChunkedEncodingError(f"{size} of {declared} bytes arrived")
        return b"".join(chunks)


def error_words(error: Any) -> str:
    """What an error body says, in the shapes networks write it: Mastodon's and Matrix's
    ``{"error": "words"}``, Microsoft Graph's ``{"error": {"code", "message"}}``, Yammer's
    ``{"response": {"message"}}``, Salesforce's ``[{"errorCode", "message"}]``."""
    if isinstance(error, list) and error and isinstance(error[0], dict):
        error = error[0]
    if not isinstance(error, dict):
        return ""
    for outer in ("error", "response"):
        inner = error.get(outer)
        if isinstance(inner, dict):
            code, words = str(inner.get("code", "")), str(inner.get("message", ""))
            return f"{words} ({code})" if code and words else words or code
    if isinstance(error.get("error"), str):
        return str(error["error"])
    return str(error.get("message", ""))


def _never_sent(lost: BaseException) -> bool:
    """Whether a failed request surely never reached the server: the connection itself was
    refused or could not be made in time."""
    if isinstance(lost, requests.ConnectTimeout):
        return True
    for cause in (lost, *lost.args):
        if isinstance(cause, urllib3.exceptions.MaxRetryError):
            cause = cause.reason
        if isinstance(cause, (urllib3.exceptions.NewConnectionError, ConnectionRefusedError)):
            return True
    return False


def _token_refused(headers: Mapping[str, str], error: Any) -> bool:
    """Whether a 400 or 403 says the token itself is bad: ``WWW-Authenticate: Bearer
    error="invalid_token"``, or an error body that says so in words."""
    if 'error="invalid_token"' in headers.get("WWW-Authenticate", ""):
        return True
    words = ""
    if isinstance(error, dict):
        words = " ".join(str(error.get(k, "")) for k in ("error", "error_description", "errcode")).lower()
    return "invalid_token" in words or ("token" in words and any(w in words for w in ("invalid", "revoked", "expired")))


def _late(url: str, deadline: Deadline) -> Offline:
    return Offline(f"{_host(url)} took longer than {deadline.seconds:.0f} s to answer.")


@dataclass(frozen=True)
class Certificate:
    """What a server showed over TLS, for doctor: whose certificate, who signed it, which TLS."""

    subject: str
    issuer: str
    tls: str

    @property
    def words(self) -> str:
        return f"a certificate for {self.subject} issued by {self.issuer!r} ({self.tls}, trusted by this computer)"


def certificate_of(client: HttpClient, url: str) -> Certificate | None:
    """The certificate ``url``'s server shows, seen the way requests go (through the proxy's
    tunnel too: a TLS-inspecting gateway shows its own); None for plain HTTP. HttpError when the
    connection fails, in the same words as any request."""
    if not url.startswith("https://"):
        return None
    try:
        response = client.session.get(url, stream=True, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S))
    except ProxyRefused:
        raise
    except requests.RequestException as lost:
        if isinstance(lost, requests.exceptions.SSLError) and "CERTIFICATE_VERIFY_FAILED" in str(lost):
            raise UntrustedServer(f"This computer does not trust the certificate of {_host(url)} ({lost}).") from None
        raise Offline(f"{_host(url)} did not answer ({type(lost).__name__}).") from None
    try:
        sock = getattr(getattr(response.raw, "connection", None), "sock", None)
        seen = sock.getpeercert() if isinstance(sock, ssl.SSLSocket) else None
        version = sock.version() if isinstance(sock, ssl.SSLSocket) else None
    finally:
        response.close()
    if not seen:
        return None

    def name(part: Any) -> str:
        fields = {key: value for entry in part or () for key, value in entry}
        return str(fields.get("commonName") or fields.get("organizationName") or "an unnamed party")
    return Certificate(name(seen.get("subject")), name(seen.get("issuer")), version or "TLS")


def _asking_if_changed(cached: Validated | None) -> dict[str, str]:
    """A conditional request's headers, from what is kept of the last answer."""
    if not cached:
        return {}
    etag, modified, _, _ = cached
    return {**({"If-None-Match": etag} if etag else {}), **({"If-Modified-Since": modified} if modified else {})}


def _lost(url: str, lost: BaseException, retry_may_repeat: bool) -> HttpError:
    """What a request that got no answer means: raised where trying again cannot help (or a write
    that may have arrived would be repeated), returned where the next attempt may do better."""
    if _asks_for_a_certificate(lost):
        raise Refused(f"{_host(url)} asks this computer for a client certificate {_which_certificate()} "
                      f"({_tls_words(lost)}).") from None
    if isinstance(lost, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(lost):
        raise UntrustedServer(f"This computer does not trust the certificate of {_host(url)} ({lost}).") from None
    if isinstance(lost, requests.exceptions.SSLError):  # an alert, or an end mid-handshake
        return Offline(f"{_host(url)} would not finish a secure connection ({_tls_words(lost)}). Where it asks "
                       f"computers for a client certificate, {_which_certificate().removeprefix('and ')}.")
    if isinstance(lost, requests.Timeout):  # silent: hung, not refused; sync tries again later
        raise Offline(f"{_host(url)} did not answer in time ({type(lost).__name__}).") from None
    failure = Offline(f"{_host(url)} did not answer ({type(lost).__name__}).")
    if not retry_may_repeat and not _never_sent(lost):
        raise failure from None  # it may have arrived: the caller looks before sending it again
    return failure


def _asks_for_a_certificate(lost: BaseException) -> bool:
    """The server ended the handshake for want of a client certificate (or a refused one), or the
    certificate IT named could not be read."""
    words = str(lost).upper()
    return any(alert in words for alert in ("CERTIFICATE_REQUIRED", "TLSV13_ALERT_CERTIFICATE_REQUIRED",
                                            "SSLV3_ALERT_BAD_CERTIFICATE", "TLSV1_ALERT_UNKNOWN_CA",
                                            "COULD NOT FIND THE TLS CERTIFICATE FILE", "PEM LIB"))


def _which_certificate() -> str:
    shown = proxy.router().client_certificate
    if not shown:
        return "and none is set: IT names one in tls.client_certificate"
    name = shown if isinstance(shown, str) else shown[0]
    return f"and did not take {name} (tls.client_certificate), or it could not be read: ask IT"


def _tls_words(lost: BaseException) -> str:
    found = re.search(r"\[SSL: ([A-Z0-9_]+)\]|(Could not find the TLS certificate file[^,)]*)|(EOF occurred)",
                      str(lost))
    if found is None:
        return type(lost).__name__
    return "it ended the connection" if found.group(3) else (found.group(1) or found.group(2)).lower().replace("_", " ")


def _host(url: str) -> str:
    return urlsplit(url).netloc or url
