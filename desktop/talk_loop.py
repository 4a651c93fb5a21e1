"""Talk, where the model runs: one frozen `Engine`, its replies streamed back, proved after every one.

`TalkLoop` runs in the model process beside `desktop.loop.TrainingLoop` (one of them at a time), so the
window's own process never imports torch. It knows nothing of Qt: commands come in on a connection and
messages go out on it, all plain data (numpy arrays, dataclasses), copies by nature.

Commands: ("ask", text, typed), ("new", note or None), ("load", path), ("stop",), and what every
activity of the model process understands ("save", …: see `desktop.worker`). A `note` (the memory
feature's) is pasted at the top of the new conversation, as a turn of its own.
Messages: ("talking", TalkReady) when a model is ready (again after a "load"), ("said", Said, ContextView)
once the visitor's message is read, ("wrote", text) as the reply is written, ("replied", Reply) with the
proof, ("cleared", ContextView, Proof) after "new", ("load-failed", why), and at the end ("talk-ended",)
or ("talk-failed", why).
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .loop import WorkerState
from .state import ContextView, TalkModel, context_view

WRITE_BATCH_S = 0.004  # characters written within this long travel to the window together


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


@dataclass(frozen=True)
class Reply:
    text: str
    name: str  # the first name in it ("" when none): the context is lit for writing it
    context: ContextView  # the context after the reply, lit by what the model read
    proof: Proof


@dataclass(frozen=True)
class TalkReady:
    """A model ready to talk to, as the window sees it: where it came from and its weights."""

    talk: TalkModel
    proof: Proof
    specs: list = field(default_factory=list)  # (name, shape) of every weight, in order
    block_size: int = 0
    model_config: dict = field(default_factory=dict)
    path: str = ""  # the checkpoint it was read from ("" for the live run)
    error: str = ""  # why an earlier source could not be used ("" when none)


@dataclass
class TalkSetup:
    """What to talk to: each source a checkpoint path or the live run's state, tried in order."""

    sources: list = field(default_factory=list)


def _open(source):
    from . import models

    if isinstance(source, WorkerState):
        return models.freeze_live(source)
    return models.load_trained(str(source))


class TalkLoop:
    def __init__(self, setup: TalkSetup, conn, other: Callable[[object, tuple], None] | None = None):
        self.setup, self.conn, self.other = setup, conn, other
        self.engine = None
        self.talk: TalkModel | None = None
        self.specs: list = []
        self.replies = 0

    def run(self) -> None:
        try:
            if self._first():
                while self._command(self.conn.recv()):
                    pass
            self.conn.send(("talk-ended",))
        except (EOFError, BrokenPipeError, OSError):
            pass  # the window is gone
        except BaseException:
            try:
                self.conn.send(("talk-failed", traceback.format_exc()))
            except (EOFError, BrokenPipeError, OSError):
                pass

    def _first(self) -> bool:
        errors = []
        for source in self.setup.sources:
            try:
                frozen = _open(source)
            except Exception as e:  # CheckpointError, or a live state that does not fit the model
                errors.append(str(e))
                continue
            self._use(frozen, "; ".join(errors))
            return True
        self.conn.send(("talk-failed", "; ".join(errors) or "nothing to talk to"))
        return False

    def _use(self, frozen, error: str = "") -> None:
        from .layout import specs_of

        self.engine, self.talk, self.replies = frozen.engine, frozen.talk, 0
        self.specs = specs_of(self.engine.model.named_parameters())
        self.conn.send(("talking", TalkReady(self.talk, self._proof(), self.specs, self.engine.block_size,
                                          self.engine.model.config.to_dict(), frozen.path, error)))

    def _command(self, cmd: tuple) -> bool:
        kind = cmd[0]
        if kind == "stop":
            return False
        if kind == "ask":
            self._ask(cmd[1], cmd[2])
        elif kind == "new":
            self.engine.new_conversation(note=cmd[1] if len(cmd) > 1 else None)
            self.conn.send(("cleared", self.context(), self._proof()))
        elif kind == "load":
            try:
                frozen = _open(cmd[1])
            except Exception as e:
                self.conn.send(("load-failed", str(e)))
            else:
                self._use(frozen)
        elif self.other is not None:
            self.other(self.conn, cmd)
        return True

    def context(self, attention=None, read_for: str = "") -> ContextView:
        e = self.engine
        return context_view(e.turns, e.dropped, e.tok, e.block_size, attention, read_for=read_for)

    def _ask(self, text: str, typed: int) -> None:
        from model.engine import single_thread

        with single_thread():  # a reply is a chain of tiny operations: a second thread only waits
            self._write(text, typed)

    def _write(self, text: str, typed: int) -> None:
        from model.tokenizer import UNK

        e = self.engine
        gen = e.reply(text[: e.block_size])
        first = next(gen, "")  # reads the message and writes the first character
        ids = next(t for t in reversed(e.turns) if t.role == "visitor").text_ids
        unknown = tuple((i, text[i]) for i, t in enumerate(ids) if t == UNK)  # one token per character
        self.conn.send(("said", Said(e.tok.decode(ids), unknown, typed, typed - len(ids)), self.context()))
        pending, t0 = first, time.perf_counter()
        for ch in gen:
            pending += ch
            if time.perf_counter() - t0 >= WRITE_BATCH_S:
                self.conn.send(("wrote", pending))
                pending, t0 = "", time.perf_counter()
        if pending:
            self.conn.send(("wrote", pending))
        self.replies += 1
        info = e.last
        if info.name_attention is not None:  # what it read while writing the name is the story
            view = self.context(info.name_attention, read_for=info.name)
        else:
            view = self.context(info.attention)
        self.conn.send(("replied", Reply(info.text, info.name, view, self._proof())))

    def _proof(self) -> Proof:
        from .models import verify

        fingerprint, changed, flat = verify(self.engine, self.talk.reference, self.specs)
        return Proof(fingerprint, changed, flat.size, self.replies, flat)
