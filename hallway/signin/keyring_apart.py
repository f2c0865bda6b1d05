"""The sign-in read from the keyring by a short-lived process of its own.

The tray app runs all day and needs the keyring once, at start. Loading the keyring library and
its backend (on Linux the Secret Service: D-Bus and the cryptography package) costs the process
that does it about 20 MB of resident memory for good (docs/performance.md). So the tray app asks
this helper, which reads the one token, hands it back on a pipe, and ends. A refreshed sign-in
(networks whose tokens expire) is written back the same way. Signing in and out (rare) still
load the keyring in the app itself.

The helper is ``python -m hallway.signin.keyring_apart``, or in the bundle the launcher with
``--keyring-apart`` (installer/launcher.py). Its environment is the app's, so it finds the same
keyring (``PYTHON_KEYRING_BACKEND``, the session bus). The request and the answer are one line of
JSON each; the token never touches a file, an argument list or a log.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hallway.signin.errors import SignInError

FLAG = "--keyring-apart"


def command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, FLAG]
    return [sys.executable, "-m", "hallway.signin.keyring_apart"]


def read(account: str) -> str | None:
    """The token under ``account``, read by the helper; the same errors as reading in-process
    (KeyringSilent after KEYRING_WAIT_S, a SignInError that says what to do)."""
    return _ask({"account": account})


def write(account: str, value: str) -> None:
    """``value`` saved under ``account`` by the helper (a refreshed sign-in); the same errors."""
    _ask({"account": account, "save": value})


def _ask(request: dict[str, str]) -> str | None:
    from hallway.signin import tokens

    try:
        helper = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,  # noqa: S603
                                  stderr=subprocess.DEVNULL, text=True)
    except OSError as failure:
        raise SignInError("Could not read the sign-in", f"Hallway could not start its keyring reader "
                          f"({failure.strerror or failure}).") from None
    try:
        out, _ = helper.communicate(json.dumps(request | {"wait_s": tokens.KEYRING_WAIT_S}) + "\n",
                                    timeout=tokens.KEYRING_WAIT_S + 5)
    except subprocess.TimeoutExpired:
        helper.kill()
        helper.wait()
        raise tokens.KeyringSilent("Could not read the sign-in", f"The keyring did not answer within "
                                   f"{tokens.KEYRING_WAIT_S:g} s. If it is waiting to be unlocked, unlock it; "
                                   "Hallway tries again by itself.") from None
    try:
        answer = json.loads(out.splitlines()[-1]) if out.strip() else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise SignInError("Could not read the sign-in", f"Hallway's keyring reader ended without an answer "
                          f"(exit code {helper.returncode}). Try again; if it keeps failing, ask IT.")
    if "value" in answer:
        return str(answer["value"]) if answer["value"] else None
    kind = tokens.KeyringSilent if answer.get("silent") else SignInError
    raise kind(str(answer.get("title", "Could not read the sign-in")), str(answer.get("message", "")))


def main() -> int:
    """Read one request from stdin, answer on stdout, end."""
    from hallway.signin import tokens

    try:
        request = json.loads(sys.stdin.readline())
        account, tokens.KEYRING_WAIT_S = str(request["account"]), float(request["wait_s"])
        saving = None if request.get("save") is None else str(request["save"])
    except (ValueError, KeyError, TypeError):
        return 2
    try:
        if saving is not None:
            tokens._answer(lambda: tokens.backend().set_password(tokens.SERVICE, account, saving), "save the sign-in")
            answer: dict[str, object] = {"value": None}
        else:
            found = tokens._answer(lambda: tokens.backend().get_password(tokens.SERVICE, account), "read the sign-in")
            answer = {"value": str(found) if found else None}
    except SignInError as failure:
        answer = {"title": failure.title, "message": failure.message,
                  "silent": isinstance(failure, tokens.KeyringSilent)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    code = main()
    os._exit(code)  # a keyring call still stuck in its thread must not hold the exit
