"""The colleague of the day, property-tested over a year and up to 10,000 people."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hallway.model import Colleague
from hallway.picker import NEW_JOINER_DAYS, Population, colleague_of_the_day, schedule

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

TEAMS = [f"Team {i}" for i in range(12)]
OFFICES = ["Lisbon", "Toronto", "Singapore"]
YEAR_START = date(2026, 1, 1)
EPOCH = date(2025, 1, 1)  # where every person's walk begins (hallway.picker.EPOCH)


def company(seed: int, size: int, hidden_share: float = 0.1, joiners: int = 0) -> list[Colleague]:
    rng = random.Random(seed)
    people = []
    for i in range(size):
        started = date(2018, 1, 1) + timedelta(days=rng.randrange(2000))
        if i < joiners:
            started = YEAR_START + timedelta(days=rng.randrange(300))
        people.append(Colleague(id=f"u{seed}-{i}", name=f"Person {i}", team=rng.choice(TEAMS),
                                office=rng.choice(OFFICES), started_on=started,
                                discoverable=rng.random() >= hidden_share))
    return people


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), size=st.sampled_from([2, 3, 17, 365, 10_000]), who=st.integers(0, 10_000))
def test_a_year_of_picks(seed: int, size: int, who: int) -> None:
    people = company(seed, size)
    opted_out = {p.id for p in people[::7]}
    population = Population.of(people, opted_out)
    person = people[who % size]
    year = schedule(person, EPOCH, EPOCH + timedelta(days=364), population)
    eligible = {p.id for p in population.people} - {person.id}
    if not eligible:
        assert year == []
        return
    assert [d for d, _ in year] == [EPOCH + timedelta(days=i) for i in range(365)]
    for _, colleague in year:
        assert colleague.id != person.id and colleague.id in eligible  # never self, hidden, opted out
    # No repeat until everyone eligible has been met: from the first day of the walk, the year
    # splits into rounds that each meet everyone once; and never the same face two days running.
    met: set[str] = set()
    for _, colleague in year:
        if colleague.id in met:
            assert met == eligible, "a repeat before meeting everyone"
            met = set()
        met.add(colleague.id)
    if len(eligible) > 1:
        assert all(a.id != b.id for (_, a), (_, b) in itertools.pairwise(year))
    # Deterministic, and the same whether asked for one day or a year.
    for day in (0, 100, 364):
        assert colleague_of_the_day(person, EPOCH + timedelta(days=day), population) == year[day][1]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_other_teams_first_and_the_same_office_before_others(seed: int) -> None:
    people = company(seed, 400, hidden_share=0)
    population = Population.of(people)
    person = people[0]
    # A cycle starts at the epoch; look at the first days of a fresh one.
    start = date(2025, 1, 1)
    picks = [c for _, c in schedule(person, start, start + timedelta(days=399), population)]
    other_team_same_office = [p for p in people[1:] if p.team != person.team and p.office == person.office]
    other_team = [p for p in people[1:] if p.team != person.team]
    n, m = len(other_team_same_office), len(other_team)
    assert all(c.team != person.team and c.office == person.office for c in picks[:n])
    assert all(c.team != person.team for c in picks[:m])
    assert all(c.team == person.team for c in picks[m : len(people) - 1])  # then the next cycle


def test_a_new_joiner_is_met_on_their_first_day() -> None:
    people = company(3, 200, hidden_share=0)
    joiner = Colleague(id="new", name="New Person", team="Team 1", office="Lisbon",
                       started_on=date(2026, 3, 10))
    population = Population.of([*people, joiner])
    for person in people[:20]:
        assert colleague_of_the_day(person, date(2026, 3, 10), population) == joiner
        assert colleague_of_the_day(person, date(2026, 3, 9), population) != joiner


def test_joiners_do_not_crowd_out_everyone_else() -> None:
    """Half the company joins in one year: while others are still to be met, joiners get a third of the days."""
    rng = random.Random(5)
    epoch = date(2025, 1, 1)
    starts = [epoch - timedelta(days=500)] * 150 + [epoch + timedelta(days=1 + rng.randrange(300)) for _ in range(150)]
    people = [Colleague(id=f"p{i}", name=f"P{i}", team=rng.choice(TEAMS), office="Lisbon", started_on=start)
              for i, start in enumerate(starts)]
    population = Population.of(people)
    person = people[0]
    days = [c for _, c in schedule(person, epoch, epoch + timedelta(days=199), population)]
    new = [c for day, c in enumerate(days)
           if c.started_on and 0 <= (epoch + timedelta(days=day) - c.started_on).days < NEW_JOINER_DAYS]
    assert 30 <= len(new) <= len(days) // 3 + 1
    assert len({c.id for c in days}) == len(days)


def test_the_kiosk_and_the_laptop_agree() -> None:
    people = company(9, 500)
    kiosk = Population.of(people)
    laptop = Population.of(list(reversed(people)))  # another device, another order from its store
    for person in people[:30]:
        assert colleague_of_the_day(person, date(2026, 11, 23), kiosk) == \
            colleague_of_the_day(person, date(2026, 11, 23), laptop)


def steered_year(person: Colleague, population: Population, rng: random.Random, days: int,
                 in_today_share: float) -> list[tuple[date, Colleague]]:
    """A kiosk's year: each day some colleagues are in the building (prefer rank 0) or work in
    the kiosk's office (rank 1); the day's pick is made with them, recorded, and steers the days
    after (the store's picks)."""
    shown: dict[date, str] = {}
    year: list[tuple[date, Colleague]] = []
    for n in range(days):
        day = EPOCH + timedelta(days=n)
        prefer = {p.id: 0 if rng.random() < in_today_share else 1
                  for p in population.people if p.office == "Lisbon" and rng.random() < 0.5}
        chosen = colleague_of_the_day(person, day, population, shown, prefer)
        assert chosen is not None
        shown[day] = chosen.id
        year.append((day, chosen))
    # Recomputed anywhere from the same record, every day comes out the same.
    assert schedule(person, EPOCH, EPOCH + timedelta(days=days - 1), population, shown) == year
    return year


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), size=st.sampled_from([3, 17, 120]), who=st.integers(0, 1000),
       in_today=st.floats(0.0, 1.0))
