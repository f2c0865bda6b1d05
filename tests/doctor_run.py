"""`hallway doctor` run in the test's process for a network's machine file, with the person's and
the kiosk's sign-ins kept in the test's keyring: what it printed, and its exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallway import cli, signin
from hallway import config as settings
from hallway.signin.credentials import Credentials


def doctor(folder: Path, server: str, person: Credentials, kiosk: Credentials, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> tuple[str, int]:
    """``folder`` holds machine.toml (the network's settings)."""
    monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(folder / "machine.toml"))
    monkeypatch.setenv(settings.USER_CONFIG_ENV, str(folder / "user.toml"))
    signin.save_token(server, person)
    signin.save_token(server, kiosk, kiosk=True)
    code = cli.main(["doctor"])
    return capsys.readouterr().out, code
