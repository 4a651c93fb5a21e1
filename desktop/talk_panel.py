"""The Talk scene's panel: the proof badge, the chat, the input line, the memory note and the context panel.

The badge shows the fingerprint of all weights and how many changed since training, both read from
the engine after every reply. The chat shows the visitor's message as the model reads it: characters
it cannot read are marked, a message cut to the window's limit says so. Replies stream in a character
at a time. The memory note is shown, and can be edited, in the colour the context panel gives it.
"""

from __future__ import annotations

import html
from typing import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QTextBrowser, QToolButton,
                               QVBoxLayout, QWidget)

from .context_panel import ROLE_COLOURS, ContextPanel
from .conversation import TalkSession
from .state import Memory, TalkModel
from .talk_loop import Proof, Said, Taught, TeachStep


def _tr(text: str) -> str:
    return QCoreApplication.translate("TalkPanel", text)


def provenance(t: TalkModel) -> str:
    if t.kind == "trained":
        text = _tr("The fully trained model: {steps:,} training steps, {minutes:.0f} min of training, "
                   "{chars:.1f} million characters read.").format(steps=t.steps, minutes=t.seconds / 60,
                                                                  chars=t.chars / 1e6)
    else:
        text = _tr("The live model, frozen as it stood: {steps:,} training steps, {seconds:.0f} s of training.").format(
            steps=t.steps, seconds=t.seconds)
    if t.taught:
        text += " " + _tr("Then taught: {statements}").format(statements=" ".join(f"“{x}”" for x in t.taught))
    return text


def said_html(said: Said) -> str:
    text = "".join("\ufffd" if ch == "\ufffd" else "↵" if ch == "\n" else ch for ch in said.read)
    body = html.escape(text).replace("\ufffd", '<span style="background-color:#d55e00; color:#fff">\ufffd</span>')
    out = [f'<p><b style="color:{ROLE_COLOURS["visitor"]}">{html.escape(_tr("You:"))}</b> {body}</p>']
    notes = []
    if said.unknown:
        codes = ", ".join(f"U+{ord(ch):04X}" for _, ch in said.unknown[:8]) + (" …" if len(said.unknown) > 8 else "")
        notes.append(_tr("{n:,} characters the model cannot read are marked \ufffd ({codes}).")
                     .format(n=len(said.unknown), codes=codes))
    if said.cut:
        notes.append(_tr("Cut: the model reads only the first {kept:,} characters ({typed:,} typed).")
                     .format(kept=len(said.read), typed=said.typed))
    if notes:
        out.append(f'<p style="color:#f0a070">{html.escape(" ".join(notes))}</p>')
    return "".join(out)


