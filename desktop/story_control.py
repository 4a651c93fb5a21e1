"""The scenes after the next morning, as the `Exhibit` controller drives them: memory, teaching it for
real (and restoring the original), in context or in the weights side by side, and the cost.

A mixin of `desktop.exhibit.Exhibit`, kept in its own file for size: it uses the controller's state,
signals and Talk session. All of it happens in Talk, on the model Talk uses, with the same heatmap
and badge: memory only changes what the model reads, teaching changes its weights.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from model.corpus import JOB_BY_KEY
from model.memory import clean, corrections, remember

from .state import Mode
from .talk_loop import Said, Taught


def _tr(text: str) -> str:
    return QCoreApplication.translate("Exhibit", text)


class StoryControl:
    """Scenes 4 to 6 of `Exhibit` (mixed into it)."""

    # --- memory -------------------------------------------------------------------------------
    def set_memory(self, on: bool) -> None:
        """Switch the memory feature: while on, corrections are written into the note, and each new
        conversation starts with it. Still inference: no weight changes."""
        m = self.state.memory
        if on == m.on:
            return
        m.on = on
        self.memory_changed.emit(m)
        if on:
            self._message(_tr("Memory on: your corrections are written into a note, pasted at the top of the next "
                              "conversation. It is context, not training: no weight changes."))
        else:
            self._message(_tr("Memory off: the next conversation starts empty. The note is kept until you clear it."))

    def toggle_memory(self) -> None:
        self.set_memory(not self.state.memory.on)

    def set_note(self, text: str) -> None:
        """The note as the visitor edited it (one line, cut to what the model reads of a note)."""
        note = clean(text)
        if note != self.state.memory.note:
            self.state.memory.note = note
            self.memory_changed.emit(self.state.memory)

    def clear_note(self) -> None:
        self.set_note("")

    def _pasted_note(self) -> str | None:
        m = self.state.memory
        return m.note if m.on and m.note else None

    def _on_said(self, said: Said) -> None:
        found = corrections(said.read)
        if found:
            job, name = found[-1]
            self._correction = f"{name} {JOB_BY_KEY[job].active}."
        m = self.state.memory
        if m.on:
            self.set_note(remember(m.note, said.read))

    # --- the cost -----------------------------------------------------------------------------
    def set_show_cost(self, on: bool) -> None:
        """In Talk, show what training cost against what the replies cost, in place of the chat."""
        on = bool(on) and self.state.mode is Mode.TALK
        if on:
            self.set_show_compare(False)
        if on != self.state.show_cost:
            self.state.show_cost = on
            self.show_cost_changed.emit(on)

    def toggle_cost(self) -> None:
        self.set_show_cost(not self.state.show_cost)

    # --- in context or in the weights ---------------------------------------------------------
    def set_show_compare(self, on: bool) -> None:
        """In Talk, for presenters: one question, each in a fresh conversation, to the original model,
        to it with the memory note pasted, and to the taught model, side by side (asked afresh)."""
        on = bool(on) and self.state.mode is Mode.TALK and self.session is not None and not self.session.closed
        if on and not self._compare():
            self._message(_tr("The model is busy: wait for it to finish, then look side by side."))
            self.show_compare_changed.emit(self.state.show_compare)  # the button goes back as it was
            return
        if on:
            self.set_show_cost(False)
        if on != self.state.show_compare:
            self.state.show_compare = on
            self.show_compare_changed.emit(on)

    def toggle_compare(self) -> None:
        self.set_show_compare(not self.state.show_compare)

    def compare_question(self) -> str:
        """The question the side-by-side asks: about the job last taught or corrected, else the story's."""
        for text in (*reversed(self.session.talk.taught if self.session else []), self._correction):
            found = corrections(text)
            if found:
                return JOB_BY_KEY[found[-1][0]].question
        return self.question

    def _compare(self) -> bool:
        question = self.compare_question()
        if not self.session.compare(question, self.state.memory.note):
            return False
        self._compared_question = question
        self._busy(_tr("Asking the same question three ways…"))
        return True

    def _on_compared(self, columns: list) -> None:
        self._busy("")
        self.compared.emit(columns, self._compared_question)

    # --- teaching for real --------------------------------------------------------------------
    def teach(self) -> None:
        """Teach it for real: a few training steps on the visitor's latest correction (`model.teach`),
        the heatmap live; then the taught model, in a fresh conversation with no note."""
        if self.state.mode is not Mode.TALK or self.session is None or self.session.closed:
            return
        if not self._correction:
            self._message(_tr("Correct the model first (for example: no, Mara does the books.), then teach it."))
            return
        if not self.session.talk.taught:
            self._untaught_fingerprint = self.session.proof.fingerprint
        if self.session.teach(self._correction):
            self._busy(_tr("Teaching “{statement}”: real training steps…").format(statement=self._correction))
            self.teaching_changed.emit(True)
        else:
            self._message(_tr("The model is busy: wait for it to finish, then teach it."))

    def restore(self) -> None:
        """Back to the model as it was before any teaching, read afresh from where it came."""
        if self.state.mode is not Mode.TALK or self.session is None or self.session.closed:
            return
        if not self.session.talk.taught:
            self._message(_tr("This is the original model: nothing has been taught to it."))
            return
        if self.session.teaching_now or self.host.activity != "talk" or self.host.stopping:
            return
        self._restoring = True
        self.session.close()
        self._busy(_tr("Restoring the original model…"))
        self.host.send("restore")

    def _on_costed(self, flops: float, cpu_seconds: float) -> None:
        had_error = bool(self.lifetime.error)
        self.lifetime.add_reply(flops, cpu_seconds)
        if self.lifetime.error and not had_error:
            self._message(_tr("The lifetime counter could not be saved ({why}); it goes on counting.")
                          .format(why=self.lifetime.error))
        self.lifetime_changed.emit(self.lifetime.life)

    def _on_taught(self, info: Taught) -> None:
        self._busy("")
        self.teaching_changed.emit(False)
        self.weights_taught.emit(self.session.specs, self.session.proof.flat, info.before)
        self._message(_tr("Taught “{statement}” in {s:.1f} s: {steps} training steps changed {n:,} weights, and "
                          "the fingerprint. A new conversation, with no note.").format(
            statement=info.statement, s=info.seconds, steps=info.steps, n=info.changed))

    def _on_teach_failed(self, why: str) -> None:
        self._busy("")
        self.teaching_changed.emit(False)
        self._message(_tr("Could not teach that: {why}").format(why=why))
