"""The demo company looks like a real one, and is the same for the same seed."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta

import pytest

from hallway.demo.avatars import portrait
from hallway.demo.organisation import OrganisationError, generate

FIELDS = {"Title", "Team", "Office", "Hobbies", "Ask me about", "Started"}


def test_same_seed_same_company() -> None:
    a, b = generate(seed=5, people=50), generate(seed=5, people=50)
    assert [p.display_name for p in a.accounts.values()] == [p.display_name for p in b.accounts.values()]
    assert [s.text for s in a.statuses.values()] == [s.text for s in b.statuses.values()]
    c = generate(seed=6, people=50)
    assert [p.display_name for p in a.accounts.values()] != [p.display_name for p in c.accounts.values()]


def test_a_believable_company() -> None:
    org = generate(seed=1, people=300)
    people = [a for a in org.accounts.values() if not a.bot]
    assert len(people) == 300
    assert len({p.team for p in people}) == 12
    assert {p.office for p in people} == {"Lisbon", "Toronto", "Singapore"}
    assert len({p.username for p in people}) == 300
    assert all({name for name, _ in p.fields} >= FIELDS for p in people)
    hidden = sum(not p.discoverable for p in people)
    assert 15 <= hidden <= 50  # about 10%
    today = date.today()
    started = [date.fromisoformat(dict(p.fields)["Started"]) for p in people]
    assert any(today - s <= timedelta(days=30) for s in started), "someone joined this month"
    assert any(today - s > timedelta(days=365 * 3) for s in started)
    surnames = {p.display_name.split()[-1] for p in people}
    assert len(surnames) > 100  # names from many cultures
    assert any(not name.isascii() for name in surnames)
    assert 300 <= len(org.statuses) <= 1000
    assert len(org.announcements) == 2
    kinds = {n.type for n in org.notifications.values() if n.account_id == org.demo_user_id}
    assert {"mention", "favourite", "follow"} <= kinds
    kiosk = org.accounts[org.kiosk_account_id]
    assert kiosk.username == "lobby" and kiosk.bot and not kiosk.discoverable
    assert org.accounts[org.demo_user_id].username == "demo"


def test_ids_sort_by_time() -> None:
    org = generate(seed=2, people=30)
    statuses = list(org.statuses.values())
    assert [int(s.id) for s in statuses] == sorted(int(s.id) for s in statuses)
    assert [s.created_at for s in statuses] == sorted(s.created_at for s in statuses)
    notes = list(org.notifications.values())
    assert [n.created_at for n in notes] == sorted(n.created_at for n in notes)


def test_ten_thousand_people_for_benchmarks() -> None:
    org = generate(seed=1, people=10_000, posts=1_000)
    assert len([a for a in org.accounts.values() if not a.bot]) == 10_000
    assert len(org.statuses) == 1_000


@pytest.mark.parametrize("people", [0, 5, 100_001, -3])
def test_absurd_sizes_are_refused(people: int) -> None:
    with pytest.raises(OrganisationError, match="--people must be between"):
        generate(people=people)


def test_portraits_are_pngs_and_differ() -> None:
    faces = {portrait(f"seed-{i}") for i in range(40)}
    assert len(faces) == 40
    assert all(face.startswith(b"\x89PNG\r\n\x1a\n") for face in faces)
    assert portrait("same") == portrait("same")


def test_no_two_people_share_a_full_name() -> None:
    from hallway.demo.organisation import generate
    for people in (300, 5000):
        org = generate(seed=3, people=people)
        names = [a.display_name for a in org.accounts.values() if not a.bot]
        assert len(names) == len(set(names)) == people


def test_each_portrait_fits_the_person_it_belongs_to() -> None:
    """The name's culture gives the skin and hair shades, the given name the hair and beard, so
    the quiz's four faces are four people and not four random drawings; portraits are 512 px."""
    import struct

    from hallway.demo.api import PORTRAIT_PX
    from hallway.demo.avatars import HAIR, SKIN, Look
    from hallway.resources import resource

    data = tomllib.loads(resource("demo", "organisation.toml").read_text("utf-8"))
    cultures = {c["name"]: c for c in data["cultures"]}
    org = generate(seed=7, people=300)
    for account in (a for a in org.accounts.values() if not a.bot):
        hints = dict(part.split("=") for part in account.avatar_seed.split("|")[1:])
        look = Look.for_seed(account.avatar_seed)
        assert look.skin in [SKIN[int(i)] for i in hints["skin"].split(",")], account.display_name
        culture = next(c for c in cultures.values() if any(account.display_name.startswith(g + " ")
                                                            for g in c["given_f"] + c["given_m"])
                       and any(account.display_name.endswith(" " + f) for f in c["family"]))
        assert hints["skin"] == ",".join(map(str, culture["skin"]))
        if hints["kind"] == "f":
            assert not look.beard
        assert look.hair in [HAIR[int(i)] for i in hints["hair"].split(",")] or look.hair in HAIR[6:]
    png = portrait(next(iter(org.accounts.values())).avatar_seed, PORTRAIT_PX)
    assert struct.unpack(">II", png[16:24]) == (512, 512)
