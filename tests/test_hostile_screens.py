"""The hostile server's worst text (tests/hostile_server.py, "hostile-text": script and style
tags, a local-file image, javascript: links, 1,000 nested tags, lone surrogates, direction
overrides, 300 enclosing marks, a 10 MB bio) reaches the kiosk card as plain, bounded words:
nothing runs, no tag shows, nothing crashes, and check-ins still go out."""

from __future__ import annotations

import os
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hostile_server import HostileServer
from PySide6.QtWidgets import QApplication, QLabel
from test_supervised_sync import check_in, kiosk_sync, on_server

from hallway.demo.server import DemoNetwork
from hallway.outbox import Outbox
from hallway.store import Store
from kiosk.screens.card import Card
from kiosk.theme import Theme, load_fonts

pytestmark = pytest.mark.usefixtures("english")  # the catalogue hallway-desktop installs


def assert_plain_words(text: str, limit: int) -> None:
    """What a person reading the screen would check: no markup, nothing unreadable, not endless."""
    assert len(text) <= limit, len(text)
    for bad in ("<", "script", "alert", "javascript", "display:none", "passwd", "\ud800", "\u202e"):
        assert bad not in text, (bad, text[:200])
    run = 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch).startswith("M") else 0
        assert run <= 2, "a flood of combining or enclosing marks"


def test_hostile_profiles_reach_the_kiosk_card_as_plain_words(
        demo: DemoNetwork, qapp: QApplication, tmp_path: Path) -> None:
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    try:
        check_in(Outbox(store), "hostileprofiles")
        with HostileServer(demo.url, {"/api/v1/directory": "hostile-text", "/api/v1/accounts": "hostile-text"}) \
                as hostile:
            sync = kiosk_sync(store, hostile.url, demo.token_for("lobby"))
            sync.photos_per_pass = 0
            result = sync.once(directory=True)
        assert result.problems == [] and result.pending == 0
        assert on_server(demo, "hostileprofiles") == 1, "the check-in went out all the same"
        people = store.people()
        assert len(people) > 50
        for person in people:
            assert_plain_words(person.name, 200)
            assert_plain_words(person.bio, 2000)
            for fact in (person.title, person.team, person.office, person.ask_me_about, *person.hobbies):
                assert_plain_words(fact, 500)
        assert any(len(p.bio) >= 1900 for p in people), "the 10 MB bio arrived, cut to the store's limit"
        shown = next(p for p in people if "deep" in p.title or "deep" in p.ask_me_about)

        card = Card()
        card.resize(1280, 800)
        card.apply_theme(Theme.make(1280, 800, mode="light", family=load_fonts()), portrait=False)
        card.show_card(people[0], shown, None, date.today(), False, "", 20)
        card.show()
        qapp.processEvents()
        image = card.grab()
        image.save(str(tmp_path / "hostile-card.png"))
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            image.save(os.environ["HALLWAY_SCREENSHOTS"] + "/kiosk-hostile-card.png")
        labels = [label.text() for label in card.findChildren(QLabel) if label.isVisible()]
        assert any("deep" in text for text in labels), "the profile's words are on the card"
        for text in labels:
            assert_plain_words(text, 500)
        card.close()
        card.deleteLater()
    finally:
        store.close()
