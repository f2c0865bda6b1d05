"""The kiosk and the tray app speak English and German, their catalogues are complete and
compiled, dates read as each language writes them, and layouts mirror for right-to-left languages."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QTranslator
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from hallway.model import Colleague
from hallway.resources import resource
from hallway.store import Store

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

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


def test_dates_read_as_each_language_writes_them() -> None:
    """"Mittwoch, 2. Dezember", never "Mittwoch 2 Dezember": the locale's own long date, without
    the year and the words that go with it."""
    from PySide6.QtCore import QDate

    from ui.language import day_and_month

    day = QDate(2026, 12, 2)
    expected = {"de_DE": "Mittwoch, 2. Dezember", "en_US": "Wednesday, December 2", "en_GB": "Wednesday, 2 December",
                "fr_FR": "mercredi 2 décembre", "es_ES": "miércoles, 2 de diciembre", "ru_RU": "среда, 2 декабря",
                "ja_JP": "12月2日水曜日", "hu_HU": "december 2., szerda", "lv_LV": "trešdiena, 2. decembris",
                "tr_TR": "2 Aralık Çarşamba"}
    assert {name: day_and_month(day, QLocale(name)) for name in expected} == expected


def test_the_kiosk_welcome_writes_the_date_in_german(qapp: QApplication) -> None:
    from kiosk.screens.welcome import Welcome
    from kiosk.theme import Theme

    QLocale.setDefault(QLocale("de_DE"))
    try:
        welcome = Welcome("Lisbon")
        welcome.apply_theme(Theme.make(1280, 800, mode="light"), portrait=False)
        welcome.update_clock()
        assert welcome.date.text() == QLocale("de_DE").toString(QDate.currentDate(), "dddd, d. MMMM")
        assert ", " in welcome.date.text() and ". " in welcome.date.text()
        welcome.close()
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.English))


@contextmanager
def german(qapp: QApplication) -> Iterator[None]:
    """The German catalogue on top, as hallway-desktop --language de installs it."""
    translator = QTranslator(qapp)
    assert translator.load(QLocale("de"), "hallway", "_", str(CATALOGUES))
    qapp.installTranslator(translator)
    QLocale.setDefault(QLocale("de_DE"))
    try:
        yield
    finally:
        qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.English))


def test_the_tray_app_speaks_german(english: QApplication, store: Store, tmp_path: Path) -> None:
    """The feed window, the compose box, the colleague card, the settings and the tray's words,
    in German, with German plural forms."""
    from desktop.views.colleague_card import ColleagueCard
    from desktop.views.feed_window import FeedWindow
    from desktop.views.settings_window import SettingsWindow
    from desktop.views.tray_icon import TrayState
    from hallway.config import load

    with german(english):
        window = FeedWindow(store, "local", QColor("#2f6f5e"))
        assert [window.tabs.tabText(i) for i in range(4)] == ["Feed", "Erwähnungen", "Ankündigungen", "Heute da"]
        assert window.compose.editor.placeholderText() == "An alle schreiben…"
        assert window.compose.send.text() == "Senden"
        window.compose.set_waiting(3)
        assert window.compose.waiting.text() == "3 Beiträge werden gesendet…"
        window.compose.reply_to("p1", [("Ana Lima", "Wer kommt mit zum Mittagessen?")])
        assert window.compose.answering.text() == "Antwort an Ana Lima: „Wer kommt mit zum Mittagessen?“"
        card = ColleagueCard(QColor("#2f6f5e"))
        card.show_colleague(Colleague(id="7", name="Kwame Mensah", started_on=date(2026, 11, 2)), None,
                            date(2026, 12, 2))
        assert [b.text() for b in card.buttons[:2]] == ["Hallo sagen", "Zum Kaffee einladen"]
        assert card.heading.text() == "Deine Kolleg:in des Tages"
        assert card.joined(date(2026, 11, 2), date(2026, 12, 2)) == "Seit 4 Wochen dabei"
        assert card.joined(date(2026, 12, 1), date(2026, 12, 2)) == "Seit 1 Tag dabei"
        settings = SettingsWindow(load(tmp_path / "none.toml", tmp_path / "none-user.toml"))
        assert settings.windowTitle() == "Hallway-Einstellungen"
        assert settings.sign_out.text() == "Abmelden"
        assert TrayState(mentions=2).tooltip() == "Hallway: 2 neue Erwähnungen"
        for widget in (window, card, settings):
            widget.close()
    assert TrayState(mentions=1).tooltip() == "Hallway: 1 new mention", "English again afterwards"


def test_the_feed_window_mirrors_right_to_left(english: QApplication, store: Store) -> None:
    """Arabic or Hebrew: the header's buttons move to the left, the title to the right."""
    from desktop.views.feed_window import FeedWindow

    english.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        window = FeedWindow(store, "local", QColor("#2f6f5e"))
        window.resize(420, 640)
        window.show()
        QApplication.processEvents()
        title = next(label for label in window.findChildren(QLabel) if label.text() == "Hallway")
        gear = next(button for button in window.findChildren(QToolButton) if button.accessibleName() == "Settings")
        assert gear.geometry().right() < title.geometry().left(), "settings on the left, the title on the right"
        window.close()
    finally:
        english.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
