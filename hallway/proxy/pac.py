"""Proxy auto-config: a PAC file fetched and asked which way a URL goes.

A PAC file is JavaScript, and JavaScript can loop. pypac runs it in dukpy, which holds Python's
lock while it runs: a PAC file that never returns would freeze the whole app (seen here). So the
file is run by a short-lived process of its own (``python -m hallway.proxy.pac_apart``, in the
bundle the launcher with ``--pac-apart``), asked every host at once, and stopped after
``PAC_WAIT_S``. It also keeps dukpy out of the tray app's memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import requests

from hallway.proxy.trouble import PacTrouble

PAC_WAIT_S = 3.0  # a PAC file that has not answered by then loops, or waits on a DNS that does not answer
PAC_MOST_BYTES = 1024 * 1024
FETCH_S = 5.0
FLAG = "--pac-apart"


@dataclass(frozen=True)
class Way:
    """One entry of a PAC answer: a proxy's URL, or None for DIRECT."""

    proxy: str | None

    @property
    def words(self) -> str:
        return self.proxy or "direct"


def fetch(url: str) -> str:
    """The PAC file at ``url`` (http, https or file), fetched directly (a PAC file is never
    fetched through a proxy), within FETCH_S and PAC_MOST_BYTES."""
    if url.startswith("file://"):
        from pathlib import Path
        from urllib.parse import unquote, urlsplit

        try:
            with Path(unquote(urlsplit(url).path)).open(encoding="utf-8", errors="replace") as file:
                return file.read(PAC_MOST_BYTES)
        except OSError as failure:
            raise PacTrouble(f"The proxy settings file {url} could not be read ({failure.strerror}).") from None
    session = requests.Session()
    session.trust_env = False
    try:
        with session.get(url, timeout=(FETCH_S, FETCH_S), stream=True) as answer:
            if answer.status_code != 200:
                raise PacTrouble(f"The proxy settings file at {url} could not be fetched (HTTP {answer.status_code}).")
            body = answer.raw.read(PAC_MOST_BYTES + 1, decode_content=True)
    except requests.RequestException as failure:
        raise PacTrouble(f"The proxy settings file at {url} could not be fetched ({type(failure).__name__}).") \
            from None
    finally:
        session.close()
    if len(body) > PAC_MOST_BYTES:
        raise PacTrouble(f"The proxy settings file at {url} is larger than a PAC file can be.")
    return body.decode("utf-8", errors="replace")


def ask(pac: str, urls: Sequence[str], where: str = "") -> list[list[Way]]:
    """Which way each of ``urls`` goes, by the PAC file's own rules (in order of preference);
    ``where``: the file's address, for the words when it fails."""
    named = f"The proxy settings file (PAC) at {where}" if where else "The proxy settings file (PAC)"
    from urllib.parse import urlsplit

    request = {"pac": pac, "queries": [[url, urlsplit(url).hostname or ""] for url in urls]}
    try:
        helper = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,  # noqa: S603
                                  stderr=subprocess.DEVNULL, text=True)
    except OSError as failure:
        raise PacTrouble(f"Hallway could not start its PAC reader ({failure.strerror or failure}).") from None
    try:
        out, _ = helper.communicate(json.dumps(request) + "\n", timeout=PAC_WAIT_S)
    except subprocess.TimeoutExpired:
        helper.kill()
        helper.wait()
        raise PacTrouble(f"{named} did not answer within {PAC_WAIT_S:g} s: it may loop, or wait on a name "
                         "lookup that never answers.") from None
    try:
        answer = json.loads(out.splitlines()[-1]) if out.strip() else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise PacTrouble(f"Hallway's PAC reader ended without an answer (exit code {helper.returncode}).")
    if "error" in answer:
        raise PacTrouble(f"{named} failed: {str(answer['error'])[:200]}.")
    return [parse(str(line)) for line in answer.get("answers") or []]


def parse(line: str) -> list[Way]:
    """``"PROXY proxy.corp:8080; DIRECT"`` as ways, in order. HTTPS and SOCKS proxies are named
    by their scheme; what Hallway cannot use is left out (a SOCKS proxy needs PySocks)."""
    ways: list[Way] = []
    for part in line.split(";"):
        kind, _, where = part.strip().partition(" ")
        kind, where = kind.upper(), where.strip()
        if kind == "DIRECT":
            ways.append(Way(None))
        elif kind in ("PROXY", "HTTP") and where:
            ways.append(Way(f"http://{where}"))
        elif kind == "HTTPS" and where:
            ways.append(Way(f"https://{where}"))
    return ways


def command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, FLAG]
    return [sys.executable, "-m", "hallway.proxy.pac_apart"]
