"""Faults the demo network can be told to produce, so tests meet real failures over HTTP.

A fault matches request paths by shell pattern (``/api/v1/timelines/*``) and
fires for the next ``count`` matching requests. Set from the command line
(``--fault PATH=KIND[:ARG][xCOUNT]``) or by ``POST /_demo/faults``.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

SPEC = re.compile(r"(?P<kind>[a-z0-9-]+?)(?::(?P<arg>\d+(?:\.\d+)?))?(?:x(?P<count>\d+))?")
KINDS = ("500", "502", "503", "429", "403", "404", "empty", "slow", "drop", "truncated", "invalid-json", "html")


class FaultError(ValueError):
    """A fault description that cannot be understood; the message says why."""


@dataclass
class Fault:
    path: str
    kind: str
    count: int = 1
    delay: float = 3.0  # seconds, for "slow"
    retry_after: int = 2  # seconds, for "429"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FaultError(f"unknown fault kind {self.kind!r}; one of: {', '.join(KINDS)}")
        if not self.path.startswith("/"):
            raise FaultError(f"fault path must start with '/': {self.path!r}")
        if not 1 <= self.count <= 1_000_000:
            raise FaultError("fault count must be between 1 and 1000000")
        if not 0 <= self.delay <= 600 or not 0 <= self.retry_after <= 86_400:
            raise FaultError("fault delay or retry_after out of range")

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """``/api/v1/timelines/home=503x3``, ``/api/v1/directory=slow:2.5``, ``/*=429:10x1``."""
        path, sep, rest = spec.partition("=")
        parts = SPEC.fullmatch(rest)
        if not sep or parts is None:
            raise FaultError(f"fault {spec!r} is not PATH=KIND[:ARG][xCOUNT], e.g. /api/v1/directory=503x2")
        fault = cls(path=path, kind=parts["kind"], count=int(parts["count"] or 1))
        if parts["arg"] and fault.kind == "slow":
            fault.delay = float(parts["arg"])
        elif parts["arg"] and fault.kind == "429":
            fault.retry_after = int(float(parts["arg"]))
        fault.__post_init__()
        return fault

    @classmethod
    def from_json(cls, body: Any) -> Fault:
        if not isinstance(body, dict) or not isinstance(body.get("path"), str):
            raise FaultError("a fault is a JSON object with at least 'path' and 'kind'")
        try:
            return cls(path=body["path"], kind=str(body.get("kind")), count=int(body.get("count", 1)),
                       delay=float(body.get("delay", 3.0)), retry_after=int(body.get("retry_after", 2)))
        except (TypeError, ValueError) as error:
            if isinstance(error, FaultError):
                raise
            raise FaultError(f"fault has a value of the wrong type: {error}") from None


class FaultPlan:
    """The faults still to fire; thread-safe, as the server answers on many threads."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def take(self, path: str) -> Fault | None:
        """The fault this request meets, if any; each firing uses up one of its count."""
        with self._lock:
            for fault in self._faults:
                if fnmatch.fnmatchcase(path, fault.path):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                    return fault
        return None
