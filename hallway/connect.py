"""From settings and the keyring to a signed-in ``Network``: the one place that picks a connector."""

from __future__ import annotations

from enum import StrEnum

from hallway.config import Config
from hallway.http import HttpClient
from hallway.networks import FieldNames, Network
from hallway.networks.registry import connector
from hallway.signin import KeyringSilent, SignInError, load_token


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
    return FieldNames(**{name: config[f"fields.{name}"] for name in FieldNames.__dataclass_fields__})


def open_network(config: Config, kiosk: bool = False, client: HttpClient | None = None,
                 keyring_apart: bool = False) -> Network:
    """``keyring_apart``: the keyring is read by a process of its own (the tray app, which runs
    all day, never loads the keyring library: hallway/signin/keyring_apart.py)."""
    server = config["network.server"]
    if not server:
        raise NotConfigured("No server is set: put network.server in the config file (see docs/admin.md).",
                            Missing.SERVER)
    try:
        token = load_token(server, kiosk=kiosk, apart=keyring_apart)
    except SignInError as failure:
        raise NotConfigured(failure.message, Missing.KEYRING_SILENT if isinstance(failure, KeyringSilent)
                            else Missing.KEYRING) from None
    if not token:
        raise NotConfigured("Not signed in: run `hallway set-token --kiosk`" if kiosk
                            else "Not signed in: run `hallway sign-in`")
    return network_with(config, token, kiosk, client)


def network_with(config: Config, token: str, kiosk: bool = False, client: HttpClient | None = None) -> Network:
    """The configured network signed in with ``token`` (``hallway set-token`` checks one with it)."""
    return connector(config["network.kind"]).build(config, token, kiosk, client)
