"""What happens when someone arrives, without any Qt: who they are, today's colleague, whether
to ask about sharing or to quiz them, and what to remember afterwards.

The check-in path reads only memory and the local store, never the network. ``arrive`` does
no writes at all, so the card can be painted first; ``settle`` then commits the check-in (to
the outbox, when the person shares) in the same turn of the event loop, and only what it
returns decides what the screen says: ``Kept.SAVED`` is committed, ``Kept.HELD`` could not be
(the store is held by another process, or its disk is full) and waits in memory, in order,
written by ``retry_held`` as soon as the store takes it. Nothing is ever said to be done
before it is on disk.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from hallway.celebrations import Celebration, Kind, celebrations
from hallway.model import CheckIn, Colleague, Place
from hallway.outbox import Outbox
from hallway.picker import Population, choices_of_the_day
from hallway.store import DiskFull, Store, StoreDamaged, StoreFault
from hallway.writes import Writes
from kiosk.visitors import Sharing, Visitors

QUIZ_SOMETIMES = 3  # "sometimes": about one check-in in this many
WRITE_WAIT_S = 0.2  # the GUI waits this long for the store's lock; then it keeps the write in memory
log = logging.getLogger("hallway.kiosk")


class Kept(StrEnum):
    """Where a check-in (or a badge link) is, and so what the screen may say about it."""

    SAVED = "saved"  # committed to the store: "You're checked in"
    HELD = "held"  # in memory only, tried again every moment: "will be saved as soon as it can"


class Unready(StrEnum):
    """A badge read before the directory has arrived (a first start, or a server without one)."""

    CHECKED_IN = "checked in"  # a badge this kiosk knows: its person is checked in
    HELD = "held"  # the same, kept in memory for now
    UNKNOWN = "unknown"  # nobody to link it to yet: nothing recorded, and the person is told so


@dataclass
class Held:
    """A write the store could not take yet, kept in order until it can."""

    what: str  # for the log and the admin panel: "check-in", "badge link", ...
    write: Callable[[], None]  # one transaction's worth
    since: float = field(default_factory=time.monotonic)
    arrival: Arrival | None = None  # a check-in: its card says "checked in" once this is saved
    link: str = ""  # a badge link: its hash, looked up in memory until saved


class Where(StrEnum):
    """Where today's colleague can be met, so the card tells the truth about it."""

    IN_HERE = "in here"  # checked in at this office today, and shares it
    IN_ELSEWHERE = "in elsewhere"  # checked in today, at another office
    WORKS_HERE = "works here"  # this office, not in (or not sharing) yet
    WORKS_ELSEWHERE = "works elsewhere"  # another office: say hi on the network
    UNKNOWN = "unknown"  # no office on their profile


@dataclass(frozen=True)
class Whereabouts:
    where: Where
    office: str = ""


@dataclass(frozen=True)
class Quiz:
    """ "Who is this?": the day's colleague and four names, one of them right."""

    subject: Colleague
    choices: tuple[Colleague, ...]


@dataclass
class Arrival:
    person: Colleague
    colleague: Colleague | None  # None only when there is nobody else to meet
    by_badge: bool
    at: datetime
    again_today: bool  # a second check-in today: the card again, nothing new to send
    ask_sharing: bool
    quiz: Quiz | None
    streak: int = 0
    settled: bool = field(default=False, repr=False)
    kept: Kept | None = None  # None until settled


def _h(*parts: str) -> int:
    return int.from_bytes(hashlib.blake2b("|".join(parts).encode(), digest_size=8).digest(), "big")


