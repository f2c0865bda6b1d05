"""Work off the GUI thread, its answer back on it: the one way both front ends reach the network,
the keyring or a slow disk without freezing a window (the shape of Anki's ``QueryOp``).

``Background.run(work, done, failed)`` runs ``work`` on the executor and calls ``done`` with its
result, or ``failed`` with its exception, on the GUI thread, never on the worker's. Every future
is held until its answer has been handed over, so nothing is collected half-way; an answer for a
part that is gone, or after the app began to quit, is dropped. A ``work`` that raises with no
``failed`` to hear it is logged, never lost.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


class Background(QObject):
    _arrived = Signal(object)  # a finished Future, from the worker's thread to the GUI thread's slot

    def __init__(self, executor: Executor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self._waiting: dict[Future[Any], tuple[Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
        # Queued even when the work was done before run() returned: the answer always comes on a
        # later turn of the GUI thread's loop, after run()'s caller has set its own state.
        self._arrived.connect(self._hand_over, Qt.ConnectionType.QueuedConnection)

    def run(self, work: Callable[[], T], done: Callable[[T], None] = lambda _result: None,
            failed: Callable[[BaseException], None] | None = None) -> bool:
        """Start ``work``; False when the executor no longer takes work (the app is quitting)."""
        try:
            future = self.executor.submit(work)
        except RuntimeError:
            return False
        self._waiting[future] = (done, failed)
        future.add_done_callback(self._tell)
        return True

    def _tell(self, future: Future[Any]) -> None:
        """On the worker's thread (or at once, on this one, if the work was already done)."""
        with contextlib.suppress(RuntimeError):  # the part is gone (the app quit): nobody to tell
            self._arrived.emit(future)

    def busy(self) -> int:
        """How many answers are still to come."""
        return len(self._waiting)

    def _hand_over(self, future: Future[Any]) -> None:
        done, failed = self._waiting.pop(future, (None, None))
        if done is None or future.cancelled():
            return
        failure = future.exception()
        if failure is None:
            done(future.result())
        elif failed is not None:
            failed(failure)
        else:
            log.error("work off the GUI thread failed", exc_info=failure)
