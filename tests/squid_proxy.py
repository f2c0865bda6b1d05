"""A real Squid (Debian's) on a free loopback port, as a company's proxy: open to this machine, or
asking for Basic authentication against a password file made for the test. Its access log says
which requests went through it."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import kerberos_realm
import loopback_service
import pytest
from kerberos_realm import Realm

SQUID = shutil.which("squid") or "/usr/sbin/squid"
NCSA = "/usr/lib/squid/basic_ncsa_auth"
NEGOTIATE = "/usr/lib/squid/negotiate_kerberos_auth"
NTLM = "/usr/lib/squid/ntlm_fake_auth"


@dataclass
class Squid:
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        path = self.folder / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def carried(self, *words: str, wait_s: float = 5.0) -> list[str]:
        """The access log's lines holding all of ``words`` (Squid writes a line once its request
        ends: waited for, up to ``wait_s``)."""
        deadline = time.monotonic() + wait_s
        while True:
            lines = [line for line in self.log().splitlines() if all(word in line for word in words)]
            if lines or time.monotonic() > deadline:
                return lines
            time.sleep(0.1)


@contextlib.contextmanager
def running(users: dict[str, str] | None = None, kerberos: Realm | None = None, ntlm: bool = False) -> Iterator[Squid]:
    """Squid on loopback; ``users``: name -> password, and then nothing passes without them;
    ``kerberos``: a realm whose tickets it asks for (Negotiate, as HTTP/localhost), and nothing
    passes without one; ``ntlm``: NTLM only (Squid's test helper takes any user name and password
    and logs the user name).
    Its folder is its own under /tmp: started as root, Squid works as its own user, who cannot
    reach into a test's private temporary folder."""
    if not Path(SQUID).exists():
        pytest.skip("Squid is not installed (./run test installs it from Debian)")
    folder = loopback_service.folder("hallway-squid-", 0o777)
    port = loopback_service.free_port()
    access = "http_access allow localhost"
    if users is not None:
        lines = []
        for name, password in users.items():
            hashed = subprocess.run(["openssl", "passwd", "-apr1", password], capture_output=True, text=True,
                                    check=True).stdout.strip()
            lines.append(f"{name}:{hashed}")
        (folder / "passwords").write_text("\n".join(lines) + "\n")
        (folder / "passwords").chmod(0o644)
        access = (f"auth_param basic program {NCSA} {folder / 'passwords'}\n"
                  "auth_param basic realm Hallway test proxy\n"
                  "acl signed proxy_auth REQUIRED\nhttp_access allow localhost signed")
    if ntlm:
        access = (f"auth_param ntlm program {NTLM}\nauth_param ntlm children 3\nauth_param ntlm keep_alive on\n"
                  "acl signed proxy_auth REQUIRED\nhttp_access allow localhost signed")
    if kerberos is not None:
        access = (f"auth_param negotiate program {NEGOTIATE} -s HTTP/localhost@{kerberos_realm.REALM} "
                  f"-k {kerberos.keytab}\nauth_param negotiate children 3\nauth_param negotiate keep_alive on\n"
                  "acl signed proxy_auth REQUIRED\nhttp_access allow localhost signed")
    (folder / "squid.conf").write_text(f"""
http_port 127.0.0.1:{port}
pid_filename {folder / 'squid.pid'}
access_log stdio:{folder / 'access.log'}
cache_log {folder / 'cache.log'}
cache_store_log none
coredump_dir {folder}
cache deny all
acl CONNECT method CONNECT
{access}
http_access deny all
shutdown_lifetime 0 seconds
visible_hostname hallway-test-proxy
""")
    environment = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    if kerberos is not None:
        environment |= kerberos.environment
    process = subprocess.Popen([SQUID, "-N", "-n", f"hallwaytest{port}", "-f", str(folder / "squid.conf")],
                               stdout=subprocess.DEVNULL, stderr=(folder / "squid.err").open("w"), env=environment)

    def said() -> str:
        return "".join(f.read_text(errors="replace") for f in (folder / "squid.err", folder / "cache.log")
                       if f.exists())
    with loopback_service.serving(process, port, folder, said):
        yield Squid(port, folder)
