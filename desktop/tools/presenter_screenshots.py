"""The presenter's story, clicked through by itself in the real window, a PNG of every step
(`python -m desktop --screenshots DIR --presenter`).

Each step is reached by the clicker's own action (Next), played until the model is idle again (the first
step trains for `train_seconds`), then saved as `NN-<step>.png`; last, the black screen. The waiting and
saving are `StoryScreenshots`'s.
"""

from __future__ import annotations

import time

from ..control.state import Mode
from .screenshots import StoryScreenshots


class PresenterScreenshots(StoryScreenshots):
    def __init__(self, window, presenter, folder: str, train_seconds: float = 20.0):
        super().__init__(window, window.exhibit, folder, train_seconds)
        self.presenter = presenter

    def _story(self):
        e, p = self.exhibit, self.presenter
        k = e.talk

        def played() -> bool:
            if not p.player.step_played:
                return False
            return e.training.ready if e.mode is Mode.TRAIN else k.conversation.is_open and not k.busy

        began = {}
        steps = []
        for i, step in enumerate(p.player.steps):
            steps.append((None, p.next, played))
            if i == 0:  # let the hall watch it learn a while
                steps.append((None, lambda: began.setdefault("t", time.monotonic()),
                              lambda: time.monotonic() - began["t"] > self.train_seconds))
            steps.append((f"{i + 1:02d}-{step.key}", lambda: None, lambda: True))
        steps.append((None, p.toggle_black, lambda: True))
        steps.append((f"{len(p.player.steps) + 1:02d}-black", lambda: None, lambda: True))
        return steps
