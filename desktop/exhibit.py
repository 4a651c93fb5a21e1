"""The exhibit's controller: every action of the story as a method, every change as a signal.

A window, a test, the screenshot script or (later) a kiosk or a clicker drives the story through
`Exhibit` alone: `enter_train`, `run`, `pause`, `step_once`, `set_speed`, `enter_talk`, `ask`,
`new_conversation`, `load_trained`, `load`, `restart`, `reset`, `save`; and, after the next morning,
`set_memory`, `set_note`, `teach`, `restore`, `set_show_compare`, `set_show_cost` (the training half
lives in `desktop.training_control`, the later scenes in `desktop.story_control`). Its state is an
`ExhibitState` (Qt-free); the views only draw what the signals hand them.

Everything torch does runs in the model process (`desktop.host`, `desktop.worker`); its messages wake
the controller as they arrive. While training, a frame clock (a single-shot timer re-armed each frame,
never a queue of every step) reads them instead: the step records since the last frame, the answers
sampled, and the newest weights, which it hands to the heatmap. Talk has no clock: the heatmap stops
because nothing redraws it but a reply's proof, read from the engine's own weights.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

from .conversation import TalkSession
from .host import ModelHost
from .lifetime import Keeper
from .layout import flatten, unflatten
from .state import Counters, ExhibitState, LiveRun, Mode, Settings
from .story_control import StoryControl
from .talk_loop import TalkReady, TalkSetup
from .training_control import TrainingControl
from .worker import boot_of


def _tr(text: str) -> str:
    return QCoreApplication.translate("Exhibit", text)


class Exhibit(TrainingControl, StoryControl, QObject):
    ready = Signal()  # the first models are loaded; actions work from now on
    mode_changed = Signal(object)  # Mode
    running_changed = Signal(bool)
    speed_changed = Signal(int)  # index into state.SPEEDS
    show_change_changed = Signal(bool)
    font_scale_changed = Signal(float)
    weights_shown = Signal(object, int, object)  # specs, step (-1: a frozen model), flat weights (a copy)
    weights_taught = Signal(object, object, object)  # specs, the taught weights, the weights before teaching
    framed = Signal()  # one tick of the frame clock: at least 30 a second while training
    progressed = Signal(object)  # the StepRecords that arrived since the last frame, oldest first
    live_changed = Signal()  # counters, loss curve or samples of the live run changed
    talk_started = Signal(object)  # a TalkSession: Talk has a frozen model
    memory_changed = Signal(object)  # Memory: switched on or off, or its note changed
    lifetime_changed = Signal(object)  # Lifetime: a reply was counted
    show_cost_changed = Signal(bool)
    teaching_changed = Signal(bool)  # teaching for real began (True) or ended
    show_compare_changed = Signal(bool)
    compared = Signal(object, str)  # [Compared] and the question asked, for the side-by-side view
    message_changed = Signal(str)  # the status line
    busy_changed = Signal(str)  # what the exhibit is waiting for; "" when nothing
    _woken = Signal()  # a message from the model arrived (emitted on the model's helper thread)

    def __init__(self, settings: Settings | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.state = ExhibitState()
        self.session: TalkSession | None = None
        self.specs: list = []
        self.question = ""
        self.trained_path = ""
        self.live_flat: np.ndarray | None = None
        self.frames = 0  # frames shown in Train so far (each tick while running; paused, each bringing weights)
        self.last_saved: Path | None = None
        self._initial = None  # the live run's first state, for restarts
        self._woken.connect(self._on_woken, Qt.ConnectionType.QueuedConnection)
        self.host = ModelHost(self.settings.worker, boot_of(self.settings), self._woken.emit)
        self.lifetime = Keeper(self.settings.data_dir)  # replies since installation (see desktop.lifetime)
        self._talk_sources: list = []  # what Talk shows now, to reopen it if the model process dies
        self._correction = ""  # the visitor's latest correction in Talk, as "Mara does the books.": what Teach teaches
        self._untaught_fingerprint = ""  # the fingerprint of the model before it was first taught
        self._restoring = False
        self._compared_question = ""
        self._restarted_talk = False  # Talk is being reopened after the model process died
        self._live_dirty = False  # the live run changed and the panel has not been told yet
        self._live_waited = 0  # frames it has waited
        self._live_next = 0.0  # when the panel may next be redrawn (time.perf_counter())
        self._frame_due = 0.0  # when the frame clock's next frame is due (time.perf_counter())
        self._token = 0  # bumped by every change of scene: late results of an older one are dropped
        self._started = False
        self._closing = False
        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.setTimerType(Qt.TimerType.PreciseTimer)
        self._frame.timeout.connect(self._on_frame)

    # --- starting -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the model process: it reads the trained model and makes the live run's random weights."""
        self._busy(_tr("Loading the model…"))
        self.host.start("prepare", "prepare", self.settings)

    def _on_prepared(self, p) -> None:
        self.host.ended()
        self.question = p.question
        self.specs, self.trained_path, self._initial = p.specs, p.trained_path, p.live
        self._new_live()
        self.state.trained_available = p.trained_available
        self._started = True
        self._busy("")
        if self.lifetime.problem:
            self._message(_tr("Note: {problem}.").format(problem=self.lifetime.problem))
        if p.trained_available:
            self._set_mode(Mode.TALK)
            self._open_talk([p.trained_path])
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

    # --- what the model says ------------------------------------------------------------------
    def _on_woken(self) -> None:
        if self.host.activity == "train":
            if not self._frame.isActive():
                self._frame.start(0)  # paused: a single step or an answer came; the clock shows it
            elif self._step_waiting():
                self._frame.stop()
                self._on_frame(step_ended=True)  # the clock's next frame, shown now (see _step_waiting)
            return  # else the frame clock reads them, a frame at a time
        self._handle(self.host.poll())

    def _handle(self, messages: list[tuple]) -> None:
        training: list[tuple] = []
        for msg in messages:
            if msg[0] in ("ready", "progressed", "sampled", "stopped", "failed") or \
                    (msg[0] == "eof" and self.host.training is not None):
                training.append(msg)
                continue
            if training:
                self._process(training)
                training = []
            self._other(msg)
        if training:
            self._process(training)

    def _other(self, msg: tuple) -> None:
        kind = msg[0]
        if kind == "prepared":
            self._on_prepared(msg[1])
        elif kind == "prepare-failed":
            self.host.ended()
            self._on_failed(msg[1].strip().splitlines()[-1])
        elif kind == "talking":
            self._on_talking(msg[1])
        elif kind in ("said", "wrote", "replied", "cleared", "teaching", "taught", "teach-failed", "compared"):
            if self.session is not None and not self.session.closed:
                self.session.receive(msg)
        elif kind == "load-failed":
            self._busy("")
            self._message(_tr("Could not load that model: {why}").format(why=msg[1]))
        elif kind in ("talk-ended", "talk-failed"):
            self._talk_ended(msg[1] if kind == "talk-failed" else "")
        elif kind == "saved":
            self._on_saved(Path(msg[1]))
        elif kind == "save-failed":
            self._on_failed(msg[1])
        elif kind == "eof":
            self._model_died()

    def _model_died(self) -> None:
        """The model process ended on its own (killed, or out of memory): start another where needed."""
        activity = self.host.activity
        self.host.ended()
        if self._closing:
            return
        if activity == "prepare":
            if self.host.recent_deaths() <= 3:
                self._message(_tr("The model process ended while loading; starting it again."))
                QTimer.singleShot(0, self.start)
            else:
                self._busy("")
                self._message(_tr("The model process keeps ending while loading; see the terminal for why."))
        elif activity == "talk" or (self.state.mode is Mode.TALK and self.session is not None):
            if self.session is not None:
                self.session.close()
            if self.host.recent_deaths() <= 3 and self._talk_sources:
                self._message(_tr("The model process ended; starting it again with the same weights."))
                self._restarted_talk = True
                self._open_talk(self._talk_sources)
            else:
                self._busy("")
                self._message(_tr("The model process keeps ending; press Ctrl+1 to train or Ctrl+L to load."))

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
        self._stop_activity(self._start_worker)

    def enter_talk(self) -> None:
        """Freeze the live run's weights as they stand and talk to them (in Talk already: nothing)."""
        if not self._started or self.state.mode is Mode.TALK:
            return
        self._set_mode(Mode.TALK)
        token = self._token
        self._busy(_tr("Freezing the weights…"))
        self._stop_activity(lambda: token == self._token and self._open_talk([self._live_state(trainer=False)]))

    def toggle_mode(self) -> None:
        (self.enter_train if self.state.mode is Mode.TALK else self.enter_talk)()

    def load_trained(self) -> None:
        """Talk to the fully trained model, read afresh from its file."""
        if self._started and not self.state.trained_available:
            self._message(_tr("There is no fully trained model to load ({path}).").format(path=self.trained_path))
            return
        self.load(self.trained_path)

    def load(self, path: str | Path) -> None:
        """Talk to the model saved at `path` (a checkpoint), read where the model runs."""
        if not self._started:
            return
        self._busy(_tr("Loading the model from {name}…").format(name=Path(path).name))
        if self.state.mode is Mode.TALK and self.host.activity == "talk" and not self.host.stopping:
            self.host.send("load", str(path))  # a file that will not load leaves Talk as it was
            return
        self._set_mode(Mode.TALK)
        token = self._token
        # From Train: if the file will not load, Talk freezes the live run instead (and says why).
        self._stop_activity(lambda: token == self._token and
                            self._open_talk([str(path), self._live_state(trainer=False)]))

    def _open_talk(self, sources: list) -> None:
        self._talk_sources = list(sources)
        self.host.start("talk", "talk", TalkSetup(list(sources)))

    def _on_talking(self, ready: TalkReady) -> None:
        if self.state.mode is not Mode.TALK or self.host.stopping:
            return  # the visitor moved on before it was ready
        if ready.path:
            self._talk_sources = [ready.path]
        self._start_talk(ready)
        again, self._restarted_talk = self._restarted_talk, False
        restored, self._restoring = self._restoring, False
        if restored:
            same = ready.proof.fingerprint == self._untaught_fingerprint
            self._message((_tr("Restored: the original model, read afresh. Its fingerprint is {fp}…, the same as "
                               "before teaching.") if same else
                           _tr("Restored: the original model, read afresh. Its fingerprint is {fp}…, NOT the one "
                               "before teaching: the file has changed since.")).format(fp=ready.proof.fingerprint[:16]))
        elif again:
            self._message(_tr("The model process ended and was started again: same weights, a new conversation."))
        elif ready.error:
            self._message(_tr("Could not load that model ({why}); talking to the live model as it stands.")
                          .format(why=ready.error))
        elif ready.talk.kind == "trained":
            self._message(self._trained_text(ready.talk))
        else:
            c = self.state.live.counters
            self._message(_tr("Talking to the live model as it stands: {steps:,} steps, {s:.0f} s of training.")
                          .format(steps=c.step, s=c.seconds))

    def _start_talk(self, ready: TalkReady) -> None:
        if self.session is not None:
            self.session.close()
            self.session.deleteLater()
        self.teaching_changed.emit(False)  # whatever was taught before, this session teaches nothing yet
        self.session = TalkSession(ready, self.host.send, self.settings.reveal_cps, self)
        # The heatmap is redrawn from the engine's own weights after every reply, as the proof is.
        self.session.verified.connect(lambda proof, s=self.session: self.weights_shown.emit(s.specs, -1, proof.flat))
        self.session.started.connect(self._on_said)
        self.session.costed.connect(self._on_costed)
        self.session.compared.connect(self._on_compared)
        self.session.teaching.connect(lambda step, s=self.session: self.weights_shown.emit(s.specs, -1, step.flat))
        self.session.taught.connect(self._on_taught)
        self.session.teach_failed.connect(self._on_teach_failed)
        self.state.talk = ready.talk
        self._busy("")
        self.weights_shown.emit(self.session.specs, -1, ready.proof.flat)
        self.talk_started.emit(self.session)
        if self._pasted_note():  # the first conversation with this model starts with the note too
            self.session.new_conversation(self._pasted_note())

    def _talk_ended(self, why: str) -> None:
        _, callbacks = self.host.ended()
        if self.session is not None:
            self.session.close()
        if why:
            self._busy("")
            self._message(_tr("Talk stopped: {why}").format(why=why.strip().splitlines()[-1]))
        for cb in callbacks:
            cb()

    def _stop_activity(self, then: Callable[[], None], keep: bool = True) -> None:
        """End what the model does now (training: after its step in progress), then `then()`."""
        if self.host.activity is None:
            then()
            return
        self.host.after_stop(then)
        if self.host.activity == "train":
            self._stop_worker(keep=keep)
        else:
            self.host.stop(keep)  # "prepare" ends by itself

    def _set_mode(self, mode: Mode) -> None:
        self._token += 1
        if mode is not self.state.mode:
            if mode is not Mode.TALK:
                self.set_show_cost(False)
                self.set_show_compare(False)
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
        if self.state.mode is Mode.TALK and self.session is not None and not self.session.closed:
            note = self._pasted_note()
            self.session.new_conversation(note)
            if note:
                self._message(_tr("Next morning, with memory: the note is pasted at the top of the new context. "
                                  "The weights are as they were."))
            else:
                self._message(_tr("Next morning: a new conversation. The context is empty; the weights are as "
                                  "they were."))

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        """Save the weights on screen as a checkpoint in the settings' folder (written by the model process)."""
        folder = self.settings.save_dir
        if not self._started or folder is None:
            self._message(_tr("Saving is switched off."))
            return
        if self.state.mode is Mode.TALK and self.session is not None:
            t = self.session.talk
            weights = unflatten(self.session.proof.flat, self.session.specs)
            config = dict(self.session.model_config)
            training = {"steps": t.steps, "seconds": t.seconds, "chars": t.chars, "flops": t.flops,
                        "cpu_seconds": t.cpu_seconds, "taught": list(t.taught)}
            name = f"marginalia-{t.kind}-{t.steps}.safetensors"
        else:
            weights = unflatten(self.live_flat, self.specs)
            config, c = self.state.live.model_config, self.state.live.counters
            training = {"steps": c.step, "seconds": round(c.seconds, 1), "chars": c.chars, "flops": c.flops,
                        "cpu_seconds": round(c.cpu_seconds, 1),
                        "train_config": self.state.live.train_config}
            name = f"marginalia-live-{c.step}.safetensors"
        path = Path(folder) / name.replace(".safetensors", time.strftime("-%Y%m%d-%H%M%S.safetensors"))
        self._busy(_tr("Saving…"))
        self.host.send("save", str(path), weights, config, training)

    def _on_saved(self, path: Path) -> None:
        self.last_saved = path
        self._busy("")
        self._message(_tr("Saved the weights to {path}").format(path=path))

    # --- the rest -----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """End everything that runs: the reply, the model process. Safe to call twice."""
        self._frame.stop()
        self._token += 1
        if self.session is not None:
            self.session.close()
        self._closing = True
        self.lifetime.close()
        msgs = self.host.shutdown()
        final = next((m[-1] for m in msgs if m[0] in ("stopped", "failed")), None)
        if final is not None:
            self.state.live.weights, self.state.live.trainer_state = final.weights, final.trainer_state

    @property
    def worker_kind(self) -> str | None:
        """Where training runs now ("process" or "thread"); None when nothing trains."""
        return None if self._worker is None else self._worker.kind

    @property
    def worker_pid(self) -> int | None:
        return getattr(self._worker, "pid", None)

    @property
    def model_pid(self) -> int | None:
        """The model process (it trains and talks), if it runs in one."""
        return self.host.pid

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
