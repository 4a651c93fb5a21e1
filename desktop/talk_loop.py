"""Talk, where the model runs: one frozen `Engine`, its replies streamed back, proved after every one.

`TalkLoop` runs in the model process beside `desktop.loop.TrainingLoop` (one of them at a time), so the
window's own process never imports torch. It knows nothing of Qt: commands come in on a connection and
messages go out on it, all plain data (numpy arrays, dataclasses), copies by nature.

Commands: ("ask", text, typed), ("new", note or None), ("load", path), ("teach", statement),
("restore",), ("compare", question, note), ("stop",), and what every activity of the model process
understands ("save", …: see `desktop.worker`). A `note` (the memory feature's) is pasted at the top of
the new conversation, as a turn of its own.
Messages: ("talking", TalkReady) when a model is ready (again after a "load" or a "restore", which reads
the model afresh from where it came), ("said", Said, ContextView) once the visitor's message is read,
("wrote", text) as the reply is written, ("replied", Reply) with the proof, ("cleared", ContextView,
Proof) after "new", ("teaching", TeachStep) after every step of teaching, then ("taught", Taught,
ContextView, Proof) or ("teach-failed", why), ("compared", [Compared, ...]), ("load-failed", why), and at
the end ("talk-ended",) or ("talk-failed", why).
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
    flops: int = 0  # forward FLOPs the model spent on it, by its own count (`Engine.last.flops`)
    cpu_seconds: float = 0.0  # CPU time of the thread that wrote it, measured


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


@dataclass(frozen=True)
class TeachStep:
    """One step of teaching, as the heatmap shows it."""

    step: int
    steps: int  # the steps teaching takes
    changed: int  # weights that differ from the weights training left, now
    flat: np.ndarray  # the weights after this step, flat


@dataclass(frozen=True)
class Taught:
    """What teaching did, measured: the model Talk now uses is the taught one."""

    statement: str
    job: str
    name: str
    steps: int
    seconds: float  # wall-clock time of the steps
    cpu_seconds: float  # CPU time of the model process over them, all threads
    flops: float  # the trainer's count: 3 x forward FLOPs per character read
    changed: int  # weights that teaching changed (against the model it started from)
    before: np.ndarray  # the weights before teaching, flat: what the change view compares with


@dataclass(frozen=True)
class Compared:
    """One question asked in a fresh conversation of its own, for the side-by-side view."""

    kind: str  # "original", "memory" (the original, the note pasted) or "taught"
    reply: str
    context: ContextView
    fingerprint: str
    changed: int  # weights that differ from the weights training left
    flops: int = 0  # the reply's forward FLOPs, by the engine's own count
    cpu_seconds: float = 0.0


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
    def __init__(self, setup: TalkSetup, conn, other: Callable[[object, tuple], None] | None = None,
                 threads: int = 1):
        self.setup, self.conn, self.other, self.threads = setup, conn, other, threads
        self.engine = None
        self.talk: TalkModel | None = None
        self.source = None  # where the model came from, for "restore"
        self.world: dict[str, str] = {}  # who does which job, as the model was trained and taught
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
            self.source = source
            self._use(frozen, "; ".join(errors))
            return True
        self.conn.send(("talk-failed", "; ".join(errors) or "nothing to talk to"))
        return False

    def _use(self, frozen, error: str = "") -> None:
        from model.corpus import TRAINED

        from .layout import specs_of

        self.engine, self.talk, self.replies, self.world = frozen.engine, frozen.talk, 0, dict(TRAINED)
        self.original = frozen.engine.model  # as it came: teaching works on a copy
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
        elif kind in ("load", "restore"):
            source = cmd[1] if kind == "load" else self.source
            try:
                frozen = _open(source)
            except Exception as e:
                self.conn.send(("load-failed", str(e)))
            else:
                self.source = source
                self._use(frozen)
        elif kind == "teach":
            self._teach(cmd[1])
        elif kind == "compare":
            self._compare(cmd[1], cmd[2])
        elif self.other is not None:
            self.other(self.conn, cmd)
        return True

    def context(self, attention=None, read_for: str = "") -> ContextView:
        e = self.engine
        return context_view(e.turns, e.dropped, e.tok, e.block_size, attention, read_for=read_for)

    def _ask(self, text: str, typed: int) -> None:
        from model.engine import single_thread

        with single_thread():  # a reply is a chain of tiny operations: a second thread only waits
            cpu0 = time.thread_time()
            self._write(text, typed, cpu0)

    def _write(self, text: str, typed: int, cpu0: float) -> None:
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
        cpu = time.thread_time() - cpu0  # the reply's own work: not the context view or the proof after it
        self.replies += 1
        info = e.last
        if info.name_attention is not None:  # what it read while writing the name is the story
            view = self.context(info.name_attention, read_for=info.name)
        else:
            view = self.context(info.attention)
        self.conn.send(("replied", Reply(info.text, info.name, view, self._proof(), info.flops, cpu)))

    def _teach(self, statement: str) -> None:
        """Fine-tune the model on `statement` (`model.teach`), showing every step; then talk to the
        taught model, in a fresh conversation. The model it started from is left as it was (teaching
        works on a copy); "restore" reads the original afresh from where it came."""
        from model.engine import Engine
        from model.teach import NotACorrection, TeachConfig, taught_world, teach

        from .layout import flatten
        from .models import engine_flat

        e, cfg = self.engine, TeachConfig()
        before = engine_flat(e, self.specs)

        def on_step(record, trainer) -> None:
            flat = flatten(trainer.shown_snapshot(), self.specs)
            changed = int(np.count_nonzero(flat != self.talk.reference))
            self.conn.send(("teaching", TeachStep(record.step, cfg.steps, changed, flat)))

        cpu0 = time.process_time()
        try:
            result = teach(e.model, e.tok, statement, self.world, cfg, on_step, self.threads)
        except NotACorrection as err:
            self.conn.send(("teach-failed", str(err)))
            return
        cpu = time.process_time() - cpu0
        self.world = taught_world(self.world, result)
        self.engine = Engine(result.model, e.tok)
        self.engine.new_conversation()
        info = Taught(statement, result.job, result.name, result.steps, result.seconds, cpu, result.flops,
                      result.changed, before)
        self.conn.send(("taught", info, self.context(), self._proof()))

    def _compare(self, question: str, note: str) -> None:
        """`question` in a fresh conversation of its own to the original model, to the original with
        the memory `note` pasted, and (when it has been taught) to the taught model. Talk's own
        conversation is left as it is: each is asked of a new engine, which copies the weights."""
        from model.engine import Engine, single_thread

        from .models import verify

        asked = [("original", self.original, None), ("memory", self.original, note or None)]
        if self.engine.model is not self.original:
            asked.append(("taught", self.engine.model, None))
        out = []
        with single_thread():
            for kind, model, pasted in asked:
                engine = Engine(model, self.engine.tok)
                engine.new_conversation(note=pasted)
                cpu0 = time.thread_time()
                reply = engine.reply_text(question)
                cpu = time.thread_time() - cpu0
                view = context_view(engine.turns, engine.dropped, engine.tok, engine.block_size, engine.last.attention)
                fingerprint, changed, _ = verify(engine, self.talk.reference, self.specs)
                out.append(Compared(kind, reply, view, fingerprint, changed, engine.last.flops, cpu))
        self.conn.send(("compared", out))

    def _proof(self) -> Proof:
        from .models import verify

        fingerprint, changed, flat = verify(self.engine, self.talk.reference, self.specs)
        return Proof(fingerprint, changed, flat.size, self.replies, flat)
