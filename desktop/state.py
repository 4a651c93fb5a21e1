"""The exhibit's state, outside every widget and free of Qt: what a reset puts back.

`ExhibitState` says which scene is on, how training is paced, what the live run has done so far (its
counters, its loss curve, what it said when asked) and which frozen model Talk uses. `context_view`
turns an engine's conversation into what the context panel draws. Views read these; controllers
(`exhibit`, `conversation`) change them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np

from model.tokenizer import END, MODEL, NOTE, PAD, VISITOR

# Training paces, in steps per second; None is as fast as the machine goes.
SPEEDS: tuple[float | None, ...] = (0.5, 1.0, 3.0, 10.0, None)
FULL_SPEED = len(SPEEDS) - 1
MAX_LOSS_POINTS = 20_000  # the loss curve is thinned past this, so drawing it stays cheap
SAMPLES_KEPT = 4  # answers to the story's question shown at once: babble, then words, then answers


@dataclass
class Settings:
    """How an exhibit is set up; tests shrink the model and speed things up here."""

    checkpoint: str | None = None  # the fully trained model; None: the shipped one
    model_config: dict | None = None  # the live run's model; None: the trained model's, or the defaults
    train_config: dict | None = None  # the live run's trainer; None: the trained model's, or the defaults
    worker: str = "process"  # "process" or "thread": see desktop.worker
    threads: int = 0  # the trainer's threads, each computing part of a batch; 0: one per core
    nice: int = 5  # added niceness of the model process
    mmap_threshold: int = 1024 * 1024  # the model process's malloc mmap threshold (see desktop.worker)
    sample_every: float = 5.0  # seconds between the live run's answers to the story's question
    frame_ms: int = 31  # frame clock while training: 32 frames a second, each costing the trainer CPU
    live_every_ms: int = 250  # while training, the counters, loss curve and samples are redrawn at most this often
    reveal_cps: float = 60.0  # characters per second a reply is shown at; 0: as fast as it is written
    save_dir: str | None = None  # where "Save" writes; None: nowhere (saving is off)
    data_dir: str | None = None  # where the lifetime counter of replies is kept; None: this session only


class Mode(enum.Enum):
    TRAIN = "train"
    TALK = "talk"


@dataclass
class Counters:
    """What the live run has spent, as the trainer counted it."""

    step: int = 0
    chars: int = 0  # characters read (tokens, padding excluded)
    flops: float = 0.0  # estimated: 3 x forward FLOPs per token (the trainer's count)
    seconds: float = 0.0  # time spent in optimiser steps, pauses excluded
    cpu_seconds: float = 0.0  # CPU time of the training worker, all its threads
    changed: int = 0  # weights changed by the last step


@dataclass
class Sample:
    step: int
    text: str


@dataclass
class LiveRun:
    """The model trained live from random weights, as the window knows it between workers."""

    model_config: dict
    train_config: dict
    weights: dict[str, np.ndarray]  # the newest weights the window holds (copies)
    trainer_state: dict | None = None  # the trainer's state (optimiser and all) when a worker last ended
    counters: Counters = field(default_factory=Counters)
    losses: list[tuple[int, float]] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)

    def absorb(self, records) -> None:
        """Take the trainer's step records (oldest first) into the counters and the loss curve."""
        for r in records:
            self.losses.append((r.step, r.loss))
        if len(self.losses) > MAX_LOSS_POINTS:  # a kiosk may train for days: keep every other point
            self.losses[:] = self.losses[::2]
        if records:
            r = records[-1]
            c = self.counters
            c.step, c.chars, c.flops, c.seconds, c.changed = r.step, r.chars, r.flops, r.seconds, r.changed

    def add_sample(self, step: int, text: str) -> None:
        if self.samples and self.samples[-1].step == step:
            self.samples[-1] = Sample(step, text)
        else:
            self.samples.append(Sample(step, text))
        del self.samples[:-SAMPLES_KEPT]


@dataclass
class TalkModel:
    """The frozen model Talk uses, and where it came from."""

    kind: str  # "live": the live run as it stood; "trained": the shipped (or a loaded) checkpoint
    steps: int
    seconds: float
    chars: int
    flops: float
    weights: int  # how many
    reference: np.ndarray  # every weight as training left it, flat: "changed since training" counts against this
    taught: list[str] = field(default_factory=list)  # statements taught since (`model.teach`), oldest first
    cpu_seconds: float | None = None  # CPU time training took, all threads (None: not recorded in its file)
    threads: int | None = None  # the trainer's threads, where its file says


@dataclass
class Memory:
    """A chatbot's "memory" feature: a note of the visitor's corrections, pasted into the next
    conversation's context (written by the rule of `model.memory`, which the visitor may also edit)."""

    on: bool = False
    note: str = ""


@dataclass
class ExhibitState:
    mode: Mode = Mode.TRAIN
    running: bool = False  # training runs (when in Train)
    speed: int = FULL_SPEED  # index into SPEEDS
    show_change: bool = False
    font_scale: float = 1.0
    live: LiveRun | None = None
    talk: TalkModel | None = None
    trained_available: bool = False  # a fully trained checkpoint was found
    show_cost: bool = False  # in Talk: the cost of training against the cost of replies, in place of the chat
    show_compare: bool = False  # in Talk: one question to the original, with the memory note, and taught
    memory: Memory = field(default_factory=Memory)
    message: str = ""  # the status line: what just happened, or what went wrong


# --- the context panel's view of a conversation ----------------------------------------------------

_MARKS = frozenset((PAD, VISITOR, MODEL, NOTE, END))  # role and end marks: tokens, but not characters

@dataclass(frozen=True)
class TokenView:
    text: str  # how the token shows
    role: str  # "visitor", "model" or "note": whose turn it belongs to
    special: bool  # a role or end mark, not a character
    attention: float  # share of attention while writing the last reply or its name (0 when none)


@dataclass(frozen=True)
class ContextView:
    tokens: tuple[TokenView, ...]
    dropped: tuple[TokenView, ...]  # fell out of the window, oldest first
    block_size: int
    top: tuple[int, ...] = ()  # indices of the tokens attended to most, most first
    read_for: str = ""  # the name the attention was read for; "": the whole last reply

    @property
    def used(self) -> int:
        return len(self.tokens)


def _turn_tokens(turn, tok, attention, start: int) -> list[TokenView]:
    out = []
    for i, t in enumerate(turn.ids):
        a = float(attention[start + i]) if attention is not None and start + i < len(attention) else 0.0
        out.append(TokenView(tok.token_text(t), turn.role, t in _MARKS, a))
    return out


def context_view(turns, dropped, tok, block_size: int, attention=None, top_k: int = 12,
                 read_for: str = "") -> ContextView:
    """What the model rereads (`turns`), what fell out (`dropped`) and what it read most (`attention`,
    while writing the name `read_for`, or the whole reply)."""
    tokens: list[TokenView] = []
    for turn in turns:
        tokens.extend(_turn_tokens(turn, tok, attention, len(tokens)))
    gone = [tv for turn in dropped for tv in _turn_tokens(turn, tok, None, 0)]
    top: tuple[int, ...] = ()
    if attention is not None and len(tokens):
        a = np.asarray([t.attention for t in tokens])
        order = np.argsort(-a, kind="stable")[:top_k]
        top = tuple(int(i) for i in order if a[i] > 0)
    return ContextView(tuple(tokens), tuple(gone), block_size, top, read_for)
