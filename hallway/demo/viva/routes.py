"""How the emulator's endpoints are declared: a method, a path pattern, and where the shape came
from, so a reader (and the tests) can tell documented behaviour from a guess."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from hallway.demo.viva.login import AccessToken, Authority
from hallway.demo.viva.tenant import Person, Tenant
from hallway.demo.web import Request, Response


class Source(StrEnum):
    DOCS = "documentation"  # Microsoft's reference pages (learn.microsoft.com)
    SAMPLE = "published sample"  # a response a public project recorded from a real tenant (CLI for Microsoft 365)
    GUESS = "guess"  # neither: how Hallway expects it to behave, never verified


@dataclass
class Call:
    """One request as a handler sees it: the tenant, who is calling (with which token), and the
    emulator's own address."""

    tenant: Tenant
    authority: Authority
    request: Request
    base: str
    person: Person | None = None
    token: AccessToken | None = None

    @property
    def me(self) -> Person:
        assert self.person is not None
        return self.person


Handler = Callable[[Call, "re.Match[str]"], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    source: Source
    where: str  # the page or sample the shape came from (or why it is a guess)


def router() -> tuple[list[Route], Callable[..., Callable[[Handler], Handler]]]:
    routes: list[Route] = []

    def route(method: str, pattern: str, source: Source, where: str) -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            routes.append(Route(method, re.compile(pattern + "$"), handler, source, where))
            return handler
        return add
    return routes, route
