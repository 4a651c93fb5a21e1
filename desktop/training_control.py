"""Training, as the `Exhibit` controller drives it: run, pause, step, speed, restart, and the worker.

A mixin of `desktop.exhibit.Exhibit`, kept in its own file for size: it uses the controller's state,
signals and frame clock. While training runs, the frame clock (a single-shot timer re-armed each
frame, never a queue of every step; stopped while paused) reads the model process's messages: the
step records since the last frame, the answers sampled; and the newest weights, for the heatmap. A
step that ends between two frames is shown at once, in place of the clock's next frame.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication

from .layout import flatten, unflatten
from .loop import WorkerSetup, WorkerState
from .state import FULL_SPEED, SPEEDS, Mode

def _tr(text: str) -> str:
    return QCoreApplication.translate("Exhibit", text)


class TrainingControl:
    """The training half of `Exhibit` (mixed into it): actions, the worker's life, the frame clock."""

    # --- training -----------------------------------------------------------------------------
    def run(self) -> None:
        self._set_running(True)
        if self.state.mode is Mode.TALK:
            self.enter_train()

    def pause(self) -> None:
        self._set_running(False)

    def toggle_run(self) -> None:
        self.pause() if self.state.running and self.state.mode is Mode.TRAIN else self.run()

    def step_once(self) -> None:
        if self.state.mode is not Mode.TRAIN or self._worker is None:
            return
        self._set_running(False)
        self._worker.send("step", 1)

    def set_speed(self, index: int) -> None:
        self.state.speed = max(0, min(FULL_SPEED, index))
        if self._worker is not None:
            self._worker.send("speed", SPEEDS[self.state.speed])
        self.speed_changed.emit(self.state.speed)

    def faster(self) -> None:
        self.set_speed(self.state.speed + 1)

    def slower(self) -> None:
        self.set_speed(self.state.speed - 1)

    def set_show_change(self, on: bool) -> None:
        self.state.show_change = bool(on)
        self.show_change_changed.emit(self.state.show_change)

    def toggle_change(self) -> None:
        self.set_show_change(not self.state.show_change)

    def _set_running(self, on: bool) -> None:
        self.state.running = on
        if self._worker is not None:
            self._worker.send("run" if on else "pause")
            if on and not self._frame.isActive():
                self._frame.start(0)
        self.running_changed.emit(on)

    def restart(self) -> None:
        """Start the live run again from the same random weights; Talk's model stays as it is."""
        if not self._started:
            return
        self._set_running(False)
        self._token += 1
        was_training = self.state.mode is Mode.TRAIN
        self._stop_worker(lambda: self._restarted(was_training), keep=False)

    def _restarted(self, was_training: bool) -> None:
        self._new_live()
        if was_training and self.state.mode is Mode.TRAIN:
            self.weights_shown.emit(self.specs, 0, self.live_flat)
            self._start_worker()
        self._message(_tr("Back to random weights: step 0."))

    def reset(self) -> None:
        """Everything as at the start: a fresh live run, the trained model in Talk (if there is one)."""
        if not self._started:
            return
        self.set_speed(FULL_SPEED)
        self.set_show_change(False)
        self.set_font_scale(1.0)
        self.set_memory(False)
        self.clear_note()
        self.set_show_cost(False)
        self.set_show_compare(False)
        self._correction = ""
        self.restart()
        (self.load_trained if self.state.trained_available else self.enter_train)()

    # --- the worker ---------------------------------------------------------------------------
    def _live_state(self, trainer: bool = True) -> WorkerState:
        """The live run as a worker starts from it; without the `trainer`'s state (megabytes that Talk,
        which reads the weights only, need not be sent)."""
        live = self.state.live
        return WorkerState(live.model_config, live.train_config, live.weights,
                           live.trainer_state if trainer else None, dataclasses.asdict(live.counters))

    @property
    def _worker(self):
        """The training run now going on in the model process (`desktop.host.Training`), if any."""
        return self.host.training

    def _start_worker(self) -> None:
        if self.state.mode is not Mode.TRAIN:
            return  # the visitor moved on
        if self.host.activity is not None:
            if self.host.stopping:
                self.host.after_stop(self._start_worker)
            return
        setup = WorkerSetup(self._live_state(), self.question, self.state.running, SPEEDS[self.state.speed],
                            self.settings.sample_every)
        self.host.start_training(setup, self.live_flat.size)
        self._busy(_tr("Starting the trainer…"))
        self._frame.start(0)

    def _stop_worker(self, then: Callable[[], None] | None = None, keep: bool = True) -> None:
        """End the training run (after its step in progress), keep its final state if `keep`, then `then()`."""
        w = self._worker
        if w is None:
            if then is not None:
                then()
            return
        if then is not None:
            self.host.after_stop(then)
        self._handle(self.host.poll())
        if self._worker is w:
            self.host.stop(keep)

    def _on_frame(self, step_ended: bool = False) -> None:
        """One frame of the clock; `step_ended`: shown ahead of the beat for a step that just ended."""
        t0 = time.perf_counter()
        self._handle(self.host.poll())
        w, snap = self._worker, None
        if w is not None and self.state.mode is Mode.TRAIN:
            snap = w.take_snapshot()
            if snap is not None:
                self.live_flat = snap[1]
                self.weights_shown.emit(self.specs, snap[0], snap[1])
            # The panel's turn comes a frame after a new heatmap (or three frames on, when every frame
            # brings one), never in a frame shown for a step that just ended: two heavy paints in one
            # frame would make the window late (a step's frame and the loss curve's paint together
            # held it 17..19 ms, measured here). And at most every `live_every_ms`: redrawing the
            # counters at every step took a fifth of the window's CPU (0.025 of a core), which the
            # trainer pays for; numbers that change more often than four times a second cannot be read.
            if self._live_dirty and t0 >= self._live_next and not step_ended and \
                    (snap is None or self._live_waited >= 3):
                self._live_dirty, self._live_waited = False, 0
                self._live_next = t0 + self.settings.live_every_ms / 1000
                self.live_changed.emit()
            elif self._live_dirty:
                self._live_waited += 1
        if self.state.mode is Mode.TRAIN and (self.state.running or snap is not None):
            # Paused, a frame that brings no weights (the counters or an answer to show) leaves the
            # heatmap's picture as it is: nothing on it changed.
            self.frames += 1
            self.framed.emit()
        if self._worker is not None:
            if self.state.running or self._live_dirty:
                # Each frame is due one period after the last one was due, whatever this frame and its
                # paint take, so the rate holds on a slower machine; a frame more than a period late
                # (or the first after a pause) starts the beat again rather than rushing to catch up.
                period = self.settings.frame_ms / 1000
                due = self._frame_due if t0 - self._frame_due <= period else t0
                self._frame_due = due + period
                self._frame.start(max(1, round(1000 * (self._frame_due - time.perf_counter()))))
            # Paused, the clock stops (a still picture needs no repaints): the trainer's next message
            # (a single step, an answer) starts it again, through _on_woken.
        else:
            self._handle(self.host.poll())  # what came after the run ended is not left waiting

    def _step_waiting(self) -> bool:
        """Whether a step just ended whose weights the frame clock may show now, ahead of its beat.

        A step ends with a message; its weights are then coloured and drawn at once, while the trainer
        makes its next batch on one thread and its other core is idle, rather than at the next tick,
        when both the trainer's threads may be computing and the window would delay one of them (and
        so the step). Measured here (the benchmark's turns of 12 s, 9 runs each way, taken alternately):
        training in the window 0.874..0.992 of the trainer alone (median 0.93), against 0.862..0.932
        (median 0.89) at the ticks only. The frame shown early is the one the clock was due to show
        next (the beat moves on by one period per frame), so the window draws no more frames a second.
        """
        w = self._worker
        return (self.state.running and self.state.mode is Mode.TRAIN and w is not None and w.ready
                and w.has_new_weights() and time.perf_counter() >= self._frame_due - self.settings.frame_ms / 1000)

    def _process(self, messages: list[tuple]) -> None:
        records, live, ended = [], self.state.live, None
        for msg in messages:
            kind = msg[0]
            if kind == "ready":
                self._busy("")
            elif kind == "progressed":
                records.append(msg[1])
                live.counters.cpu_seconds = msg[2]
            elif kind == "sampled":
                live.add_sample(msg[1], msg[2])
            elif kind in ("stopped", "failed"):
                ended = msg
            elif kind == "eof":
                ended = ("failed", "the model process ended without a word", None)
        live.absorb(records)
        if records:
            self.progressed.emit(records)
        if messages:
            self._live_dirty = True  # shown by the frame clock, a frame after the heatmap
            if self.state.mode is not Mode.TRAIN or self._worker is None or ended is not None:
                self._live_dirty = False
                self.live_changed.emit()
        if ended is not None:
            if ended[0] == "failed":
                self._set_running(False)
                self._message(_tr("Training stopped: {why}").format(why=ended[1].strip().splitlines()[-1]))
            self._worker_ended(ended[-1])

    def _worker_ended(self, final: WorkerState | None) -> None:
        keep, callbacks = self.host.ended()
        if final is not None and keep:
            live = self.state.live
            live.weights, live.trainer_state = final.weights, final.trainer_state
            c, f = live.counters, final.counters
            c.step, c.chars, c.flops, c.seconds, c.cpu_seconds = (f["step"], f["chars"], f["flops"], f["seconds"],
                                                                  f["cpu_seconds"])
            self.live_flat = flatten(final.weights, self.specs)
        elif final is None and keep and not np.array_equal(self.live_flat,
                                                           flatten(self.state.live.weights, self.specs)):
            # It died without a word (a crash): keep the newest weights it showed; Adam starts afresh.
            self.state.live.weights, self.state.live.trainer_state = unflatten(self.live_flat, self.specs), None
        if not callbacks:
            self._busy("")
        for cb in callbacks:
            cb()