class Lobby:
    def __init__(self, store: Store, outbox: Outbox, visitors: Visitors, office: str, quiz: str = "sometimes",
                 now: Callable[[], datetime] = lambda: datetime.now().astimezone(), figures: bool = True) -> None:
        self.store, self.outbox, self.visitors = store, outbox, visitors
        self.writes = Writes(store, outbox)  # delivery starts when the check-in's transaction has committed
        self.figures = figures  # report.record: quiz plays counted (anonymously) for `hallway report`
        self.office, self.quiz_mode, self.now = office, quiz, now
        self.population = Population.of([])
        self.people: dict[str, Colleague] = {}
        # Each person's choices for the day, worked out ahead for linked badges (hallway.picker):
        # a check-in then only looks up who of them is near.
        self._choices: dict[tuple[str, date], list[Colleague]] = {}
        self.held: list[Held] = []  # writes the store could not take yet, oldest first
        self.held_because = ""  # why, in words (the store's), for the admin panel
        self._held_links: dict[str, str] = {}  # badge hash -> colleague id, linked but not saved yet
        # Why check-ins cannot be shared on this network (an end-to-end encrypted lobby room), in
        # words, or "": then nobody is asked to share, and no check-in is queued for the network.
        self.sharing_refused = ""
        self.refresh()

    def refresh(self) -> None:
        """After a sync that changed the directory: rebuild what picks are made from."""
        people = self.store.people()
        self.people = {p.id: p for p in people}
        self.population = Population.of(people)
        self._choices = {k: v for k, v in self._choices.items() if all(c.id in self.people for c in v)}

    @property
    def ready(self) -> bool:
        """False on a first start before the directory has arrived: the "getting ready" state."""
        return bool(self.people)

    def today(self) -> date:
        return self.now().date()

    # ------------------------------------------------------------ who is arriving

    def badge_owner(self, badge: str) -> Colleague | None:
        owner = self._held_links.get(self.visitors.badge_hash(badge)) or self.visitors.badge_owner(badge)
        return self.people.get(owner) if owner else None

    def link(self, badge: str, person: Colleague) -> Kept:
        """Link a badge to the person who found their name: their next scan is a lookup."""
        badge_hash = self.visitors.badge_hash(badge)
        self._held_links[badge_hash] = person.id  # in memory at once, on disk as soon as it can be
        return self._keep(Held("badge link", lambda: self.store.save_badge(badge_hash, person.id), link=badge_hash))

    def photo_of(self, colleague: Colleague) -> bytes | None:
        """From the local cache only (None: the portrait draws initials)."""
        return self.store.photo(colleague.photo_url, touch=False) if colleague.photo_url else None

    def search(self, text: str) -> list[Colleague]:
        """Live results after two letters, at most six: a search, never a browsable directory."""
        text = text[:80]
        if len(text.strip()) < 2:
            return []
        return self.store.find_people(text, limit=6)

    # ------------------------------------------------------------ the check-in

    def colleague_for(self, person: Colleague, day: date, steer: bool = False) -> Colleague | None:
        """Today's colleague: the one already shown today if any; else the picker's, with the
        person's record of who they were shown before. ``steer`` (a check-in by someone who
        shares it, so the choice travels with the check-in to their laptop): someone they can
        meet today is brought forward, best of all someone already in."""
        key = (person.id, day)
        known = self.store.pick(person.id, day)
        if known and known in self.people:
            return self.people[known]
        choices = self._choices.get(key)
        if choices is None or any(c.id not in self.people for c in choices):
            choices = choices_of_the_day(person, day, self.population, self.store.picks_for(person.id, day))
            self._choices[key] = choices
        if not choices:
            return None
        if not steer or len(choices) == 1:
            return choices[0]
        return min(choices, key=lambda c: (self._rank(c, day), choices.index(c)))

    def _rank(self, colleague: Colleague, day: date) -> int:
        """0: checked in at this office today (as far as this kiosk knows: its own check-ins and the
        network's); 1: works in this office; 2: elsewhere."""
        here = self.store.presence_of(day, colleague.id)
        if here is not None and here.place.name == self.office:
            return 0
        return 1 if colleague.office == self.office else 2

    def warm(self, person_ids: list[str]) -> int:
        """Work out today's picks ahead of time (for people with a linked badge), so their
        check-in is a lookup. Returns how many were computed."""
        day, done = self.today(), 0
        self._choices = {k: v for k, v in self._choices.items() if k[1] == day}  # yesterday's go
        for person_id in person_ids:
            person = self.people.get(person_id)
            if person is not None and (person_id, day) not in self._choices:
                self.colleague_for(person, day)
                done += 1
        return done

    def arrive(self, person: Colleague, by_badge: bool) -> Arrival:
        """Reads only: what to show this person now."""
        at = self.now()
        day = at.date()
        visitor = self.visitors.visitor(person)
        colleague = self.colleague_for(person, day, steer=visitor.sharing is Sharing.YES)
        again = visitor.last_visit == day
        ask = visitor.sharing is Sharing.ASK and visitor.asked_on != day and not again and not self.sharing_refused
        quiz = None if again or colleague is None else self._quiz(person, colleague, day)
        return Arrival(person, colleague, by_badge, at, again, ask, quiz, visitor.quiz_streak)

    def _quiz(self, person: Colleague, subject: Colleague, day: date) -> Quiz | None:
        if self.quiz_mode == "off" or (self.quiz_mode == "sometimes"
                                       and _h(person.id, day.isoformat(), "quiz") % QUIZ_SOMETIMES):
            return None
        if not subject.photo_url or not self.store.has_photo(subject.photo_url):
            return None  # "Who is this?" needs a face: initials answer the question they ask
        names = {subject.name}
        others: list[Colleague] = []
        candidates = sorted((p for p in self.people.values() if p.id not in (person.id, subject.id)),
                            key=lambda p: _h(person.id, day.isoformat(), p.id))
        for p in candidates:
            if p.name not in names:
                names.add(p.name)
                others.append(p)
            if len(others) == 3:
                break
        if len(others) < 3:
            return None
        choices = sorted([subject, *others], key=lambda p: _h(day.isoformat(), p.id))
        return Quiz(subject, tuple(choices))

    def answer(self, arrival: Arrival, chosen: Colleague | None) -> bool:
        """The quiz answer (None: "I don't know"). Right or wrong, the card follows."""
        if arrival.quiz is None:
            return False
        right = chosen is not None and chosen.id == arrival.quiz.subject.id
        streak = self.visitors.visitor(arrival.person).quiz_streak
        arrival.streak = streak + 1 if right else 0  # shown now; the store's own count follows

        def write() -> None:
            arrival.streak = self.visitors.record_quiz(arrival.person, right)
            if self.figures:
                self.visitors.count_quiz_play(self.today(), self.office, right)
        self._keep(Held("quiz answer", write))
        return right

    def settle(self, arrival: Arrival) -> Kept:
        """After the card is painted: remember the visit and the pick, count it, and queue the
        check-in for the network if the person shares, in one commit. What it returns is what
        the card may say. Safe to call twice."""
        if arrival.settled:
            return arrival.kept or Kept.HELD
        arrival.settled = True
        arrival.kept = self._keep(Held("check-in", lambda: self._remember(arrival), arrival=arrival))
        return arrival.kept

    def _keep(self, held: Held) -> Kept:
        """Write now if the store takes it, else keep it in memory behind what is already kept
        (order matters: a sharing choice must not land before the check-in it belongs to)."""
        if self.held:
            self.retry_held()
        if not self.held and self._write(held, WRITE_WAIT_S):
            return Kept.SAVED
        self.held.append(held)
        log.warning("a %s could not be saved yet (%s); kept in memory, %d waiting", held.what, self.held_because,
                    len(self.held))
        return Kept.HELD

    def _write(self, held: Held, wait_s: float = 0.0) -> bool:
        """One held write in one transaction; on a full disk the store's reserved room is given
        back and it is tried once more; a store found damaged is repaired and tried once more.
        ``wait_s``: for the store's lock (a retry does not wait: the screen must stay smooth)."""
        for _ in range(2):
            try:
                with self.store.transaction(wait_s=wait_s):
                    held.write()
            except DiskFull as full:
                self.held_because = str(full)
                if self.store.release_reserve():
                    continue
                return False
            except StoreDamaged as damaged:
                self.held_because = str(damaged)
                if damaged.recovered:
                    continue
                return False
            except StoreFault as fault:
                self.held_because = str(fault)
                return False
            if held.arrival is not None:
                held.arrival.kept = Kept.SAVED
            self._held_links.pop(held.link, None)
            return True
        return False

    def retry_held(self, wait_s: float = 0.0) -> list[Held]:
        """Write what is kept in memory, oldest first, stopping at the first the store still
        refuses. Returns what was saved now (the screen says so where it is still showing)."""
        saved: list[Held] = []
        while self.held and self._write(self.held[0], wait_s):
            saved.append(self.held.pop(0))
        if saved:
            log.info("%d kept write(s) saved after %.0f s; %d still waiting", len(saved),
                     time.monotonic() - saved[0].since, len(self.held))
        if not self.held:
            self.held_because = ""
        return saved

    def give_up_held(self) -> None:
        """The app is stopping with writes the store never took: each is logged, so none is lost
        without a trace (they were never shown as done)."""
        self.retry_held(wait_s=0.3)
        for held in self.held:
            who = held.arrival.person.name if held.arrival is not None else ""
            log.error("a %s%s could not be saved before the kiosk stopped: %s", held.what,
                      f" for {who}" if who else "", self.held_because or "the store did not take it")
        self.held.clear()

    def _remember(self, arrival: Arrival) -> None:
        day = arrival.at.date()
        if arrival.colleague is not None:
            self.store.save_pick(arrival.person.id, day, arrival.colleague.id)
        if arrival.again_today:
            return
        if arrival.colleague is not None and arrival.colleague.photo_url:
            self.store.touch_photo(arrival.colleague.photo_url)
        self.visitors.record_visit(arrival.person, day)
        self.visitors.count_visit(day, self.office)
        if self.visitors.visitor(arrival.person).sharing is Sharing.YES and not self.sharing_refused:
            self._share(arrival)

    def arrive_unready(self, badge: str) -> Unready:
        """A badge while the directory has not arrived yet (a first start, or a server without one):
        someone this kiosk already knows is checked in (and, if they share, queued for the
        network); an unknown badge is not recorded, and the person is told so."""
        at = self.now()
        known = self.visitors.known_person(badge)
        if known is None:
            log.info("a badge read before the directory arrived, not linked to anyone: not recorded")
            return Unready.UNKNOWN
        arrival = Arrival(known, None, True, at, False, False, None)

        def write() -> None:
            arrival.again_today = self.visitors.visitor(known).last_visit == at.date()
            self._remember(arrival)
        arrival.settled = True
        arrival.kept = self._keep(Held("check-in", write, arrival=arrival))
        return Unready.CHECKED_IN if arrival.kept is Kept.SAVED else Unready.HELD

    def choose_sharing(self, arrival: Arrival, choice: Sharing) -> Kept:
        """The person's answer; "not now" (ASK) is asked again on another day."""
        arrival.ask_sharing = False
        share_now = choice is Sharing.YES and arrival.settled and not arrival.again_today and not self.sharing_refused

        def write() -> None:
            self.visitors.set_sharing(arrival.person, choice, arrival.at.date())
            if share_now:
                self._share(arrival)
        return self._keep(Held("sharing choice", write))

    def _share(self, arrival: Arrival) -> None:
        place = Place(self.office)
        met = arrival.colleague.id if arrival.colleague is not None else ""
        check_in = CheckIn(arrival.person.id, place, arrival.at, shared=True, by_badge=arrival.by_badge, met=met)
        self.writes.check_in(check_in, arrival.person)

    def whereabouts(self, colleague: Colleague) -> Whereabouts:
        """In today here, in today elsewhere, works here, or works elsewhere: from who shared
        that they are in (the network's check-ins, this kiosk's own at once) and the profile."""
        today = self.store.presence_of(self.today(), colleague.id)
        if today is not None:
            here = today.place.name == self.office
            return Whereabouts(Where.IN_HERE if here else Where.IN_ELSEWHERE, today.place.name)
        if not colleague.office:
            return Whereabouts(Where.UNKNOWN)
        same = colleague.office.casefold() == self.office.casefold()
        return Whereabouts(Where.WORKS_HERE if same else Where.WORKS_ELSEWHERE, colleague.office)

    # ------------------------------------------------------------ the welcome screen

    def in_today(self) -> int:
        """Colleagues who shared that they are in this office today."""
        return len(self.store.presence(self.today(), self.office))

    def celebrations(self, kinds: set[Kind]) -> list[Celebration]:
        """This office's celebrations today (on a Friday, the weekend's too), opt-in only."""
        office = self.office.casefold()
        return celebrations(self.today(), (c for c in self.people.values() if c.office.casefold() == office), kinds)

    def planned_today(self) -> int:
        """Colleagues of this office who shared that they plan to be in today (the office week)."""
        office = self.office.casefold()
        return sum(1 for c in self.store.planned_on(self.today()) if c.office.casefold() == office)
