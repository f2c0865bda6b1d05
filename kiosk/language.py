"""The screen's language: Qt's translator with Hallway's catalogue (resources/translations), and
the layout direction that goes with the language (right to left for Arabic or Hebrew)."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from hallway.resources import resource

CATALOGUE = "hallway"


def install_translator(app: QApplication, language: str | None = None) -> QLocale:
    locale = QLocale(language) if language else QLocale.system()
    QLocale.setDefault(locale)
    translator = QTranslator(app)
    if translator.load(locale, CATALOGUE, "_", str(resource("translations"))):
        app.installTranslator(translator)
    app.setLayoutDirection(locale.textDirection())
    return locale