def test_preferring_people_one_can_meet_keeps_every_promise(seed: int, size: int, who: int, in_today: float) -> None:
    """Fair over the weeks (each round meets everyone once), no repeat within a round, other
    teams first, and the same answer wherever it is computed from the same record."""
    people = company(seed, size, hidden_share=0)
    population = Population.of(people)
    person = people[who % size]
    year = steered_year(person, population, random.Random(seed), 2 * (size - 1) + 5, in_today)
    eligible = {p.id for p in people} - {person.id}
    rounds: list[list[Colleague]] = [[]]
    for _, colleague in year:
        if len(rounds[-1]) == len(eligible):
            rounds.append([])
        rounds[-1].append(colleague)
    for meeting in rounds[:-1]:
        assert {c.id for c in meeting} == eligible and len(meeting) == len(eligible), "everyone once a round"
        teams = [c.team == person.team for c in meeting]
        assert teams == sorted(teams), "other teams before the person's own"
    last = rounds[-1]
    assert len({c.id for c in last}) == len(last)


def test_the_kiosk_brings_forward_someone_in_the_building_today() -> None:
    people = company(4, 300, hidden_share=0)
    population = Population.of(people)
    day = date(2026, 12, 3)
    brought = 0
    for person in people[:40]:
        plain = colleague_of_the_day(person, day, population)
        upcoming = [c for _, c in schedule(person, day, day + timedelta(days=4), population)]
        first_tier = population.tier_of(person, population.index[upcoming[0].id])
        here = [c for c in upcoming if population.tier_of(person, population.index[c.id]) == first_tier][-1]
        # ^ in the building today, a few days further in the person's order, in the same tier
        chosen = colleague_of_the_day(person, day, population, prefer={here.id: 0})
        assert chosen == (here if here != plain else plain)
        brought += chosen != plain
        nobody = colleague_of_the_day(person, day, population, prefer={"someone-else": 0})
        assert nobody == plain, "with nobody near, the order's own pick"
    assert brought >= 30


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_new_joiners_are_still_met_in_their_first_weeks_when_the_kiosk_steers(seed: int) -> None:
    rng = random.Random(seed)
    people = company(seed, 60, hidden_share=0)
    joiner = Colleague(id="joiner", name="New", team="Team 1", office="Lisbon", started_on=EPOCH + timedelta(days=40))
    population = Population.of([*people, joiner])
    person = people[0]
    year = steered_year(person, population, rng, 80, 0.5)
    days_met = [n for n, (_, c) in enumerate(year) if c.id == "joiner"]
    assert days_met and 40 <= days_met[0] < 40 + NEW_JOINER_DAYS
