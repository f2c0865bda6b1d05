"""How a Hallway app's Qt process ends, the same for the kiosk and the tray app (QtCore only)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, QTimer

_quitting: list[asyncio.Event] = []
_requested = [False]


def request_quit() -> None:
    """End the app now, whatever windows are open (SIGTERM, logout, the Quit item). Not
    ``QApplication.quit()``: Qt 6 first asks every window to close, and one that declines (the feed
    window hides to the tray, the locked kiosk refuses Alt+F4) silently cancels the quit."""
    _requested[0] = True
    for done in _quitting:
        done.set()


def quit_requested() -> bool:
    """Whether the app was asked to end (a dialog shown before the loop runs closes itself)."""
    return _requested[0]


async def until_quit(app: QCoreApplication) -> None:
    """Run the qasync loop until the app is asked to quit (a menu, an admin's exit, SIGTERM)."""
    done = asyncio.Event()
    _quitting.append(done)
    app.aboutToQuit.connect(done.set)
    try:
        if not _requested[0]:  # a quit asked for while starting counts too
            await done.wait()
    finally:
        _quitting.remove(done)
        _requested[0] = False


def keep_executor(loop: asyncio.AbstractEventLoop) -> None:
    """Before the loop closes: qasync's ``close()`` joins its default executor's threads with no
    time limit, so a request stuck on a hung server would hold SIGTERM up for as long as it
    hangs. The executor is the app's own, ended by ``finish_workers`` within its budget."""
    loop.set_default_executor(None)  # type: ignore[arg-type]  # qasync's loop takes None: no executor


NETWORK_THREADS = "hallway-network"  # the apps' executor's thread name prefix (ThreadPoolExecutor's)


def network_executor(workers: int) -> ThreadPoolExecutor:
    """The app's executor for network work, its threads named so ``finish_workers`` finds them."""
    return ThreadPoolExecutor(workers, NETWORK_THREADS)


def finish_workers(executor: ThreadPoolExecutor, within_s: float = 1.0) -> bool:
    """Let the network threads end, for ``within_s`` at most: a request stuck on a hung server must
    not hold up a logout. True when all ended; otherwise the caller leaves with ``leave_now``
    (what they were writing is in SQLite transactions, which a hard exit rolls back cleanly).
    The threads are found by their names (``network_executor``), not the executor's insides."""
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + within_s
    workers = [t for t in threading.enumerate() if t.name.startswith(f"{NETWORK_THREADS}_")]
    for thread in workers:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in workers if t.is_alive()]
    if stuck:
        logging.getLogger(__name__).warning("leaving without waiting for %s (a request still running)",
                                            ", ".join(stuck))
    return not stuck


def leave_now(code: int = 0) -> None:
    """Exit at once, past threads still blocked in the network (after ``finish_workers`` said so)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def give_back_memory() -> None:
    """After a burst of work (the first sync): collect, and hand the C heap's free pages back to
    the system (glibc keeps them otherwise), so an app idle all day is no bigger than it needs."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def leave_tidily(objects: Iterable[QObject | None]) -> None:
    """Delete the windows and collect garbage while Qt is still whole, rather than leave it to
    PySide's clean-up during the interpreter's shutdown (which can crash on a busy heap)."""
    for thing in objects:
        if thing is not None:
            thing.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.unfreeze()
    gc.collect()


def quit_on_sigterm(app: QCoreApplication) -> QSocketNotifier:
    """A logout or systemd sends SIGTERM: leave tidily. The signal wakes Qt through a socket, so waiting
    for it costs nothing (no polling timer). The quit is queued, so a SIGTERM that comes while
    the app is still starting (before Qt's loop runs, when quit() alone would be lost) counts too."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    signal.signal(signal.SIGTERM, lambda _signum, _frame: QTimer.singleShot(0, request_quit))
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda: reader.recv(64))
    notifier.sockets = (reader, writer)  # type: ignore[attr-defined]  # kept open as long as the notifier
    return notifier
