"""Which desktop notifications to raise, without widgets: the person's switches per kind, quiet
time (held, then summarised, never dropped), coalescing a flood into one line, and never the
same item twice, across restarts too (the store remembers what was shown)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QObject

from desktop.parts.quiet import QuietTime
from hallway.config import Config
from hallway.model import Announcement, Notice, NoticeKind
from hallway.store import Store
from hallway.text import cap
from ui.language import fill, translate

BASELINE_STATE = "desktop.notices_baseline"
COALESCE_OVER = 3  # more than this many of one kind at once: one notification that counts them
NOTIFIED_KINDS = {NoticeKind.MENTION: "notifications.mentions", NoticeKind.REPLY: "notifications.replies"}


@dataclass(frozen=True)
class Alert:
    """One notification to raise. ``target`` says what a click opens: a post id, "mentions",
    "announcements", "colleague", or "" for the feed. ``actions`` are the buttons it offers beside
    a click ("reply" to ``target``, "read": mark the notices up to ``notice_id`` read)."""

    title: str
    body: str
    target: str = ""
    key: str = ""  # what was shown: a later alert with the same key replaces it (one per thread)
    actions: tuple[str, ...] = ()
    notice_id: str = ""


class Alerts(QObject):  # a QObject for tr(): its words have plural forms
    def __init__(self, store: Store, config: Config, quiet: QuietTime,
                 now: Callable[[], datetime] = lambda: datetime.now().astimezone()) -> None:
        super().__init__()
        self.store, self.config, self.quiet, self.now = store, config, quiet, now

    def wanted(self, notice: Notice) -> bool:
        switch = NOTIFIED_KINDS.get(notice.kind)
        return switch is not None and bool(self.config[switch])

    def start(self) -> None:
        """The first sync on this computer brings old notices: they are history, not news."""
        if self.store.get_state(BASELINE_STATE) is None:
            self.store.mark_notices_shown(n.id for n in self.store.unshown_notices())
            self.store.mark_announcements_shown(a.id for a in self.store.unshown_announcements())
            self.store.set_state(BASELINE_STATE, self.now().isoformat())

    def due(self) -> list[Alert]:
        """What to raise now, from everything not yet shown; nothing during quiet time (it waits,
        and comes out as one summary when quiet time ends)."""
        notices = self.store.unshown_notices()
        announcements = self.store.unshown_announcements() if self.config["notifications.announcements"] else []
        wanted = [n for n in notices if self.wanted(n)]
        if self.quiet.quiet_at(self.now()):
            if wanted or announcements:
                self.hold()
            return []
        self.store.mark_notices_shown(n.id for n in notices)  # the unwanted kinds are settled too
        self.store.mark_announcements_shown(a.id for a in self.store.unshown_announcements())
        held_since = self.store.get_state("desktop.held_since")
        if held_since:
            self.store.set_state("desktop.held_since", "")
            if len(wanted) + len(announcements) > 1:
                return [self.summary(wanted, announcements)]
        return self._alerts(wanted, announcements)

    def hold(self) -> None:
        """Remember (across restarts) that quiet time is holding notices: they come out as a summary."""
        if not self.store.get_state("desktop.held_since"):
            self.store.set_state("desktop.held_since", self.now().isoformat())

    def _alerts(self, notices: list[Notice], announcements: list[Announcement]) -> list[Alert]:
        """One notification per thread (a thread's later notices replace its notification); a
        flood of threads at once is one notification that counts them."""
        alerts: list[Alert] = []
        threads: dict[str, list[Notice]] = {}
        for notice in notices:
            threads.setdefault(notice.thread, []).append(notice)
        if len(threads) > COALESCE_OVER:
            people = sorted({n.from_name for n in notices})
            who = ", ".join(people[:3]) if len(people) <= 3 else \
                fill(translate("Alerts", "%1 and %2 more"), ", ".join(people[:3]), len(people) - 3)
            kinds = {n.kind for n in notices}
            kind = kinds.pop() if len(kinds) == 1 else NoticeKind.OTHER
            alerts.append(Alert(self._count(kind, len(notices)), fill(translate("Alerts", "From %1"), who),
                                "mentions", "notices:many", ("read",), notices[-1].id))
        else:
            alerts += [self._thread(thread, group) for thread, group in threads.items()]
        if len(announcements) > COALESCE_OVER:
            title = self.tr("%n new announcement(s)", "", len(announcements))
            alerts.append(Alert(title, cap(announcements[0].text, 200), "announcements", "announcements:many"))
        else:
            alerts += [Alert(translate("Alerts", "Announcement"), cap(a.text, 300), "announcements",
                             f"announcement:{a.id}") for a in announcements]
        return alerts

    def _thread(self, thread: str, group: list[Notice]) -> Alert:
        """A thread's notification: the newest notice in it, and how many in the thread are
        unread (counted in the store, so a restart or a later notice keeps the count)."""
        count = max(len(group), self.store.unread_mentions(thread))
        alert = self._one(group[-1], f"thread:{thread}")
        if count <= 1:
            return alert
        return replace(alert, title=fill(translate("Alerts", "%1 (%2 in this thread)"), alert.title, count))

    def summary(self, notices: list[Notice], announcements: list[Announcement]) -> Alert:
        counts = Counter(n.kind for n in notices)
        parts = [self._count(kind, count, new=False) for kind, count in counts.items()]
        if announcements:
            parts.append(self.tr("%n announcement(s)", "", len(announcements)))
        return Alert(translate("Alerts", "While it was quiet"), ", ".join(parts),
                     "mentions" if notices else "announcements", "summary")

    def _count(self, kind: NoticeKind, count: int, new: bool = True) -> str:
        if kind is NoticeKind.MENTION:
            return self.tr("%n new mention(s)", "", count) if new else self.tr("%n mention(s)", "", count)
        if kind is NoticeKind.REPLY:
            return self.tr("%n new reply(-ies)", "", count) if new else self.tr("%n reply(-ies)", "", count)
        return self.tr("%n new notification(s)", "", count) if new else self.tr("%n notification(s)", "", count)

    @staticmethod
    def _one(notice: Notice, key: str) -> Alert:
        title = translate("Alerts", "%1 replied") if notice.kind is NoticeKind.REPLY else \
            translate("Alerts", "%1 mentioned you")
        actions = ("reply", "read") if notice.post_id else ("read",)
        return Alert(fill(title, cap(notice.from_name, 80)), cap(notice.text, 300), notice.post_id or "mentions",
                     key, actions, notice.id)
