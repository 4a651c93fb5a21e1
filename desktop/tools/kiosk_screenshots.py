"""The kiosk, played by itself in the real window, with a PNG of each moment (`--screenshots DIR --kiosk`).

The attract loop (training, then the first question), a touch that wakes it, a guided visit made by
touch alone (the suggested question, a name spelled on the letter pad, the next morning, memory,
teaching, the cost), "Still there?" and its countdown, Start over, and the attract loop again. Every
touch is a real touch event (`tap`: a finger pressed and lifted, no mouse), delivered as a touch
screen delivers it. The attract loop is shortened and, for the countdown, the idle time too; each
wait has a deadline. It prints how long Start over took to a ready attract loop.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ..control.kiosk import Phase
from ..control.story import Correct

POLL_MS = 50
DEADLINE_S = 120.0
_DEVICE = []


def tap(widget: QWidget) -> None:
    """One finger on the middle of `widget`, and off again: touch events only."""
    if not _DEVICE:
        _DEVICE.append(QTest.createTouchDevice())
    window = widget.window()
    point = widget.mapTo(window, widget.rect().center())
    QTest.touchEvent(window, _DEVICE[0], False).press(0, point, window).commit()
    QTest.touchEvent(window, _DEVICE[0], False).release(0, point, window).commit()


class KioskScreenshots(QObject):
    def __init__(self, window, kiosk, folder: str):
        super().__init__(window)
        self.window, self.kiosk = window, kiosk
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.saved: list[Path] = []
        self.reset_seconds = 0.0
        self._steps: list = []
        self._i, self._began, self._acted = 0, 0.0, False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        kiosk.player.train_seconds, kiosk.player.step_seconds = 8.0, 2.0  # a short attract loop

    def start(self) -> None:
        self._steps = self._story()
        self._timer.start(POLL_MS)

    def _story(self) -> list[tuple[str | None, Callable[[], None], Callable[[], bool]]]:
        """(picture to take or None, what to do, when it is done)."""
        k, p, bar = self.kiosk.controller, self.kiosk.player, self.kiosk.touch_bar
        t = self.window.exhibit.training
        at = lambda i: lambda: p.index == i and p.step_played  # noqa: E731
        waits_for = lambda kind: lambda: isinstance(p.waiting, kind)  # noqa: E731
        nothing = lambda: None  # noqa: E731
        shots = [
            (None, nothing, lambda: k.phase is Phase.ATTRACT and t.ready and t.frames_shown > 60),
            ("01-attract-training", nothing, lambda: True),
            (None, nothing, at(1)),
            ("02-attract-asked", nothing, lambda: True),
            (None, lambda: tap(self.window.heatmap), lambda: k.phase is Phase.VISIT and t.ready),
            ("03-visit-train", nothing, lambda: t.frames_shown > 30),
            (None, lambda: tap(bar.next), lambda: p.waiting is not None),
            ("04-visit-ask", nothing, lambda: True),
            (None, lambda: tap(bar.move_button), at(1)),
            ("05-visit-asked", lambda: tap(bar.next), at(2)),
            ("06-visit-wrong", lambda: tap(bar.next), waits_for(Correct)),
            ("07-visit-correct", lambda: tap(bar.own), lambda: self.kiosk.pad.isVisible()),
            (None, lambda: [tap(self.kiosk.pad.keys[x]) for x in "NOOR"], lambda: True),
            ("08-letter-pad", lambda: tap(self.kiosk.pad.done), at(3)),
            ("09-visit-corrected", lambda: tap(bar.next), lambda: p.waiting is not None),
            (None, lambda: tap(bar.move_button), at(4)),
            ("10-visit-asked-again", lambda: tap(bar.next), lambda: p.waiting is not None),
            (None, lambda: tap(bar.move_button), lambda: p.waiting is not None),
            (None, lambda: tap(bar.move_button), at(5)),
            ("11-visit-next-morning", lambda: tap(bar.next), waits_for(Correct)),
            (None, lambda: tap(next(b for b in bar.names if b.text() == p.name)), lambda: p.waiting is not None),
            (None, lambda: tap(bar.move_button), lambda: p.waiting is not None),
            (None, lambda: tap(bar.move_button), at(6)),
            ("12-visit-memory", lambda: tap(bar.next), lambda: p.waiting is not None),
            (None, lambda: tap(bar.move_button), lambda: p.waiting is not None),
            ("13-visit-taught", lambda: tap(bar.move_button), at(7)),
            ("14-visit-taught-asked", lambda: tap(bar.next), at(8)),
            ("15-visit-cost", self._idle_soon, lambda: k.phase is Phase.COUNTDOWN),
            ("16-still-there", lambda: tap(self.kiosk.countdown.over), lambda: True),
            ("17-after-start-over", nothing, lambda: k.phase is Phase.ATTRACT and t.ready),
            (None, self._reset_took, lambda: t.frames_shown > 30),
            ("18-attract-again", nothing, lambda: True),
        ]
        return shots

    def _idle_soon(self) -> None:
        """The countdown in seconds rather than minutes."""
        k = self.kiosk.controller
        k.config = dataclasses.replace(k.config, idle_seconds=5.0, countdown_seconds=12.0)

    def _reset_took(self) -> None:
        self.reset_seconds = self.kiosk.controller.clock() - self.kiosk.controller.reset_began
        print(f"screenshots: Start over to a ready attract loop: {self.reset_seconds:.2f} s", flush=True)

    def _on_tick(self) -> None:
        if self._i >= len(self._steps):
            self._timer.stop()
            print(f"screenshots: {len(self.saved)} saved in {self.folder}", flush=True)
            self.kiosk.lockdown.allow_close = True
            self.window.close()
            return
        name, act, done = self._steps[self._i]
        if not self._acted:
            if name is not None:
                self._save(name)
            self._began, self._acted = time.monotonic(), True
            act()
            return
        if not done():
            if time.monotonic() - self._began > DEADLINE_S:
                print(f"screenshots: gave up waiting at step {self._i} ({name or 'no picture'})", flush=True)
                self._i, self._acted = len(self._steps), False
            return
        self._i, self._acted = self._i + 1, False

    def _save(self, name: str) -> None:
        QApplication.processEvents()
        path = self.folder / f"{name}.png"
        self.window.grab().save(str(path))
        self.saved.append(path)
        print(f"screenshots: {path}", flush=True)
