"""The ``hallway`` commands for people and IT, one module each (sync and export, doctor, the
sign-ins, the report). Each prints plain words and returns an exit code; none prints a token.
A command is looked up by its name here, and imported only when it runs."""

from __future__ import annotations

import argparse
import importlib

COMMANDS = {  # name -> module.function
    "sync": "sync.sync", "export-directory": "sync.export_directory", "doctor": "doctor.doctor",
    "set-token": "tokens.set_token", "sign-in": "tokens.sign_in", "sign-out": "tokens.sign_out",
    "proxy-sign-in": "tokens.proxy_sign_in",
    "certificate-passphrase": "tokens.certificate_passphrase", "report": "report.report",
}


def run(name: str, args: argparse.Namespace) -> int:
    module, _, function = COMMANDS[name].partition(".")
    return int(getattr(importlib.import_module(f"hallway.commands.{module}"), function)(args))
