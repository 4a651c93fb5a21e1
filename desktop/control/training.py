"""The Train scene's controller: the live run (run, pause, step, speed, restart) and its frame clock.

While the scene is on, a training run goes on in the model process (`desktop.process.training`).
Each step writes its frame into shared memory and rings `Stepped`; the frame clock (a single-shot
timer re-armed each frame, never a queue of every step; stopped while paused) takes the newest frame
and hands its weights to the heatmap. A step that ends between two ticks is shown at once, in place of
the clock's next tick (see BENCHMARKS.md: the window then draws while the trainer makes its next batch
on one thread, rather than while both its threads compute). The counters, loss curve and answers are
redrawn at most every `live_every_ms`, never in the same tick as a new picture.
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer, Signal

from ..i18n import log_problem, problem_text, status
from ..process.frames import FrameSlot
from ..process.protocol import (LiveState, Pause, Paused, Prepared, Run, Sampled, Speed, Step, Stepped, Train,
                                TrainingEnded, TrainingReady)
from ..process.weights import flatten, unflatten
from .link import ModelLink
from .state import FULL_SPEED, SPEEDS, LiveRun, Settings
from .status import StatusLine

STARTING = status(QT_TRANSLATE_NOOP("Status", "Starting the trainer…"))


class TrainingController(QObject):
    running_changed = Signal(bool)
    speed_changed = Signal(int)  # index into state.SPEEDS
    show_change_changed = Signal(bool)
    weights_shown = Signal(object, int, object)  # specs, step, the live run's weights (a copy)
    framed = Signal()  # one tick of the frame clock: about 32 a second while training
    live_changed = Signal()  # the counters, the loss curve or the answers changed

    def __init__(self, settings: Settings, link: ModelLink, status_line: StatusLine, parent: QObject | None = None):
        super().__init__(parent)
        self.settings, self.link, self.status = settings, link, status_line
        self.live: LiveRun | None = None
        self.specs: tuple = ()
        self.question = ""
        self.running = False
        self.speed = settings.start_speed  # index into SPEEDS
        self.show_change = False
        self.on_screen = False  # the Train scene is on: frames go to the heatmap
        self.ready = False  # the run is built and has written its first frame
        self.paused_at: int | None = None  # the step the run last said it paused after
        self.frames_shown = 0  # ticks of the clock that drew the heatmap (the benchmark's frame rate)
        self._first: Prepared | None = None  # the live run's first state, for restarts
        self._frames: FrameSlot | None = None  # the run's shared frames, while one runs
        self._current = True  # the run going on is the live run's (not one a restart has cut loose)
        self._dirty = False  # the live run changed and the panel has not been told yet
        self._live_waited = 0  # ticks it has waited
        self._live_next = 0.0  # when the panel may next be redrawn (time.perf_counter())
        self._frame_due = 0.0  # when the clock's next tick is due (time.perf_counter())
        self._clock = QTimer(self)
        self._clock.setSingleShot(True)
        self._clock.setTimerType(Qt.TimerType.PreciseTimer)
        self._clock.timeout.connect(self._tick)

    @property
    def ticking(self) -> bool:
        """Whether the frame clock runs (it stops while paused with nothing new to show)."""
        return self._clock.isActive()

    def prepare(self, p: Prepared) -> None:
        self._first, self.specs, self.question = p, p.specs, p.question
        self._new_live()

    def _new_live(self) -> None:
        start = self._first.live
        self.live = LiveRun(start, flatten(start.weights, self.specs))
        self.live_changed.emit()

    # --- actions --------------------------------------------------------------------------------
    def run(self) -> None:
        self._set_running(True)

    def pause(self) -> None:
        self._set_running(False)

    def toggle_run(self) -> None:
        self._set_running(not self.running)

    def step_once(self) -> None:
        if self._run_on():
            self._set_running(False)
            self.link.send(Step(1))

    def set_speed(self, index: int) -> None:
        self.speed = max(0, min(FULL_SPEED, index))
        if self._run_on():
            self.link.send(Speed(SPEEDS[self.speed]))
        self.speed_changed.emit(self.speed)

    def faster(self) -> None:
        self.set_speed(self.speed + 1)

    def slower(self) -> None:
        self.set_speed(self.speed - 1)

    def set_show_change(self, on: bool) -> None:
        self.show_change = bool(on)
        self.show_change_changed.emit(self.show_change)

    def toggle_change(self) -> None:
        self.set_show_change(not self.show_change)

    def _set_running(self, on: bool) -> None:
        self.running = on
        if self._run_on():
            self.link.send(Run() if on else Pause())
            if on and not self._clock.isActive():
                self._clock.start(0)
        self.running_changed.emit(on)

    def _run_on(self) -> bool:
        """Whether a run is on that takes commands (one being stopped takes none: the next run starts
        with the running state and speed as they are then)."""
        return self._frames is not None and self._current and not self.link.stopping

    def restart(self) -> None:
        """Back to the same random weights; in Train, a new run starts from them."""
        self._set_running(False)
        self._current, self.ready = False, False
        self._new_live()
        if self.on_screen:
            self.weights_shown.emit(self.specs, 0, self.live.flat)
            self.link.begin(self.command)
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Back to random weights: step 0.")))

    def reset(self) -> None:
        """As at the start: random weights, paused, the starting speed, the weights shown as they are."""
        self.set_speed(self.settings.start_speed)
        self.set_show_change(False)
        self.restart()

    # --- the scene ------------------------------------------------------------------------------
    def enter(self) -> None:
        """The Train scene is on: show the live run and train it (from where it was left)."""
        self.on_screen = True
        self.weights_shown.emit(self.specs, self.live.counters.step, self.live.flat)
        self.link.begin(self.command)

    def leave(self) -> None:
        self.on_screen = False
        self._clock.stop()

    def close(self) -> None:
        """Let go of a run's frames once the model process has gone (at shutdown)."""
        self.leave()
        frames, self._frames = self._frames, None
        if frames is not None:
            frames.close()

    def frozen(self) -> LiveState:
        """The live run's weights as they stand, for Talk: without the trainer's state (megabytes of
        optimiser moments that a frozen model never reads)."""
        return dataclasses.replace(self.live.start, trainer_state=None, counters=self.live.counters)

    def command(self) -> Train | None:
        """The command that starts a run from where the live run stands (None: the scene has gone)."""
        if not self.on_screen:
            return None
        self._frames, self.ready, self._current = self.link.new_frames(self.live.flat.size), False, True
        self.status.wait_for(STARTING)
        self._clock.start(0)
        start = dataclasses.replace(self.live.start, counters=self.live.counters)
        return Train(start, self.question, self._frames.ref, self.running, SPEEDS[self.speed],
                     self.settings.sample_every)

    # --- what the model process says ----------------------------------------------------------
    def on_ready(self, _: TrainingReady) -> None:
        self.ready = True
        self.status.done(STARTING)
        self._changed()

    def on_stepped(self, _: Stepped) -> None:
        """A step ended: its frame is shown now if the clock is due within a period, else at the next tick."""
        if not self.on_screen or self._frames is None or not self._current:
            return
        if not self._clock.isActive():
            self._clock.start(0)  # paused: a single step came; the clock shows it
        elif self.running and self.ready and self._frames.has_new() and \
                time.perf_counter() >= self._frame_due - self.settings.frame_ms / 1000:
            self._clock.stop()
            self._tick(step_ended=True)  # the clock's next tick, shown now

    def on_paused(self, p: Paused) -> None:
        self.paused_at = p.step

    def on_sampled(self, s: Sampled) -> None:
        if self._current:
            self.live.add_sample(s.step, s.text)
            self._changed()

    def on_ended(self, ended: TrainingEnded) -> None:
        """The run's last word: the next run starts from its final state (or, if it failed, from the
        newest weights it showed; the optimiser starts afresh)."""
        current = self._let_go()
        if current and ended.final is not None:
            self.live.start, self.live.counters = ended.final, ended.final.counters
            self.live.flat = flatten(ended.final.weights, self.specs)
        elif current and ended.problem is not None:
            self._start_from_shown()
        if ended.problem is not None:
            log_problem(ended.problem)
            self._set_running(False)
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "Training stopped: {why}"),
                                   why=problem_text(ended.problem)))
        self.live_changed.emit()

    def on_gone(self) -> None:
        """The model process died under the run: the next run starts from the newest weights shown (the
        optimiser's state died with it), running if this one ran; in Train it starts now (in a new
        model process, once the link's backoff allows)."""
        if self._let_go():
            self._start_from_shown()
        self.live_changed.emit()
        if self.on_screen:
            self.link.begin(self.command)

    def _let_go(self) -> bool:
        """The run has ended: its last frame taken, its shared memory let go, the clock stopped. Whether
        it was the live run's own (not one a restart had cut loose)."""
        frames, self._frames = self._frames, None
        current = self._current
        if frames is not None:
            if current:
                frame = frames.take()  # a step that landed after the last tick
                if frame is not None:
                    self.live.absorb(frame)
            frames.close()
        self.ready, self._current, self._dirty = False, True, False
        self._clock.stop()
        self.status.done(STARTING)
        return current

    def _start_from_shown(self) -> None:
        self.live.start = dataclasses.replace(self.live.start, weights=unflatten(self.live.flat, self.specs),
                                              trainer_state=None, counters=self.live.counters)

    # --- the frame clock ------------------------------------------------------------------------
    def _changed(self) -> None:
        self._dirty = True  # drawn by the frame clock, a tick after the heatmap
        if self.on_screen and not self._clock.isActive():
            self._clock.start(0)

    def _tick(self, step_ended: bool = False) -> None:
        """One tick; `step_ended`: shown ahead of the beat for a step that just ended."""
        t0 = time.perf_counter()
        frame = self._frames.take() if self._frames is not None and self.on_screen and self._current else None
        if frame is not None:
            self.live.absorb(frame)
            self.weights_shown.emit(self.specs, frame.step, frame.weights)
            self._dirty = True
        # The panel's turn comes a tick after a new picture (or three ticks on, when every tick brings
        # one), never in a tick shown for a step that just ended: two heavy paints in one tick make the
        # window late. And at most every `live_every_ms`: numbers that change more often cannot be read,
        # and each redraw takes CPU from the trainer.
        if self._dirty and t0 >= self._live_next and not step_ended and (frame is None or self._live_waited >= 3):
            self._dirty, self._live_waited = False, 0
            self._live_next = t0 + self.settings.live_every_ms / 1000
            self.live_changed.emit()
        elif self._dirty:
            self._live_waited += 1
        if self.on_screen and (self.running or frame is not None):
            # Paused, a tick that brings no weights leaves the picture as it is: nothing on it changed.
            self.frames_shown += 1
            self.framed.emit()
        if self._frames is not None and self.on_screen and (self.running or self._dirty):
            # Each tick is due one period after the last was due, whatever this one and its paint take,
            # so the rate holds on a slower machine; a tick more than a period late (or the first after a
            # pause) starts the beat again rather than rushing to catch up.
            period = self.settings.frame_ms / 1000
            due = self._frame_due if t0 - self._frame_due <= period else t0
            self._frame_due = due + period
            self._clock.start(max(1, round(1000 * (self._frame_due - time.perf_counter()))))
        # Paused, the clock stops (a still picture needs no repaints): the run's next word starts it.
