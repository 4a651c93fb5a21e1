"""The Talk scene's panel: the proof badge, the chat, the input line, the memory note and the context panel.

The badge shows the fingerprint of all weights and how many changed since training, both read from
the engine after every reply. The chat shows the visitor's message as the model reads it: characters
it cannot read are marked, a message cut to the window's limit says so. Replies stream in a character
at a time. The memory note is shown, and can be edited, in the colour the context panel gives it.
The panel draws what `desktop.control.talk` and its `Conversation` say; it holds nothing of its own.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QTextBrowser, QToolButton,
                               QVBoxLayout, QWidget)

from ..control.state import Memory
from ..control.talk import TalkController
from ..i18n import fixed, number
from ..process.protocol import Proof, Said, TalkModel, TalkReady, Taught, TeachStep
from ..widgets.context import QUIET, ROLE_COLOURS, ContextPanel


def provenance(t: TalkModel) -> str:
    translate = QCoreApplication.translate
    if t.kind == "trained":
        text = translate("TalkPanel", "The fully trained model: {steps} training steps, {minutes} min of training, "
                                      "{chars} million characters read.").format(
            steps=number(t.steps), minutes=fixed(t.seconds / 60, 0), chars=fixed(t.chars / 1e6, 1))
    else:
        text = translate("TalkPanel", "The live model, frozen as it stood: {steps} training steps, {seconds} s of "
                                      "training.").format(steps=number(t.steps), seconds=fixed(t.seconds, 0))
    if t.taught:
        text += " " + translate("TalkPanel", "Then taught: {statements}").format(
            statements=" ".join(f"“{x}”" for x in t.taught))
    return text


def said_html(said: Said) -> str:
    translate = QCoreApplication.translate
    text = "".join("\ufffd" if ch == "\ufffd" else "↵" if ch == "\n" else ch for ch in said.read)
    body = html.escape(text).replace("\ufffd", '<span style="background-color:#d55e00; color:#fff">\ufffd</span>')
    you = html.escape(translate("TalkPanel", "You:"))
    out = [f'<p><b style="color:{ROLE_COLOURS["visitor"]}">{you}</b> {body}</p>']
    notes = []
    if said.unknown:
        codes = ", ".join(f"U+{ord(ch):04X}" for _, ch in said.unknown[:8]) + (" …" if len(said.unknown) > 8 else "")
        notes.append(translate("TalkPanel", "{n} characters the model cannot read are marked \ufffd ({codes}).")
                     .format(n=number(len(said.unknown)), codes=codes))
    if said.cut:
        notes.append(translate("TalkPanel", "Cut: the model reads only the first {kept} characters ({typed} typed).")
                     .format(kept=number(len(said.read)), typed=number(said.typed)))
    if notes:
        out.append(f'<p style="color:#f0a070">{html.escape(" ".join(notes))}</p>')
    return "".join(out)


def _note_html(text: str) -> str:
    return f'<p style="color:{QUIET}">{html.escape(text)}</p>'


class TalkPanel(QWidget):
    def __init__(self, talk: TalkController, actions: list, memory_actions: list, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TalkPanel")
        self.talk = talk
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        lay.addLayout(left, 3)
        left.addWidget(self._badge())
        self.chat = QTextBrowser()
        self.chat.setObjectName("Chat")
        self.chat.setOpenLinks(False)
        self.chat.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.chat.document().setMaximumBlockCount(400)  # a kiosk runs for weeks: the oldest lines go
        left.addWidget(self.chat, 1)
        row = QHBoxLayout()
        self.input = QLineEdit()
        self.input.setObjectName("ChatInput")
        self.input.returnPressed.connect(self.submit)
        row.addWidget(self.input, 1)
        for action in actions:
            b = QToolButton()
            b.setDefaultAction(action)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)
        left.addLayout(row)
        right = QVBoxLayout()
        lay.addLayout(right, 2)
        self.context = ContextPanel()
        right.addWidget(self.context, 1)
        right.addWidget(self._memory(memory_actions))  # beside the context it is pasted into
        self._connect()
        self.retranslate()

    def _badge(self) -> QWidget:
        box = QFrame()
        box.setObjectName("Badge")
        v = QVBoxLayout(box)
        self.source, self.fingerprint, self.changed, self.when = QLabel(), QLabel(), QLabel(), QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for w, name in ((self.source, "Source"), (self.fingerprint, "Fingerprint"), (self.changed, "Changed"),
                        (self.when, "When")):
            w.setObjectName(name)
            w.setWordWrap(w is not self.fingerprint)  # big fonts wrap; they never widen the window past the screen
            w.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            v.addWidget(w)
        self._fingerprint_text = ""
        return box

    def _show_fingerprint(self, text: str) -> None:
        """One line, cut with "…" where the panel is narrow: a wrapped second line would be clipped."""
        self._fingerprint_text = text
        metrics = self.fingerprint.fontMetrics()
        self.fingerprint.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.fingerprint.width()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_fingerprint(self._fingerprint_text)

    def _memory(self, actions: list) -> QWidget:
        box = QFrame()
        box.setObjectName("MemoryBox")
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        row = QHBoxLayout()
        toggle, clear = (QToolButton() for _ in actions)
        for b, action in zip((toggle, clear), actions):
            b.setDefaultAction(action)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.note = QLineEdit()
        self.note.setObjectName("NoteEdit")
        self.note.editingFinished.connect(lambda: self.talk.set_note(self.note.text()))
        row.addWidget(toggle)
        row.addWidget(self.note, 1)
        row.addWidget(clear)
        v.addLayout(row)
        self.memory_rule = QLabel()
        self.memory_rule.setObjectName("MemoryRule")
        self.memory_rule.setWordWrap(True)
        self.memory_rule.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        v.addWidget(self.memory_rule)
        return box

    def _connect(self) -> None:
        c = self.talk.conversation
        c.opened.connect(self._on_opened)
        c.started.connect(self._on_started)
        c.progressed.connect(self._on_progressed)
        c.finished.connect(self._on_finished)
        c.verified.connect(self._on_verified)
        c.context_changed.connect(self.context.show_view)
        c.cleared.connect(self._on_cleared)
        self.talk.teaching.connect(self._on_teaching)
        self.talk.taught.connect(self._on_taught)
        self.talk.memory_changed.connect(self.show_memory)

    def retranslate(self) -> None:
        self.input.setPlaceholderText(self.tr("Ask the model something, then press Enter (try: who does the books?)"))
        self.note.setPlaceholderText(self.tr("The memory note is empty"))
        self.memory_rule.setText(self.tr("The note's rule: a sentence of yours naming someone for a job is written in "
                                         "as “the job: Name.”, replacing an older one for that job. No model writes "
                                         "it."))
        self.context.retranslate()
        c = self.talk.conversation
        if c.model is not None:
            self.source.setText(provenance(c.model))
            self._on_verified(c.proof)

    def hasHeightForWidth(self) -> bool:
        # Wrapped labels inside would make the window's layout reserve their tallest wrap (hundreds of
        # pixels) and starve the heatmap; the scene's height is set by stretch alone.
        return False

    def show_memory(self, memory: Memory) -> None:
        if self.note.text() != memory.note and not (self.note.hasFocus() and self.note.isModified()):
            self.note.setText(memory.note)  # never over what the visitor is typing
            self.note.setModified(False)

    def forget(self) -> None:
        """The chat, the input line (its undo history too: `setText`) and the note's line emptied: a kiosk's
        reset leaves nothing of the last visitor for the next one to see or undo back."""
        self.chat.clear()
        self.input.setText("")
        self.note.setText(self.talk.memory.note)
        self.note.setModified(False)

    def submit(self) -> None:
        text = self.input.text()
        if text.strip() and self.talk.ask(text):
            self.input.clear()

    # --- what the conversation says -----------------------------------------------------------
    def _on_opened(self, ready: TalkReady) -> None:
        self.input.setMaxLength(ready.block_size)
        self.source.setText(provenance(ready.talk))
        if ready.context is None:
            self.chat.clear()
        else:  # a new model process carries on the conversation: what was said stays on screen
            self.chat.append(_note_html(self.tr("The model process ended and was started again; the conversation "
                                                "goes on where it was.")))
        self._on_verified(ready.proof)
        self.context.show_view(self.talk.conversation.view)

    def _on_started(self, said: Said) -> None:
        self.chat.append(said_html(said))
        model = html.escape(self.tr("Model:"))
        self.chat.append(f'<p><b style="color:{ROLE_COLOURS["model"]}">{model}</b> </p>')
        self._scroll()

    def _on_progressed(self, chars: str) -> None:
        cursor = self.chat.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        fmt = QTextCharFormat()
        fmt.setForeground(QColor("#f2f2f2"))
        cursor.insertText(chars.replace("\n", "↵"), fmt)
        self._scroll()

    def _on_finished(self, text: str, cut: bool) -> None:
        if not text:
            self._on_progressed(self.tr("(an empty reply)"))
        elif cut:  # the engine stopped a reply that ran on: say so, so nobody reads it as finished
            self._on_progressed(self.tr(" … (cut: the reply ran on)"))

    def _on_verified(self, proof: Proof) -> None:
        fp = " ".join(proof.fingerprint[i: i + 4] for i in range(0, 24, 4))
        self._show_fingerprint(self.tr("Fingerprint of all {n} weights (SHA-256): {fp}…").format(
            n=number(proof.total), fp=fp))
        self._show_changed(proof.changed, proof.total)
        self.when.setText(self.tr("Read from the weights again after reply {n}.").format(n=number(proof.replies))
                          if proof.replies else self.tr("Read from the weights when they were frozen."))

    def _on_teaching(self, step: TeachStep) -> None:
        self._show_changed(step.changed, step.flat.size)
        self.when.setText(self.tr("Teaching: step {step} of {steps}. The weights are changing.").format(
            step=number(step.step), steps=number(step.steps)))

    def _on_taught(self, info: Taught) -> None:
        self.source.setText(provenance(self.talk.conversation.model))
        self.when.setText(self.tr("Read from the weights after teaching: {steps} steps, {s} s ({cpu} CPU-seconds, "
                                  "{gflop} GFLOP).").format(steps=number(info.steps), s=fixed(info.seconds, 1),
                                                            cpu=fixed(info.cpu_seconds, 1),
                                                            gflop=number(round(info.flops / 1e9))))
        self.chat.clear()
        self.chat.append(_note_html(self.tr("Taught “{statement}”: {n} weights changed. A new conversation, with "
                                            "nothing in its context: what the model knows now is in its weights.")
                                    .format(statement=info.statement, n=number(info.changed))))

    def _show_changed(self, changed: int, total: int) -> None:
        self.changed.setText(self.tr("Weights changed since training: {changed} of {total}").format(
            changed=number(changed), total=number(total)))
        if self.changed.property("zero") != (changed == 0):
            self.changed.setProperty("zero", changed == 0)
            self.changed.style().unpolish(self.changed)
            self.changed.style().polish(self.changed)

    def _on_cleared(self, note: str) -> None:
        self.chat.clear()
        if note:
            text = self.tr("A new conversation. Memory pasted its note at the top of the context: “{note}”. The "
                           "weights are exactly as they were.").format(note=note)
        else:
            text = self.tr("A new conversation: the context is empty. The weights are exactly as they were.")
        self.chat.append(_note_html(text))

    def _scroll(self) -> None:
        bar = self.chat.verticalScrollBar()
        bar.setValue(bar.maximum())
