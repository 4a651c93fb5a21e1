"""The story, played by itself in the real window, with a PNG of each moment (`--screenshots DIR`).

Train a little from random weights, switch to Talk, ask the story's question, correct it, ask again,
start the next morning's conversation and ask once more; then turn memory on, correct both partners
and start another morning, with the note pasted; then, memory off, correct it and teach it for real (the
change view on), ask in the fresh conversation, put the three side by side, restore the original
model, and show the cost. Where a fully trained model is shipped, the
talk scenes use it (the live one, trained for seconds, only babbles); the live model gets its own
picture first. Every step waits for the window to have really done it; each wait has a deadline.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from ..control.exhibit import Exhibit
from ..control.state import Mode, Panel

POLL_MS = 50
DEADLINE_S = 120.0


class StoryScreenshots(QObject):
    def __init__(self, window, exhibit: Exhibit, folder: str, train_seconds: float = 20.0):
        super().__init__(window)
        self.window, self.exhibit = window, exhibit
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.train_seconds = train_seconds
        self.saved: list[Path] = []
        self._steps: list = []
        self._i = 0
        self._began = 0.0
        self._acted = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)

    def start(self) -> None:
        self._steps = self._story()  # now that the exhibit knows whether a trained model is there
        self._timer.start(POLL_MS)

    def _story(self) -> list[tuple[str | None, Callable[[], None], Callable[[], bool]]]:
        """(picture to take or None, what to do, when it is done)."""
        e, t, k = self.exhibit, self.exhibit.training, self.exhibit.talk
        c = k.conversation
        q = t.question
        idle = lambda: c.is_open and not k.busy  # noqa: E731
        trained = e.trained_available
        truth = "Mara"
        t_run = {}
        return [
            (None, e.enter_train, lambda: t.ready and bool(t.live.samples)),
            ("01-train-random-weights", lambda: None, lambda: True),
            (None, lambda: (t_run.setdefault("t", time.monotonic()), e.run()),
             lambda: time.monotonic() - t_run["t"] > self.train_seconds),
            ("02-training", lambda: None, lambda: True),
            (None, t.toggle_change, lambda: t.show_change and t.frames_shown > 0),
            ("03-training-change-view", lambda: None, lambda: True),
            (None, lambda: (t.toggle_change(), t.pause()), lambda: True),
            (None, e.enter_talk, lambda: idle() and c.model.kind == "live"),
            (None, lambda: k.ask(q), idle),
            ("04-talk-live-model", lambda: None, lambda: True),
            (None, e.load_trained if trained else (lambda: None),
             lambda: idle() and (not trained or c.model.kind == "trained")),
            (None, lambda: k.ask(q), idle),
            ("05-asked", lambda: None, lambda: True),
            (None, lambda: k.ask(f"no, {truth} does the books."), idle),
            ("06-corrected", lambda: None, lambda: True),
            (None, lambda: k.ask(q), idle),
            ("07-asked-again", lambda: None, lambda: True),
            (None, k.new_conversation, idle),
            ("08-next-morning", lambda: None, lambda: True),
            (None, lambda: k.ask(q), idle),
            ("09-next-morning-asked", lambda: None, lambda: True),
            (None, lambda: k.ask("\U0001F600 who does the \x07books?" + " junk" * 200_000), idle),
            ("10-junk", lambda: None, lambda: True),
            (None, k.new_conversation, idle),
            (None, lambda: k.set_memory(True), lambda: True),
            (None, lambda: k.ask(f"no, {truth} does the books."), idle),
            (None, lambda: k.ask("actually, the shop: Tomas."), idle),
            ("11-memory-note-written", lambda: None, lambda: True),
            (None, k.new_conversation, idle),
            (None, lambda: k.ask(q), idle),
            (None, lambda: k.ask("who runs the shop?"), idle),
            ("12-memory-next-morning", lambda: None, lambda: True),
            (None, lambda: (k.set_memory(False), k.new_conversation()), idle),
            (None, lambda: k.ask(q), idle),
            (None, lambda: k.ask(f"no, {truth} does the books."), idle),
            (None, lambda: (t.set_show_change(True), k.teach()), lambda: idle() and bool(c.model.taught)),
            ("13-taught-change-view", lambda: None, lambda: True),
            (None, lambda: (t.set_show_change(False), k.ask(q)), idle),
            ("14-taught-fresh-conversation", lambda: None, lambda: True),
            (None, lambda: e.show_panel(Panel.COMPARE), lambda: idle() and bool(self.window.compare_panel.shown)),
            ("15-side-by-side", lambda: None, lambda: True),
            (None, lambda: (e.show_panel(Panel.CHAT), k.restore()), lambda: idle() and not c.model.taught),
            (None, lambda: k.ask(q), idle),
            ("16-restored", lambda: None, lambda: True),
            (None, lambda: e.show_panel(Panel.COST), lambda: True),
            ("17-cost", lambda: None, lambda: True),
        ]

    def _on_tick(self) -> None:
        if self._i >= len(self._steps):
            self._timer.stop()
            print(f"screenshots: {len(self.saved)} saved in {self.folder}", flush=True)
            self.window.close()
            return
        name, act, done = self._steps[self._i]
        if not self._acted:
            self._began, self._acted = time.monotonic(), True
            act()
            return
        if not done():
            if time.monotonic() - self._began > DEADLINE_S:
                print(f"screenshots: gave up waiting at step {self._i} ({name or 'no picture'})", flush=True)
                self._i, self._acted = len(self._steps), False
            return
        if name is not None:
            QApplication.processEvents()
            path = self.folder / f"{name}.png"
            self.window.grab().save(str(path))
            self.saved.append(path)
            print(f"screenshots: {path}", flush=True)
        self._i, self._acted = self._i + 1, False

    @property
    def mode(self) -> Mode:
        return self.exhibit.mode
