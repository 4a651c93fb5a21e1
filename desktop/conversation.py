"""Talk, from the window's side: one conversation with a frozen model, shown a character at a time.

`TalkSession` sends the visitor's messages to the model process (`desktop.talk_loop` writes the reply
with the model's own `Engine` there) and shows what comes back: the message as the model read it, the
reply as it is written, then the proof read from the engine's weights after the reply (fingerprint,
weights changed since training, the weights themselves for the heatmap) and the context, lit by what
the model read. The reply is shown at `reveal_cps` characters a second so a hall can read along.
Junk is cut before it leaves (a message longer than the whole context window cannot be read anyway),
and what the model could not read is reported, never hidden.
"""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from .state import ContextView, TalkModel
from .talk_loop import Proof, Reply, TalkReady, Taught


class TalkSession(QObject):
    started = Signal(object)  # Said: a reply has begun
    progressed = Signal(str)  # more characters of the reply, to append
    finished = Signal(str)  # the whole reply
    verified = Signal(object)  # Proof, after every reply and every new conversation
    context_changed = Signal(object)  # ContextView
    cleared = Signal(str)  # a new conversation began, with this memory note ("" for none)
    teaching = Signal(object)  # TeachStep: one step of teaching done
    taught = Signal(object)  # Taught: the model is the taught one now, in a fresh conversation
    teach_failed = Signal(str)  # why the statement could not be taught (nothing changed)
    costed = Signal(float, float)  # a reply's FLOPs and CPU-seconds, as the model measured them (shown or not)
    compared = Signal(object)  # [Compared]: one question to the original, the original with a note, the taught

    def __init__(self, ready: TalkReady, send: Callable[..., None], reveal_cps: float = 60.0,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.talk: TalkModel = ready.talk
        self.specs = ready.specs
        self.block_size = ready.block_size
        self.model_config = ready.model_config
        self.proof: Proof = ready.proof
        self.view = ContextView((), (), ready.block_size)
        self.last_reply = ""  # the text of the last reply shown in full
        self.reveal_cps = reveal_cps
        self.closed = False  # the model it talked to has gone (another scene, or a crash)
        self._send = send
        self._replying = False  # a reply is being written or shown
        self._clearing = False  # a new conversation was asked for and not confirmed yet
        self._teaching = False  # teaching was asked for and has not ended yet
        self._comparing = False  # a side-by-side was asked for and has not come back yet
        self._skip = 0  # replies still to come that were cancelled: their messages are not shown
        self._written = ""
        self._shown = 0
        self._reply: Reply | None = None
        self._t0 = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_tick)

    @property
    def busy(self) -> bool:
        return self._replying or self._clearing or self._teaching or self._comparing

    @property
    def teaching_now(self) -> bool:
        return self._teaching

    def context(self) -> ContextView:
        return self.view

    # --- actions ----------------------------------------------------------------------------------
    def ask(self, text: str) -> bool:
        """Send the visitor's `text`; the reply streams. False (and nothing happens) while one is running."""
        if self.busy or self.closed or not text.strip():
            return False
        self._replying, self._reply = True, None
        self._written, self._shown, self._t0 = "", 0, time.perf_counter()
        self._send("ask", text[: self.block_size], len(text))
        return True

    def new_conversation(self, note: str | None = None) -> None:
        """Empty the context, or start it with a memory `note`; the weights stay as they are (and the
        proof that comes back says so)."""
        if self.closed:
            return
        self.cancel()
        self._clearing = True
        self._send("new", note or None)
        self.view = ContextView((), (), self.block_size)
        self.cleared.emit(note or "")
        self.context_changed.emit(self.view)

    def teach(self, statement: str) -> bool:
        """Teach the model `statement` for real (a few training steps where the model runs); the
        steps, then the taught model's proof, come back. False while a reply or teaching runs."""
        if self.busy or self.closed:
            return False
        self._teaching = True
        self._send("teach", statement)
        return True

    def compare(self, question: str, note: str) -> bool:
        """Ask `question` side by side, each in a fresh conversation of its own (this one is left as it
        is): to the original model, to it with the memory `note`, and to the taught model if any."""
        if self.busy or self.closed:
            return False
        self._comparing = True
        self._send("compare", question, note)
        return True

    def cancel(self) -> None:
        """Stop showing the reply (the model finishes writing it; what it sends is not shown)."""
        self._timer.stop()
        if self._replying and self._reply is None:
            self._skip += 1
        self._replying = False

    def close(self) -> None:
        self.cancel()
        self.closed, self._clearing, self._teaching, self._comparing = True, False, False, False

    # --- what the model sends -----------------------------------------------------------------
    def receive(self, msg: tuple) -> None:
        kind = msg[0]
        if kind == "replied":  # spent, whether or not it is shown
            self.costed.emit(float(msg[1].flops), float(msg[1].cpu_seconds))
        elif kind == "compared":
            for c in msg[1]:
                self.costed.emit(float(c.flops), float(c.cpu_seconds))
        if self._skip:
            self._skip -= kind == "replied"
            return
        if kind == "said" and self._replying:
            self.view = msg[2]
            self.started.emit(msg[1])
            self.context_changed.emit(self.view)
        elif kind == "wrote" and self._replying:
            self._written += msg[1]
            self._on_tick()
        elif kind == "replied" and self._replying:
            self._reply = msg[1]
            self._on_tick()
        elif kind == "cleared":
            self._clearing = False
            self.view, self.proof = msg[1], msg[2]
            self.context_changed.emit(self.view)
            self.verified.emit(self.proof)
        elif kind == "teaching" and self._teaching:
            self.teaching.emit(msg[1])
        elif kind == "taught" and self._teaching:
            self._teaching = False
            info: Taught = msg[1]
            self.view, self.proof = msg[2], msg[3]
            self.talk.taught.append(info.statement)
            self.last_reply = ""
            self.verified.emit(self.proof)
            self.context_changed.emit(self.view)
            self.taught.emit(info)
        elif kind == "compared" and self._comparing:
            self._comparing = False
            self.compared.emit(msg[1])
        elif kind == "teach-failed" and self._teaching:
            self._teaching = False
            self.teach_failed.emit(msg[1])

    def _on_tick(self) -> None:
        if not self._replying:
            return
        if self.reveal_cps > 0:
            allowed = 1 + int((time.perf_counter() - self._t0) * self.reveal_cps)
        else:
            allowed = len(self._written)
        if allowed > self._shown and self._shown < len(self._written):
            self.progressed.emit(self._written[self._shown: allowed])
            self._shown = min(allowed, len(self._written))
        if self._reply is not None and self._shown >= len(self._written):
            self._finish()
        elif self._shown < len(self._written):
            self._timer.start(max(1, int(1000 / self.reveal_cps)))
        # else: everything written is shown; the next message from the model ticks again

    def _finish(self) -> None:
        reply, self._reply = self._reply, None
        self._replying = False
        self.last_reply = reply.text
        self.proof, self.view = reply.proof, reply.context
        self.verified.emit(self.proof)
        self.context_changed.emit(self.view)
        self.finished.emit(reply.text)
