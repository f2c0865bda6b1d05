"""The screen's language: Qt's translator with Hallway's catalogue (resources/translations), and
the layout direction that goes with the language (right to left for Arabic or Hebrew)."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator
from PySide6.QtWidgets import QApplication

from hallway.celebrations import Celebration
from hallway.celebrations import Kind as CelebrationKind
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


def fill(text: str, *values: object) -> str:
    """Qt's ``%1``, ``%2`` placeholders, filled in one pass (a name holding "%2" stays as it is);
    translators may move them, as word order differs between languages."""
    return re.sub(r"%([1-9])", lambda m: str(values[int(m.group(1)) - 1]) if int(m.group(1)) <= len(values)
                  else m.group(0), text)


def translate(context: str, text: str) -> str:
    """Qt's translation outside a QObject (lupdate finds ``translate("Context", "text")``; for
    plural forms call ``QCoreApplication.translate(context, text, None, n)``, which it finds too)."""
    return QCoreApplication.translate(context, text)


_FORMAT_PARTS = re.compile(r"'(?:[^']|'')*'|d+|M+|y+|[^'dMy]+")


def day_and_month_format(locale: QLocale) -> str:
    """The locale's long date without its year ("dddd, d. MMMM" in German, "dddd, MMMM d" in US
    English, "M月d日dddd" in Japanese): Qt has no such format, and "dddd d MMMM" is wrong in most
    languages. The year goes with the words that belong to it ("de" before it in Spanish, "г."
    after it in Russian, "年" in Japanese)."""
    parts = _FORMAT_PARTS.findall(locale.dateFormat(QLocale.FormatType.LongFormat))
    fields = [i for i, part in enumerate(parts) if part[0] in "dMy"]
    year = next((i for i in fields if parts[i][0] == "y"), None)
    if year is None:
        return "".join(parts)
    if year == fields[-1]:  # last: drop what leads to it from the previous field, and all after
        start = next(i for i in reversed(fields) if i < year) + 1 if len(fields) > 1 else year
        kept = parts[:start]
    else:  # first or between: drop it with what follows it up to the next field
        following = next(i for i in fields if i > year)
        kept = parts[:year] + parts[following:]
    return "".join(kept).strip(" ,\u202f")


def day_and_month(day: object, locale: QLocale | None = None) -> str:
    """"Mittwoch, 2. Dezember": a day as the person's language writes it, without the year."""
    locale = locale or QLocale()
    return str(locale.toString(day, day_and_month_format(locale)))  # type: ignore[call-overload]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # lupdate knows it by this name
    """Marks ``text`` for the catalogue where it is defined; translated where it is shown,
    with ``translate(context, text)``. Typed, unlike PySide6's own."""
    return text


class Tenure(QObject):
    """"Joined 3 weeks ago", for the kiosk's card and the laptop's: a QObject, because only a
    QObject's tr() gives the catalogue's plural forms."""

    def since(self, started: date | None, today: date) -> str:
        if started is None:
            return ""
        days = (today - started).days
        if days < 0:
            return self.tr("Starts soon")
        if days == 0:
            return self.tr("Joined today")
        if days < 14:
            return self.tr("Joined %n day(s) ago", "", days)
        if days < 60:
            return self.tr("Joined %n week(s) ago", "", days // 7)
        if days < 730:
            return self.tr("Joined %n month(s) ago", "", days // 30)
        return self.tr("Joined %n year(s) ago", "", days // 365)


class Cheers(QObject):
    """The words of a day's celebrations, for the kiosk's welcome and the laptop's notification:
    one line each for birthdays, anniversaries and new joiners; a weekend's names their day."""

    def lines(self, found: list[Celebration], today: date, most: int = 4) -> list[str]:
        locale = QLocale()

        def named(items: list[Celebration]) -> str:
            names = [c.colleague.name if c.on == today or c.kind is CelebrationKind.NEW_JOINER else
                     fill(self.tr("%1 (%2)"), c.colleague.name,
                          locale.dayName(c.on.isoweekday(), QLocale.FormatType.LongFormat)) for c in items[:most]]
            more = len(items) - most
            return ", ".join(names) + (" " + self.tr("and %n more", "", more) if more > 0 else "")

        lines: list[str] = []
        if birthdays := [c for c in found if c.kind is CelebrationKind.BIRTHDAY]:
            lines.append(fill(self.tr("Happy birthday, %1!"), named(birthdays)))
        for item in [c for c in found if c.kind is CelebrationKind.ANNIVERSARY][:most]:
            lines.append(fill(self.tr("%1: %2 with us"), item.colleague.name, self.tr("%n year(s)", "", item.years)))
        if joiners := [c for c in found if c.kind is CelebrationKind.NEW_JOINER]:
            lines.append(fill(self.tr("Welcome to our new colleagues: %1"), named(joiners)))
        return lines
