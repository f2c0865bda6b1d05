"""The kiosk's look in one place: colours (light and dark, one accent from IT), a type scale
that follows the screen, and the style sheet. Read from two metres: nothing under 18 px,
touch targets at least 60 px.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette

from hallway.resources import resource

FAMILY = "Inter"
MIN_TEXT_PX = 18
MIN_TOUCH_PX = 60


def load_fonts() -> str:
    """The bundled Inter; Qt's default sans where it cannot load."""
    fonts = resource("fonts")
    families: list[str] = []
    for file in sorted(fonts.glob("*.otf")) if fonts.is_dir() else []:
        font_id = QFontDatabase.addApplicationFont(str(file))
        families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return FAMILY if FAMILY in families else QFont().defaultFamily()


def _readable_on(colour: QColor) -> QColor:
    """Black or white text, whichever reads better on ``colour`` (WCAG relative luminance)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    lum = 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    return QColor("#ffffff") if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else QColor("#111111")


@dataclass(frozen=True)
class Theme:
    dark: bool
    accent: QColor
    on_accent: QColor
    background: QColor
    surface: QColor
    text: QColor
    muted: QColor
    line: QColor
    good: QColor
    bad: QColor
    family: str
    scale: float  # 1.0 on a 1080-pixel short side

    @classmethod
    def make(cls, width: int, height: int, accent: str = "#2f6f5e", mode: str = "system",
             family: str = FAMILY) -> Theme:
        if mode == "system":
            hints = QGuiApplication.styleHints()
            dark = hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark
        else:
            dark = mode == "dark"
        tint = QColor(accent)
        if dark:  # the brand colour, lifted so it keeps its contrast on a dark background
            tint = tint.lighter(150) if tint.lightnessF() < 0.5 else tint
        scale = max(0.6, min(width, height) / 1080)
        if dark:
            return cls(True, tint, _readable_on(tint), QColor("#111514"), QColor("#1b2120"), QColor("#f1f0ec"),
                       QColor("#a9b1ae"), QColor("#2c3432"), QColor("#5fc48f"), QColor("#f07a6a"), family, scale)
        return cls(False, tint, _readable_on(tint), QColor("#f5f3ee"), QColor("#ffffff"), QColor("#1b1f1e"),
                   QColor("#5b6461"), QColor("#e4e0d7"), QColor("#2e8b57"), QColor("#c0392b"), family, scale)

    def px(self, size: float) -> int:
        return round(size * self.scale)

    def text_px(self, size: float) -> int:
        return max(MIN_TEXT_PX, self.px(size))

    def font(self, size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
        font = QFont(self.family)
        font.setPixelSize(self.text_px(size))
        font.setWeight(weight)
        return font

    def palette(self) -> QPalette:
        palette = QPalette()
        for role, colour in ((QPalette.ColorRole.Window, self.background), (QPalette.ColorRole.Base, self.surface),
                             (QPalette.ColorRole.WindowText, self.text), (QPalette.ColorRole.Text, self.text),
                             (QPalette.ColorRole.ButtonText, self.text), (QPalette.ColorRole.Button, self.surface),
                             (QPalette.ColorRole.Highlight, self.accent),
                             (QPalette.ColorRole.HighlightedText, self.on_accent)):
            palette.setColor(role, colour)
        return palette

    def style_sheet(self) -> str:
        radius = self.px(22)
        touch = max(MIN_TOUCH_PX, self.px(84))
        return f"""
        * {{ font-family: "{self.family}"; color: {self.text.name()}; }}
        QLabel {{ background: transparent; }}
        QLabel[role="muted"] {{ color: {self.muted.name()}; }}
        QLabel[role="accent"] {{ color: {self.accent.name()}; }}
        QFrame[role="panel"] {{ background: {self.surface.name()}; border-radius: {radius}px;
                                border: 1px solid {self.line.name()}; }}
        QLabel[role="chip"] {{ background: {self.surface.name()}; border: 1px solid {self.line.name()};
                               border-radius: {self.px(26)}px; padding: {self.px(10)}px {self.px(22)}px; }}
        QLabel[role="chip"][empty="true"] {{ color: {self.muted.name()}; }}
        QLabel[role="status"] {{ background: {self.surface.name()}; border: 1px solid {self.line.name()};
                                 border-radius: {self.px(20)}px; padding: {self.px(8)}px {self.px(18)}px;
                                 color: {self.muted.name()}; }}
        QLabel[role="toast"] {{ background: {self.text.name()}; color: {self.background.name()};
                                border-radius: {self.px(24)}px; padding: {self.px(18)}px {self.px(34)}px; }}
        QPushButton {{ min-height: {touch}px; border-radius: {radius}px; padding: 0 {self.px(36)}px;
                       background: {self.surface.name()}; border: 2px solid {self.line.name()}; }}
        QPushButton:pressed {{ background: {self.line.name()}; }}
        QPushButton[role="primary"] {{ background: {self.accent.name()}; color: {self.on_accent.name()};
                                       border: none; }}
        QPushButton[role="primary"]:pressed {{ background: {self.accent.darker(115).name()}; }}
        QPushButton[role="quiet"] {{ background: transparent; border: none; color: {self.muted.name()}; }}
        QPushButton:disabled {{ background: transparent; border: 2px dashed {self.line.name()};
                                color: {self.line.darker(130).name()}; }}
        QPushButton[role="key"] {{ padding: 0; border-radius: {self.px(16)}px; }}
        QPushButton[role="right"] {{ background: {self.good.name()}; color: #ffffff; border: none; }}
        QPushButton[role="wrong"] {{ background: {self.bad.name()}; color: #ffffff; border: none; }}
        QProgressBar {{ background: {self.line.name()}; border: none; border-radius: {self.px(3)}px; }}
        QProgressBar::chunk {{ background: {self.accent.name()}; border-radius: {self.px(3)}px; }}
        """
