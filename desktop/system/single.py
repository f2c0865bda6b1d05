"""One tray app per person: a second launch (a click on the menu entry while Hallway already
runs in the tray) asks the first to bring its feed window forward, then leaves.

QLocalServer names a Unix socket or a Windows named pipe. The name is per user *session*: the
user, the display (or the login session) and the data folder, so another session of the same
person on the machine (a remote desktop, a second seat, a demo with its own home) runs its own
tray app instead of silently swallowing this launch.
"""

from __future__ import annotations

import getpass
import hashlib
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

WAIT_MS = 500
LONGEST_WISH = 2100  # a hallway:// link (desktop.parts.links allows 2048 characters)


def session_key() -> str:
    """What tells this person's desktop session apart from their others on this machine."""
    from hallway.store import default_path
    parts = [os.environ.get(name, "") for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_ID", "SESSIONNAME")]
    return "|".join([*parts, str(default_path().parent)])


def channel_name(user: str | None = None, session: str | None = None) -> str:
    who = user or getpass.getuser()
    key = f"{who}|{session if session is not None else session_key()}"
    return "hallway-desktop-" + hashlib.sha256(key.encode()).hexdigest()[:16]


class SingleInstance(QObject):
    """``claim()`` is True for the first instance; later ones send their wish and get False."""

    wanted = Signal(str)  # what a later launch asked for: "show", "colleague", "settings", or a hallway:// link

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or channel_name()
        self.server: QLocalServer | None = None

    def claim(self, wish: str = "show") -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(WAIT_MS):  # someone is already running: hand over and go
            socket.write(wish.encode()[:LONGEST_WISH].replace(b"\n", b" ") + b"\n")
            socket.waitForBytesWritten(WAIT_MS)
            socket.disconnectFromServer()
            return False
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.name):
            QLocalServer.removeServer(self.name)  # a socket left behind by a crash
            if not self.server.listen(self.name):
                return True  # cannot listen: run anyway rather than not at all
        self.server.newConnection.connect(self._arrived)
        return True

    def _arrived(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if socket.canReadLine():
            wish = bytes(socket.readLine().data()).decode(errors="replace").strip()
            if wish.lower().startswith("hallway:"):
                self.wanted.emit(wish)  # a link: the app parses it strictly (desktop.parts.links)
            else:
                self.wanted.emit(wish if wish in ("show", "colleague", "settings") else "show")
            socket.disconnectFromServer()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
