"""The exhibit's story: which scene is on, and every message from the model routed to its controller.

`Exhibit` is what a window, a test, the screenshot script, a kiosk or a clicker drives. It holds one
controller per concern and the scene machine that moves between them: `training` (the Train scene),
`talk` (conversation, memory, teaching, side by side), `cost` (the lifetime counter), and `status`
(the status line). The scene machine itself: `start`, `enter_train`, `enter_talk`, `run` (from any
scene), `load_trained`, `load`, `show_panel` (chat, cost or side by side in Talk), `save`, `reset`
(everything back to the start, one call), `set_font_scale`, `shutdown`; and, if the model process
dies, a new one with the same weights.

`routes` is the window's one dispatcher: each message type from `desktop.process.protocol` and the
controller method that handles it.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from ..i18n import Fixed, Text, log_problem, problem_text, status
from ..process import protocol as p
from ..process.weights import unflatten
from .cost import CostController
from .link import ModelLink
from .state import FONT_SCALES, Mode, Panel, Settings
from .status import StatusLine
from .talk import TalkController
from .training import TrainingController


class Exhibit(QObject):
    ready = Signal()  # the first models are loaded; actions work from now on
    mode_changed = Signal(object)  # Mode
    panel_changed = Signal(object)  # Panel: what Talk shows below the heatmap
    font_scale_changed = Signal(float)

    def __init__(self, settings: Settings | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.mode, self.panel, self.font_scale = Mode.TRAIN, Panel.CHAT, self.settings.font_scale
        self.started = False  # the first models are loaded
        self.trained_path, self.trained_available = "", False
        self.last_saved: Path | None = None
        self.status = StatusLine(self)
        # The training keys the status line names (the window's own bindings: MainWindow sets them).
        self.keys = {"run": "Space", "step": "“.”", "slower": "“[”", "faster": "“]”", "change": "D"}
        self.link = ModelLink(self.settings.worker, self.settings.boot(), self.deliver, self,
                              delays=self.settings.restart_delays)
        self.training = TrainingController(self.settings, self.link, self.status, self)
        self.talk = TalkController(self.settings, self.link, self.status, self)
        self.cost = CostController(self.settings.data_dir, self.status, self)
        self.talk.conversation.costed.connect(self.cost.add_reply)
        self.link.restarted.connect(self._on_restarted)
        self._restart_news: Text | None = None  # said when a model process started after its backoff
        t, c, k = self.training, self.talk.conversation, self.talk
        self.routes = {
            p.Prepared: self._on_prepared, p.PrepareFailed: self._on_prepare_failed, p.ModelGone: self._on_gone,
            p.TrainingReady: t.on_ready, p.Stepped: t.on_stepped, p.Paused: t.on_paused, p.Sampled: t.on_sampled,
            p.TrainingEnded: t.on_ended,
            p.TalkReady: k.on_ready, p.Said: c.on_said, p.Wrote: c.on_wrote, p.Replied: c.on_replied,
            p.Cleared: c.on_cleared, p.TeachStep: k.on_teach_step, p.Taught: k.on_taught,
            p.TeachFailed: k.on_teach_failed, p.Compared: k.on_compared, p.LoadFailed: k.on_load_failed,
            p.TalkEnded: k.on_ended,
            p.Saved: self._on_saved, p.SaveFailed: self._on_save_failed,
        }

    def deliver(self, message) -> None:
        """Every message from the model process, in order: to the controller that handles its type."""
        self.routes[type(message)](message)

    # --- starting ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the model process: it reads the trained model and makes the live run's random weights."""
        self.status.wait_for(status(QT_TRANSLATE_NOOP("Status", "Loading the model…")))
        s = self.settings
        self.link.begin(lambda: p.Prepare(s.checkpoint, s.model_config, s.train_config))

    def _on_prepared(self, prepared: p.Prepared) -> None:
        self.trained_path, self.trained_available = prepared.trained_path, prepared.trained_problem is None
        self.training.prepare(prepared)
        self.talk.question = prepared.question
        if not self.started:  # once (not after a restart, which would pin whatever is alive then for good):
            gc.freeze()  # the window's start-up objects (Qt's wrappers, pyqtgraph's) out of every full collection
        self.started = True
        self.status.done()
        if self.trained_available:
            self.enter_talk([self.trained_path])
        else:
            log_problem(prepared.trained_problem)
            self.enter_train()
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "No trained model ({why}). Starting from random "
                                                               "weights: press Space to train."),
                                   why=problem_text(prepared.trained_problem)))
        self.ready.emit()

    def _on_prepare_failed(self, failed: p.PrepareFailed) -> None:
        log_problem(failed.problem)
        self.status.done()
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Something went wrong: {why}"),
                               why=problem_text(failed.problem)))

    def _on_gone(self, gone: p.ModelGone) -> None:
        """The model process ended on its own (killed, out of memory): the scene carries on in a new one,
        which the link starts at once after a first death and later after more, as often as it takes
        (nobody is at a kiosk to press a key). One line says so."""
        if gone.activity is p.Train:
            self.training.on_gone()  # and, in Train, training goes on
        if gone.activity is p.Prepare:
            self.start()
            what = status(QT_TRANSLATE_NOOP("Status", "loading the model again"))
        elif gone.activity is p.Train and self.training.on_screen:
            what = status(QT_TRANSLATE_NOOP("Status", "training goes on from step {step}, from the weights last shown "
                                                      "(its optimiser starts afresh)"),
                          step=self.training.live.counters.step)
        elif self.mode is Mode.TALK and self.talk.on_screen:
            self.talk.revive()
            what = status(QT_TRANSLATE_NOOP("Status", "the same weights, the same conversation"))
        else:
            return  # nothing was under way: the next command starts a new one
        later = self.link.restart_in
        again = status(QT_TRANSLATE_NOOP("Status", "The model process ended and was started again: {what}."), what=what)
        self._restart_news = again if later else None
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "The model process ended; a new one starts in {s} s: "
                                                           "{what}."), s=Fixed(later, 0), what=what) if later else again)

    def _on_restarted(self) -> None:
        """The new model process started after its wait: the line that said it would start says it did
        (Talk says so itself once the model is there again)."""
        news, self._restart_news = self._restart_news, None
        if news is not None and not (self.mode is Mode.TALK and self.talk.on_screen):
            self.status.say(news)

    # --- scenes -----------------------------------------------------------------------------------
    def enter_train(self) -> None:
        if not self.started or (self.mode is Mode.TRAIN and self.link.activity is p.Train and not self.link.stopping):
            return
        self._set_mode(Mode.TRAIN)
        self.talk.leave()
        k = self.keys  # as the window (or a presenter's clicker) has bound them
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Training from step {step}. {run} runs and pauses, {one} "
                                                           "takes one step, {slower} and {faster} set the speed, "
                                                           "{change} shows the change."),
                               step=self.training.live.counters.step, run=k["run"], one=k["step"],
                               slower=k["slower"], faster=k["faster"], change=k["change"]))
        self.training.enter()

    def enter_talk(self, sources: list | None = None) -> None:
        """Talk to the first of `sources` that opens; by default, the live run's weights as they stand,
        frozen (in Talk already, with no sources: nothing)."""
        if not self.started or (self.mode is Mode.TALK and sources is None):
            return
        self._set_mode(Mode.TALK)
        self.training.leave()
        if sources is None:
            self.status.wait_for(status(QT_TRANSLATE_NOOP("Status", "Freezing the weights…")))
        # The live run's state as it is once its run has ended.
        self.talk.open(tuple(sources) if sources is not None else lambda: (self.training.frozen(),))

    def toggle_mode(self) -> None:
        (self.enter_train if self.mode is Mode.TALK else self.enter_talk)()

    def run(self) -> None:
        """Run training, from any scene."""
        self.training.run()
        if self.mode is Mode.TALK:
            self.enter_train()

    def toggle_run(self) -> None:
        self.training.pause() if self.training.running and self.mode is Mode.TRAIN else self.run()

    def load_trained(self) -> None:
        """Talk to the fully trained model, read afresh from its file."""
        if self.started and not self.trained_available:
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "There is no fully trained model to load ({path})."),
                                   path=self.trained_path))
            return
        self.load(self.trained_path)

    def load(self, path: str | Path) -> None:
        """Talk to the model saved at `path`; from Train, if it will not load, to the live run as it stands."""
        if not self.started:
            return
        self.status.wait_for(status(QT_TRANSLATE_NOOP("Status", "Loading the model from {name}…"),
                                    name=Path(path).name))
        if self.mode is Mode.TALK and self.link.activity is p.Talk and not self.link.stopping:
            self.talk.load(str(path))  # a file that will not load leaves Talk as it was
            return
        self._set_mode(Mode.TALK)
        self.training.leave()
        self.talk.open(lambda: (str(path), self.training.frozen()))

    def show_panel(self, panel: Panel) -> None:
        """In Talk: the chat, the cost, or side by side (asked afresh each time it opens)."""
        if self.mode is not Mode.TALK:
            panel = Panel.CHAT
        if panel is Panel.COMPARE and panel is not self.panel and not self.talk.compare():
            self.panel_changed.emit(self.panel)  # the model is busy: the button goes back as it was
            return
        if panel is not self.panel:
            self.panel = panel
            self.panel_changed.emit(panel)

    def toggle_cost(self) -> None:
        self.show_panel(Panel.CHAT if self.panel is Panel.COST else Panel.COST)

    def toggle_compare(self) -> None:
        self.show_panel(Panel.CHAT if self.panel is Panel.COMPARE else Panel.COMPARE)

    def _set_mode(self, mode: Mode) -> None:
        if mode is not self.mode:
            self.show_panel(Panel.CHAT)
            self.mode = mode
            self.mode_changed.emit(mode)

    def set_font_scale(self, scale: float) -> None:
        self.font_scale = max(FONT_SCALES[0], min(FONT_SCALES[1], round(scale, 2)))
        self.font_scale_changed.emit(self.font_scale)

    def reset(self) -> None:
        """Everything as at the start: a fresh live run, memory off and empty, the trained model in Talk
        (if there is one), the text at its starting size."""
        if not self.started:
            return
        self.set_font_scale(self.settings.font_scale)
        self.show_panel(Panel.CHAT)
        self.talk.reset()
        self.training.reset()
        (self.load_trained if self.trained_available else self.enter_train)()

    # --- saving -----------------------------------------------------------------------------------
    def save(self) -> None:
        """Save the weights on screen as a checkpoint in the settings' folder (written by the model process)."""
        folder = self.settings.save_dir
        if not self.started or folder is None:
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "Saving is switched off.")))
            return
        c = self.talk.conversation
        if self.mode is Mode.TALK and c.model is not None:
            t = c.model
            weights, config = unflatten(c.proof.flat, c.specs), dict(c.model_config)
            training = {"steps": t.steps, "seconds": t.seconds, "chars": t.chars, "flops": t.flops,
                        "cpu_seconds": t.cpu_seconds, "taught": list(t.taught)}
            name = f"marginalia-{t.kind}-{t.steps}"
        else:
            live = self.training.live
            weights, config, n = unflatten(live.flat, self.training.specs), live.start.model_config, live.counters
            training = {"steps": n.step, "seconds": round(n.seconds, 1), "chars": n.chars, "flops": n.flops,
                        "cpu_seconds": round(n.cpu_seconds, 1), "train_config": live.train_config}
            name = f"marginalia-live-{n.step}"
        path = Path(folder) / f"{name}{time.strftime('-%Y%m%d-%H%M%S')}.safetensors"
        self.status.wait_for(status(QT_TRANSLATE_NOOP("Status", "Saving…")))
        self.link.send(p.Save(str(path), weights, config, training))

    def _on_saved(self, saved: p.Saved) -> None:
        self.last_saved = Path(saved.path)
        self.status.done()
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Saved the weights to {path}"), path=saved.path))

    def _on_save_failed(self, failed: p.SaveFailed) -> None:
        log_problem(failed.problem)
        self.status.done()
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Could not save: {why}"), why=problem_text(failed.problem)))

    def shutdown(self) -> None:
        """End everything that runs: the reply, the model process, the counter's writer. Safe to call twice.
        Nothing starts the model process again afterwards (a timer's late call is a no-op: not started)."""
        self.started = False
        self.talk.leave()
        self.training.leave()
        self.link.close()
        self.training.close()
        self.cost.close()
