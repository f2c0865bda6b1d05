"""The badge reader: most readers are keyboards that type the card number fast and press Enter.

``Burst`` tells a reader's burst from a person typing, by the gap between keys, with no text
field in focus; ``BadgeReader`` watches every key press in the application and turns bursts
into badge reads, garbled bursts into "try again", and slow typing into text for the search.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

MIN_LENGTH = 4
MAX_LENGTH = 64
# What common readers send (125 kHz EM4100 and HID Prox as decimal numbers, MIFARE and DESFire
# serial numbers as hexadecimal): 4 to 20 digits or hex digits. IT sets its own (kiosk.badge_pattern).
DEFAULT_PATTERN = "[0-9A-Fa-f]{4,20}"
BURST_KEYS = 3  # this many keys or more, each within the gap, are a reader's, never a person's typing


@dataclass(frozen=True)
class Badge:
    number: str
    took_ms: float  # first key to Enter (the admin panel's reader test shows it)


@dataclass(frozen=True)
class Garbled:
    reason: str


@dataclass(frozen=True)
class Typed:
    text: str  # slow keys, typed by a person: passed on to the name search


Read = Badge | Garbled | Typed


class Burst:
    """Pure logic over (text, time) pairs, so the timing rules are tested without a keyboard."""

    def __init__(self, gap_ms: float = 50.0, pattern: str = DEFAULT_PATTERN) -> None:
        self.gap_ms = gap_ms
        self.pattern = re.compile(pattern)
        self.keys: list[str] = []
        self.first_ms = self.last_ms = 0.0
        self.bad = False

    def key(self, text: str, now_ms: float) -> Read | None:
        """A key with text. Returns slow typing to pass on when a new burst starts after it."""
        passed: Read | None = None
        if self.keys and now_ms - self.last_ms > self.gap_ms:
            passed = self._flush()
        if not self.keys:
            self.first_ms = now_ms
        self.keys.append(text)
        self.bad |= not text.isprintable() or len(text) != 1
        self.last_ms = now_ms
        return passed

    def enter(self, now_ms: float) -> Read | None:
        """Enter ends a burst: a badge when it was fast, long enough and clean."""
        if not self.keys:
            return None
        if now_ms - self.last_ms > self.gap_ms:
            return self._flush()  # a person pressed Enter after typing
        number, bad, took = "".join(self.keys), self.bad, now_ms - self.first_ms
        self.keys, self.bad = [], False
        if len(number) == 1 and not bad:
            return Typed(number)
        if bad:
            return Garbled("unreadable characters")
        if len(number) < MIN_LENGTH:
            return Garbled("too short")
        if len(number) > MAX_LENGTH:
            return Garbled("too long")
        if not self.pattern.fullmatch(number):
            return Garbled("not a badge this kiosk reads")  # symbols, a 60-digit read: never linked
        return Badge(number, took)

    def expire(self, now_ms: float) -> Read | None:
        """Called a little after the last key: if no Enter came quickly, a person was typing."""
        if self.keys and now_ms - self.last_ms > self.gap_ms:
            return self._flush()
        return None

    def _flush(self) -> Read | None:
        text, bad, count = "".join(self.keys), self.bad, len(self.keys)
        self.keys, self.bad = [], False
        printable = "".join(ch for ch in text if ch.isprintable())
        if count >= BURST_KEYS:  # a reader's burst that never got its Enter: dropped quietly, never
            return None  # typed into the name search with the badge number on screen
        if bad and len(text) > 2:
            return Garbled("unreadable characters")
        return Typed(printable) if printable else None


class BadgeReader(QObject):
    """Installed on the kiosk's native window: sees every key press before any widget does."""

    badge = Signal(object)  # Badge
    garbled = Signal(str)
    typed = Signal(str)
    erased = Signal()

    def __init__(self, gap_ms: float = 50.0, parent: QObject | None = None, pattern: str = DEFAULT_PATTERN) -> None:
        super().__init__(parent)
        self.burst = Burst(gap_ms, pattern)
        self.enabled = True
        # Called at each key a person or a reader types (the kiosk's background reads then wait:
        # Sync.screen_busy); a plain call, cheaper than a signal on the busiest path.
        self.on_key: Callable[[], None] = lambda: None
        self._offset_ms = 0.0  # our clock minus the key events' clock (the X server's, on Linux)
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self._expire)

    @staticmethod
    def _ms() -> float:
        return time.monotonic() * 1000

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.enabled:
            return False
        assert isinstance(event, QKeyEvent)
        key, text = event.key(), event.text()
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False  # shortcuts are the lockdown's business
        # The window system's own time of each key, so a busy moment in the GUI cannot make a
        # person's typing look like a burst; our clock where the event carries none (tests).
        self.on_key()
        stamp = float(event.timestamp())
        self._offset_ms = self._ms() - stamp if stamp else 0.0
        now = stamp or self._ms()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or text in ("\r", "\n"):  # some readers send a line feed
            self._emit(self.burst.enter(now))
            return True
        if key == Qt.Key.Key_Backspace:
            self._emit(self.burst.expire(now + self.burst.gap_ms + 1))
            self.erased.emit()
            return True
        if text and key not in (Qt.Key.Key_Escape, Qt.Key.Key_Tab):
            self._emit(self.burst.key(text, now))
            self._expiry.start(int(self.burst.gap_ms * 2))
            return True
        return False

    def _expire(self) -> None:
        self._emit(self.burst.expire(self._ms() - self._offset_ms))

    def _emit(self, read: Read | None) -> None:
        if isinstance(read, Badge):
            self.badge.emit(read)
        elif isinstance(read, Garbled):
            self.garbled.emit(read.reason)
        elif isinstance(read, Typed) and read.text.strip():
            self.typed.emit(read.text)
