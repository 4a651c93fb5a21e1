"""The live run's training, where the model runs: `model.trainer.Trainer` stepped as the window asks.

`TrainingRun` is one activity of the model process (`desktop.process.server`): it is built from a
`Train` command, steps when running (paced to a speed, or as fast as the machine goes) or when asked
for single steps, writes every step's frame into the shared slot and rings `Stepped`, answers the
story's question every few seconds from the weights the heatmap shows, and at the end hands back a
`LiveState` to start the next run from. It knows nothing of Qt. `clock` is a parameter so that a test
can step the pace without waiting for it.
"""

from __future__ import annotations

import sys
import time
from typing import Callable

from model.engine import Engine

from .frames import FrameSlot
from .models import build_trainer, numpy_tree
from .protocol import (Counters, LiveState, Pause, Paused, Run, Sampled, Speed, Step, Stepped, Train,
                       TrainingReady)

SAMPLE_TOKENS = 48  # enough for an answer ("the books are done by Tomas." is 28); babble stops there


class TrainingRun:
    def __init__(self, cmd: Train, frames: FrameSlot, send: Callable[[object], None], threads: int = 1,
                 clock: Callable[[], float] = time.perf_counter):
        self.cmd, self.frames, self.send, self.clock = cmd, frames, send, clock
        self.running, self.speed = cmd.running, cmd.speed
        self.steps_wanted = 0
        self.next_due = 0.0  # when the next paced step may start
        self._last_start = 0.0  # when the last step started
        self.next_sample = 0.0
        self.sampled_step = -1
        self.changed = 0  # weights the last step changed
        self._cpu0, self._cpu_base = time.process_time(), cmd.start.counters.cpu_seconds
        self.model, self.trainer, self.tok = build_trainer(cmd.start, threads)
        self._records = self.trainer.run()
        # Must stay False in a spawned model process, which never loads Qt widgets.
        self.send(TrainingReady(sum(p.numel() for p in self.model.parameters()), "PySide6.QtWidgets" in sys.modules))
        self.frames.publish(self._counters(), None, self.trainer.shown_parameters())

    # --- commands -------------------------------------------------------------------------------
    def run(self, _: Run) -> None:
        self.running, self.next_due = True, self.clock()

    def pause(self, _: Pause) -> None:
        self.running = False
        self.send(Paused(self.trainer.step))

    def step(self, cmd: Step) -> None:
        self.steps_wanted += cmd.count

    def set_speed(self, cmd: Speed) -> None:
        """The new pace counts from the last step: from slow motion to full speed, the next step comes now."""
        self.speed = cmd.steps_per_s
        self.next_due = self._last_start + (1.0 / self.speed if self.speed else 0.0)

    # --- the work ---------------------------------------------------------------------------------
    def wait_time(self) -> float | None:
        """How long the server may wait for a command before `tick` has work (None: until one comes)."""
        if self.steps_wanted > 0 or self._sample_due():
            return 0.0
        if not self.running:
            return None
        return max(0.0, self.next_due - self.clock())

    def tick(self) -> None:
        """A step if one is due (asked for, or the pace allows); then the story's question, if it is due
        and no single steps are waiting."""
        if self.steps_wanted > 0 or (self.running and self.clock() >= self.next_due):
            self._one_step()
        if self.steps_wanted == 0 and self._sample_due():
            self._sample()

    def _one_step(self) -> None:
        self._last_start = t0 = self.clock()
        rec = next(self._records)
        self.changed = rec.changed
        self.frames.publish(self._counters(), rec.loss, self.trainer.shown_parameters())
        self.send(Stepped(rec.step))
        self.steps_wanted = max(0, self.steps_wanted - 1)
        self.next_due = t0 + (1.0 / self.speed if self.speed else 0.0)

    def _sample_due(self) -> bool:
        if self.sampled_step == self.trainer.step:
            return False
        return not self.running or self.clock() >= self.next_sample

    def _sample(self) -> None:
        step = self.trainer.step
        engine = Engine(self.trainer.evaluated_model(), self.tok)  # the weights the heatmap shows
        engine.new_conversation()  # a fresh Engine's caches are only made here
        text = engine.reply_text(self.cmd.question, max_tokens=SAMPLE_TOKENS, attention=False)
        self.trainer.model.train()
        self.sampled_step = step
        self.next_sample = self.clock() + self.cmd.sample_every
        self.send(Sampled(step, text))

    def _counters(self) -> Counters:
        t = self.trainer
        return Counters(t.step, t.chars, t.flops, t.seconds, self._cpu_base + time.process_time() - self._cpu0,
                        self.changed)

    def finish(self) -> LiveState:
        """Stop the trainer; where the next run starts."""
        self.trainer.stop()
        self._records.close()
        start = self.cmd.start
        return LiveState(start.model_config, start.train_config, self.trainer.shown_snapshot(),
                         numpy_tree(self.trainer.training_state()), self._counters())
