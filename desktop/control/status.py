"""The status line's two texts, held outside the window: what just happened, and what the exhibit waits for.

Every controller is handed the one `StatusLine` and says things through it; the window shows them,
translated each time they are shown (`desktop.i18n.Text`), so a change of language re-translates them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..i18n import Text


class StatusLine(QObject):
    changed = Signal()  # the message or the busy text changed

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.message: Text | None = None  # what just happened, or what went wrong
        self.busy: Text | None = None  # what the exhibit waits for; None when nothing

    def say(self, text: Text) -> None:
        self.message = text
        self.changed.emit()

    def wait_for(self, text: Text | None) -> None:
        if text != self.busy:
            self.busy = text
            self.changed.emit()

    def done(self, text: Text | None = None) -> None:
        """Nothing to wait for now (or, given `text`, only if that is what was awaited)."""
        if text is None or self.busy == text:
            self.wait_for(None)

    def __str__(self) -> str:
        return "" if self.message is None else str(self.message)
