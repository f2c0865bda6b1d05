"""A notifier whose every call happens on a thread of its own, never on the GUI thread.

D-Bus calls block (up to three seconds each when the notification daemon is slow or hung);
the GUI must never wait for one. ``show`` queues the alert and answers at once. An alert the
service could not show goes to ``on_failed`` (called on the notifier's thread: the app hands it
to the GUI thread), which shows it another way (the tray balloon, or the colleague's card itself).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from desktop.parts.alerts import Alert
from desktop.system.notify import Notifier

log = logging.getLogger(__name__)
_STOP = object()


class InBackground:
    def __init__(self, make: Callable[[], Notifier], available: Callable[[Notifier], bool],
                 on_failed: Callable[[Alert], None]) -> None:
        self._make, self._available, self.on_failed = make, available, on_failed
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self.usable: bool | None = None  # None: not known yet
        self.thread = threading.Thread(target=self._run, name="notifications", daemon=True)
        self.thread.start()

    def show(self, alert: Alert) -> bool:
        """Queue it (answers at once). Where the service is known to be missing, the alert goes
        straight to ``on_failed``, which shows it another way: handled either way."""
        if self.usable is False:
            self.on_failed(alert)
        else:
            self._queue.put(alert)
        return True

    def close(self) -> None:
        self._queue.put(_STOP)
        self.thread.join(2)

    def _run(self) -> None:
        notifier: Notifier | None = None
        try:
            notifier = self._make()
            self.usable = self._available(notifier)
            if not self.usable:
                log.info("no notification service answers: the tray balloon stands in")
            while (item := self._queue.get()) is not _STOP:
                assert isinstance(item, Alert)
                shown = False
                try:
                    shown = self.usable and notifier.show(item)
                except Exception:  # a broken daemon must not end this thread
                    log.exception("the notification service failed")
                if not shown:
                    self.on_failed(item)
        finally:
            if notifier is not None:
                notifier.close()
