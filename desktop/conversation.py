"""Talk: one conversation with a frozen model, streamed a character at a time, proved after every reply.

`TalkSession` drives the model's own `Engine`. A reply is written on the window's thread in slices of
a few milliseconds (one token costs well under one), so the window never waits on the model; it is
shown at `reveal_cps` characters a second so a hall can read along. After every reply the session
reads the engine's weights afresh: their SHA-256 fingerprint, how many differ from the weights training
left, and the weights themselves for the heatmap. Junk is cut before it reaches the engine (a message
longer than the whole context window cannot be read anyway), and what the model could not read is
reported, never hidden.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from model.tokenizer import UNK

from .models import Frozen, verify
from .state import ContextView, TalkModel, context_view

SLICE_S = 0.004  # longest a slice of writing holds the window's thread


@dataclass(frozen=True)
class Said:
    """The visitor's message as the model reads it."""

    read: str  # the text of the visitor's turn; unreadable characters show as U+FFFD
    unknown: tuple[tuple[int, str], ...]  # (index in `read`, the character typed there)
    typed: int  # characters typed
    cut: int  # characters cut: the message was longer than the window allows


@dataclass(frozen=True)
class Proof:
    """What the weights are after a reply, read from the engine itself."""

    fingerprint: str
    changed: int  # weights that differ from the weights training left
    total: int
    replies: int  # replies since these weights were frozen
    flat: np.ndarray  # the weights, flat, for the heatmap


class TalkSession(QObject):
    started = Signal(object)  # Said: a reply has begun
    progressed = Signal(str)  # more characters of the reply, to append
    finished = Signal(str)  # the whole reply
    verified = Signal(object)  # Proof, after every reply and every new conversation
    context_changed = Signal(object)  # ContextView
    cleared = Signal()  # a new conversation began

    def __init__(self, frozen: Frozen, reveal_cps: float = 60.0, parent: QObject | None = None):
        super().__init__(parent)
        self.engine = frozen.engine
        self.talk: TalkModel = frozen.talk
        self.specs = [(n, tuple(p.shape)) for n, p in self.engine.model.named_parameters()]
        self.reveal_cps = reveal_cps
        self.replies = 0
        self.proof = Proof(frozen.fingerprint, int(np.count_nonzero(frozen.flat != frozen.talk.reference)),
                           frozen.flat.size, 0, frozen.flat)
        self._gen = None  # the engine's reply generator while it writes
        self._replying = False  # a reply is being written or shown
        self._written = ""
        self._shown = 0
        self._t0 = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_tick)

    @property
    def busy(self) -> bool:
        return self._replying

    @property
    def block_size(self) -> int:
        return self.engine.block_size

    def context(self, attention=None, read_for: str = "") -> ContextView:
        e = self.engine
        return context_view(e.turns, e.dropped, e.tok, e.block_size, attention, read_for=read_for)

    # --- actions ----------------------------------------------------------------------------------
    def ask(self, text: str) -> bool:
        """Send the visitor's `text`; the reply streams. False (and nothing happens) while one is running."""
        if self.busy or not text.strip():
            return False
        typed = len(text)
        self._replying = True
        self._gen = self.engine.reply(text[: self.engine.block_size])
        self._written, self._shown, self._t0 = "", 0, time.perf_counter()
        self._write()  # reads the message and writes the first character now: no wait after Enter
        visitor = next(t for t in reversed(self.engine.turns) if t.role == "visitor")
        ids = visitor.text_ids
        read = self.engine.tok.decode(ids)
        unknown = tuple((i, text[i]) for i, t in enumerate(ids) if t == UNK)  # one token per character
        self.started.emit(Said(read, unknown, typed, typed - len(ids)))
        self.context_changed.emit(self.context())
        self._on_tick()
        return True

    def new_conversation(self) -> None:
        """Empty the context; the weights stay as they are (and the proof says so)."""
        self.cancel()
        self.engine.new_conversation()
        self.cleared.emit()
        self.context_changed.emit(self.context())
        self._verify()

    def cancel(self) -> None:
        self._timer.stop()
        if self._gen is not None:
            self._gen.close()
            self._gen = None
        self._replying = False

    # --- streaming --------------------------------------------------------------------------------
    def _write(self) -> None:
        deadline = time.perf_counter() + SLICE_S
        while self._gen is not None and time.perf_counter() < deadline:
            try:
                self._written += next(self._gen)
            except StopIteration:
                self._gen = None  # written; perhaps still being shown
                break

    def _on_tick(self) -> None:
        if not self._replying:
            return
        if self._gen is not None:
            self._write()
        if self.reveal_cps > 0:
            allowed = 1 + int((time.perf_counter() - self._t0) * self.reveal_cps)
        else:
            allowed = len(self._written)
        if allowed > self._shown and self._shown < len(self._written):
            self.progressed.emit(self._written[self._shown: allowed])
            self._shown = min(allowed, len(self._written))
        if self._gen is None and self._shown >= len(self._written):
            self._finish()
        elif self._gen is not None:
            self._timer.start(0)
        else:
            self._timer.start(max(1, int(1000 / self.reveal_cps)))

    def _finish(self) -> None:
        self._replying = False
        self.replies += 1
        info = self.engine.last
        self._verify()
        if info.name_attention is not None:  # what it read while writing the name is the story
            self.context_changed.emit(self.context(info.name_attention, read_for=info.name))
        else:
            self.context_changed.emit(self.context(info.attention))
        self.finished.emit(self._written)

    def _verify(self) -> None:
        fingerprint, changed, flat = verify(self.engine, self.talk.reference, self.specs)
        self.proof = Proof(fingerprint, changed, flat.size, self.replies, flat)
        self.verified.emit(self.proof)
