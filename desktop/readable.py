"""Whether text reads from where people stand: the visual angle of a font's x-height.

A reader with 20/40 vision (the eyesight many countries ask of a driver; many older visitors have no
better) reads letters whose capitals subtend 10 minutes of arc; their lower case, about 7 (READABLE_ARCMIN).
The angle depends on the text's size on the screen (pixels × millimetres per pixel) and the distance:
a kiosk's visitors stand two metres away (KIOSK_DISTANCE_MM); a hall's back row sits at eight times the
projected picture's height (HALL_HEIGHTS, the audio-visual trade's rule for a room that must read a
slide), where a pixel's size no longer matters, only the picture's height in pixels.
The x-height measured is Qt's own for the font drawn (`QFontMetricsF.xHeight`), not a guess from its size.
A text's contrast with its background is WCAG 2's ratio of relative luminances (`contrast`): 7:1 is its
level AAA for body text (CONTRAST_AAA), what a projector's washed-out picture still leaves readable.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QColor, QFont, QFontMetricsF

READABLE_ARCMIN = 7.0
KIOSK_DISTANCE_MM = 2000.0
HALL_HEIGHTS = 8.0
CONTRAST_AAA = 7.0


def arcmin(size_mm: float, distance_mm: float) -> float:
    """The angle, in minutes of arc, that `size_mm` subtends at `distance_mm`."""
    return math.degrees(2 * math.atan(size_mm / (2 * distance_mm))) * 60


def x_height_px(font: QFont) -> float:
    return QFontMetricsF(font).xHeight()


def kiosk_arcmin(font: QFont, mm_per_px: float, distance_mm: float = KIOSK_DISTANCE_MM) -> float:
    """The x-height's angle for a visitor `distance_mm` from a screen of `mm_per_px`."""
    return arcmin(x_height_px(font) * mm_per_px, distance_mm)


def hall_arcmin(font: QFont, picture_px: int, heights: float = HALL_HEIGHTS) -> float:
    """The x-height's angle from the back row of a hall, `heights` picture-heights away from a picture
    `picture_px` pixels high (whatever its size in metres: both scale together)."""
    return arcmin(x_height_px(font) / picture_px, heights)


def pixel_size_for(font: QFont, x_height: float) -> int:
    """The smallest whole pixel size at which `font`'s family draws an x-height of at least `x_height` px."""
    f = QFont(font)
    size = max(1, math.floor(x_height))
    while True:
        f.setPixelSize(size)
        if x_height_px(f) >= x_height or size > 10 * x_height + 50:
            return size
        size += 1


def x_height_for(angle: float, mm_per_px: float, distance_mm: float = KIOSK_DISTANCE_MM) -> float:
    """The x-height, in pixels of `mm_per_px`, that subtends `angle` minutes of arc at `distance_mm`."""
    return 2 * distance_mm * math.tan(math.radians(angle / 60) / 2) / mm_per_px


def reads_from_mm(font: QFont, mm_per_px: float, angle: float = READABLE_ARCMIN) -> float:
    """The farthest distance at which `font`'s x-height still subtends `angle` minutes of arc."""
    return x_height_px(font) * mm_per_px / (2 * math.tan(math.radians(angle / 60) / 2))


def luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance: the sRGB channels made linear, weighted as the eye weighs them."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio of two colours, 1 (the same) to 21 (black and white)."""
    hi, lo = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
