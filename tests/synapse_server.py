"""The tests' other servers, one of each per session, each with the 40-person organisation
(seed 11): Synapse, its single sign-on going to a demo network of the same organisation that
approves at once, and mastodon-mock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hallway.demo import server
from hallway.demo.mock_mastodon import MISSING as MOCK_MISSING
from hallway.demo.mock_mastodon import MastodonMock, mock_command
from hallway.demo.mock_mastodon import start as start_mock
from hallway.demo.organisation import generate
from hallway.demo.synapse import MISSING, SeededOrganisation, Synapse, company_sign_in, seed, start, synapse_python


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
