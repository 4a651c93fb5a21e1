"""The on-screen letter pad: a visitor spells a name of their own, straight into the real conversation.

Opening it puts the start of the story's correction into the chat's input line ("No, "); each letter
is typed there (the first one a capital), so the visitor sees the sentence the model will read being
written; Send finishes it (" does the books.") and sends it as Enter would (`send`: True if the
conversation took it). Only letters: a name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..control.story import NAME_CHARS, correction

ROWS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
HOLE = "\0"  # where the name goes in the story's correction


def _halves() -> tuple[str, str]:
    before, after = correction(HOLE).split(HOLE)
    return before, after


class LetterPad(QFrame):
    closed = Signal()  # sent, or cancelled

    def __init__(self, line: QLineEdit, send, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("LetterPad")
        self.line, self.send = line, send
        self.name = ""
        self.keys: dict[str, QPushButton] = {}
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        grid = QGridLayout()
        grid.setSpacing(6)
        for r, row in enumerate(ROWS):
            for c, letter in enumerate(row):
                b = self._button(letter, lambda _=False, x=letter: self.type_letter(x))
                b.setProperty("letter", True)  # touch.style: a key's width, not a word's
                grid.addWidget(b, r, 2 * c + r, 1, 2)  # each row set off by half a key, as on a keyboard
                self.keys[letter] = b
        lay.addStretch(1)
        lay.addLayout(grid)
        lay.addSpacing(24)
        side = QVBoxLayout()
        self.back = self._button("⌫", self.erase)
        self.cancel = self._button("", self.close_pad)
        self.done = self._button("", self.finish)
        self.done.setObjectName("Primary")
        for b in (self.back, self.cancel, self.done):
            side.addWidget(b)
        lay.addLayout(side)
        lay.addStretch(1)
        self.retranslate()

    def _button(self, text: str, slot) -> QPushButton:
        b = QPushButton(text)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the input line
        b.clicked.connect(slot)
        return b

    def retranslate(self) -> None:
        self.cancel.setText(self.tr("Cancel"))
        self.done.setText(self.tr("Send"))

    def open(self) -> None:
        self.name = ""
        self._show()
        self.setVisible(True)

    def type_letter(self, letter: str) -> None:
        if len(self.name) < NAME_CHARS:
            self.name += letter.upper() if not self.name else letter.lower()
            self._show()

    def erase(self) -> None:
        self.name = self.name[:-1]
        self._show()

    def _show(self) -> None:
        self.line.setText(_halves()[0] + self.name)
        self.done.setEnabled(len(self.name) >= 2)

    def finish(self) -> None:
        """Send the correction; while the model is busy it is not taken, and the pad stays for another try."""
        if len(self.name) < 2:
            return
        self.line.setText(correction(self.name))
        if self.send():
            self.name = ""
            self.setVisible(False)
            self.closed.emit()

    def close_pad(self) -> None:
        """Cancelled: what was spelled goes with the pad."""
        self.name = ""
        if self.line.text().startswith(_halves()[0]):
            self.line.setText("")
        self.setVisible(False)
        self.closed.emit()
