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
    folder = str(resource("translations"))
    # English first, for its plural forms; the person's language on top (Qt asks the last first).
    for wanted in (QLocale(QLocale.Language.English), locale):
        translator = QTranslator(app)
        if translator.load(wanted, CATALOGUE, "_", folder):
            app.installTranslator(translator)
    app.setLayoutDirection(locale.textDirection())
    return locale
