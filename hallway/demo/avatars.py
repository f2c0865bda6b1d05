"""Friendly, varied portraits for the demo organisation, drawn in pure Python.

No photo of a real person and nothing downloaded: each face is a handful of
ellipses chosen from the person's own seed, painted row by row (one slice per
shape and row, with the edge pixels blended), and written as a PNG with zlib.
A 256 px portrait takes a few milliseconds, so the demo network draws them on
request and keeps them in a small cache.
"""

from __future__ import annotations

import math
import random
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache

Colour = tuple[int, int, int]

SKIN: list[Colour] = [
    (255, 224, 196), (241, 194, 160), (224, 172, 130), (198, 134, 96), (161, 102, 64), (112, 70, 45),
]
HAIR: list[Colour] = [
    (30, 26, 24), (66, 44, 30), (110, 72, 40), (168, 84, 44), (222, 184, 120), (190, 190, 196),
    (46, 36, 60), (70, 110, 190), (210, 96, 140),
]
BACKGROUND: list[Colour] = [
    (255, 214, 165), (186, 225, 255), (200, 238, 200), (255, 200, 210), (222, 208, 255),
    (255, 240, 170), (176, 230, 222), (250, 210, 180), (210, 222, 238), (236, 220, 200),
]
SHIRT: list[Colour] = [
    (52, 92, 160), (210, 80, 70), (60, 140, 100), (240, 170, 50), (120, 80, 160),
    (40, 40, 48), (230, 230, 236), (30, 130, 150), (200, 110, 150), (110, 120, 60),
]
HAIR_STYLES = ("short", "long", "bun", "curly", "buzz", "bald", "bob")


class Canvas:
    """An RGB image painted with filled ellipses; enough to draw a face."""

    def __init__(self, width: int, height: int, background: Colour) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def ellipse(
        self,
        cx: float,
        cy: float,
        rx: float,
        ry: float,
        colour: Colour,
        top: float = -1e9,
        bottom: float = 1e9,
    ) -> None:
        """Fill an ellipse, optionally only the rows between ``top`` and ``bottom``."""
        first = max(0, math.floor(cy - ry), math.floor(top))
        last = min(self.height - 1, math.ceil(cy + ry), math.ceil(bottom))
        for y in range(first, last + 1):
            t = (y + 0.5 - cy) / ry
            if abs(t) >= 1 or not top <= y + 0.5 <= bottom:
                continue
            half = rx * math.sqrt(1 - t * t)
            self.span(y, cx - half, cx + half, colour)

    def rectangle(self, x0: float, y0: float, x1: float, y1: float, colour: Colour) -> None:
        for y in range(max(0, math.floor(y0)), min(self.height, math.ceil(y1))):
            self.span(y, x0, x1, colour)

    def span(self, y: int, x0: float, x1: float, colour: Colour) -> None:
        """Fill row ``y`` from ``x0`` to ``x1`` (fractional), blending the two edge pixels."""
        x0, x1 = max(0.0, x0), min(float(self.width), x1)
        if x1 <= x0:
            return
        row = y * self.width
        inner0, inner1 = math.ceil(x0), math.floor(x1)
        if inner1 >= inner0:  # (equal: no whole pixel between the two edge pixels)
            self.pixels[(row + inner0) * 3 : (row + inner1) * 3] = bytes(colour) * (inner1 - inner0)
            self._blend(row, inner0 - 1, inner0 - x0, colour)
            self._blend(row, inner1, x1 - inner1, colour)
        else:
            self._blend(row, math.floor(x0), x1 - x0, colour)

    def _blend(self, row: int, x: int, coverage: float, colour: Colour) -> None:
        if not 0 <= x < self.width or coverage <= 0:
            return
        i = (row + x) * 3
        for c in range(3):
            self.pixels[i + c] = round(self.pixels[i + c] * (1 - coverage) + colour[c] * coverage)

    def png(self) -> bytes:
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height)
        )
        return encode_png(self.width, self.height, raw)


def encode_png(width: int, height: int, filtered_rows: bytes) -> bytes:
    """A PNG file from RGB rows that each already start with their filter byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(filtered_rows, 6))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class Look:
    """What one person's portrait looks like; chosen once from their seed."""

    skin: Colour
    hair: Colour
    background: Colour
    shirt: Colour
    hair_style: str
    glasses: bool
    beard: bool

    @classmethod
    def for_seed(cls, seed: str) -> Look:
        """The face for ``seed``. A seed may carry what the person's name says (the organisation
        adds ``|skin=4,5|hair=0|kind=f``): skin and hair from those shades, hair styles and a
        beard to go with the name, so a portrait fits its person and the quiz is a real quiz."""
        hints = dict(part.split("=", 1) for part in seed.split("|")[1:] if "=" in part)
        rng = random.Random(seed)

        def shade(name: str, palette: list[Colour]) -> Colour:
            allowed = [palette[int(i)] for i in hints.get(name, "").split(",") if i.isdigit() and int(i) < 6]
            return rng.choice(allowed or palette[:6])

        kind = hints.get("kind", "")
        styles = {"f": ("long", "bun", "bob", "curly", "long", "short"),
                  "m": ("short", "buzz", "bald", "curly", "short")}.get(kind, HAIR_STYLES)
        style = rng.choice(styles)
        return cls(
            skin=shade("skin", SKIN),
            hair=shade("hair", HAIR) if rng.random() < 0.92 else rng.choice(HAIR[6:]),
            background=rng.choice(BACKGROUND),
            shirt=rng.choice(SHIRT),
            hair_style=style,
            glasses=rng.random() < 0.3,
            beard=kind != "f" and style in ("short", "buzz", "bald") and rng.random() < 0.35,
        )


