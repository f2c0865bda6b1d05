"""What sync brings, as Qt signals: one object both front ends attach to a ``Sync`` the same
way (the kiosk's window and the tray app's session), instead of each setting its callbacks.
Sync calls them on the thread that runs its loop (the GUI thread, under qasync), so each signal
arrives there too; a part connects to what it shows."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hallway.sync import Sync


class SyncSignals(QObject):
    result = Signal(object)  # a SyncResult: a pass ended
    connection = Signal(object)  # a Connection: online, slow, offline, a problem, signed out
    pushed = Signal(object)  # a StreamEvent the network's stream brought
    pending = Signal(int)  # writes still waiting in the outbox

    def __init__(self, sync: Sync, parent: QObject | None = None) -> None:
        super().__init__(parent)
        sync.on_result = self.result.emit
        sync.on_connection = self.connection.emit
        sync.on_event = self.pushed.emit
        sync.on_pending = self.pending.emit
