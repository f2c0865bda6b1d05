"""A network of the tests' own, to show that a new network is one module and one registry line
(tests/test_connector_registry.py registers it; the product never does)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hallway.config import Config
from hallway.http import HttpClient
from hallway.model import Colleague
from hallway.signin.errors import Revoked


class EchoNetwork:
    kind = "echo"

    def __init__(self, server: str, token: str) -> None:
        self.server, self.token = server, token

    def me(self) -> Colleague:
        return Colleague(id="1", name="Echo Person", handle="echo")


def build(config: Config, token: str, kiosk: bool, client: HttpClient | None) -> EchoNetwork:
    return EchoNetwork(config["network.server"], token)


def probe(server: str, client: HttpClient) -> str:
    return "Echo 1"


def sign_in(server: str, client: HttpClient, open_browser: Callable[[str], Any], timeout_s: float,
            ask_password: object = None, ask_code: object = None, config: object = None) -> str:
    return "echo-token"


def revoke(server: str, token: str, client: HttpClient) -> Revoked:
    return Revoked.YES
