"""The visual angle of text: the sums the kiosk's and the projector's readability rests on."""

import math

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from desktop import readable


def test_the_angle_of_a_size_at_a_distance():
    assert readable.arcmin(1.0, 1 / math.tan(math.radians(1 / 60))) == pytest.approx(1.0, rel=1e-6)
    assert readable.arcmin(4.07, 2000) == pytest.approx(7.0, abs=0.01)  # lower case that reads at two metres
    # A hall: 1/100 of the picture's height, from eight heights away, whatever the picture's size.
    assert readable.arcmin(0.01, 8) == pytest.approx(readable.arcmin(20, 16_000))


def test_the_pixel_size_found_draws_at_least_the_x_height_asked_and_one_less_does_not(qapp):
    font = QApplication.font()
    for want in (5.0, 11.7, 14.7, 30.0):
        size = readable.pixel_size_for(font, want)
        font.setPixelSize(size)
        assert readable.x_height_px(font) >= want
        font.setPixelSize(size - 1)
        assert readable.x_height_px(font) < want


def test_the_x_height_for_an_angle_and_the_distance_a_font_reads_from_undo_the_angle(qapp):
    mm_per_px = 25.4 / 91.79  # a 24-inch 1920×1080 screen
    x = readable.x_height_for(readable.READABLE_ARCMIN, mm_per_px)
    assert readable.arcmin(x * mm_per_px, readable.KIOSK_DISTANCE_MM) == pytest.approx(readable.READABLE_ARCMIN)
    font = QApplication.font()
    font.setPixelSize(readable.pixel_size_for(font, x))
    assert readable.reads_from_mm(font, mm_per_px) >= readable.KIOSK_DISTANCE_MM
    far = readable.reads_from_mm(font, mm_per_px)
    assert readable.kiosk_arcmin(font, mm_per_px, far) == pytest.approx(readable.READABLE_ARCMIN)


def test_contrast_is_wcag_s_ratio():
    assert readable.contrast(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert readable.contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)  # WCAG's example
    assert readable.contrast(QColor("#123456"), QColor("#123456")) == 1.0
