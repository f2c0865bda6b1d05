"""The kiosk speaks English and German, its catalogues are complete and compiled, and its
layouts mirror for right-to-left languages."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from hallway.model import Colleague
from hallway.resources import resource

CATALOGUES = resource("translations")


def test_the_german_catalogue_is_complete() -> None:
    tree = ET.parse(CATALOGUES / "hallway_de.ts")
    unfinished = [m.findtext("source") for m in tree.iter("message")
                  if m.find("translation") is not None and m.find("translation").get("type") == "unfinished"]  # type: ignore[union-attr]
    assert unfinished == []
    assert len(list(tree.iter("message"))) > 50


def test_the_compiled_catalogues_match_their_sources(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    for ts in sorted(CATALOGUES.glob("*.ts")):
        fresh = tmp_path / ts.with_suffix(".qm").name
        subprocess.run([lrelease, "-silent", ts, "-qm", fresh], check=True, timeout=60)
        assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes(), f"run scripts/translations.py ({ts.name})"


def test_german_and_english_plurals_load(qapp: QApplication) -> None:
    german = QTranslator()
    assert german.load(QLocale("de"), "hallway", "_", str(CATALOGUES))
    assert german.translate("Welcome", "Find my name") == "Meinen Namen suchen"
    assert german.translate("Welcome", "%n colleague(s) in today", "", 3) == "Heute sind %n Kolleg:innen da"
    english = QTranslator()
    assert english.load(QLocale("en"), "hallway", "_", str(CATALOGUES))
    assert english.translate("Welcome", "%n colleague(s) in today", "", 1) == "%n colleague in today"
    assert QCoreApplication.translate("nowhere", "untranslated") == "untranslated"


def test_the_card_mirrors_right_to_left(qapp: QApplication) -> None:
    from datetime import date

    from kiosk.screens.card import Card
    from kiosk.theme import Theme

    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        card = Card()
        card.resize(1280, 800)
        card.apply_theme(Theme.make(1280, 800, mode="light"), portrait=False)
        person = Colleague(id="1", name="Ana Lima")
        card.show_card(person, Colleague(id="2", name="Kwame Mensah", title="Designer"), None, date(2026, 11, 23),
                       False, "", 20)
        card.show()
        QApplication.processEvents()
        assert card.photo.geometry().left() > card.name.geometry().left(), "the photo is on the right"
        card.stop()
        card.close()
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
