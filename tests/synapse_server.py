"""The tests' other servers, one of each per session, each with the 40-person organisation
(seed 11): Synapse, its single sign-on going to a demo network of the same organisation that
approves at once, and mastodon-mock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from mock_mastodon import MISSING as MOCK_MISSING
from mock_mastodon import MastodonMock, mock_command
from mock_mastodon import start as start_mock
from older_matrix import OlderServer

from hallway.demo import server
from hallway.demo.organisation import generate
from hallway.demo.synapse import (
    MISSING,
    SeededOrganisation,
    Synapse,
    company_sign_in,
    seed,
    seed_as_admin,
    start,
    synapse_python,
)


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Synapse, SeededOrganisation]]:
    if synapse_python() is None:
        pytest.skip(MISSING)
    org = generate(seed=11, people=40)
    company = server.create(org, auto_approve=True).start_in_background()  # the same people sign in
    homeserver = start(tmp_path_factory.mktemp("synapse"), company_sign_in(company))
    try:
        yield homeserver, seed(homeserver, org)
    finally:
        homeserver.stop()
        company.stop()


@dataclass
class AsRun:
    """A Synapse as a company's admin leaves it, and the address Hallway reaches it at."""

    url: str  # the older-server proxy in front: no extended profile fields
    homeserver: Synapse
    seeded: SeededOrganisation


@pytest.fixture(scope="session")
def synapse_as_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AsRun]:
    """Synapse at its default rate limits, without extended profile fields (Synapse 1.163 keeps
    them whatever its settings say, so a proxy answers as the servers that do not), and an
    encrypted company room, a third of whose posts are ciphertext. Seeded as IT would
    (``seed_as_admin``): the admin API, and the facts as ``com.hallway.profile`` state."""
    if synapse_python() is None:
        pytest.skip(MISSING)
    org = generate(seed=11, people=40)
    homeserver = start(tmp_path_factory.mktemp("synapse-as-run"), as_run=True)
    older = None
    try:
        seeded = seed_as_admin(homeserver, org, facts="state", encrypted=True)
        older = OlderServer(homeserver.url)
        yield AsRun(older.url, homeserver, seeded)
    finally:
        if older is not None:
            older.stop()
        homeserver.stop()


@pytest.fixture(scope="session")
def password_synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Synapse, str]]:
    """A Synapse with no single sign-on (so a password is the way in), and one person on it."""
    if synapse_python() is None:
        pytest.skip(MISSING)
    homeserver = start(tmp_path_factory.mktemp("synapse-password"))
    try:
        homeserver.register("sam.okafor")
        yield homeserver, "sam.okafor"
    finally:
        homeserver.stop()


@pytest.fixture(scope="session")
def mastodon_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MastodonMock]:
    """mastodon-mock, a Mastodon API server written elsewhere, with the same 40 people."""
    if mock_command() is None:
        pytest.skip(MOCK_MISSING)
    mock = start_mock(generate(seed=11, people=40), tmp_path_factory.mktemp("mastodon-mock"))
    try:
        yield mock
    finally:
        mock.stop()
