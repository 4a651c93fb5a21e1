"""Sizes on the actual screen: millimetres to pixels from its DPI, and the kiosk's touch-sized style.

A finger needs a target of at least 9 mm (MIN_TOUCH_MM); the pixels that takes depend on the screen:
32.5 px on a 24-inch 1920×1080 monitor (91.8 dots per inch), 39.7 px on a 14-inch 1366×768 laptop
(111.9). Qt reports a screen's physical size from what the screen says of itself (EDID); a projector
or a touch frame may say nothing or nonsense, so `screen_inches` in the config (the diagonal) wins
where it is given, and a reported size outside 50..600 dots per inch is taken as 96.
Qt's pixels here are its device-independent ones, the unit of every widget's size.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QScreen
from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QTabBar,
                               QWidget)

MIN_TOUCH_MM = 9.0
FALLBACK_DPI = 96.0
MM_PER_INCH = 25.4
TALL_SCREEN = 1000  # pixels high
TALL_FONT_SCALE = 1.25


def dots_per_inch(screen: QScreen, screen_inches: float = 0.0) -> float:
    """The screen's pixels per inch, from the given diagonal, else as it reports its size."""
    if screen_inches > 0:
        size = screen.size()
        return math.hypot(size.width(), size.height()) / screen_inches
    dpi = screen.physicalDotsPerInch()
    return dpi if 50 <= dpi <= 600 else FALLBACK_DPI


def font_scale(screen: QScreen) -> float:
    """The kiosk's text size where its config leaves it open: larger for two metres away where the screen
    is tall enough (1,000 px or more) for the scenes' panels to hold it, normal below (a laptop's 768)."""
    return TALL_FONT_SCALE if screen.availableGeometry().height() >= TALL_SCREEN else 1.0


def pixels(dpi: float, millimetres: float) -> int:
    """Whole pixels covering at least `millimetres` at `dpi`."""
    return math.ceil(millimetres * dpi / MM_PER_INCH)


def millimetres(dpi: float, px: float) -> float:
    return px * MM_PER_INCH / dpi


def style(dpi: float) -> str:
    """The kiosk's style sheet rules: every kind of widget a finger can touch at least MIN_TOUCH_MM
    each way; the story's caption large enough to read from two metres."""
    t = pixels(dpi, MIN_TOUCH_MM)
    return f"""
QAbstractButton {{ min-height: {t}px; min-width: {t}px; }}
QLineEdit, QComboBox {{ min-height: {t}px; }}
QComboBox QAbstractItemView::item {{ min-height: {t}px; }}
QAbstractSpinBox {{ min-height: {t}px; padding-left: {t}px; padding-right: {t}px; }}
QAbstractSpinBox::up-button {{ subcontrol-origin: border; subcontrol-position: center right; width: {t}px;
                               height: {t}px; }}
QAbstractSpinBox::down-button {{ subcontrol-origin: border; subcontrol-position: center left; width: {t}px;
                                 height: {t}px; }}
QScrollBar:vertical {{ width: {t}px; }}
QScrollBar:horizontal {{ height: {t}px; }}
QScrollBar::handle:vertical {{ min-height: {t}px; }}
QScrollBar::handle:horizontal {{ min-width: {t}px; }}
QLabel#StoryCaption {{ font-size: {pixels(dpi, 9.0)}px; }}
QLabel#StoryCounter {{ font-size: {pixels(dpi, 5.0)}px; }}
QFrame#TouchBar QAbstractButton, QFrame#Overlay QAbstractButton, QLabel#TouchHint, QFrame#LetterPad QAbstractButton {{
    font-size: {pixels(dpi, 7.0)}px; }}
QFrame#StoryBar QAbstractButton {{ font-size: {pixels(dpi, 5.0)}px; }}
QFrame#LetterPad QPushButton {{ min-width: {pixels(dpi, 14.0)}px; min-height: {pixels(dpi, 11.0)}px; }}
QFrame#LetterPad QPushButton[letter="true"] {{ max-width: {pixels(dpi, 22.0)}px; padding: 0; }}
QLabel#OverlayTitle {{ font-size: {pixels(dpi, 14.0)}px; }}
QLabel#OverlayText {{ font-size: {pixels(dpi, 7.0)}px; }}
"""


# What a finger can press, type into or drag (QAbstractSlider: the scroll bars too).
TARGETS = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QAbstractSlider, QTabBar)


def targets(root: QWidget) -> list[QWidget]:
    """Every widget a finger can touch on screen under `root` now (shown, whether enabled or not)."""
    return [w for w in root.findChildren(QWidget) if isinstance(w, TARGETS) and w.isVisible()]


def smallest(root: QWidget) -> tuple[QWidget | None, int]:
    """The touch target with the shortest side on screen now, and that side in pixels."""
    found = [(min(w.width(), w.height()), w) for w in targets(root)]
    if not found:
        return None, 0
    side, widget = min(found, key=lambda x: x[0])
    return widget, side
