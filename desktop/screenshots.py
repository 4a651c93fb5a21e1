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

from .exhibit import Exhibit
from .state import Mode

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
        e = self.exhibit
        s = lambda: e.session  # noqa: E731 - the session changes as the story goes
        q = lambda: e.question  # noqa: E731
        idle = lambda: s() is not None and not s().busy  # noqa: E731
        trained = e.state.trained_available
        truth = "Mara"
        t_run = {}
        return [
            (None, e.enter_train, lambda: e.worker_ready and bool(e.state.live.samples)),
            ("01-train-random-weights", lambda: None, lambda: True),
            (None, lambda: (t_run.setdefault("t", time.monotonic()), e.run()),
             lambda: time.monotonic() - t_run["t"] > self.train_seconds),
            ("02-training", lambda: None, lambda: True),
            (None, e.toggle_change, lambda: e.state.show_change and e.frames > 0),
            ("03-training-change-view", lambda: None, lambda: True),
            (None, lambda: (e.toggle_change(), e.pause()), lambda: True),
            (None, e.enter_talk, lambda: idle() and s().talk.kind == "live"),
            (None, lambda: e.ask(q()), idle),
            ("04-talk-live-model", lambda: None, lambda: True),
            (None, e.load_trained if trained else (lambda: None),
             lambda: idle() and (not trained or s().talk.kind == "trained")),
            (None, lambda: e.ask(q()), idle),
            ("05-asked", lambda: None, lambda: True),
            (None, lambda: e.ask(f"no, {truth} does the books."), idle),
            ("06-corrected", lambda: None, lambda: True),
            (None, lambda: e.ask(q()), idle),
            ("07-asked-again", lambda: None, lambda: True),
            (None, e.new_conversation, idle),
            ("08-next-morning", lambda: None, lambda: True),
            (None, lambda: e.ask(q()), idle),
            ("09-next-morning-asked", lambda: None, lambda: True),
            (None, lambda: e.ask("\U0001F600 who does the \x07books?" + " junk" * 200_000), idle),
            ("10-junk", lambda: None, lambda: True),
            (None, e.new_conversation, idle),
            (None, lambda: e.set_memory(True), lambda: True),
            (None, lambda: e.ask(f"no, {truth} does the books."), idle),
            (None, lambda: e.ask("actually, the shop: Tomas."), idle),
            ("11-memory-note-written", lambda: None, lambda: True),
            (None, e.new_conversation, idle),
            (None, lambda: e.ask(q()), idle),
            (None, lambda: e.ask("who runs the shop?"), idle),
            ("12-memory-next-morning", lambda: None, lambda: True),
            (None, lambda: (e.set_memory(False), e.new_conversation()), idle),
            (None, lambda: e.ask(q()), idle),
            (None, lambda: e.ask(f"no, {truth} does the books."), idle),
            (None, lambda: (e.set_show_change(True), e.teach()), lambda: idle() and bool(s().talk.taught)),
            ("13-taught-change-view", lambda: None, lambda: True),
            (None, lambda: (e.set_show_change(False), e.ask(q())), idle),
            ("14-taught-fresh-conversation", lambda: None, lambda: True),
            (None, lambda: e.set_show_compare(True), lambda: idle() and bool(self.window.compare_panel.shown)),
            ("15-side-by-side", lambda: None, lambda: True),
            (None, lambda: (e.set_show_compare(False), e.restore()),
             lambda: idle() and not s().closed and not s().talk.taught),
            (None, lambda: e.ask(q()), idle),
            ("16-restored", lambda: None, lambda: True),
            (None, lambda: e.set_show_cost(True), lambda: True),
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
        return self.exhibit.state.mode
