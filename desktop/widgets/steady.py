"""A wrapped label whose height a new text does not change: the window's status line.

A wrapped `QLabel` in the status bar guesses its lines for a width of its own, not the width it has
(a one-line message took three lines, a longer one four), so every new message moved the heatmap above
it, and laid out and repainted all of it during the reply that said it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QSizePolicy


class SteadyLabel(QLabel):
    """Wrapped at the width it has, and `lines` lines high whatever it says: taller only for a text
    that needs more lines at that width (never cut), back to `lines` when the text is shorter again."""

    def __init__(self, lines: int = 2):
        super().__init__()
        self.lines = lines
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_lines(self, lines: int, wrap: bool = True) -> None:
        """`lines` lines high; `wrap=False`: one line cut where it runs long (a kiosk's status)."""
        self.lines = lines
        self.setWordWrap(wrap)
        self._fit()

    def setText(self, text: str) -> None:
        if text != self.text():
            super().setText(text)
            self._fit()

    def _fit(self) -> None:
        m = self.contentsMargins()
        height = self.fontMetrics().lineSpacing() * self.lines + m.top() + m.bottom()
        if self.width() > 0:
            fixed = self.minimumHeight()
            self.setMinimumHeight(0)  # QLabel's height for a width is never below its minimum height
            height = max(height, self.heightForWidth(self.width()))
            self.setMinimumHeight(fixed)
        if height != self.minimumHeight() or height != self.maximumHeight():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()  # a new width may need another count of lines

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()
