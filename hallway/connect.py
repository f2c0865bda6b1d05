"""From settings and the keyring to a signed-in ``Network``: the one place that picks a connector."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from hallway import proxy
from hallway.config import Config
from hallway.http import HttpClient
from hallway.networks import FieldNames, Network
from hallway.networks.registry import connector
from hallway.signin import Credentials, KeyringSilent, SignIn, SignInError, handed_over, load_credentials, save_token


class Missing(StrEnum):
    SERVER = "server"  # network.server is not set
    SIGN_IN = "sign-in"  # nobody signed in (no token)
    KEYRING = "keyring"  # the keyring refused (locked, a prompt dismissed, none at all)
    KEYRING_SILENT = "keyring-silent"  # the keyring did not answer in time: try again by itself


class NotConfigured(Exception):
    """Something a person must do first; the message says what, ``missing`` which it is."""

    def __init__(self, message: str, missing: Missing = Missing.SIGN_IN) -> None:
        super().__init__(message)
        self.missing = missing

    @property
    def again(self) -> bool:
        """Nothing is wrong with the settings: worth trying again by itself, later."""
        return self.missing is Missing.KEYRING_SILENT


def field_names(config: Config) -> FieldNames:
    return FieldNames(**{name: str(config[f"fields.{name}"]) for name in FieldNames.__dataclass_fields__})


def open_network(config: Config, kiosk: bool = False, client: HttpClient | None = None,
                 keyring_apart: bool = False) -> Network:
    """``keyring_apart``: the keyring is read by a process of its own (the tray app, which runs
    all day, never loads the keyring library: hallway/signin/keyring_apart.py)."""
    server = config["network.server"]
    if not server:
        raise NotConfigured("No server is set: put network.server in the config file (see docs/admin.md).",
                            Missing.SERVER)
    try:
        credentials = load_credentials(server, kiosk=kiosk, apart=keyring_apart)
    except SignInError as failure:
        raise NotConfigured(failure.message, Missing.KEYRING_SILENT if isinstance(failure, KeyringSilent)
                            else Missing.KEYRING) from None
    if not credentials:
        raise NotConfigured("Not signed in: run `hallway set-token --kiosk`" if kiosk
                            else "Not signed in: run `hallway sign-in`")

    def keep(fresh: Credentials) -> None:
        save_token(server, fresh, kiosk=kiosk, apart=keyring_apart)
    return network_with(config, credentials, kiosk, client, keep=None if handed_over(kiosk) else keep)


def network_with(config: Config, token: str | Credentials, kiosk: bool = False, client: HttpClient | None = None,
                 keep: Callable[[Credentials], None] | None = None) -> Network:
    """The configured network signed in with ``token`` (``hallway set-token`` checks one with it).
    Its requests refresh the sign-in when it expires (where the network issues refresh tokens),
    and ``keep`` saves each refreshed one."""
    proxy.configure(config)  # every request, IT's proxy or PAC file first (hallway.proxy)
    chosen = connector(config["network.kind"])
    client = client or HttpClient()
    credentials = Credentials.from_stored(token) if isinstance(token, str) else token
    signin = SignIn(credentials, refresh=lambda stale: chosen.refresh(stale, client), keep=keep)
    return chosen.build(config, signin, kiosk, client)
