"""The exhibit's controller: every action of the story as a method, every change as a signal.

A window, a test, the screenshot script or (later) a kiosk or a clicker drives the story through
`Exhibit` alone: `enter_train`, `run`, `pause`, `step_once`, `set_speed`, `enter_talk`, `ask`,
`new_conversation`, `load_trained`, `load`, `restart`, `reset`, `save` (the training half lives in
`desktop.training_control`). Its state is an `ExhibitState` (Qt-free); the views only draw what the
signals hand them.

While training, a frame clock (a single-shot timer re-armed each frame, never a queue of every step)
polls the worker: the step records since the last frame, the answers sampled, and the newest weights,
which it hands to the heatmap. Talk has no clock: the heatmap stops because nothing redraws it but a
reply's proof, read from the engine's own weights.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

from . import models
from .conversation import TalkSession
from .host import WorkerHost
from .jobs import Jobs
from .layout import flatten, unflatten
from .state import Counters, ExhibitState, LiveRun, Mode, Settings
from .training_control import SPARE_AFTER_MS, TrainingControl


def _tr(text: str) -> str:
    return QCoreApplication.translate("Exhibit", text)


class Exhibit(TrainingControl, QObject):
    ready = Signal()  # the first models are loaded; actions work from now on
    mode_changed = Signal(object)  # Mode
    running_changed = Signal(bool)
    speed_changed = Signal(int)  # index into state.SPEEDS
    show_change_changed = Signal(bool)
    font_scale_changed = Signal(float)
    weights_shown = Signal(object, int, object)  # specs, step (-1: a frozen model), flat weights (a copy)
    framed = Signal()  # one tick of the frame clock: at least 30 a second while training
    progressed = Signal(object)  # the StepRecords that arrived since the last frame, oldest first
    live_changed = Signal()  # counters, loss curve or samples of the live run changed
    talk_started = Signal(object)  # a TalkSession: Talk has a frozen model
    message_changed = Signal(str)  # the status line
    busy_changed = Signal(str)  # what the exhibit is waiting for; "" when nothing

    def __init__(self, settings: Settings | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.state = ExhibitState()
        self.session: TalkSession | None = None
        self.jobs = Jobs(self)
        self.specs: list = []
        self.question = ""
        self.trained_path = ""
        self.live_flat: np.ndarray | None = None
        self.frames = 0  # frame clock ticks so far
        self.last_saved: Path | None = None
        self._initial = None  # the live run's first state, for restarts
        self.host = WorkerHost(self.settings.worker)
        self._live_dirty = False  # the live run changed and the panel has not been told yet
        self._live_waited = 0  # frames it has waited
        self._token = 0  # bumped by every change of scene: late results of an older one are dropped
        self._started = False
        self._closing = False
        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.setTimerType(Qt.TimerType.PreciseTimer)
        self._frame.timeout.connect(self._on_frame)

    # --- starting -----------------------------------------------------------------------------
    def start(self) -> None:
        """Load the trained model and make the live run's random weights, off the window's thread."""
        self._busy(_tr("Loading the model…"))
        self.jobs.submit(models.prepare, self.settings, done=self._on_prepared, failed=self._on_failed)

    def _on_prepared(self, p: models.Prepared) -> None:
        import torch

        from model.corpus import story

        # The window's side only ever runs the model a token at a time: one thread is fastest there and
        # leaves the other cores to the trainer. Set on this thread, the one that writes replies.
        torch.set_num_threads(1)

        s = story()
        self.question = next(j["question"] for j in s["jobs"] if j["job"] == s["partners"][0])
        self.specs, self.trained_path, self._initial = p.specs, p.trained_path, p.live
        self._new_live()
        self.state.trained_available = p.trained is not None
        self._started = True
        self._busy("")
        QTimer.singleShot(SPARE_AFTER_MS, self._prepare_spare)
        if p.trained is not None:
            self._start_talk(p.trained)
            self._message(self._trained_text(p.trained.talk))
        else:
            self.enter_train()
            self._message(_tr("No trained model ({why}). Starting from random weights: press Space to train.")
                          .format(why=p.trained_error))
        self.ready.emit()

    def _new_live(self) -> None:
        init = self._initial
        self.state.live = LiveRun(init.model_config, init.train_config, {k: v.copy() for k, v in init.weights.items()})
        self.live_flat = flatten(self.state.live.weights, self.specs)
        self.live_changed.emit()

    # --- modes --------------------------------------------------------------------------------
    def enter_train(self) -> None:
        if not self._started or (self.state.mode is Mode.TRAIN and self._worker is not None and not self.host.stopping):
            return
        if self.session is not None:
            self.session.cancel()
        self._set_mode(Mode.TRAIN)
        self._message(_tr("Training from step {step:,}. Space runs and pauses, “.” takes one step, [ and ] set the "
                          "speed, D shows the change.").format(step=self.state.live.counters.step))
        self.weights_shown.emit(self.specs, self.state.live.counters.step, self.live_flat)
        self._start_worker()

    def enter_talk(self) -> None:
        """Freeze the live run's weights as they stand and talk to them (in Talk already: nothing)."""
        if not self._started or self.state.mode is Mode.TALK:
            return
        self._set_mode(Mode.TALK)
        token = self._token
        self._busy(_tr("Freezing the weights…"))
        self._stop_worker(lambda: self.jobs.submit(models.freeze_live, self._live_state(),
                                                   done=lambda f: self._on_frozen(f, token), failed=self._on_failed))

    def toggle_mode(self) -> None:
        (self.enter_train if self.state.mode is Mode.TALK else self.enter_talk)()

    def load_trained(self) -> None:
        """Talk to the fully trained model, read afresh from its file."""
        if self._started and not self.state.trained_available:
            self._message(_tr("There is no fully trained model to load ({path}).").format(path=self.trained_path))
            return
        self.load(self.trained_path)

    def load(self, path: str | Path) -> None:
        """Talk to the model saved at `path` (a checkpoint), read off the window's thread."""
        if not self._started:
            return
        self._set_mode(Mode.TALK)
        token = self._token
        self._busy(_tr("Loading the model from {name}…").format(name=Path(path).name))
        self._stop_worker(lambda: self.jobs.submit(models.load_trained, str(path),
                                                   done=lambda r: self._on_frozen(r[0], token), failed=self._on_failed))

    def _on_frozen(self, frozen: models.Frozen, token: int) -> None:
        if token != self._token:
            return  # the visitor moved on before it was ready
        self._start_talk(frozen)
        if frozen.talk.kind == "trained":
            self._message(self._trained_text(frozen.talk))
        else:
            c = self.state.live.counters
            self._message(_tr("Talking to the live model as it stands: {steps:,} steps, {s:.0f} s of training.")
                          .format(steps=c.step, s=c.seconds))

    def _start_talk(self, frozen: models.Frozen) -> None:
        if self.session is not None:
            self.session.cancel()
            self.session.deleteLater()
        self.session = TalkSession(frozen, self.settings.reveal_cps, self)
        # The heatmap is redrawn from the engine's own weights after every reply, as the proof is.
        self.session.verified.connect(lambda proof, s=self.session: self.weights_shown.emit(s.specs, -1, proof.flat))
        self.state.talk = frozen.talk
        self._set_mode(Mode.TALK)
        self._busy("")
        self.weights_shown.emit(self.session.specs, -1, frozen.flat)
        self.talk_started.emit(self.session)

    def _set_mode(self, mode: Mode) -> None:
        self._token += 1
        if mode is not self.state.mode:
            self.state.mode = mode
            self.mode_changed.emit(mode)

    def set_font_scale(self, scale: float) -> None:
        self.state.font_scale = max(0.6, min(3.0, round(scale, 2)))
        self.font_scale_changed.emit(self.state.font_scale)

    # --- talk ---------------------------------------------------------------------------------
    def ask(self, text: str) -> bool:
        if self.state.mode is not Mode.TALK or self.session is None:
            return False
        return self.session.ask(text)

    def new_conversation(self) -> None:
        if self.state.mode is Mode.TALK and self.session is not None:
            self.session.new_conversation()
            self._message(_tr("Next morning: a new conversation. The context is empty; the weights are as they were."))

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        """Save the weights on screen as a checkpoint in the settings' folder."""
        folder = self.settings.save_dir
        if not self._started or folder is None:
            self._message(_tr("Saving is switched off."))
            return
        if self.state.mode is Mode.TALK and self.session is not None:
            t = self.session.talk
            weights = unflatten(self.session.proof.flat, self.session.specs)
            config = dataclasses.asdict(self.session.engine.model.config)
            training = {"steps": t.steps, "seconds": t.seconds, "chars": t.chars, "flops": t.flops}
            name = f"marginalia-{t.kind}-{t.steps}.safetensors"
        else:
            weights = unflatten(self.live_flat, self.specs)
            config, c = self.state.live.model_config, self.state.live.counters
            training = {"steps": c.step, "seconds": round(c.seconds, 1), "chars": c.chars, "flops": c.flops,
                        "train_config": self.state.live.train_config}
            name = f"marginalia-live-{c.step}.safetensors"
        path = Path(folder) / name.replace(".safetensors", time.strftime("-%Y%m%d-%H%M%S.safetensors"))
        self._busy(_tr("Saving…"))
        self.jobs.submit(models.save, path, weights, config, training, done=self._on_saved, failed=self._on_failed)

    def _on_saved(self, path: Path) -> None:
        self.last_saved = path
        self._busy("")
        self._message(_tr("Saved the weights to {path}").format(path=path))

    # --- the rest -----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """End everything that runs: the reply, the worker, the jobs. Safe to call twice."""
        self._frame.stop()
        self._token += 1
        if self.session is not None:
            self.session.cancel()
        self._closing = True  # no spare from now on
        msgs = self.host.shutdown()
        final = next((m[-1] for m in msgs if m[0] in ("stopped", "failed")), None)
        if final is not None:
            self.state.live.weights, self.state.live.optimizer = final.weights, final.optimizer
        self.jobs.cancel_all()
        self.jobs.wait()

    @property
    def worker_kind(self) -> str | None:
        return None if self._worker is None else self._worker.kind

    @property
    def worker_pid(self) -> int | None:
        return getattr(self._worker, "pid", None)

    @property
    def worker_ready(self) -> bool:
        return self._worker is not None and self._worker.ready

    def counters(self) -> Counters:
        return self.state.live.counters

    def _trained_text(self, t) -> str:
        return _tr("Talking to the fully trained model: {steps:,} steps, {minutes:.0f} min of training, "
                   "{chars:.1f} million characters read.").format(steps=t.steps, minutes=t.seconds / 60,
                                                                  chars=t.chars / 1e6)

    def _on_failed(self, why: str) -> None:
        self._busy("")
        self._message(_tr("Something went wrong: {why}").format(why=why.strip().splitlines()[0]))

    def _message(self, text: str) -> None:
        self.state.message = text
        self.message_changed.emit(text)

    def _busy(self, text: str) -> None:
        self.busy_changed.emit(text)
