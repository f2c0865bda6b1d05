"""The colleague of the day: pure functions, no I/O.

For a person and a day the answer depends only on who is eligible, never on what one
device remembers, so the kiosk and the laptop agree. Each person walks through everyone
eligible in *cycles*: a cycle is a personal order of all eligible colleagues (other teams
in the same office first, then other teams elsewhere, then the person's own team, each
group shuffled by a hash of the person and the cycle), one a day, until everyone has been
met; then a new cycle begins with a new order. A colleague who joins during a cycle is
not in its order: on each day they are new (under 30 days), they are shown before the
order goes on (on at most a third of the days), so new joiners are met in their first weeks. Cycles are counted from a
fixed epoch, so the walk is the same wherever it is computed.
"""

from __future__ import annotations

import hashlib
import heapq
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from hallway.model import Colleague

EPOCH = date(2025, 1, 1)
NEW_JOINER_DAYS = 30
JOINER_SHARE = 3  # new joiners get at most one day in this many
WINDOW = 5  # how far ahead in the order a person one can meet today may be brought forward
MASK = (1 << 64) - 1


def _h64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _mix(a: int, b: int) -> int:
    """A fast 64-bit mix (splitmix64's finaliser) of two hashes."""
    z = (a ^ b) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


@dataclass(frozen=True)
class Population:
    """The colleagues who may be shown, prepared once (after a sync) so that each pick is cheap."""

    people: tuple[Colleague, ...]
    hashes: tuple[int, ...]
    by_start: tuple[int, ...]  # indices into people, earliest start first (unknown starts count as day 0)
    starts: tuple[int, ...]  # their start days as ordinals, same order
    groups: dict[tuple[str, str], tuple[list[int], list[int]]]  # (team, office) -> (by_start, starts)
    index: dict[str, int]  # colleague id -> index into people

    @classmethod
    def of(cls, people: Sequence[Colleague], opted_out: Collection[str] = ()) -> Population:
        """Only discoverable people who have not opted out of Hallway may ever be shown."""
        eligible = tuple(p for p in people if p.discoverable and p.id not in opted_out)
        start_of = [p.started_on.toordinal() if p.started_on else 0 for p in eligible]
        by_start = sorted(range(len(eligible)), key=start_of.__getitem__)
        groups: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        for i in by_start:
            members, starts = groups.setdefault((eligible[i].team, eligible[i].office), ([], []))
            members.append(i)
            starts.append(start_of[i])
        return cls(eligible, tuple(_h64(p.id) for p in eligible), tuple(by_start),
                   tuple(start_of[i] for i in by_start), groups, {p.id: i for i, p in enumerate(eligible)})

    def start(self, i: int) -> int:
        """The day (ordinal) colleague ``i`` started; 0 when unknown."""
        started = self.people[i].started_on
        return started.toordinal() if started else 0

    def tier_of(self, person: Colleague, i: int) -> int:
        """0: another team in the person's office, 1: another team elsewhere, 2: their own team."""
        other = self.people[i]
        return 2 if other.team == person.team else 0 if other.office == person.office else 1

    def tiers(self, person: Colleague) -> list[list[tuple[list[int], list[int]]]]:
        """The (team, office) groups in the person's order of preference: other teams in the same
        office, other teams elsewhere, then the person's own team."""
        ordered: list[list[tuple[list[int], list[int]]]] = [[], [], []]
        for (team, office), group in self.groups.items():
            tier = 2 if team == person.team else 0 if office == person.office else 1
            ordered[tier].append(group)
        return ordered


def colleague_of_the_day(person: Colleague, day: date, population: Population,
                         shown: Mapping[date, str] | None = None,
                         prefer: Mapping[str, int] | None = None) -> Colleague | None:
    """The one colleague ``person`` meets on ``day``; None when there is nobody else to meet.
    ``shown``: who was shown on earlier days; ``prefer``: ranks for people one can meet today
    (lower is better; the unranked come last, and ties go to the order)."""
    choices = choices_of_the_day(person, day, population, shown)
    if not prefer or len(choices) < 2:
        return choices[0] if choices else None
    worst = max(prefer.values(), default=0) + 1
    return min(choices, key=lambda c: (prefer.get(c.id, worst), choices.index(c)))


def choices_of_the_day(person: Colleague, day: date, population: Population,
                       shown: Mapping[date, str] | None = None) -> list[Colleague]:
    """Who may be ``person``'s colleague on ``day``: the order's pick first, then the rest of the
    next WINDOW of its tier; a single person on a day a record or a new joiner decides. Worked
    out ahead (the kiosk, for linked badges), a check-in then chooses among them by who is near."""
    window: list[int] = []
    last = None
    for _, colleague in _walk(person, population, day, day, shown or {}, window):
        last = colleague
    if last is None:
        return []
    return [population.people[i] for i in window] if window else [last]


