"""The client certificate this computer shows a server or gateway that asks for one (mutual TLS),
from the file IT names in ``tls.client_certificate``: a PEM file (its key there or in
``tls.client_key``, with or without a passphrase), or a PKCS#12 file (``.p12``/``.pfx``: what
Windows' certificate export, macOS's Keychain Access and device-management profiles write).

A passphrase is never in a config file: it is asked once (the tray's form, ``hallway
certificate-passphrase``), checked against the file, and kept in the OS keyring. Python's TLS
takes certificates only from files, so a PKCS#12 file is unpacked into a private PEM file whose
key stays encrypted under a random password held in memory only; a key is never written to disk
in the clear. Certificates held by Windows' or macOS's own certificate store are not read: their
keys are usually marked not exportable, and only the operating system's own TLS can sign with
them (docs/admin.md)."""

from __future__ import annotations

import atexit
import os
import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MAX_BYTES = 1_000_000  # a certificate file with its chain is a few KB
_KEY_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?-----END \1PRIVATE KEY-----", re.DOTALL)


class CertificateTrouble(Exception):
    """The certificate IT named cannot be shown; ``message`` says why in words, and
    ``needs_passphrase`` that the person (or IT) can mend it by giving the file's passphrase."""

    def __init__(self, message: str, path: str = "", needs_passphrase: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.needs_passphrase = needs_passphrase


@dataclass(frozen=True)
class Shown:
    """What TLS loads: ``files`` as requests takes ``cert`` (the certificate file, or it and its
    key file), and the key's ``password`` (None where the key is not encrypted)."""

    files: str | tuple[str, str]
    password: str | None = None

    @property
    def certificate_file(self) -> str:
        return self.files if isinstance(self.files, str) else self.files[0]


_lock = threading.Lock()
_passphrases: dict[str, str | None] = {}  # certificate path -> the keyring's passphrase, read once
_by_file: dict[str, str | None] = {}  # a certificate file given to TLS -> its key's password
_made: dict[tuple[str, str, int, int], Shown] = {}  # IT's files as they were when opened -> what TLS loads
_private_dir: list[Path] = []


def account(path: str) -> str:
    return f"certificate:{Path(path).resolve()}"


def shown(certificate: str, key: str = "") -> Shown:
    """What to show for IT's ``tls.client_certificate`` (and ``tls.client_key``), its passphrase
    read from the keyring where it needs one. Asked for every request: kept while the files stay
    as they were (opening a locked key costs a key derivation)."""
    try:
        stamp = (certificate, key, Path(certificate).stat().st_mtime_ns, Path(key).stat().st_mtime_ns if key else 0)
    except OSError:
        stamp = None  # said by _read, in words
    with _lock:
        done = _made.get(stamp) if stamp else None
    if done is not None:
        return done
    made = _open(certificate, key)
    if stamp:
        with _lock:
            _made[stamp] = made
    return made


def _open(certificate: str, key: str) -> Shown:
    data = _read(certificate)
    if b"-----BEGIN" not in data:
        return _unpack_pkcs12(certificate, data, _passphrase(certificate))
    key_data = _read(key) if key else data
    files: str | tuple[str, str] = (certificate, key) if key else certificate
    if b"ENCRYPTED" not in key_data:
        return _remember(Shown(files))
    passphrase = _passphrase(key or certificate)
    if passphrase is None:
        raise _needs(key or certificate)
    _check_pem(key or certificate, key_data, passphrase)
    return _remember(Shown(files, passphrase))


def describe(made: Shown, now: datetime | None = None) -> tuple[str, bool]:
    """Whose certificate it is and until when, in words, and whether it is still good for two
    weeks (doctor warns before the gateway starts refusing it)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        found = x509.load_pem_x509_certificate(_read(made.certificate_file))
    except ValueError:
        return "its certificate could not be read", False
    names = found.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    who = str(names[0].value) if names else found.subject.rfc4514_string()
    until = found.not_valid_after_utc
    left = until - (now or datetime.now(UTC))
    if left.total_seconds() <= 0:
        return f"for {who}, expired on {until:%Y-%m-%d}: ask IT for a new one", False
    if left.days < 14:
        when = "within a day" if left.days < 1 else "in 1 day" if left.days == 1 else f"in {left.days} days"
        return f"for {who}, expires on {until:%Y-%m-%d}, {when}: ask IT for a new one", False
    return f"for {who}, until {until:%Y-%m-%d}", True


def password_for(certificate_file: str | None) -> str | None:
    """The key's password for a certificate file ``shown`` handed out (TLS asks per pool)."""
    with _lock:
        return _by_file.get(certificate_file or "")


def check(certificate: str, passphrase: str, key: str = "") -> None:
    """Raise CertificateTrouble unless ``passphrase`` opens the file (before it is kept)."""
    path = key or certificate
    data = _read(path)
    if b"-----BEGIN" in data:
        _check_pem(path, data, passphrase)
    else:
        _open_pkcs12(path, data, passphrase)


def save_passphrase(certificate: str, passphrase: str, key: str = "") -> None:
    """Check ``passphrase`` against the file, then keep it in the keyring."""
    from hallway.signin import tokens

    check(certificate, passphrase, key)
    tokens.save_secret(account(key or certificate), passphrase, "keep the client certificate's passphrase")
    with _lock:
        _passphrases[str(Path(key or certificate).resolve())] = passphrase
        _made.clear()


def forget_held() -> None:
    """Read the keyring again next time (the person may have just saved the passphrase)."""
    with _lock:
        _passphrases.clear()
        _made.clear()


def _read(path: str) -> bytes:
    try:
        with Path(path).open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as failure:
        raise CertificateTrouble(f"The client certificate file {path} (tls.client_certificate) cannot be read "
                                 f"({failure.strerror or type(failure).__name__}): ask IT.", path) from None
    if len(data) > MAX_BYTES:
        raise CertificateTrouble(f"{path} (tls.client_certificate) is over 1 MB: it is not a certificate file.", path)
    return data


def _passphrase(path: str) -> str | None:
    where = str(Path(path).resolve())
    with _lock:
        if where in _passphrases:
            return _passphrases[where]
    from hallway.signin import keyring_apart
    from hallway.signin.errors import SignInError

    try:
        found = keyring_apart.read(account(path))
    except SignInError:
        found = None
    with _lock:
        _passphrases[where] = found
    return found


def _needs(path: str, wrong: bool = False) -> CertificateTrouble:
    said = ("does not open with the passphrase kept for it" if wrong else
            "is locked with a passphrase Hallway does not have")
    return CertificateTrouble(f"The client certificate {path} {said}: enter it in Hallway, or run "
                              f"`hallway certificate-passphrase` (IT knows it).", path, needs_passphrase=True)


def _check_pem(path: str, data: bytes, passphrase: str) -> None:
    from cryptography.hazmat.primitives import serialization

    found = _KEY_BLOCK.search(data)
    key = found.group(0) if found else data
    try:
        serialization.load_pem_private_key(key, passphrase.encode())
    except (ValueError, TypeError):
        raise _needs(path, wrong=True) from None


def _open_pkcs12(path: str, data: bytes, passphrase: str | None) -> tuple[Any, Any, list[Any]]:
    """The PKCS#12 file's key, certificate and chain (none asked: tried without a passphrase)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    opened = None
    for trying in ([passphrase] if passphrase is not None else [None, ""]):
        try:
            opened = pkcs12.load_key_and_certificates(data, trying.encode() if trying is not None else None)
            break
        except ValueError:
            continue
    if opened is None:
        if passphrase is not None:
            raise _needs(path, wrong=True)
        raise CertificateTrouble(f"The client certificate {path} is locked with a passphrase Hallway does not "
                                 f"have, or is not a certificate file: enter its passphrase in Hallway, or run "
                                 f"`hallway certificate-passphrase` (IT knows it).", path, needs_passphrase=True)
    key, certificate, chain = opened
    if key is None or certificate is None:
        raise CertificateTrouble(f"The client certificate file {path} holds no certificate with its key: export "
                                 f"it again with its private key, or ask IT.", path)
    return key, certificate, list(chain)


def _unpack_pkcs12(path: str, data: bytes, passphrase: str | None) -> Shown:
    """The PKCS#12 file as a private PEM file whose key is encrypted under a random password
    (``shown`` keeps it while the file stays as it was)."""
    from cryptography.hazmat.primitives import serialization

    key, certificate, chain = _open_pkcs12(path, data, passphrase)
    password = secrets.token_urlsafe(24)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.BestAvailableEncryption(password.encode()))
    pem += b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (certificate, *chain))
    target = _private() / f"{secrets.token_hex(8)}.pem"
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return _remember(Shown(str(target), password))


def _remember(made: Shown) -> Shown:
    with _lock:
        _by_file[made.certificate_file] = made.password
    return made


def _private() -> Path:
    """A folder only this person can read, removed when Hallway ends."""
    with _lock:
        if not _private_dir:
            folder = Path(tempfile.mkdtemp(prefix="hallway-certificate-"))
            _private_dir.append(folder)
            atexit.register(shutil.rmtree, folder, True)
        return _private_dir[0]
