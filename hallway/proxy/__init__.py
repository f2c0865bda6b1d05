"""Which way each request goes: straight to the server, or through the company's proxy (and the
client certificate shown to servers that ask for one).

One router for the whole process, asked by the one HTTP session (hallway.http) for every request
and every live stream alike. Its order is IT's first, then the computer's own:

1. ``proxy.url`` in IT's config (``direct``: never a proxy);
2. ``proxy.pac_url`` in IT's config (``wpad``: the PAC file found on the company's network);
3. the computer's settings (hallway.proxy.system): the environment, then the desktop's settings,
   whose PAC file is asked as IT's would be.

A PAC file that cannot be fetched or does not answer is never silently skipped: the request
fails in words that name the file, unless IT allows going direct (``proxy.direct_if_pac_fails``).
The one exception is the computer's own automatic detection finding no file at all (Windows has
it on by default, at home too): then the computer's manual proxy, or direct, as its browsers do.
Each answer carries where it came from, so doctor can say why a request went the way it did.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from hallway.proxy import pac
from hallway.proxy import system as system_settings
from hallway.proxy.system import SystemProxy
from hallway.proxy.trouble import NoPacFound, PacTrouble, ProxyTrouble

if TYPE_CHECKING:
    from hallway.config import Config

__all__ = ["PacTrouble", "ProxyTrouble", "Route", "Router", "configure", "router"]

RECHECK_S = 60.0  # after a lost connection, the way is decided afresh at most this often
REMEMBERED_S = 1800.0  # a PAC file and its answers, and the computer's settings, are read again after this
TROUBLE_S = 30.0  # a PAC file that failed is tried again after this (not on every request)


@dataclass(frozen=True)
class Route:
    """The way one request goes: through ``proxy`` (a URL), or direct (None), and why."""

    proxy: str | None
    source: str

    @property
    def words(self) -> str:
        return f"through {self.proxy} ({self.source})" if self.proxy else f"direct ({self.source})"

    def for_requests(self) -> dict[str, str]:
        return {"http": self.proxy, "https": self.proxy} if self.proxy else {}


class Router:
    """IT's settings and the computer's, turned into a Route per request (remembered per host)."""

    def __init__(self, url: str = "", pac_url: str = "", no_proxy: Sequence[str] = (),
                 direct_if_pac_fails: bool = False,
                 system: Callable[[], SystemProxy] = system_settings.read,
                 client_certificate: tuple[str, str] | str | None = None) -> None:
        """``client_certificate``: what requests takes as ``cert`` (a PEM file, or the file and its
        key), for servers that ask the computer to show one (mutual TLS)."""
        self.url, self.pac_url = url.strip(), pac_url.strip()
        self.client_certificate = client_certificate
        self.no_proxy = tuple(h.strip() for h in no_proxy if h.strip())
        self.direct_if_pac_fails = direct_if_pac_fails
        self._system = system
        self._lock = threading.Lock()
        self._read: tuple[float, SystemProxy] | None = None
        self._pac: tuple[float, str, str] | None = None  # when, which file, its text
        self._trouble: tuple[float, PacTrouble] | None = None
        self._routes: dict[tuple[str, str], tuple[float, Route]] = {}
        self._forgotten_at = -RECHECK_S

    @classmethod
    def from_config(cls, config: Config) -> Router:
        certificate, key = config["tls.client_certificate"], config["tls.client_key"]
        return cls(config["proxy.url"], config["proxy.pac_url"], config.listed("proxy.no_proxy"),
                   bool(config["proxy.direct_if_pac_fails"]),
                   client_certificate=(certificate, key) if certificate and key else certificate or None)

    def same_as(self, other: Router) -> bool:
        return (self.url, self.pac_url, self.no_proxy, self.direct_if_pac_fails, self.client_certificate) == (
            other.url, other.pac_url, other.no_proxy, other.direct_if_pac_fails, other.client_certificate)

    def route(self, url: str) -> Route:
        """The way to ``url``; ProxyTrouble when a PAC file says nothing usable."""
        parts = urlsplit(url)
        scheme, host = parts.scheme or "https", (parts.hostname or "").lower()
        now = time.monotonic()
        with self._lock:
            held = self._routes.get((scheme, host))
            if held and now - held[0] < REMEMBERED_S:
                return held[1]
        # A PAC file is asked about the origin only (as browsers ask for https): the way is one per
        # host, and a path (which may hold a token) never reaches the PAC file's JavaScript.
        made = self._decide(f"{scheme}://{parts.netloc.rpartition('@')[2]}/", scheme, host)
        with self._lock:
            self._routes[(scheme, host)] = (time.monotonic(), made)
        return made

    def _decide(self, url: str, scheme: str, host: str) -> Route:
        if self.url.lower() == "direct":
            return Route(None, "IT's setting proxy.url = direct")
        if _bypassed(host, self.no_proxy):
            return Route(None, f"{host} is in IT's proxy.no_proxy")
        if self.url:
            return Route(self.url if "://" in self.url else f"http://{self.url}", "IT's setting proxy.url")
        if self.pac_url:
            return self._from_pac(url, self.pac_url, "IT's setting proxy.pac_url")
        settings = self._settings()
        if _bypassed(host, settings.bypass):
            return Route(None, f"{host} is excepted in {settings.source}")
        source = settings.source
        if settings.pac_url:
            try:
                return self._from_pac(url, settings.pac_url, source, detected=True)
            except NoPacFound:
                source = f"{source}: automatic detection (WPAD) found no proxy settings file on this network"
        chosen = settings.proxies.get(scheme) or settings.proxies.get("https" if scheme == "wss" else "http")
        return Route(chosen, source) if chosen else Route(None, source)

    def _settings(self) -> SystemProxy:
        with self._lock:
            if self._read and time.monotonic() - self._read[0] < REMEMBERED_S:
                return self._read[1]
        found = self._system()
        with self._lock:
            self._read = (time.monotonic(), found)
        return found

    def _from_pac(self, url: str, where: str, named_in: str, detected: bool = False) -> Route:
        """``detected``: the computer's own settings asked for the PAC file (not IT), so finding
        none by WPAD lets the next setting apply (NoPacFound is raised to the caller)."""
        try:
            text, found_at = self._pac_text(where)
            ways = pac.ask(text, [url], found_at)[0]
        except PacTrouble as trouble:
            with self._lock:
                self._trouble = (time.monotonic(), trouble)
            if isinstance(trouble, NoPacFound) and detected:
                raise  # the computer's automatic detection found nothing: as its browsers, the next setting
            if self.direct_if_pac_fails:
                return Route(None, f"{trouble.message} IT allows going direct then (proxy.direct_if_pac_fails)")
            raise ProxyTrouble(f"{trouble.message} It is named in {named_in}; Hallway does not go around the "
                               "company's proxy unless IT allows it: ask IT.") from None
        usable = ways[0] if ways else None
        if usable is None:
            raise ProxyTrouble(f"The PAC file at {found_at} names no way Hallway can use for {urlsplit(url).hostname} "
                               "(a SOCKS proxy, or nothing): ask IT.")
        return Route(usable.proxy, f"the PAC file at {found_at}, from {named_in}")

    def _pac_text(self, where: str) -> tuple[str, str]:
        now = time.monotonic()
        with self._lock:
            if self._trouble and now - self._trouble[0] < TROUBLE_S:
                raise self._trouble[1]
            if self._pac and self._pac[1] and now - self._pac[0] < REMEMBERED_S:
                return self._pac[2], self._pac[1]
        found_at, text = _wpad() if where.lower() == "wpad" else (where, pac.fetch(where))
        with self._lock:
            self._pac, self._trouble = (time.monotonic(), found_at, text), None
        return text, found_at

    def connection_lost(self) -> None:
        """A connection failed: the laptop may be on another network now (home to the office, a
        VPN up or down), where another way applies. The settings, the PAC file and the ways are read
        again at the next request instead of after REMEMBERED_S; at most once a minute, so a server
        that is down costs no PAC file each try."""
        with self._lock:
            now = time.monotonic()
            if now - self._forgotten_at < RECHECK_S:
                return
            self._forgotten_at = now
            self._routes.clear()
            self._read = self._pac = self._trouble = None


def _wpad() -> tuple[str, str]:
    """The PAC file found on the company's network (WPAD): the address DHCP handed out, else by
    name (wpad.<domain>/wpad.dat, each shorter domain in turn)."""
    try:
        from pypac.wpad import proxy_urls_from_dns
    except ImportError:
        raise PacTrouble("Finding the proxy settings on the network (WPAD) needs pypac.") from None
    from_dhcp = system_settings.wpad_from_dhcp()
    tried = [*([from_dhcp] if from_dhcp else []), *proxy_urls_from_dns()]
    for candidate in tried:
        try:
            return candidate, pac.fetch(candidate)
        except PacTrouble:
            continue
    raise NoPacFound("No proxy settings file was found on the company's network (WPAD: "
                         f"{', '.join(tried[:3]) or 'no company domain known'}).")


def _bypassed(host: str, rules: Sequence[str]) -> bool:
    """NO_PROXY's rules and the systems' exceptions: ``*``, a host or domain (``.corp`` or
    ``corp``), a pattern (``10.*``, ``*.corp``), an address or network (``169.254/16``), and
    ``<local>``: a name without a dot."""
    for rule in (r.lower().strip() for r in rules):
        if not rule:
            continue
        if rule == "<local>":  # Windows' and macOS's "simple host names": no dot
            if "." not in host and ":" not in host:
                return True
            continue
        if rule == "*" or host == rule.lstrip(".") or host.endswith("." + rule.lstrip(".").lstrip("*.")):
            return True
        if "*" in rule and fnmatch.fnmatchcase(host, rule):  # Windows' "10.*", "*.corp.example"
            return True
        try:
            if "/" in rule and ipaddress.ip_address(host) in ipaddress.ip_network(_whole(rule), strict=False):
                return True
        except ValueError:
            continue
    return False


def _whole(network: str) -> str:
    """macOS writes "169.254/16": the address's missing parts are zeros."""
    address, _, bits = network.partition("/")
    if ":" not in address and address.count(".") < 3:
        address += ".0" * (3 - address.count("."))
    return f"{address}/{bits}"


_ROUTER = Router()
_ROUTER_LOCK = threading.Lock()


def router() -> Router:
    return _ROUTER


def configure(config: Config) -> Router:
    """The process's router from IT's and the person's settings (kept when unchanged, so what
    it remembered stays)."""
    global _ROUTER
    made = Router.from_config(config)
    with _ROUTER_LOCK:
        if not _ROUTER.same_as(made):
            _ROUTER = made
        return _ROUTER
