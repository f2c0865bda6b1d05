"""The admin PIN: kept only as a salted scrypt hash in IT's machine config, and guessed slowly.

``hallway-kiosk --hash-pin`` prints the line IT pastes into /etc/hallway/hallway.toml.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

N, R, P = 2**14, 8, 1
FREE_TRIES = 3
FIRST_LOCK_S = 30.0
MOST_LOCK_S = 15 * 60.0


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(bytes.fromhex(digest)))
    except ValueError:
        return False
    return hmac.compare_digest(actual, bytes.fromhex(digest))


class PinGate:
    """Three free tries, then a lock that doubles with each wrong PIN (30 s up to 15 min)."""

    def __init__(self, stored: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.stored, self.clock = stored, clock
        self.wrong = 0
        self.locked_until = 0.0

    @property
    def configured(self) -> bool:
        return bool(self.stored)

    def wait_s(self) -> float:
        return max(0.0, self.locked_until - self.clock())

    def try_pin(self, pin: str) -> bool:
        if not self.configured or self.wait_s() > 0:
            return False
        if pin_matches(pin, self.stored):
            self.wrong = 0
            return True
        self.wrong += 1
        if self.wrong >= FREE_TRIES:
            self.locked_until = self.clock() + min(MOST_LOCK_S, FIRST_LOCK_S * 2 ** (self.wrong - FREE_TRIES))
        return False
