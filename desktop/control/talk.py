"""The Talk scene's controller: the conversation, memory, teaching it for real, and side by side.

All of it happens on the model Talk uses, with the same heatmap and badge: the conversation and
memory only change what the model reads (memory pastes a note of the visitor's corrections at the
top of the next conversation, by `model.memory`'s rule); teaching changes its weights (real training
steps on the latest correction, `model.teach`), and Restore reads the original afresh. Side by side
asks one question three ways, each in a fresh conversation of its own.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from model.corpus import JOB_BY_KEY
from model.memory import clean, corrections, remember

from ..i18n import Fixed, Text, log_problem, problem_text, status
from ..process.protocol import (Compare, Compared, Load, LoadFailed, Restore, Resume, Said, Talk, TalkEnded,
                                TalkReady, Taught, Teach, TeachFailed, TeachStep)
from .conversation import Conversation
from .link import ModelLink
from .state import Memory, Settings
from .status import StatusLine

class Task(enum.Enum):
    TEACHING = "teaching"
    COMPARING = "comparing"
    RESTORING = "restoring"


BUSY = status(QT_TRANSLATE_NOOP("Status", "The model is busy: wait for it to finish, then try again."))


class TalkController(QObject):
    memory_changed = Signal(object)  # Memory: switched on or off, or its note changed
    teaching_changed = Signal(bool)  # teaching for real began (True) or ended
    teaching = Signal(object)  # TeachStep: one step of teaching done
    taught = Signal(object)  # Taught: the model is the taught one now, in a fresh conversation
    compared = Signal(object, str)  # [Column] and the question asked, for the side-by-side view
    weights_shown = Signal(object, int, object)  # specs, -1 (a frozen model), its weights, flat
    weights_taught = Signal(object, object, object)  # specs, the taught weights, the weights before teaching

    def __init__(self, settings: Settings, link: ModelLink, status_line: StatusLine, parent: QObject | None = None):
        super().__init__(parent)
        self.link, self.status = link, status_line
        self.conversation = Conversation(link, settings.reveal_cps, self)
        self.memory = Memory()
        self.question = ""  # the story's question: what side by side asks when nothing was corrected
        self.correction = ""  # the visitor's latest, as "Mara does the books.": what Teach teaches
        self.sources: tuple = ()  # what Talk shows now, to open it again if the model process dies
        self.on_screen = False  # the Talk scene is on
        self._asked = False  # a Talk was asked for and waits for the activity before it to end
        self.task: Task | None = None  # what the model does for Talk besides the conversation
        self._untaught_fingerprint = ""  # the model's before it was first taught
        self._compared_question = ""
        self._opening: Text | None = None  # what to say when the model is ready (None: where it came from)
        self.conversation.started.connect(self._on_said)
        self.conversation.verified.connect(lambda proof: self.weights_shown.emit(self.conversation.specs, -1,
                                                                                 proof.flat))

    @property
    def busy(self) -> bool:
        return self.conversation.busy or self.task is not None

    # --- the scene ------------------------------------------------------------------------------
    def open(self, sources: tuple | Callable[[], tuple], opening: Text | None = None,
             resume: Resume | None = None) -> None:
        """Talk to the first of `sources` that opens (a path, or the live run's state; or a function
        that says them once the model process has ended what it does now); `opening` is said when the
        model is ready; with `resume`, the weights and the conversation carry on from there."""
        self.conversation.close()
        self.on_screen, self._opening, self._asked = True, opening, True
        self.link.begin(lambda: self._command(sources, resume))

    def _command(self, sources, resume: Resume | None) -> Talk | None:
        self._asked = False
        if not self.on_screen:
            return None  # the visitor moved on
        self.sources = tuple(sources() if callable(sources) else sources)
        return Talk(self.sources, resume)

    def revive(self) -> None:
        """The model process died: the same model in a new one, with the weights and the conversation
        as they were shown (a reply, teaching or restoring under way is lost with it)."""
        resume = self.conversation.resume()
        self.open(self.sources, REVIVED, resume)

    def leave(self) -> None:
        self.on_screen = self._asked = False
        self.conversation.close()
        self.task = None

    def load(self, path: str) -> None:
        """In Talk already: read the model at `path`; a file that will not load leaves Talk as it was."""
        self.link.send(Load(path))

    def reset(self) -> None:
        self.set_memory(False)
        self.clear_note()
        self.correction = ""

    # --- talking --------------------------------------------------------------------------------
    def ask(self, text: str) -> bool:
        return self.task is None and self.conversation.ask(text)

    def new_conversation(self) -> None:
        """The next morning: an empty context (or one that starts with the memory note); the same weights."""
        if not self.conversation.is_open or self.task is not None:
            return
        note = self.pasted_note()
        self.conversation.new(note)
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Next morning, with memory: the note is pasted at the top "
                                                           "of the new context. The weights are as they were."))
                        if note else
                        status(QT_TRANSLATE_NOOP("Status", "Next morning: a new conversation. The context is empty; "
                                                           "the weights are as they were.")))

    def _on_said(self, said: Said) -> None:
        found = corrections(said.read)
        if found:
            job, name = found[-1]
            self.correction = f"{name} {JOB_BY_KEY[job].active}."
        if self.memory.on:
            self.set_note(remember(self.memory.note, said.read))

    # --- memory ---------------------------------------------------------------------------------
    def set_memory(self, on: bool) -> None:
        """While on, corrections are written into the note, and each new conversation starts with it."""
        if on == self.memory.on:
            return
        self.memory.on = on
        self.memory_changed.emit(self.memory)
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Memory on: your corrections are written into a note, "
                                                           "pasted at the top of the next conversation. It is context, "
                                                           "not training: no weight changes.")) if on else
                        status(QT_TRANSLATE_NOOP("Status", "Memory off: the next conversation starts empty. The note "
                                                           "is kept until you clear it.")))

    def toggle_memory(self) -> None:
        self.set_memory(not self.memory.on)

    def set_note(self, text: str) -> None:
        """The note as the visitor edited it (one line, cut to what the model reads of a note)."""
        note = clean(text)
        if note != self.memory.note:
            self.memory.note = note
            self.memory_changed.emit(self.memory)

    def clear_note(self) -> None:
        self.set_note("")

    def pasted_note(self) -> str | None:
        return self.memory.note if self.memory.on and self.memory.note else None

    # --- teaching for real ----------------------------------------------------------------------
    def teach(self) -> None:
        """A few training steps on the latest correction, the heatmap live; then the taught model, in a
        fresh conversation with no note."""
        c = self.conversation
        if not c.is_open:
            return
        if not self.correction:
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "Correct the model first (for example: no, Mara does "
                                                               "the books.), then teach it.")))
        elif self.busy:
            self.status.say(BUSY)
        else:
            if not c.model.taught:
                self._untaught_fingerprint = c.proof.fingerprint
            self.task = Task.TEACHING
            self.link.send(Teach(self.correction))
            self.status.wait_for(status(QT_TRANSLATE_NOOP("Status", "Teaching “{statement}”: real training steps…"),
                                        statement=self.correction))
            self.teaching_changed.emit(True)

    def restore(self) -> None:
        """Back to the model as it was before any teaching, read afresh from where it came."""
        c = self.conversation
        if not c.is_open or self.busy:
            return
        if not c.model.taught:
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "This is the original model: nothing has been taught "
                                                               "to it.")))
            return
        c.cancel()
        self.task, self._opening = Task.RESTORING, RESTORED
        self.status.wait_for(status(QT_TRANSLATE_NOOP("Status", "Restoring the original model…")))
        self.link.send(Restore())

    def on_teach_step(self, step: TeachStep) -> None:
        if self.task is Task.TEACHING:
            self.teaching.emit(step)
            self.weights_shown.emit(self.conversation.specs, -1, step.flat)

    def on_taught(self, info: Taught) -> None:
        if self.task is not Task.TEACHING:
            return
        self.task = None
        c = self.conversation
        c.show_model(dataclasses.replace(c.model, taught=(*c.model.taught, info.statement)), info.context, info.proof)
        self.status.done()
        self.teaching_changed.emit(False)
        self.weights_taught.emit(c.specs, c.proof.flat, info.before)
        self.taught.emit(info)
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Taught “{statement}” in {s} s: {steps} training steps "
                                                           "changed {n} weights, and the fingerprint. A new "
                                                           "conversation, with no note."),
                               statement=info.statement, s=Fixed(info.seconds), steps=info.steps, n=info.changed))

    def on_teach_failed(self, failed: TeachFailed) -> None:
        if self.task is Task.TEACHING:
            self.task = None
            self.status.done()
            self.teaching_changed.emit(False)
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "Could not teach that: {why}"),
                                   why=problem_text(failed.problem)))

    # --- in context or in the weights, side by side ---------------------------------------------
    def compare(self) -> bool:
        """One question, each in a fresh conversation of its own: to the original model, to it with the
        memory note, and to the taught model. False (the model is busy) if it cannot ask now."""
        if not self.conversation.is_open or self.busy:
            self.status.say(BUSY)
            return False
        self._compared_question = question = self.compare_question()
        self.task = Task.COMPARING
        self.link.send(Compare(question, self.memory.note))
        self.status.wait_for(status(QT_TRANSLATE_NOOP("Status", "Asking the same question three ways…")))
        return True

    def compare_question(self) -> str:
        """The question about the job last taught or corrected, else the story's."""
        for text in (*reversed(self.conversation.model.taught if self.conversation.model else ()), self.correction):
            found = corrections(text)
            if found:
                return JOB_BY_KEY[found[-1][0]].question
        return self.question

    def on_compared(self, compared: Compared) -> None:
        for column in compared.columns:  # three replies written: each is counted
            self.conversation.costed.emit(float(column.flops), float(column.cpu_seconds))
        if self.task is Task.COMPARING:
            self.task = None
            self.status.done()
            self.compared.emit(list(compared.columns), self._compared_question)

    # --- the model Talk uses --------------------------------------------------------------------
    def on_ready(self, ready: TalkReady) -> None:
        if not self.on_screen:
            return  # the visitor moved on before it was ready
        self.task = None
        if ready.path:
            self.sources = (ready.path,)
        self.teaching_changed.emit(False)  # whatever was taught before, this model is taught nothing yet
        self.conversation.open(ready)
        self.weights_shown.emit(ready.specs, -1, ready.proof.flat)
        self.status.done()
        opening, self._opening = self._opening, None
        if ready.problem is not None:
            log_problem(ready.problem)
            opening = status(QT_TRANSLATE_NOOP("Status", "Could not load that model ({why}); talking to the live "
                                                         "model as it stands."), why=problem_text(ready.problem))
        elif opening is RESTORED:
            same = ready.proof.fingerprint == self._untaught_fingerprint
            opening = status(QT_TRANSLATE_NOOP("Status", "Restored: the original model, read afresh. Its fingerprint "
                                                         "is {fp}…, the same as before teaching.") if same else
                             QT_TRANSLATE_NOOP("Status", "Restored: the original model, read afresh. Its fingerprint "
                                                         "is {fp}…, NOT the one before teaching: the file has changed "
                                                         "since."), fp=ready.proof.fingerprint[:16])
        self.status.say(opening or provenance_status(ready))
        if self.pasted_note() and ready.context is None:  # a new model's first conversation starts with the note
            self.conversation.new(self.pasted_note())

    def on_load_failed(self, failed: LoadFailed) -> None:
        log_problem(failed.problem)
        self.task, self._opening = None, None  # the model it had is still there
        self.status.done()
        self.status.say(status(QT_TRANSLATE_NOOP("Status", "Could not load that model: {why}"),
                               why=problem_text(failed.problem)))

    def on_ended(self, ended: TalkEnded) -> None:
        if ended.problem is not None:
            log_problem(ended.problem)
        if self._asked:
            return  # the last word of a Talk before the one asked for, which starts next: nothing to leave
        self.leave()
        if ended.problem is not None:
            self.status.done()
            self.status.say(status(QT_TRANSLATE_NOOP("Status", "Talk stopped: {why}"), why=problem_text(ended.problem)))


RESTORED = status(QT_TRANSLATE_NOOP("Status", "Restored: the original model, read afresh."))
REVIVED = status(QT_TRANSLATE_NOOP("Status", "The model process ended and was started again: the same weights, "
                                             "the same conversation."))


def provenance_status(ready: TalkReady) -> Text:
    t = ready.talk
    if t.kind == "trained":
        return status(QT_TRANSLATE_NOOP("Status", "Talking to the fully trained model: {steps} steps, {minutes} min "
                                                  "of training, {chars} million characters read."),
                      steps=t.steps, minutes=Fixed(t.seconds / 60, 0), chars=Fixed(t.chars / 1e6))
    return status(QT_TRANSLATE_NOOP("Status", "Talking to the live model as it stands: {steps} steps, {s} s of "
                                              "training."), steps=t.steps, s=Fixed(t.seconds, 0))
