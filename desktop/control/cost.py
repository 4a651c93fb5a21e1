"""Scene 6, the cost: training is paid once, replies are paid every time.

`CostController` counts every reply's compute into the lifetime counter (`desktop.control.lifetime`).
Measured here: the training run's FLOPs (the trainer's own count: 3 x the forward pass per character
read) and CPU-seconds, from the model's file or the live run; each reply's forward FLOPs (the engine's
own count, `Engine.last.flops`) and CPU-seconds, added up since the exhibit was installed
(`desktop.lifetime`). From those: after how many replies inference has cost as much as training.

Projected, as an estimate: the same comparison for a published model at real scale, from its published
parameter count and training compute, and about 2 FLOPs per parameter per generated token.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from ..i18n import Text, log, status
from .lifetime import Keeper, Lifetime


@dataclass(frozen=True)
class Published:
    name: str
    parameters: float
    training_flops: float
    source: str  # where both figures are published


PUBLISHED = (
    Published("GPT-3 (175B)", 175e9, 3.14e23,
              "Brown et al., “Language Models are Few-Shot Learners”, 2020, Table D.1"),
    Published("Llama 3.1 (405B)", 405e9, 3.8e25,
              "Llama Team, Meta AI, “The Llama 3 Herd of Models”, 2024, section 1"),
)
FLOPS_PER_PARAMETER_TOKEN = 2.0
FLOPS_SOURCE = "Kaplan et al., “Scaling Laws for Neural Language Models”, 2020, section 2.1: C_forward ≈ 2N"


def replies_to_overtake(training_flops: float, flops_per_reply: float) -> float:
    """Replies after which their compute together equals the training run's (inf when a reply costs nothing)."""
    if flops_per_reply <= 0:
        return math.inf
    return training_flops / flops_per_reply


@dataclass(frozen=True)
class Projection:
    flops_per_reply: float
    flops_per_day: float
    days: float  # until the replies' compute equals the training run's


def project(model: Published, replies_per_day: float, tokens_per_reply: float) -> Projection:
    """An estimate: every reply's generated tokens at FLOPS_PER_PARAMETER_TOKEN per parameter each
    (the prompt's tokens, batching and the hardware's efficiency are left out)."""
    per_reply = FLOPS_PER_PARAMETER_TOKEN * model.parameters * max(0.0, tokens_per_reply)
    per_day = per_reply * max(0.0, replies_per_day)
    return Projection(per_reply, per_day, model.training_flops / per_day if per_day > 0 else math.inf)


class CostController(QObject):
    """The lifetime counter of replies, since the exhibit was installed; the cost panel reads it. What
    went wrong with its file is said on the status line once, with the first reply it concerns (a note
    said at start would be gone under the next message at once), and stays on the cost panel."""

    lifetime_changed = Signal(object)  # Lifetime: a reply was counted, or the counter's file failed
    _write_failed = Signal(str)  # from the keeper's thread: why the folder could not be written

    def __init__(self, data_dir: str | None, status_line, parent: QObject | None = None):
        super().__init__(parent)
        self.status = status_line
        self._said = False  # the counter's problem has been said on the status line
        self._write_failed.connect(self._on_write_failed)
        # written by a thread of its own: the window never waits for a disk
        self.keeper = Keeper(data_dir, self._write_failed.emit)
        if self.keeper.error:
            log.warning("lifetime counter: %s", self.keeper.error)

    @property
    def life(self) -> Lifetime:
        return self.keeper.life

    @property
    def problem(self) -> Text | None:
        """What went wrong with the counter's file (None when nothing did)."""
        if self.keeper.error:
            return status(QT_TRANSLATE_NOOP("Status", "the lifetime counter cannot be kept in {folder}; replies are "
                                                      "counted for this session only"), folder=self.keeper.folder)
        p = self.keeper.problem
        if p is None:
            return None
        return status(QT_TRANSLATE_NOOP("Status", "the lifetime counter {path} could not be read; it was kept as "
                                                  "{aside} and counting starts again"), path=p.path, aside=p.aside)

    def add_reply(self, flops: float, cpu_seconds: float) -> None:
        self.keeper.add_reply(flops, cpu_seconds)
        self._say_once()
        self.lifetime_changed.emit(self.keeper.life)

    def _on_write_failed(self, why: str) -> None:
        if not self._said:
            log.warning("lifetime counter: %s", why)
        self._say_once()
        self.lifetime_changed.emit(self.keeper.life)

    def _say_once(self) -> None:
        problem = self.problem
        if problem is not None and not self._said:
            self._said = True
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "Note: {problem}."), problem=problem))

    def close(self) -> None:
        self.keeper.close()
