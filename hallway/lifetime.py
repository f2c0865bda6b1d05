"""How a Hallway app's Qt process ends, the same for the kiosk and the tray app (QtCore only)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import sys
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QObject


async def until_quit(app: QCoreApplication) -> None:
    """Run the qasync loop until Qt is asked to quit (a menu, an admin's exit, SIGTERM)."""
    done = asyncio.Event()
    app.aboutToQuit.connect(done.set)
    await done.wait()


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
