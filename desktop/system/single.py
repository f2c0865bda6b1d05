"""One tray app per person: a second launch (a click on the menu entry while Hallway already
runs in the tray) asks the first to bring its feed window forward, then leaves.

The channel is a Unix socket on Linux and macOS (Python's own, read through a QSocketNotifier)
and a named pipe on Windows (QLocalServer). Qt's QtNetwork is loaded on Windows only: on the
others it cost every running tray app 2 MB for one socket (docs/performance.md). The name is
per user *session*: the user, the display (or the login session) and the data folder, so
another session of the same person on the machine (a remote desktop, a second seat, a demo
with its own home) runs its own tray app instead of silently swallowing this launch.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

WAIT_MS = 500
LONGEST_WISH = 2100  # a hallway:// link (desktop.parts.links allows 2048 characters)
WISHES = ("show", "colleague", "settings")
LONGEST_SOCKET_PATH = 100  # sockaddr_un holds 104 (macOS) or 108 (Linux) bytes


def session_key() -> str:
    """What tells this person's desktop session apart from their others on this machine."""
    from hallway.store import default_path
    parts = [os.environ.get(name, "") for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_ID", "SESSIONNAME")]
    return "|".join([*parts, str(default_path().parent)])


def channel_name(user: str | None = None, session: str | None = None) -> str:
    who = user or getpass.getuser()
    key = f"{who}|{session if session is not None else session_key()}"
    return "hallway-desktop-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def socket_path(name: str) -> str:
    """Where the socket lives: the temporary folder, as Qt's local sockets put it, or /tmp where
    that folder's path is too long for a socket address."""
    path = str(Path(tempfile.gettempdir()) / name)
    return path if len(path.encode()) <= LONGEST_SOCKET_PATH else str(Path("/tmp") / name)  # noqa: S108


def _wish(line: bytes) -> str:
    wish = line.decode(errors="replace").strip()
    if wish.lower().startswith("hallway:"):
        return wish  # a link: the app parses it strictly (desktop.parts.links)
    return wish if wish in WISHES else "show"


class SingleInstance(QObject):
    """``claim()`` is True for the first instance; later ones send their wish and get False."""

    wanted = Signal(str)  # what a later launch asked for: "show", "colleague", "settings", or a hallway:// link

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or channel_name()
        self._listener: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._pipe: QLocalServer | None = None  # Windows

    def claim(self, wish: str = "show") -> bool:
        line = wish.encode()[:LONGEST_WISH].replace(b"\n", b" ") + b"\n"
        return self._claim_pipe(line) if sys.platform == "win32" else self._claim_socket(line)

    def release(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
            with contextlib.suppress(OSError):
                Path(socket_path(self.name)).unlink()
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None

    # ------------------------------------------------------------ Linux and macOS

    def _claim_socket(self, line: bytes) -> bool:
        path = socket_path(self.name)
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as first:
            first.settimeout(WAIT_MS / 1000)
            first.connect(path)  # someone is already running: hand over and go
            first.sendall(line)
            return False
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            Path(path).unlink(missing_ok=True)  # a socket left behind by a crash: nobody answered on it
            mask = os.umask(0o177)  # the person's own: nobody else may hand this app a link
            try:
                listener.bind(path)
            finally:
                os.umask(mask)
            listener.listen(8)
            listener.setblocking(False)
        except OSError:
            listener.close()
            return True  # cannot listen: run anyway rather than not at all
        self._listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                peer, _ = self._listener.accept()
            except OSError:  # none waiting (BlockingIOError), or the listener closed
                return
            peer.setblocking(False)
            _Peer(peer, self.wanted.emit, self)

    # ------------------------------------------------------------ Windows

    def _claim_pipe(self, line: bytes) -> bool:
        from PySide6.QtNetwork import QLocalServer, QLocalSocket

        first = QLocalSocket()
        first.connectToServer(self.name)
        if first.waitForConnected(WAIT_MS):  # someone is already running: hand over and go
            first.write(line)
            first.waitForBytesWritten(WAIT_MS)
            first.disconnectFromServer()
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # a pipe left behind by a crash
            if not server.listen(self.name):
                return True  # cannot listen: run anyway rather than not at all

        def arrived() -> None:
            while (peer := server.nextPendingConnection()) is not None:
                def read(peer: QLocalSocket = peer) -> None:
                    if peer.canReadLine():
                        self.wanted.emit(_wish(bytes(peer.readLine().data())))
                        peer.disconnectFromServer()
                peer.readyRead.connect(read)
                read()
        server.newConnection.connect(arrived)
        self._pipe = server
        return True


class _Peer(QObject):
    """One later launch's line, read as it arrives without ever blocking the GUI thread."""

    def __init__(self, peer: socket.socket, wanted: Callable[[str], None], parent: QObject) -> None:
        super().__init__(parent)
        self.peer, self.wanted, self.line = peer, wanted, b""
        self.notifier = QSocketNotifier(peer.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._read)

    def _read(self) -> None:
        try:
            chunk = self.peer.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        self.line += chunk
        if chunk and b"\n" not in self.line and len(self.line) <= LONGEST_WISH:
            return  # more to come
        self.notifier.setEnabled(False)
        self.peer.close()
        line = self.line.split(b"\n", 1)[0]
        if line or b"\n" in self.line:
            self.wanted(_wish(line))
        self.deleteLater()