class TalkPanel(QWidget):
    def __init__(self, ask: Callable[[str], bool], actions: list, memory_actions: list,
                 edit_note: Callable[[str], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TalkPanel")
        self._ask = ask
        self._edit_note = edit_note
        self.session: TalkSession | None = None
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
        self.input.setPlaceholderText(_tr("Ask the model something, then press Enter (try: who does the books?)"))
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

    def _badge(self) -> QWidget:
        box = QFrame()
        box.setObjectName("Badge")
        v = QVBoxLayout(box)
        self.source = QLabel()
        self.source.setObjectName("Source")
        self.source.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("Fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changed = QLabel()
        self.changed.setObjectName("Changed")
        self.when = QLabel()
        self.when.setObjectName("When")
        for w in (self.source, self.fingerprint, self.changed, self.when):
            w.setWordWrap(True)  # big fonts wrap; they never widen the window past the screen
            w.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            v.addWidget(w)
        return box

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
        self.note.setPlaceholderText(_tr("The memory note is empty"))
        self.note.editingFinished.connect(lambda: self._edit_note(self.note.text()))
        row.addWidget(toggle)
        row.addWidget(self.note, 1)
        row.addWidget(clear)
        v.addLayout(row)
        self.memory_rule = QLabel(_tr("The note's rule: a sentence of yours naming someone for a job is written in as "
                                      "“the job: Name.”, replacing an older one for that job. No model writes it."))
        self.memory_rule.setObjectName("MemoryRule")
        self.memory_rule.setWordWrap(True)
        self.memory_rule.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        v.addWidget(self.memory_rule)
        return box

    def show_memory(self, memory: Memory) -> None:
        if self.note.text() != memory.note and not (self.note.hasFocus() and self.note.isModified()):
            self.note.setText(memory.note)  # never over what the visitor is typing
            self.note.setModified(False)

    def hasHeightForWidth(self) -> bool:
        # Wrapped labels inside would make the window's layout reserve their tallest wrap (hundreds of
        # pixels) and starve the heatmap; the scene's height is set by stretch alone.
        return False

    # --- the session --------------------------------------------------------------------------
    def attach(self, session: TalkSession) -> None:
        if self.session is not None:
            for sig in (self.session.started, self.session.progressed, self.session.finished,
                        self.session.verified, self.session.context_changed, self.session.cleared,
                        self.session.teaching, self.session.taught):
                sig.disconnect()
        self.session = session
        session.started.connect(self._on_started)
        session.progressed.connect(self._on_progressed)
        session.finished.connect(self._on_finished)
        session.verified.connect(self._on_verified)
        session.context_changed.connect(self.context.show_view)
        session.cleared.connect(self._on_cleared)
        session.teaching.connect(self._on_teaching)
        session.taught.connect(self._on_taught)
        self.input.setMaxLength(session.block_size)
        self.source.setText(provenance(session.talk))
        self.chat.clear()
        self._on_verified(session.proof)
        self.context.show_view(session.context())

    def submit(self) -> None:
        text = self.input.text()
        if text.strip() and self._ask(text):
            self.input.clear()

    def _on_started(self, said: Said) -> None:
        self.chat.append(said_html(said))
        self.chat.append(f'<p><b style="color:{ROLE_COLOURS["model"]}">{html.escape(_tr("Model:"))}</b> </p>')
        self._scroll()

    def _on_progressed(self, chars: str) -> None:
        cursor = self.chat.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        fmt = QTextCharFormat()
        fmt.setForeground(QColor("#f2f2f2"))
        cursor.insertText(chars.replace("\n", "↵"), fmt)
        self._scroll()

    def _on_finished(self, text: str) -> None:
        if not text:
            self._on_progressed(_tr("(an empty reply)"))

    def _on_verified(self, proof: Proof) -> None:
        fp = proof.fingerprint
        self.fingerprint.setText(_tr("Fingerprint of all {n:,} weights (SHA-256): {fp}…")
                                 .format(n=proof.total, fp=" ".join(fp[i: i + 4] for i in range(0, 24, 4))))
        self._show_changed(proof.changed, proof.total)
        self.when.setText(_tr("Read from the weights again after reply {n}.").format(n=proof.replies)
                          if proof.replies else _tr("Read from the weights when they were frozen."))

    def _on_teaching(self, step: TeachStep) -> None:
        self._show_changed(step.changed, step.flat.size)
        self.when.setText(_tr("Teaching: step {step} of {steps}. The weights are changing.").format(
            step=step.step, steps=step.steps))

    def _on_taught(self, info: Taught) -> None:
        self.source.setText(provenance(self.session.talk))
        self.when.setText(_tr("Read from the weights after teaching: {steps} steps, {s:.1f} s ({cpu:.1f} CPU-seconds, "
                              "{gflop:,.0f} GFLOP).").format(steps=info.steps, s=info.seconds, cpu=info.cpu_seconds,
                                                             gflop=info.flops / 1e9))
        self.chat.clear()
        text = _tr("Taught “{statement}”: {n:,} weights changed. A new conversation, with nothing in its context: "
                   "what the model knows now is in its weights.").format(statement=info.statement, n=info.changed)
        self.chat.append(f'<p style="color:#8a8f98">{html.escape(text)}</p>')

    def _show_changed(self, changed: int, total: int) -> None:
        self.changed.setText(_tr("Weights changed since training: {changed:,} of {total:,}")
                             .format(changed=changed, total=total))
        if self.changed.property("zero") != (changed == 0):
            self.changed.setProperty("zero", changed == 0)
            self.changed.style().unpolish(self.changed)
            self.changed.style().polish(self.changed)

    def _on_cleared(self, note: str) -> None:
        self.chat.clear()
        if note:
            text = _tr("A new conversation. Memory pasted its note at the top of the context: “{note}”. The "
                       "weights are exactly as they were.").format(note=note)
        else:
            text = _tr("A new conversation: the context is empty. The weights are exactly as they were.")
        self.chat.append(f'<p style="color:#8a8f98">{html.escape(text)}</p>')

    def _scroll(self) -> None:
        bar = self.chat.verticalScrollBar()
        bar.setValue(bar.maximum())
