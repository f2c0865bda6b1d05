"""What every command shares: plain words with a mark, and the store and network a command opens."""

from __future__ import annotations

import sys

from hallway import config as settings
from hallway.connect import NotConfigured, open_network
from hallway.http import HttpClient
from hallway.networks import Network
from hallway.store import Store, StoreFault


def say(ok: bool, text: str) -> bool:
    print(f"  {'✓' if ok else '✗'} {text}")
    return ok


def store_and_network(prog: str, config: settings.Config, kiosk: bool) -> tuple[Store, Network, HttpClient] | None:
    """This computer's local copy and the network, its answers kept in that copy; None (said on
    stderr) where either cannot be opened."""
    for problem in config.problems:
        print(f"{prog}: {problem}", file=sys.stderr)
    try:
        store = Store(photo_cache_bytes=config["privacy.photo_cache_mb"] * 1024 * 1024)
    except StoreFault as fault:
        print(f"{prog}: {fault}", file=sys.stderr)
        return None
    client = HttpClient(kept=store)
    try:
        return store, open_network(config, kiosk=kiosk, client=client), client
    except NotConfigured as missing:
        print(f"{prog}: {missing}", file=sys.stderr)
        store.close()
        return None




def configured(command: str) -> tuple[settings.Config, str] | None:
    """The settings and the server they name; None, said in words, where no server is set."""
    config = settings.load()
    server = str(config["network.server"])
    if not server:
        print(f"hallway {command}: set network.server in the config first", file=sys.stderr)
        return None
    return config, server
