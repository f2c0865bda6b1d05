"""The tray app reads its sign-in from the keyring through a process of its own
(hallway/signin/keyring_apart.py, #33): the same token and the same words for a keyring that is
locked or silent, and the app itself never loads the keyring library (about 20 MB)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hallway import signin
from hallway.signin import tokens

ROOT = Path(__file__).resolve().parents[1]
TESTS = str(Path(__file__).parent)


KEYRING_LOADED = ("print(any(m == 'keyring' or m.startswith(('keyring.', 'secretstorage', 'cryptography')) "
                  "for m in sys.modules))")


def in_an_app(script: str) -> list[str]:
    """What ``script`` prints, run as an app runs (a process of its own, no HALLWAY_TOKEN)."""
    env = {k: v for k, v in os.environ.items() if k != tokens.TOKEN_ENV}
    return subprocess.run([sys.executable, "-c", f"import sys; {script}; {KEYRING_LOADED}"], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=60, check=True).stdout.split()


def test_the_token_is_read_apart_and_the_app_never_loads_the_keyring() -> None:
    signin.save_token("https://social.example", "a-token-of-the-persons")
    out = in_an_app("from hallway.signin import tokens; print(tokens.load_token('https://social.example', apart=True))")
    assert out == ["a-token-of-the-persons", "False"]


def test_nobody_signed_in_reads_as_none() -> None:
    assert tokens.load_token("https://nobody.example", apart=True) is None


@pytest.mark.parametrize(("kind", "words"), [("Locked", "Your keyring is locked"),
                                              ("Silent", "did not answer within 0.5 s")])
def test_a_locked_or_silent_keyring_says_so(kind: str, words: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"stuck_keyring.{kind}")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [TESTS, os.environ.get("PYTHONPATH", "")])))
    monkeypatch.setattr(tokens, "KEYRING_WAIT_S", 0.5)
    started = time.monotonic()
    with pytest.raises(signin.SignInError, match=words) as failure:
        tokens.load_token("https://social.example", apart=True)
    assert isinstance(failure.value, tokens.KeyringSilent) is (kind == "Silent")
    assert time.monotonic() - started < 6.0


def test_a_refreshed_sign_in_is_written_back_apart_without_loading_the_keyring() -> None:
    """A network whose tokens expire: the tray app keeps each refreshed sign-in through the helper."""
    signin.save_token("https://social.example", "the-first-token")
    out = in_an_app("from hallway.signin import tokens; from hallway.signin.credentials import Credentials; "
                    "tokens.save_token('https://social.example', Credentials('the-next-token', refresh_token='r2', "
                    "expires_at=1900000000.0), apart=True)")
    assert out == ["False"]
    kept = tokens.load_credentials("https://social.example")
    assert kept is not None and (kept.access_token, kept.refresh_token) == ("the-next-token", "r2")
