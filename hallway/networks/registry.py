"""The networks Hallway speaks, one entry each. Connecting, signing in and out, doctor's probe
of a server and the settings' choice of ``network.kind`` look a network up here instead of
branching on its name: a new network is a module under ``hallway/networks/`` (and its sign-in
under ``hallway/signin/``) plus one ``register`` line below.

A network module offers ``build(config, signin, kiosk, client) -> Network`` (``signin``: the
live sign-in its requests carry, hallway.signin.credentials.SignIn) and ``probe(server, client)
-> str`` (the server's name in words, for doctor); its sign-in module ``sign_in(server, client,
open_browser, timeout_s, ask_password=None, ask_code=None, config=None) -> Credentials`` (or a bare
token; ``config``: the settings, for a sign-in that needs more than the server's address),
``revoke(server, token, client) -> Revoked`` and, where its tokens expire, ``refresh(credentials,
client) -> Credentials`` (without one, OAuth 2's refresh at the credentials' token URL:
hallway/signin/oauth.py). Modules are imported when first used, so the settings can list the
kinds without loading any network's code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from hallway.model import FeedKind

if TYPE_CHECKING:
    from hallway.config import Config
    from hallway.http import HttpClient
    from hallway.networks import Network
    from hallway.signin.credentials import Credentials, SignIn
    from hallway.signin.errors import Revoked


@dataclass(frozen=True)
class Connector:
    kind: str  # the value of network.kind
    name: str  # in words, for doctor and the docs
    network_module: str
    signin_module: str
    live_stream: bool = False  # doctor opens the live stream to check it (streaming may be switched off)
    settings_section: str = ""  # its own settings' section (``viva_engage``): shown only where it is the network
    # What "#name" in network.feed is there (as its Network.feed_of reads it), for the settings
    # window's words before the network is reached: a hashtag, or a community or group.
    named_feeds: FeedKind = FeedKind.TAG

    def owns(self, key: str) -> bool:
        """Whether a setting is this network's own."""
        return bool(self.settings_section) and key.startswith(f"{self.settings_section}.")

    def build(self, config: Config, signin: SignIn, kiosk: bool, client: HttpClient | None) -> Network:
        """The network from the settings, its requests carrying ``signin``."""
        return import_module(self.network_module).build(config, signin, kiosk, client)  # type: ignore[no-any-return]

    def probe(self, server: str, client: HttpClient) -> str:
        """Whether the server answers as this network, and its name in words (doctor)."""
        return str(import_module(self.network_module).probe(server, client))

    def sign_in(self, server: str, client: HttpClient, open_browser: Callable[[str], Any], timeout_s: float,
                ask_password: Any = None, ask_code: Any = None, config: Config | None = None) -> Credentials:
        """``config``: handed on only to a sign-in that needs more than the server's address
        (Viva Engage's tenant and app registration)."""
        from hallway.signin.credentials import Credentials

        made = import_module(self.signin_module).sign_in(server, client, open_browser, timeout_s,
                                                         ask_password=ask_password, ask_code=ask_code, config=config)
        return made if isinstance(made, Credentials) else Credentials(str(made))

    @property
    def signs_in_by_code(self) -> bool:
        """Whether the network signs in with a code typed on another device (the kiosk's way)."""
        return hasattr(import_module(self.signin_module), "device_sign_in")

    def device_sign_in(self, config: Config, show: Callable[[str, str], None], timeout_s: float,
                       cancelled: threading.Event | None = None) -> Credentials:
        """A sign-in with a code typed on another device (the kiosk's, where the network has one)."""
        from hallway.signin.errors import SignInError

        own = getattr(import_module(self.signin_module), "device_sign_in", None)
        if own is None:
            raise SignInError(f"{self.name} has no sign-in by code", "Give the kiosk's token on standard input "
                              "instead (`hallway set-token --kiosk`).")
        return own(config, show, timeout_s, cancelled)  # type: ignore[no-any-return]

    def refresh(self, credentials: Credentials, client: HttpClient) -> Credentials:
        """The next access token (Unauthorized when the network refuses: sign in again)."""
        from hallway.signin import oauth

        own = getattr(import_module(self.signin_module), "refresh", None)
        return own(credentials, client) if own is not None else oauth.refresh(credentials, client)

    def revoke(self, server: str, token: str, client: HttpClient) -> Revoked:
        return import_module(self.signin_module).revoke(server, token, client)  # type: ignore[no-any-return]


CONNECTORS: dict[str, Connector] = {}
DEFAULT_KIND = "mastodon"  # network.kind unless IT says otherwise


def register(connector: Connector) -> None:
    CONNECTORS[connector.kind] = connector


def connector(kind: str) -> Connector:
    try:
        return CONNECTORS[kind]
    except KeyError:
        raise ValueError(f"Hallway does not speak {kind!r} (network.kind: {', '.join(CONNECTORS)})") from None


def kinds() -> tuple[str, ...]:
    return tuple(CONNECTORS)


register(Connector("mastodon", "Mastodon, or a server that speaks its API", "hallway.networks.mastodon",
                   "hallway.signin.mastodon", live_stream=True))
register(Connector("matrix", "Matrix", "hallway.networks.matrix", "hallway.signin.matrix", settings_section="matrix"))
register(Connector("chatter", "Salesforce Chatter", "hallway.networks.chatter", "hallway.signin.chatter",
                   settings_section="chatter", named_feeds=FeedKind.GROUP))
register(Connector("viva-engage", "Viva Engage (Microsoft 365)", "hallway.networks.viva_engage",
                   "hallway.signin.viva_engage", settings_section="viva_engage", named_feeds=FeedKind.GROUP))