def schedule(person: Colleague, first: date, last: date, population: Population,
             shown: Mapping[date, str] | None = None) -> list[tuple[date, Colleague]]:
    """Every day's colleague from ``first`` to ``last``, in one pass (for tests and precomputing)."""
    return list(_walk(person, population, first, last, shown or {}, None))


def _cycle_order(population: Population, person: Colleague, day: int, seed: int, wanted: int) -> list[int]:
    """The first ``wanted`` of this cycle's order: everyone started by ``day``, tier by tier, each
    tier shuffled by a 64-bit mix. Later tiers are not shuffled at all when earlier ones suffice:
    this is the hot path of a first check-in in a 10,000-person company."""
    order: list[int] = []
    for groups in population.tiers(person):
        if len(order) >= wanted:
            break
        keyed = []
        for members, starts in groups:
            for i in members[: bisect_right(starts, day)]:
                z = population.hashes[i] ^ seed
                z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
                z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
                keyed.append((z ^ (z >> 31), i))
        room = wanted - len(order)
        chosen = heapq.nsmallest(room, keyed) if room < len(keyed) else sorted(keyed)
        order += [i for _, i in chosen]
    return order


def _window(population: Population, person: Colleague, ordered: list[int], at: int, met: set[int]) -> list[int]:
    """The next WINDOW people not yet met, of the same tier as the order's next, in order."""
    tier = population.tier_of(person, ordered[at])
    window: list[int] = []
    for i in ordered[at:]:
        if len(window) == WINDOW or population.tier_of(person, i) != tier:
            break
        if i not in met:
            window.append(i)
    return window


def _walk(person: Colleague, population: Population, first: date, last: date, shown: Mapping[date, str],  # noqa: C901
          window: list[int] | None) -> Iterator[tuple[date, Colleague]]:
    """Day by day from the epoch; ``window``, when given, receives the last day's choices (empty
    when a record or a new joiner decides that day)."""
    mine = next((i for i, p in enumerate(population.people) if p.id == person.id), -1)
    if len(population.people) - (mine >= 0) <= 0:
        return
    by_start, starts = population.by_start, population.starts
    me = _h64(person.id)
    day = min(EPOCH, first).toordinal()
    cycle, previous = 0, -1
    while day <= last.toordinal():
        # A new cycle: everyone who has started by its first day, in this person's order for it.
        seed = _mix(me, _h64(f"cycle:{cycle}"))
        cycle_length = bisect_right(starts, day)
        wanted = min(cycle_length, last.toordinal() - day + 1)
        ordered = [i for i in _cycle_order(population, person, day, seed, wanted + 2 + WINDOW) if i != mine]
        if len(ordered) > 1 and ordered[0] == previous:  # never the same face two days running
            ordered[0], ordered[1] = ordered[1], ordered[0]
        at = 0  # the order's next place not yet met
        met: set[int] = set()
        arrived, cycle_start, joiners_met = cycle_length, day, 0
        joiners: list[tuple[int, int, int]] = []  # (shuffle key, start day, index): the next joiner on top
        late: list[tuple[int, int, int]] = []  # joined during this cycle, not new any more, not yet met
        while day <= last.toordinal():
            for j in range(arrived, bisect_right(starts, day)):
                if by_start[j] != mine:
                    heapq.heappush(joiners, (_mix(population.hashes[by_start[j]], seed), starts[j], by_start[j]))
            arrived = max(arrived, bisect_right(starts, day))
            while joiners and joiners[0][1] <= day - NEW_JOINER_DAYS:
                late.append(heapq.heappop(joiners))  # no longer new: met before this cycle ends
            # Joiners may take up to a third of the days, so a fast-growing company does not
            # crowd out everyone else; when they are few, each is met on their first day.
            recorded = population.index.get(shown.get(date.fromordinal(day), ""), -1) if shown else -1
            if recorded >= 0 and recorded != mine and recorded not in met and population.start(recorded) <= day:
                chosen = recorded  # what was shown that day, whatever the order says
                joiners = [j for j in joiners if j[2] != chosen]
                heapq.heapify(joiners)
                late = [j for j in late if j[2] != chosen]
            elif joiners and joiners_met * JOINER_SHARE < day - cycle_start + 1:
                chosen = heapq.heappop(joiners)[2]
                joiners_met += 1
            else:
                while at < len(ordered) and ordered[at] in met:
                    at += 1
                chosen = ordered[at] if at < len(ordered) else -1
                if window is not None and chosen >= 0 and day == last.toordinal():
                    window[:] = _window(population, person, ordered, at, met)
                if chosen < 0 and (joiners or late):  # the order is done; meet who joined meanwhile
                    late += joiners
                    joiners.clear()
                    late.sort()
                    chosen = late.pop(0)[2]
                if chosen < 0:
                    break  # everyone eligible has been met: the next cycle starts today
            met.add(chosen)
            previous = chosen
            if day >= first.toordinal():
                yield date.fromordinal(day), population.people[chosen]
            day += 1
        cycle += 1
        if not met:
            day += 1  # nobody to meet on this day yet: move on
