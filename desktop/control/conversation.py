"""One conversation with a frozen model, from the window's side, shown a character at a time.

`Conversation` sends the visitor's messages to the model process (`desktop.process.talk` writes the
reply with the model's own `Engine` there) and shows what comes back: the message as the model read
it, the reply as it is written, then the proof read from the engine's weights after the reply
(fingerprint, weights changed since training, the weights themselves for the heatmap) and the
context, lit by what the model read. The reply is shown at `reveal_cps` characters a second so a hall
can read along. A message longer than the whole context window is cut before it leaves; what the
model could not read is reported, never hidden. The same object serves every model Talk opens.
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QObject, QTimer, Signal

from ..i18n import log
from ..process.protocol import (Ask, Cleared, ContextView, NewConversation, Proof, Replied, Resume, Said, TalkModel,
                                TalkReady, Wrote)
from .link import ModelLink


class Conversation(QObject):
    opened = Signal(object)  # TalkReady: a model to talk to (a new one, or one read afresh)
    started = Signal(object)  # Said: a reply has begun
    progressed = Signal(str)  # more characters of the reply, to append
    finished = Signal(str, bool)  # the whole reply, and whether the engine cut it (it ran on)
    verified = Signal(object)  # Proof, after every reply and every new conversation
    context_changed = Signal(object)  # ContextView
    cleared = Signal(str)  # a new conversation began, with this memory note ("" for none)
    costed = Signal(float, float)  # a reply's FLOPs and CPU-seconds, as the model measured them (shown or not)

    def __init__(self, link: ModelLink, reveal_cps: float = 60.0, parent: QObject | None = None):
        super().__init__(parent)
        self.link, self.reveal_cps = link, reveal_cps
        self.model: TalkModel | None = None  # the frozen model talked to, and where it came from
        self.specs: tuple = ()
        self.block_size = 0
        self.model_config: dict = {}
        self.proof: Proof | None = None
        self.view = ContextView((), 0)
        self.settled = self.view  # the context after the last reply or new conversation: where a new model
        # process carries on (`resume`) if this one dies halfway through a reply
        self.last_reply = ""  # the text of the last reply shown in full
        self.is_open = False  # a model is there to talk to (not while it loads, nor after it has gone)
        self._replying = False  # a reply is being written or shown
        self._clearing = False  # a new conversation was asked for and not confirmed yet
        self._skip = 0  # replies still to come that were cancelled: their messages are not shown
        self._written, self._shown, self._t0 = "", 0, 0.0
        self._reply: Replied | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_tick)

    @property
    def busy(self) -> bool:
        return self._replying or self._clearing

    def open(self, ready: TalkReady) -> None:
        self.cancel()
        self.model, self.specs, self.block_size = ready.talk, ready.specs, ready.block_size
        self.model_config, self.proof, self.last_reply = ready.model_config, ready.proof, ""
        self.view = self.settled = ready.context or ContextView((), ready.block_size)
        self.is_open, self._clearing, self._skip = True, False, 0
        self.opened.emit(ready)

    def close(self) -> None:
        """The model it talks to has gone (another scene, a new model, a crash)."""
        self.cancel()
        self.is_open, self._clearing, self._skip = False, False, 0

    def resume(self) -> Resume | None:
        """Where this conversation is, for a new model process to carry on from (None: nothing is open)."""
        if not self.is_open or self.proof is None:
            return None
        v, taught = self.settled, self.model.taught
        return Resume(v.turns(), v.dropped, v.dropped_text, self.proof.replies, taught,
                      self.proof.flat if taught else None)

    # --- actions ----------------------------------------------------------------------------------
    def ask(self, text: str) -> bool:
        """Send the visitor's `text`; the reply streams. False (and nothing happens) while one is running."""
        if self.busy or not self.is_open or not text.strip():
            return False
        self._replying, self._reply = True, None
        self._written, self._shown, self._t0 = "", 0, time.perf_counter()
        self.link.send(Ask(text[: self.block_size], len(text)))
        return True

    def new(self, note: str | None = None) -> None:
        """Empty the context, or start it with a memory `note`; the weights stay as they are (and the
        proof that comes back says so)."""
        if not self.is_open:
            return
        self.cancel()
        self._clearing = True
        self.link.send(NewConversation(note or None))
        self.view = ContextView((), self.block_size)
        self.cleared.emit(note or "")
        self.context_changed.emit(self.view)

    def cancel(self) -> None:
        """Stop showing the reply (the model finishes writing it; what it sends is not shown)."""
        self._timer.stop()
        if self._replying and self._reply is None:
            self._skip += 1
        self._replying = False

    def show_model(self, talk: TalkModel, view: ContextView, proof: Proof) -> None:
        """The model changed where it runs (taught): a fresh conversation with it."""
        self.model, self.view, self.proof, self.last_reply = talk, view, self._whole(proof), ""
        self.settled = view
        self.verified.emit(proof)
        self.context_changed.emit(view)

    # --- what the model sends -----------------------------------------------------------------
    def on_said(self, said: Said) -> None:
        if self._replying and not self._skip:
            self.view = said.context
            self.started.emit(said)
            self.context_changed.emit(self.view)

    def on_wrote(self, wrote: Wrote) -> None:
        if self._replying and not self._skip:
            self._written += wrote.text
            self._on_tick()

    def on_replied(self, reply: Replied) -> None:
        self.costed.emit(float(reply.flops), float(reply.cpu_seconds))  # spent, whether or not it is shown
        if self._skip:
            self._skip -= 1
        elif self._replying:
            self._reply = reply
            self._on_tick()

    def on_cleared(self, cleared: Cleared) -> None:
        if self.is_open:
            self._clearing = False
            self.view, self.proof = cleared.context, self._whole(cleared.proof)
            self.settled = self.view
            self.context_changed.emit(self.view)
            self.verified.emit(self.proof)

    def _whole(self, proof: Proof) -> Proof:
        """`proof` with its weights: the model process sends them only when they differ from the last
        sent, so a proof without them has the same fingerprint as the one held, and its weights."""
        if proof.flat is not None or self.proof is None:
            return proof
        if proof.fingerprint != self.proof.fingerprint:  # never expected: the heatmap keeps what it shows
            log.warning("a proof came without weights for fingerprint %s", proof.fingerprint[:16])
        return dataclasses.replace(proof, flat=self.proof.flat)

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
        self.proof, self.view = self._whole(reply.proof), reply.context
        self.settled = self.view
        self.verified.emit(self.proof)
        self.context_changed.emit(self.view)
        self.finished.emit(reply.text, reply.cut)
