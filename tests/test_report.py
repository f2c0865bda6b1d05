"""`hallway report` on the demo network: a staged pair (one was the other's colleague of the day,
then a mention) is a connection made and an unrelated pair is not; every figure about fewer than
5 people is suppressed; a period with no data still makes a page; the CSV and the HTML page come
from the real command, and a real browser (Debian's chromium, headless) draws the page."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from PySide6.QtGui import QColor, QImage

from hallway.demo import server
from hallway.demo.organisation import generate
from hallway.model import CheckIn, Colleague, Place
from hallway.networks.mastodon import MastodonNetwork
from hallway.report import SMALLEST, Tally, read, write_html
from hallway.report_cache import ReportCache

TODAY = date.today()


@pytest.fixture
def company() -> Iterator[server.DemoNetwork]:
    network = server.create(generate(seed=17, people=40), rate_limit=1_000_000).start_in_background()
    yield network
    network.stop()


def people(network: server.DemoNetwork) -> list[Colleague]:
    return [Colleague(id=a.id, name=a.display_name, handle=a.username) for a in network.org.accounts.values()
            if not a.bot and a.username != "demo"]


def check_in(network: server.DemoNetwork, who: Colleague, met: Colleague | None, office: str = "Lisbon") -> None:
    lobby = MastodonNetwork(network.url, network.token_for("lobby"), is_lobby=True)
    lobby.check_in(CheckIn(who.id, Place(office), datetime.now().astimezone(), shared=True, met=met.id if met else ""),
                   who, f"report-{who.id}")


def say(network: server.DemoNetwork, author: Colleague, text: str) -> None:
    requests.post(f"{network.url}/api/v1/statuses", data={"status": text}, timeout=10,
                  headers={"Authorization": f"Bearer {network.token_for(author.handle)}"}).raise_for_status()


def test_a_staged_pair_is_a_connection_and_an_unrelated_pair_is_not(company: server.DemoNetwork) -> None:
    everyone = people(company)
    ana, ben, caro, dan, eve = everyone[:5]
    check_in(company, ana, ben)  # Ben was Ana's colleague of the day
    check_in(company, caro, dan)  # Dan was Caro's
    say(company, ana, f"@{ben.handle} lovely to meet you at the door this morning")
    say(company, caro, f"@{eve.handle} see you at lunch")  # Caro talks to someone else
    cache = ReportCache()  # the report counts people as salted hashes: the pairs, as it sees them
    tally = read(MastodonNetwork(company.url, company.token_for("lobby")), TODAY - timedelta(days=6), TODAY,
                 cache=cache)

    def pair(one: Colleague, other: Colleague) -> frozenset[str]:
        return frozenset((cache.person(one.id), cache.person(other.id)))
    assert tally.connected == {pair(ana, ben)}
    assert pair(caro, dan) in tally.met and pair(caro, dan) not in tally.connected
    assert not any(ana.id in p for p in tally.met), "nobody's own id is in the counting"
    made = next(c for c in tally.cells() if c.metric == "connections made")
    assert made.value is None, "one pair is 2 people: suppressed"

    for first, second in ((everyone[5], everyone[6]), (everyone[7], everyone[8])):
        check_in(company, first, second)
        say(company, second, f"@{first.handle} thanks for the coffee tip")  # either way round counts
    tally = read(MastodonNetwork(company.url, company.token_for("lobby")), TODAY - timedelta(days=6), TODAY)
    made = next(c for c in tally.cells() if c.metric == "connections made")
    assert made.value == 3, "three pairs, six people: shown"


def test_every_figure_about_fewer_than_five_people_is_suppressed(company: server.DemoNetwork) -> None:
    everyone = people(company)
    for person in everyone[:6]:
        check_in(company, person, None, "Lisbon")
    for person in everyone[6:8]:
        check_in(company, person, None, "Nairobi")  # 2 people: a cell to suppress
    tally = read(MastodonNetwork(company.url, company.token_for("lobby")), TODAY - timedelta(days=13), TODAY)
    cells = {(c.metric, c.period, c.group): c for c in tally.cells()}
    assert cells[("check-ins", TODAY.isoformat(), "Lisbon")].value == 6
    assert cells[("check-ins", TODAY.isoformat(), "Nairobi")].value is None
    for cell in tally.cells():
        if cell.unit == "people" and cell.value is not None:
            assert cell.value >= SMALLEST, cell


def test_a_period_with_no_data_makes_a_page_that_says_so(tmp_path: Path) -> None:
    empty = Tally(date(2020, 1, 1), date(2020, 1, 31))
    cells = empty.cells()
    assert all(c.value is None for c in cells if c.unit in ("people", "pairs", "percent"))
    write_html(cells, tmp_path / "empty.html", "Example", empty.start, empty.end)
    page = (tmp_path / "empty.html").read_text()
    assert "No data in this period." in page and "fewer than 5" in page


def test_the_command_writes_a_csv_and_a_page_a_browser_draws(company: server.DemoNetwork, tmp_path: Path) -> None:
    everyone = people(company)
    for number, person in enumerate(everyone[:12]):
        check_in(company, person, everyone[number + 12])
        say(company, everyone[number + 12], f"@{person.handle} welcome to the Lisbon office!")
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nserver = "{company.url}"\n[office]\nname = "Hallway Demo"\n')
    env = os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_USER_CONFIG": str(tmp_path / "user.toml"),
                        "HALLWAY_TOKEN": company.token_for("lobby"), "HALLWAY_LOG_DIR": str(tmp_path / "logs")}
    done = subprocess.run([sys.executable, "-m", "hallway", "report", "--kiosk", "--days", "14", "--out",
                           str(tmp_path / "out"), "--announcement"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "people:" in done.stderr and "posts:" in done.stderr, "the progress of the read"
    written = sorted((tmp_path / "out").iterdir())
    sheet = next(p for p in written if p.suffix == ".csv")
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    assert {"metric", "period", "office", "value", "unit"} <= set(rows[0])
    assert next(r for r in rows if r["metric"] == "connections made")["value"] == "12"
    assert all(r["value"] == "fewer than 5" or float(r["value"]) >= 5 for r in rows if r["unit"] == "people")
    assert not any(p.handle in sheet.read_text() or p.name in sheet.read_text() for p in everyone), "no person"
    draft = next(p for p in written if p.name.endswith("announcement.txt")).read_text()
    assert "12 pairs of colleagues met at the lobby kiosk" in draft

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("needs chromium (./run test installs it)")
    page = next(p for p in written if p.suffix == ".html")
    shot = tmp_path / "report.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1100,1300",
                    f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120,
                   env=os.environ | {"HOME": str(tmp_path)})
    image = QImage(str(shot))
    assert image.width() == 1100 and image.height() == 1300, "the browser drew the page"
    green = QColor("#2f6f5e").rgb()
    assert sum(image.pixel(x, y) == green for x in range(0, 1100, 4) for y in range(0, 1300, 4)) > 200, \
        "the bars are there"


@pytest.mark.parametrize("recorded", [True, False])
def test_quiz_plays_are_counted_without_names_and_not_at_all_when_off(tmp_path: Path, recorded: bool) -> None:
    """The kiosk counts plays and right answers per day, with nobody's name; report.record off
    records nothing. The report reads a kiosk's count from its store while the kiosk runs."""
    from hallway.outbox import Outbox
    from hallway.report import kiosk_quiz_plays
    from hallway.store import Store
    from kiosk.lobby import Arrival, Lobby, Quiz
    from kiosk.visitors import Visitors

    store = Store(tmp_path / "kiosk.sqlite3", tmp_path / "photos")
    lobby = Lobby(store, Outbox(store), Visitors(store), "Lisbon", "always", figures=recorded)
    players = [Colleague(id=str(n), name=f"Player {n}") for n in range(7)]
    subject = Colleague(id="s", name="Subject")
    for number, player in enumerate(players):
        arrival = Arrival(player, subject, False, datetime.now().astimezone(), False, False,
                          Quiz(subject, (subject, *players[:3])))
        lobby.answer(arrival, subject if number % 2 == 0 else players[0])
    counted = list(kiosk_quiz_plays(tmp_path / "kiosk.sqlite3", TODAY - timedelta(days=7), TODAY))
    assert counted == ([(lobby.today(), 7, 4)] if recorded else [])
    tally = Tally(TODAY - timedelta(days=7), TODAY)
    for day, plays, right in counted:
        tally.quiz_plays(day, plays, right)
    plays_cells = [c for c in tally.cells() if c.metric == "quiz plays"]
    assert (sum(c.value or 0 for c in plays_cells) == 7) if recorded else plays_cells == []
    store.close()