def _shade(colour: Colour, factor: float) -> Colour:
    r, g, b = (max(0, min(255, round(c * factor))) for c in colour)
    return (r, g, b)


@lru_cache(maxsize=512)
def portrait(seed: str, size: int = 256) -> bytes:
    """A square PNG portrait for ``seed``; the same seed always gives the same face."""
    look = Look.for_seed(seed)
    s = size / 256
    c = Canvas(size, size, look.background)
    skin, hair, shade = look.skin, look.hair, _shade(look.skin, 0.88)

    def e(cx: float, cy: float, rx: float, ry: float, colour: Colour, **clip: float) -> None:
        c.ellipse(cx * s, cy * s, rx * s, ry * s, colour, **{k: v * s for k, v in clip.items()})

    if look.hair_style in ("long", "bob"):
        e(128, 136, 74, 92 if look.hair_style == "long" else 70, hair)
    e(128, 292, 108, 96, look.shirt)  # shoulders
    e(128, 200, 26, 36, shade)  # neck
    e(128, 222, 30, 14, _shade(look.shirt, 0.8), bottom=236)  # collar shadow
    e(72, 130, 11, 15, shade)  # ears
    e(184, 130, 11, 15, shade)
    e(128, 124, 57, 66, skin)  # head
    if look.beard:
        e(128, 150, 52, 48, hair, top=140)
        e(128, 150, 24, 14, skin, top=140)
    if look.hair_style in ("short", "long", "bun", "bob"):
        e(128, 100, 62, 50, hair, bottom=96)
        e(100, 96, 34, 18, hair)
    if look.hair_style == "bun":
        e(128, 46, 26, 24, hair)
    if look.hair_style == "curly":
        for dx, dy in ((-48, 86), (-30, 66), (-8, 58), (16, 60), (38, 70), (52, 90), (-56, 110), (58, 112)):
            e(128 + dx, dy, 24, 24, hair)
    if look.hair_style == "buzz":
        e(128, 104, 58, 50, _shade(hair, 1.25), bottom=88)
    for x in (106, 150):  # eyes
        e(x, 128, 6.5, 7.5, (40, 34, 36))
        e(x + 2, 125.5, 2, 2, (255, 255, 255))
    e(104, 112, 12, 2.6, _shade(hair, 0.9))  # brows
    e(152, 112, 12, 2.6, _shade(hair, 0.9))
    e(96, 150, 10, 6, _shade((235, 130, 130), min(1.0, 0.7 + sum(skin) / 1500)))  # cheeks
    e(160, 150, 10, 6, _shade((235, 130, 130), min(1.0, 0.7 + sum(skin) / 1500)))
    e(128, 156, 17, 11, (150, 56, 64), top=156)  # smile
    e(128, 157, 12, 4, (255, 255, 255), top=157)
    if look.glasses:
        for x in (106, 150):
            e(x, 128, 17, 15, (34, 34, 40))
            e(x, 128, 14, 12, skin)
            e(x, 128, 6.5, 7.5, (40, 34, 36))
        c.rectangle(120 * s, 126 * s, 136 * s, 129 * s, (34, 34, 40))
    return c.png()


@lru_cache(maxsize=64)
def banner(seed: str, width: int = 600, height: int = 200) -> bytes:
    """A soft two-colour gradient for profile headers."""
    rng = random.Random(seed)
    a, b = rng.sample(BACKGROUND, 2)
    row = bytearray()
    for x in range(width):
        t = x / max(1, width - 1)
        row += bytes(round(a[i] * (1 - t) + b[i] * t) for i in range(3))
    line = b"\x00" + bytes(row)
    return encode_png(width, height, line * height)


@lru_cache(maxsize=64)
def landscape(seed: str, width: int = 480, height: int = 320) -> bytes:
    """A little landscape picture, for the media attached to demo posts."""
    rng = random.Random(seed)
    sky = rng.choice([(150, 200, 240), (250, 190, 150), (120, 140, 200)])
    c = Canvas(width, height, sky)
    c.ellipse(rng.uniform(80, 400), rng.uniform(60, 120), 36, 36, (255, 236, 150))
    for i, green in enumerate([(110, 170, 110), (80, 140, 90), (60, 110, 70)]):
        c.ellipse(rng.uniform(0, width), height * (0.85 + i * 0.12), width * 0.7, height * 0.45, green)
    return c.png()
