"""Talk, where the model runs: one frozen `Engine`, its replies streamed back, proved after every one.

`TalkRun` is one activity of the model process (`desktop.process.server`). It opens the first source
of a `Talk` command that loads, then answers: `Ask` (the reply streams as `Said`, `Wrote`…, `Replied`
with the proof), `NewConversation`, `Load` and `Restore` (a model read afresh), `Teach` (real training
steps on a correction, each step shown) and `Compare` (one question, three fresh conversations). It
knows nothing of Qt.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np

from model.corpus import ROLE_TOKEN, TRAINED
from model.engine import Engine, Turn, single_thread
from model.reading import parse_correction
from model.teach import NotACorrection, TeachConfig, taught_world, teach
from model.tokenizer import END, MODEL, NOTE, PAD, UNK, VISITOR

from .models import Frozen, engine_flat, freeze_live, load_trained, problem_of, verify, with_weights
from .protocol import (Ask, Cleared, Column, Compare, Compared, ContextView, Load, LoadFailed, NewConversation,
                       Problem, ProblemKind, Proof, Replied, Restore, Resume, Said, TalkReady, Taught, Teach,
                       TeachFailed, TeachStep, TokenView, Wrote)
from .weights import flatten, specs_of

WRITE_BATCH_S = 0.004  # characters written within this long travel to the window together
DROPPED_SHOWN = 160  # characters of what fell out of the window kept to show; the rest is only counted
_MARKS = frozenset((PAD, VISITOR, MODEL, NOTE, END))  # role and end marks: tokens, but not characters


def _open(source) -> Frozen:
    return load_trained(source) if isinstance(source, str) else freeze_live(source)


def _problem(error: Exception, source) -> Problem:
    if isinstance(source, str):
        return problem_of(error, source)
    return Problem(ProblemKind.LIVE_MISFIT, "", str(error))


class TalkRun:
    def __init__(self, sources: tuple, send: Callable[[object], None], threads: int = 1,
                 resume: Resume | None = None):
        self.send, self.threads = send, threads
        self.source = None  # where the model came from, for Restore
        self.opened = False
        problem = None
        for source in sources:
            try:
                frozen = _open(source)
            except Exception as e:  # CheckpointError, or a live state that does not fit the model
                problem = problem or _problem(e, source)
                continue
            self.source, self.opened = source, True
            try:
                self._use(frozen, problem, resume)
            except ValueError:  # taught weights that do not fit this model (never sent): as it came
                self._use(frozen, problem)
            return
        self.problem = problem or Problem(ProblemKind.CRASH, "", "nothing to talk to")

    def _use(self, frozen: Frozen, problem: Problem | None = None, resume: Resume | None = None) -> None:
        self.original = frozen.engine.model  # as it came: teaching works on a copy
        if resume is not None and resume.weights is not None:
            frozen = with_weights(frozen, resume.weights, resume.taught)
        self.engine, self.talk, self.replies, self.world = frozen.engine, frozen.talk, 0, dict(TRAINED)
        self.mix = frozen.mix
        self.specs = specs_of(self.engine.model.named_parameters())
        self._sent = ""  # the fingerprint of the weights last sent to the window
        self._forget_dropped()
        for statement in self.talk.taught:  # who does what, as teaching left it
            job_name = parse_correction(statement)
            if job_name is not None:
                self.world[job_name[0]] = job_name[1]
        if resume is not None:
            self._carry_on(resume)
        self.send(TalkReady(self.talk, self._proof(), self.specs, self.engine.block_size,
                            self.engine.model.config.to_dict(), frozen.path, problem,
                            self.context() if resume is not None else None))

    def _carry_on(self, resume: Resume) -> None:
        """The conversation as the window last showed it, read again from its text: every turn, what had
        fallen out of the window, and the count of replies."""
        e = self.engine
        e.new_conversation()
        for role, text in resume.turns:
            if role in ROLE_TOKEN:
                e.turns.append(Turn(role, [ROLE_TOKEN[role], *e.tok.encode(text), END]))
        while len(e.context) > e.block_size and len(e.turns) > 1:  # never more than the window holds
            e.turns.pop(0)
        self.replies, self._dropped = resume.replies, resume.dropped
        self._dropped_tail = resume.dropped_text.removeprefix("…")
        self._dropped_cut = resume.dropped_text.startswith("…")

    # --- commands -------------------------------------------------------------------------------
    def new_conversation(self, cmd: NewConversation) -> None:
        self.engine.new_conversation(note=cmd.note)
        self._forget_dropped()
        self.send(Cleared(self.context(), self._proof()))

    def load(self, cmd: Load | Restore) -> None:
        """A model read afresh: from `cmd.path`, or (Restore) from where the first one came."""
        source = cmd.path if isinstance(cmd, Load) else self.source
        try:
            frozen = _open(source)
        except Exception as e:
            self.send(LoadFailed(_problem(e, source)))
        else:
            self.source = source
            self._use(frozen)

    def ask(self, cmd: Ask) -> None:
        spent = [0.0]  # CPU-seconds of the model's own work: the views and messages for the window are not
        with single_thread():  # a reply is a chain of tiny operations: a second thread only waits
            e = self.engine
            chars = _timed(e.reply(cmd.text[: e.block_size]), spent)
            first = next(chars, "")  # reads the message and writes the first character
            ids = next(t for t in reversed(e.turns) if t.role == "visitor").text_ids
            unknown = tuple((i, cmd.text[i]) for i, t in enumerate(ids) if t == UNK)  # one token per character
            self.send(Said(e.tok.decode(ids), unknown, cmd.typed, cmd.typed - len(ids), self.context()))
            pending, t0 = first, time.perf_counter()
            for ch in chars:
                pending += ch
                if time.perf_counter() - t0 >= WRITE_BATCH_S:
                    self.send(Wrote(pending))
                    pending, t0 = "", time.perf_counter()
            if pending:
                self.send(Wrote(pending))
        cpu = spent[0]
        self.replies += 1
        info = e.last
        if info.name_attention is not None:  # what it read while writing the name is the story
            view = self.context(info.name_attention, read_for=info.name)
        else:
            view = self.context(info.attention)
        self.send(Replied(info.text, info.name, view, self._proof(), info.flops, cpu, info.truncated))

    def teach(self, cmd: Teach) -> None:
        """Fine-tune a copy of the model on the statement (`model.teach`), showing every step; then talk
        to the taught model in a fresh conversation. Restore reads the original afresh."""
        e, cfg = self.engine, TeachConfig()
        before = engine_flat(e, self.specs)

        def on_step(record, trainer) -> None:
            flat = flatten(trainer.shown_snapshot(), self.specs)
            changed = int(np.count_nonzero(flat != self.talk.reference))
            self.send(TeachStep(record.step, cfg.steps, changed, flat))

        cpu0 = time.process_time()
        try:
            result = teach(e.model, e.tok, cmd.statement, self.world, cfg, on_step, self.threads, self.mix)
        except NotACorrection as err:
            self.send(TeachFailed(problem_of(err, cmd.statement)))
            return
        cpu = time.process_time() - cpu0
        self.world = taught_world(self.world, result)
        self.engine = Engine(result.model, e.tok)
        self.engine.new_conversation()
        self._forget_dropped()
        self.send(Taught(cmd.statement, result.job, result.name, result.steps, result.seconds, cpu, result.flops,
                         result.changed, before, self.context(), self._proof()))

    def compare(self, cmd: Compare) -> None:
        """The question in a fresh conversation of its own to the original model, to the original with
        the memory note pasted, and (when it has been taught) to the taught model. Talk's own
        conversation is left as it is: each is asked of a new engine, which copies the weights."""
        asked = [("original", self.original, None), ("memory", self.original, cmd.note or None)]
        if self.engine.model is not self.original:
            asked.append(("taught", self.engine.model, None))
        out = []
        with single_thread():
            for kind, model, pasted in asked:
                engine = Engine(model, self.engine.tok)
                engine.new_conversation(note=pasted)
                cpu0 = time.thread_time()
                reply = engine.reply_text(cmd.question)
                cpu = time.thread_time() - cpu0
                view = context_view(engine, engine.last.attention)
                fingerprint, changed, _ = verify(engine, self.talk.reference, self.specs)
                out.append(Column(kind, reply, view, fingerprint, changed, engine.last.flops, cpu))
        self.send(Compared(tuple(out)))

    # --- what is sent -------------------------------------------------------------------------
    def context(self, attention=None, read_for: str = "") -> ContextView:
        self._take_dropped()
        shown = ("…" if self._dropped_cut else "") + self._dropped_tail.strip()
        return context_view(self.engine, attention, read_for=read_for, dropped=self._dropped, dropped_text=shown)

    def _take_dropped(self) -> None:
        """Count the turns that fell out of the window since, keep their last characters, and let them go:
        the engine would keep every one for as long as the conversation lasts."""
        e = self.engine
        for turn in e.dropped:
            text = "".join(" " if t in _MARKS else e.tok.token_text(t) for t in turn.ids)
            self._dropped += len(turn.ids)
            joined = self._dropped_tail + text
            self._dropped_tail, self._dropped_cut = joined[-DROPPED_SHOWN:], self._dropped_cut or len(joined) > DROPPED_SHOWN
        e.dropped.clear()

    def _forget_dropped(self) -> None:
        self._dropped, self._dropped_tail, self._dropped_cut = 0, "", False

    def _proof(self) -> Proof:
        """Read from the engine's weights every time; the weights themselves go only when they differ
        from those sent last (the window holds those)."""
        fingerprint, changed, flat = verify(self.engine, self.talk.reference, self.specs)
        fresh, self._sent = fingerprint != self._sent, fingerprint
        return Proof(fingerprint, changed, flat.size, self.replies, flat if fresh else None)


def _timed(items, spent: list[float]):
    """The items of the generator `items`, adding the thread's CPU time spent making them into spent[0]."""
    while True:
        t0 = time.thread_time()
        try:
            item = next(items)
        except StopIteration:
            return
        finally:
            spent[0] += time.thread_time() - t0
        yield item


def _turn_tokens(turn, tok, attention, start: int) -> list[TokenView]:
    out = []
    for i, t in enumerate(turn.ids):
        a = float(attention[start + i]) if attention is not None and start + i < len(attention) else 0.0
        out.append(TokenView(tok.token_text(t), turn.role, t in _MARKS, a))
    return out


def context_view(engine: Engine, attention=None, top_k: int = 12, read_for: str = "", dropped: int = 0,
                 dropped_text: str = "") -> ContextView:
    """What the engine rereads (its turns) and what it read most (`attention`, while writing the name
    `read_for`, or the whole reply); `dropped` tokens fell out of the window, ending in `dropped_text`."""
    tokens: list[TokenView] = []
    for turn in engine.turns:
        tokens.extend(_turn_tokens(turn, engine.tok, attention, len(tokens)))
    top: tuple[int, ...] = ()
    if attention is not None and len(tokens):
        a = np.asarray([t.attention for t in tokens])
        order = np.argsort(-a, kind="stable")[:top_k]
        top = tuple(int(i) for i in order if a[i] > 0)
    return ContextView(tuple(tokens), engine.block_size, top, read_for, dropped, dropped_text)
