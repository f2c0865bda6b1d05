"""A Kerberos realm made for one test with Debian's MIT KDC, as a company's Active Directory is
to its laptops: a KDC on a free loopback port, the proxy's service key (HTTP/localhost) in a
keytab Squid reads, and a person (ana) signed in with a ticket in a credentials cache of the
test's own. ``environment`` is what a process needs to use the realm."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import loopback_service
import pytest

REALM = "HALLWAY.TEST"
KDC = shutil.which("krb5kdc") or "/usr/sbin/krb5kdc"


@dataclass
class Realm:
    folder: Path
    port: int

    @property
    def keytab(self) -> Path:
        return self.folder / "proxy.keytab"

    @property
    def environment(self) -> dict[str, str]:
        return {"KRB5_CONFIG": str(self.folder / "krb5.conf"), "KRB5_KDC_PROFILE": str(self.folder / "kdc.conf"),
                "KRB5CCNAME": f"FILE:{self.folder / 'ana.ccache'}"}

    def sign_in(self, who: str = "ana") -> None:
        """A ticket for ``who``, as the person's login gives one."""
        subprocess.run(["kinit", "-k", "-t", str(self.folder / f"{who}.keytab"), f"{who}@{REALM}"], check=True,
                       env=os.environ | self.environment, capture_output=True, timeout=20)

    def sign_out(self) -> None:
        subprocess.run(["kdestroy", "-A"], env=os.environ | self.environment, capture_output=True, timeout=20,
                       check=False)


@contextlib.contextmanager
def running() -> Iterator[Realm]:
    if not Path(KDC).exists() or not shutil.which("kadmin.local"):
        pytest.skip("MIT Kerberos is not installed (./run test installs krb5-kdc and krb5-admin-server)")
    folder = loopback_service.folder("hallway-krb5-", 0o755)  # Squid's helper, as Squid's user, reads the keytab
    port = loopback_service.free_port()
    realm = Realm(folder, port)
    (folder / "krb5.conf").write_text(f"""[libdefaults]
 default_realm = {REALM}
 dns_lookup_realm = false
 dns_lookup_kdc = false
 dns_canonicalize_hostname = false
 rdns = false
 udp_preference_limit = 1
[realms]
 {REALM} = {{
  kdc = 127.0.0.1:{port}
 }}
[domain_realm]
 localhost = {REALM}
""")
    (folder / "kdc.conf").write_text(f"""[kdcdefaults]
 kdc_ports = {port}
 kdc_tcp_ports = {port}
[realms]
 {REALM} = {{
  database_name = {folder}/principal
  key_stash_file = {folder}/stash
  acl_file = {folder}/kadm5.acl
  kdc_ports = {port}
  kdc_tcp_ports = {port}
 }}
[logging]
 kdc = FILE:{folder}/kdc.log
""")
    (folder / "kadm5.acl").write_text("")
    env = os.environ | realm.environment

    def admin(query: str) -> None:
        subprocess.run(["kadmin.local", "-r", REALM, "-q", query], check=True, env=env, capture_output=True,
                       timeout=30)
    subprocess.run(["kdb5_util", "create", "-s", "-r", REALM, "-P", "not-a-secret-master-key"], check=True, env=env,
                   capture_output=True, timeout=60)
    admin("addprinc -randkey HTTP/localhost")
    admin(f"ktadd -k {realm.keytab} HTTP/localhost")
    admin("addprinc -randkey ana")
    admin(f"ktadd -k {folder / 'ana.keytab'} ana")
    realm.keytab.chmod(0o644)
    kdc = subprocess.Popen([KDC, "-n", "-r", REALM], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with loopback_service.serving(kdc, port, folder, lambda: "see kdc.log"):
        yield realm
