"""Sizes on the actual screen: millimetres to pixels from its DPI, and the kiosk's touch-sized style.

A finger needs a target of at least 9 mm (MIN_TOUCH_MM); the pixels that takes depend on the screen:
32.5 px on a 24-inch 1920×1080 monitor (91.8 dots per inch), 39.7 px on a 14-inch 1366×768 laptop
(111.9). Qt reports a screen's physical size from what the screen says of itself (EDID); a projector
or a touch frame may say nothing or nonsense, so `screen_inches` in the config (the diagonal) wins
where it is given, and a reported size outside 50..600 dots per inch is taken as 96.
Qt's pixels here are its device-independent ones, the unit of every widget's size.

Text is sized to read from two metres (`desktop.readable`: an x-height of 7 minutes of arc), from the
same DPI: a 26 px font on the 24-inch monitor. The panels' text (the conversation, the context, the
status line) gives way where the screen is too short to hold it (PANEL_LINES); the bars' and the
overlays' few words never do.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QFont, QScreen
from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QTabBar,
                               QWidget)

from .. import readable
from ..window import BASE_POINT_SIZE

MIN_TOUCH_MM = 9.0
FALLBACK_DPI = 96.0
MM_PER_INCH = 25.4
# The panels' font is at most the height the bars leave (BAR_LINES lines of their words: the caption's two,
# the touch bar's one, their margins) over PANEL_LINES: what a Train or Talk step stacks (heatmap, counters
# or badge, chat, input line, status line) fits 1080 px at two metres' size (26 px), 768 px at 17 px.
BAR_LINES = 4.5
PANEL_LINES = 36
CAPTION_X = 1.25  # the story's caption, a step above the panels' text
TITLE_X = 2.0  # an overlay's title ("Still there?")
MONOSPACE = "monospace"  # the context's tokens and the training's samples (marginalia.qss)


def dots_per_inch(screen: QScreen, screen_inches: float = 0.0) -> float:
    """The screen's pixels per inch, from the given diagonal, else as it reports its size."""
    if screen_inches > 0:
        size = screen.size()
        return math.hypot(size.width(), size.height()) / screen_inches
    dpi = screen.physicalDotsPerInch()
    return dpi if 50 <= dpi <= 600 else FALLBACK_DPI


def reading_x_height(dpi: float) -> float:
    """The x-height, in pixels, that reads from the kiosk's two metres on a screen of `dpi`."""
    return readable.x_height_for(readable.READABLE_ARCMIN, millimetres(dpi, 1.0))


def text_px(x_height: float, family: str = "") -> int:
    """The pixel size at which `family` (empty: the application's font) draws `x_height`."""
    return readable.pixel_size_for(QFont(family) if family else QFont(), x_height)


def panel_px(dpi: float, height_px: int) -> int:
    """The panels' font size: two metres' worth, or what a screen `height_px` high holds if less."""
    words = text_px(reading_x_height(dpi))
    return min(words, int((height_px - BAR_LINES * words) // PANEL_LINES))


def panel_x_height(dpi: float, height_px: int) -> float:
    """The x-height the panels' font draws (whole pixels: the font's hinting rounds it)."""
    font = QFont()
    font.setPixelSize(panel_px(dpi, height_px))
    return readable.x_height_px(font)


def reading_scale(dpi: float, height_px: int, logical_dpi: float) -> float:
    """The window's font scale (BASE_POINT_SIZE points × scale, at the screen's `logical_dpi`) whose font
    draws the panels' x-height; rounded up to the hundredth the exhibit keeps."""
    points = panel_px(dpi, height_px) * 72 / logical_dpi
    return math.ceil(points / BASE_POINT_SIZE * 100) / 100


def pixels(dpi: float, millimetres: float) -> int:
    """Whole pixels covering at least `millimetres` at `dpi`."""
    return math.ceil(millimetres * dpi / MM_PER_INCH)


def millimetres(dpi: float, px: float) -> float:
    return px * MM_PER_INCH / dpi


def style(dpi: float, height_px: int) -> str:
    """The kiosk's style sheet rules: every kind of widget a finger can touch at least MIN_TOUCH_MM
    each way; the bars', the letter pad's and the overlays' words, and the caption larger still, read
    from two metres; the monospaced panels' text at the x-height of the rest (the window's font scale)."""
    t = pixels(dpi, MIN_TOUCH_MM)
    read, panel = reading_x_height(dpi), panel_x_height(dpi, height_px)
    words, caption, title = text_px(read), text_px(max(read, CAPTION_X * panel)), text_px(TITLE_X * read)
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
QLabel#StoryCaption, QFrame#StoryBar QLabel#SceneTitle {{ font-size: {caption}px; }}
QFrame#TouchBar QAbstractButton, QLabel#TouchHint, QFrame#LetterPad QAbstractButton, QFrame#StoryBar QAbstractButton,
QLabel#StoryCounter, QFrame#Overlay QAbstractButton, QLabel#OverlayText, QFrame#Overlay QLineEdit {{
    font-size: {words}px; }}
QTextBrowser#ContextTokens, QLabel#Sample {{ font-size: {text_px(panel, MONOSPACE)}px; }}
QFrame#LetterPad QPushButton {{ min-width: {pixels(dpi, 14.0)}px; min-height: {pixels(dpi, 11.0)}px; }}
QFrame#LetterPad QPushButton[letter="true"] {{ max-width: {pixels(dpi, 22.0)}px; padding: 0; }}
QLabel#OverlayTitle {{ font-size: {title}px; }}
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