def test_a_second_report_reads_only_what_is_new_and_counts_the_same(company: server.DemoNetwork,
                                                                      tmp_path: Path) -> None:
    from hallway.http import HttpClient
    everyone = people(company)
    for first, second in zip(everyone[:10:2], everyone[1:10:2], strict=True):
        check_in(company, first, second)
        say(company, second, f"@{first.handle} good to meet you")
    kept = tmp_path / "report.sqlite3"

    def run() -> tuple[list[tuple[str, str, str, float | None]], int]:
        client = HttpClient(sleep=lambda s: None)
        cache = ReportCache(kept)
        try:
            tally = read(MastodonNetwork(company.url, company.token_for("lobby"), client),
                         TODAY - timedelta(days=6), TODAY, cache=cache)
        finally:
            cache.close()
        return [(c.metric, c.period, c.group, c.value) for c in tally.cells()], client.traffic.requests

    before, first_requests = run()
    again, again_requests = run()
    assert again == before
    assert again_requests < first_requests / 2, (again_requests, first_requests)
    newcomer, other = everyone[10], everyone[11]
    check_in(company, newcomer, other)
    say(company, other, f"@{newcomer.handle} welcome in")
    later, _ = run()
    made = {metric: value for metric, period, _, value in later if "/" in period}
    assert made["connections made"] == 6, "the new pair, read on the third run, counts"
    assert oct(kept.stat().st_mode & 0o777) == "0o600", "the person's own"
    assert everyone[0].id.encode() not in kept.read_bytes(), "people are kept as salted hashes"


