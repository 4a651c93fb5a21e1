"""What the kiosk lays over the whole window: "Still there?" with its countdown, "Starting over…", and
the operator's PIN pad.

An `Overlay` covers the window it is put on (following its size), dims what is below and holds a box
in the middle; everything in it is finger-sized (the kiosk's style, `desktop.kiosk.touch`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..i18n import number


class Overlay(QFrame):
    def __init__(self, cover: QWidget):
        super().__init__(cover)
        self.setObjectName("Overlay")
        self.cover = cover
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.box = QFrame()
        self.box.setObjectName("OverlayBox")
        self.lay = QVBoxLayout(self.box)
        self.lay.setSpacing(16)
        self.lay.setContentsMargins(40, 30, 40, 30)
        row.addWidget(self.box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.title, self.text = QLabel(), QLabel()
        self.title.setObjectName("OverlayTitle")
        self.text.setObjectName("OverlayText")
        for label in (self.title, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            self.lay.addWidget(label)
        cover.installEventFilter(self)
        self.setVisible(False)

    def button(self, slot) -> QPushButton:
        b = QPushButton()
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        return b

    def appear(self) -> None:
        self.setGeometry(self.cover.rect())
        self.setVisible(True)
        self.raise_()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.cover and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.cover.rect())
        return False


class CountdownOverlay(Overlay):
    """ "Still there?": Keep going (or a touch around the buttons), or Start over; the seconds left.
    While resetting, "Starting over…"."""

    def __init__(self, cover: QWidget, keep_going, start_over):
        super().__init__(cover)
        self.keep_going = keep_going
        row = QHBoxLayout()
        row.setSpacing(24)
        self.keep = self.button(keep_going)
        self.keep.setObjectName("Primary")
        self.over = self.button(start_over)
        row.addWidget(self.keep)
        row.addWidget(self.over)
        self.lay.addLayout(row)
        self.left = 0
        self.resetting = False

    def mousePressEvent(self, event) -> None:
        if not self.resetting:
            self.keep_going()  # a touch anywhere but on Start over: someone is there

    def show_left(self, seconds: int) -> None:
        self.left, self.resetting = seconds, False
        self.retranslate()
        self.appear()

    def show_resetting(self) -> None:
        self.resetting = True
        self.retranslate()
        self.appear()

    def retranslate(self) -> None:
        self.keep.setText(self.tr("Keep going"))
        self.over.setText(self.tr("Start over"))
        self.keep.setVisible(not self.resetting)
        self.over.setVisible(not self.resetting)
        if self.resetting:
            self.title.setText(self.tr("Starting over…"))
            self.text.setText(self.tr("Everything goes back to the start for the next visitor."))
        else:
            self.title.setText(self.tr("Still there?"))
            self.text.setText(self.tr("Starting over in {n} s. Your chat will be forgotten.").format(
                n=number(self.left)))


class PinOverlay(Overlay):
    """The operator's way out: the PIN, typed or tapped; Cancel goes back to the exhibit."""

    def __init__(self, cover: QWidget, operator):
        super().__init__(cover)
        self.operator = operator
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.setMaxLength(12)
        self.pin.returnPressed.connect(self.submit)
        self.lay.addWidget(self.pin)
        grid = QGridLayout()
        self.digits = []
        for i, d in enumerate("123456789"):
            grid.addWidget(self._digit(d), i // 3, i % 3)
        grid.addWidget(self._digit("0"), 3, 1)
        self.lay.addLayout(grid)
        row = QHBoxLayout()
        self.cancel = self.button(self.dismiss)
        self.leave = self.button(self.submit)
        self.leave.setObjectName("Primary")
        row.addWidget(self.cancel)
        row.addWidget(self.leave)
        self.lay.addLayout(row)
        self.refusal = ""
        operator.refused.connect(self._on_refused)
        self.retranslate()

    def _digit(self, d: str) -> QPushButton:
        b = self.button(lambda _=False: self.pin.insert(d))
        b.setText(d)
        self.digits.append(b)
        return b

    def open(self) -> None:
        self.pin.setText("")
        self.refusal = ""
        self.retranslate()
        self.appear()
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        pin, _ = self.pin.text(), self.pin.setText("")
        self.operator.attempt(pin)

    def dismiss(self) -> None:
        self.pin.setText("")
        self.setVisible(False)

    def _on_refused(self, locked: bool) -> None:
        self.refusal = "locked" if locked else "wrong"
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Operator"))
        if not self.operator.enabled:
            text = self.tr("No operator PIN is set (operator_pin in the kiosk's config): stop the service instead.")
        elif self.refusal == "locked":
            text = self.tr("Wrong PIN three times: wait a minute, then try again.")
        elif self.refusal == "wrong":
            text = self.tr("Wrong PIN.")
        else:
            text = self.tr("Enter the PIN to leave the exhibit.")
        self.text.setText(text)
        self.cancel.setText(self.tr("Cancel"))
        self.leave.setText(self.tr("Leave"))
