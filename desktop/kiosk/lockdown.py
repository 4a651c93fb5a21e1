"""What keeps a visitor inside the exhibit, and lets the operator out.

`Lockdown` is an event filter on the whole application: every touch, click, key or wheel tells the
kiosk someone is there (one that only wakes it from the attract loop or the countdown goes no
further, nor does the rest of its gesture); the window refuses to close (Alt+F4 from a window manager,
anything else) and goes back to full screen if something takes it out; Escape, Ctrl+Q, Ctrl+W and
Alt+F4 as keys do nothing; no right-click or long-press menu opens anywhere (pyqtgraph's plots
included: their menus offer to export to a file). Save and Quit are switched off where the window
builds its actions (`desktop.kiosk.app`).

The operator leaves with a key chord (OPERATOR_KEYS) and the PIN: `OperatorExit` compares it in
constant time and, after three wrong tries, refuses for a minute.
"""

from __future__ import annotations

import hmac
import time
from typing import Callable

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal

OPERATOR_KEYS = "Ctrl+Alt+Shift+O"
OPERATOR_EXIT = 3  # the exit status the unit's RestartPreventExitStatus= names: the operator left
TRIES = 3
LOCKED_S = 60.0

_INPUT = {QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
          QEvent.Type.Wheel, QEvent.Type.TabletPress}
_POINTER = {QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel,
            QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
            QEvent.Type.MouseMove, QEvent.Type.TabletPress, QEvent.Type.TabletRelease}
_GESTURE_END = {QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.MouseButtonRelease,
                QEvent.Type.TabletRelease}
_BLOCKED_KEYS = {QKeyCombination(Qt.KeyboardModifier.NoModifier, Qt.Key.Key_Escape),
                 QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Q),
                 QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_W),
                 QKeyCombination(Qt.KeyboardModifier.AltModifier, Qt.Key.Key_F4)}
_MOUSE = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick}


class Lockdown(QObject):
    def __init__(self, window, touched: Callable[[bool], bool], parent: QObject | None = None):
        super().__init__(parent)
        self.window, self.touched = window, touched
        self.allow_close = False  # only the operator's way out sets it
        self._swallowing = False  # the rest of a gesture that only woke the kiosk
        self._swallow_key = False  # the press of a key that only woke it

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Close and obj is self.window:
            if self.allow_close:
                return False
            event.ignore()
            return True
        if kind == QEvent.Type.WindowStateChange and obj is self.window:
            was_full = bool(event.oldState() & Qt.WindowState.WindowFullScreen)
            if was_full and not self.window.isFullScreen() and not self.allow_close:
                QTimer.singleShot(0, self.window.showFullScreen)  # minimised, maximised, restored: back
            return False
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind in _MOUSE and event.button() == Qt.MouseButton.RightButton:
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return self._on_key(kind, event)
        return self._on_pointer(kind)

    def _on_key(self, kind, event) -> bool:
        """A key comes first as ShortcutOverride (before any shortcut fires), then as KeyPress. One that
        only wakes the kiosk fires nothing and types nothing (its override accepted, its press eaten)."""
        if event.keyCombination() in _BLOCKED_KEYS:
            event.accept()  # for an override: no shortcut fires either
            return True
        if kind == QEvent.Type.ShortcutOverride:
            if self.touched(True):
                event.accept()
                self._swallow_key = True
                return True
            return False
        if self._swallow_key:
            self._swallow_key = False
            return True
        return self.touched(True)

    def _on_pointer(self, kind) -> bool:
        if self._swallowing and kind in _POINTER:
            self._swallowing = kind not in _GESTURE_END
            return True
        if kind in _INPUT and self.touched(False):
            self._swallowing = kind not in _GESTURE_END
            return True
        return False


class OperatorExit(QObject):
    """The PIN's check: right, the exhibit ends with OPERATOR_EXIT; wrong three times, a minute's wait."""

    refused = Signal(bool)  # a wrong PIN; True when the next tries must wait

    def __init__(self, pin: str, leave: Callable[[], None], clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.pin, self.leave, self.clock = pin, leave, clock
        self.wrong = 0
        self._locked_until = 0.0

    @property
    def enabled(self) -> bool:
        return bool(self.pin)

    @property
    def locked(self) -> bool:
        return self.clock() < self._locked_until

    def attempt(self, pin: str) -> bool:
        if not self.enabled or self.locked:
            self.refused.emit(self.locked)
            return False
        if hmac.compare_digest(pin.encode(), self.pin.encode()):
            self.wrong = 0
            self.leave()
            return True
        self.wrong += 1
        if self.wrong >= TRIES:
            self.wrong, self._locked_until = 0, self.clock() + LOCKED_S
        self.refused.emit(self.locked)
        return False
