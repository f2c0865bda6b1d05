"""One registry of networks (hallway/networks/registry.py, #30): connecting, signing in and
out, the settings and doctor's probe look a network up there, so a new network is a module and
one line; shown with a network the tests register for themselves."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hallway import config as settings
from hallway import signin
from hallway.connect import open_network
from hallway.http import HttpClient
from hallway.networks import registry

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def echo() -> Iterator[None]:
    registry.register(registry.Connector("echo", "Echo", "echo_network", "echo_network"))
    yield
    registry.CONNECTORS.pop("echo")


def machine(tmp_path: Path, kind: str) -> settings.Config:
    file = tmp_path / "machine.toml"
    file.write_text(f'[network]\nkind = "{kind}"\nserver = "https://echo.example"\n')
    return settings.load(file, tmp_path / "user.toml")


def test_a_registered_network_is_connected_signed_in_and_probed(echo: None, tmp_path: Path) -> None:
    config = machine(tmp_path, "echo")
    assert not config.problems and config["network.kind"] == "echo"
    assert signin.sign_in("https://echo.example", kind="echo") == "echo-token"
    network = open_network(config)
    assert network.kind == "echo" and network.me().handle == "echo"
    assert registry.connector("echo").probe("https://echo.example", HttpClient()) == "Echo 1"
    assert signin.sign_out("https://echo.example", kind="echo") is signin.Revoked.YES


def test_a_network_nobody_registered_is_a_settings_problem(tmp_path: Path) -> None:
    config = machine(tmp_path, "echo")
    assert any("network.kind" in str(p) and "mastodon, matrix" in str(p) for p in config.problems)
    assert config["network.kind"] == "mastodon", "the default holds meanwhile"


def test_outside_the_networks_nothing_branches_on_a_networks_name() -> None:
    found = subprocess.run(["grep", "-rn", '"matrix"\\|"mastodon"', "hallway", "kiosk", "desktop"], cwd=ROOT,
                           capture_output=True, text=True).stdout.splitlines()
    elsewhere = [line for line in found if not line.startswith(("hallway/networks/", "hallway/demo/"))]
    assert elsewhere == []