def test_the_report_waits_out_the_servers_rate_limit_and_says_so(company: server.DemoNetwork) -> None:
    """Mastodon allows 300 requests per 5 minutes: a long report meets the limit, waits as long
    as the server asks, says so, and reads on: no part is missing."""
    from hallway.http import HttpClient
    waits: list[float] = []
    slept: list[float] = []
    requests.post(f"{company.url}/_demo/faults", data={"spec": "/api/v1/timelines/public=429:120x1"},
                  timeout=5).raise_for_status()
    client = HttpClient(sleep=slept.append, patient=waits.append)
    tally = read(MastodonNetwork(company.url, company.token_for("lobby"), client), TODAY - timedelta(days=6), TODAY)
    assert tally.unread == [], "nothing left out"
    assert len(waits) == 1 and 120 <= waits[0] <= 122 and waits == slept[-1:]


def test_the_demo_has_eight_weeks_of_check_ins_so_its_report_shows_real_figures() -> None:
    """``hallway demo``'s company comes with the lobby's last eight weeks, as a kiosk writes them:
    the report's weekly figures are shown, not "fewer than 5", in every office."""
    from hallway.demo.command import DEMO_HISTORY_WEEKS

    network = server.create(generate(seed=1, people=300, history_weeks=DEMO_HISTORY_WEEKS),
                            rate_limit=1_000_000).start_in_background()
    try:
        tally = read(MastodonNetwork(network.url, network.token_for("lobby")), TODAY - timedelta(days=55), TODAY)
    finally:
        network.stop()
    cells = tally.cells()
    weekly = [c for c in cells if c.metric == "people checking in" and c.value is not None]
    assert len(weekly) >= 7, [(c.metric, c.period, c.value) for c in cells if c.metric == "people checking in"]
    offices = {c.group for c in cells if c.metric == "check-ins" and c.group and c.value is not None}
    assert offices == set(network.org.offices)
    for whole in ("people checking in every week", "share who shared a check-in", "colleague-of-the-day pairs",
                  "connections made"):
        assert next(c for c in cells if c.metric == whole).value is not None, whole


def test_the_share_who_shared_counts_people_the_directory_does_not_list_and_never_passes_100() -> None:
    """The directory lists only those who chose to be listed; six people sharing in a company
    whose directory lists five is all of them (100 %), not 120 %."""
    from hallway.model import Presence

    tally = Tally(TODAY - timedelta(days=6), TODAY)
    tally.people = 5
    for number in range(6):
        tally.check_in(Presence(f"person-{number}", Place("Lisbon"), datetime.now().astimezone()))
    share = next(c for c in tally.cells() if c.metric == "share who shared a check-in")
    assert share.value == 100.0
