"""Every message between the window and the model process: one frozen dataclass per kind.

The window sends commands (`Command`); the model process answers with messages (`Message`). Each
side has one dispatcher that picks a handler by type (`desktop.process.server.ModelServer.handle`,
`desktop.control.exhibit.Exhibit.routes`). Everything here is plain data (numpy arrays, tuples, str),
so it crosses a pipe as a copy, and imports neither Qt nor torch.

The model process does one activity at a time: `Prepare`, `Train` or `Talk` starts one; `Stop` ends
it, and every activity ends with its own last word (`LAST_WORDS`). A training run's weights and
counters do not travel here: each step's frame is written into shared memory
(`desktop.process.frames`) and only `Stepped` says that it is there.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np

END_MARK = "<end>"  # how the end of a turn shows (model.tokenizer.SPECIALS)


# --- what both sides hold ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Counters:
    """What the live run has spent, as the trainer counted it."""

    step: int = 0
    chars: int = 0  # characters read (tokens, padding excluded)
    flops: float = 0.0  # estimated: 3 x forward FLOPs per token (the trainer's count)
    seconds: float = 0.0  # time spent in optimiser steps, pauses excluded
    cpu_seconds: float = 0.0  # CPU time of the model process while training, all its threads
    changed: int = 0  # weights changed by the last step


@dataclass(frozen=True)
class LiveState:
    """Everything a training run needs to start where the last one ended."""

    model_config: dict
    train_config: dict
    weights: dict[str, np.ndarray]  # the weights shown (the running average, where there is one)
    trainer_state: dict | None = None  # `Trainer.training_state()`, all numpy: the optimiser's, and more
    counters: Counters = field(default_factory=Counters)


@dataclass(frozen=True)
class TalkModel:
    """The frozen model Talk uses, and where it came from."""

    kind: str  # "live": the live run as it stood; "trained": the shipped (or a loaded) checkpoint
    steps: int
    seconds: float
    chars: int
    flops: float
    weights: int  # how many
    reference: np.ndarray  # every weight as training left it, flat: "changed since training" counts against this
    taught: tuple[str, ...] = ()  # statements taught since (`model.teach`), oldest first
    cpu_seconds: float | None = None  # CPU time training took, all threads (None: not recorded in its file)
    threads: int | None = None  # the trainer's threads, where its file says


@dataclass(frozen=True)
class TokenView:
    text: str  # how the token shows
    role: str  # "visitor", "model" or "note": whose turn it belongs to
    special: bool  # a role or end mark, not a character
    attention: float  # share of attention while writing the last reply or its name (0 when none)


@dataclass(frozen=True)
class ContextView:
    """What the model rereads before its next reply, as the context panel draws it. What fell out of
    the window is a count and its last characters, never the tokens themselves: a conversation of a
    thousand replies sends what one of ten does."""

    tokens: tuple[TokenView, ...]
    block_size: int
    top: tuple[int, ...] = ()  # indices of the tokens attended to most, most first
    read_for: str = ""  # the name the attention was read for; "": the whole last reply
    dropped: int = 0  # tokens of this conversation that fell out of the window
    dropped_text: str = ""  # the last of them as text, "…" first where it is cut (see desktop.process.talk)

    @property
    def used(self) -> int:
        return len(self.tokens)

    def turns(self) -> tuple[tuple[str, str], ...]:
        """(role, text) of every turn, oldest first: what a model process needs to read this context again."""
        out: list[list[str]] = []
        for tv in self.tokens:
            if tv.special and tv.text != END_MARK:  # a role mark opens a turn
                out.append([tv.role, ""])
            elif not tv.special and out:
                out[-1][1] += tv.text
        return tuple((role, text) for role, text in out)


@dataclass(frozen=True)
class Proof:
    """What the weights are, read from the engine itself after a reply."""

    fingerprint: str
    changed: int  # weights that differ from the weights training left
    total: int
    replies: int  # replies since these weights were frozen
    flat: np.ndarray | None  # the weights, flat, for the heatmap; None: those of the proof before (the same
    # fingerprint), which the window holds: unchanged weights are not sent again after every reply


class ProblemKind(enum.Enum):
    """Why something could not be done; the window words each kind in its own language."""

    CHECKPOINT_MISSING = "checkpoint-missing"
    CHECKPOINT_UNREADABLE = "checkpoint-unreadable"  # model.checkpoint.CheckpointError
    NOT_A_CORRECTION = "not-a-correction"  # model.teach.NotACorrection
    NON_FINITE = "non-finite"  # model.trainer.NonFiniteLoss
    LIVE_MISFIT = "live-misfit"  # the live run's weights do not fit its model
    NOT_SAVED = "not-saved"  # the file system refused a checkpoint
    MODEL_GONE = "model-gone"  # the model process ended without a word
    CRASH = "crash"  # anything else: a bug


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    subject: str = ""  # what it is about: a file, a statement
    detail: str = ""  # the technical account, in English, for the terminal


# --- commands: window -> model process --------------------------------------------------------------

@dataclass(frozen=True)
class Prepare:
    """Read the trained model's file and make the live run's random weights: answered by `Prepared`."""

    checkpoint: str | None  # None: the shipped one
    model_config: dict | None = None  # the live run's model; None: the trained model's
    train_config: dict | None = None


@dataclass(frozen=True)
class Train:
    """Train the live run from `start`, writing every step's frame into the shared slot `frames`."""

    start: LiveState
    question: str  # the story's question, asked every `sample_every` seconds
    frames: tuple[str, int]  # the shared memory's name and the number of weights
    running: bool = False
    speed: float | None = None  # steps per second; None: full speed
    sample_every: float = 5.0


@dataclass(frozen=True)
class Resume:
    """Where a conversation was when its model process died: the next one carries on from there."""

    turns: tuple[tuple[str, str], ...]  # (role, text) of every turn the model read, oldest first
    dropped: int = 0  # tokens that had fallen out of the window, and the last of them (ContextView's)
    dropped_text: str = ""
    replies: int = 0  # replies since the weights were frozen
    taught: tuple[str, ...] = ()  # statements taught to the model shown (TalkModel.taught)
    weights: np.ndarray | None = None  # the taught weights, flat, as shown; None: the source's own


@dataclass(frozen=True)
class Talk:
    """Talk to the first of `sources` that opens: a checkpoint's path, or a `LiveState` to freeze;
    with `resume`, as the window last showed it (its weights and its conversation)."""

    sources: tuple
    resume: Resume | None = None


@dataclass(frozen=True)
class Stop:
    """End the activity (training: after its step in progress)."""


@dataclass(frozen=True)
class Run:
    pass


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Step:
    count: int = 1


@dataclass(frozen=True)
class Speed:
    steps_per_s: float | None  # None: full speed


@dataclass(frozen=True)
class Ask:
    text: str  # already cut to the context window
    typed: int  # characters the visitor typed


@dataclass(frozen=True)
class NewConversation:
    note: str | None = None  # the memory note, pasted at the top as a turn of its own


@dataclass(frozen=True)
class Load:
    path: str


@dataclass(frozen=True)
class Restore:
    """Read the model Talk started from afresh, from where it came."""


@dataclass(frozen=True)
class Teach:
    statement: str


@dataclass(frozen=True)
class Compare:
    question: str
    note: str


@dataclass(frozen=True)
class Save:
    """Write `weights` as a checkpoint, whatever activity runs."""

    path: str
    weights: dict[str, np.ndarray]
    model_config: dict
    training: dict


Command = (Prepare | Train | Talk | Stop | Run | Pause | Step | Speed | Ask | NewConversation | Load | Restore
           | Teach | Compare | Save)


# --- messages: model process -> window --------------------------------------------------------------

@dataclass(frozen=True)
class Prepared:
    live: LiveState  # the live run before its first step
    specs: tuple[tuple[str, tuple[int, ...]], ...]  # (name, shape) of every weight, in order
    question: str  # the story's question the live run is asked as it learns
    trained_path: str
    trained_problem: Problem | None  # why there is no trained model (None when there is one)


@dataclass(frozen=True)
class PrepareFailed:
    problem: Problem


@dataclass(frozen=True)
class TrainingReady:
    weights: int  # how many the model has
    widgets_imported: bool  # must stay False in a spawned model process


@dataclass(frozen=True)
class Stepped:
    """A step ended: its frame (weights and counters) is in the shared slot."""

    step: int


@dataclass(frozen=True)
class Paused:
    """Training is paused after `step` (a step in progress when the pause came has landed)."""

    step: int


@dataclass(frozen=True)
class Sampled:
    step: int
    text: str  # the model's answer to the story's question, from the weights of that step


@dataclass(frozen=True)
class TrainingEnded:
    final: LiveState | None  # where the next run starts (None: it failed before it had a trainer)
    problem: Problem | None = None  # why it stopped on its own (None: it was asked to)


@dataclass(frozen=True)
class TalkReady:
    """A model ready to talk to, as the window sees it: where it came from and its weights."""

    talk: TalkModel
    proof: Proof
    specs: tuple = ()
    block_size: int = 0
    model_config: dict = field(default_factory=dict)
    path: str = ""  # the checkpoint it was read from ("" for the live run)
    problem: Problem | None = None  # why an earlier source could not be used
    context: ContextView | None = None  # the conversation carried on (`Talk.resume`); None: a new one


@dataclass(frozen=True)
class Said:
    """The visitor's message as the model reads it: the reply begins."""

    read: str  # the text of the visitor's turn; unreadable characters show as U+FFFD
    unknown: tuple[tuple[int, str], ...]  # (index in `read`, the character typed there)
    typed: int  # characters typed
    cut: int  # characters cut: the message was longer than the window allows
    context: ContextView


@dataclass(frozen=True)
class Wrote:
    text: str  # the next characters of the reply


@dataclass(frozen=True)
class Replied:
    text: str
    name: str  # the first name in it ("" when none): the context is lit for writing it
    context: ContextView  # the context after the reply, lit by what the model read
    proof: Proof
    flops: int = 0  # forward FLOPs the model spent on it, by its own count (`Engine.last.flops`)
    cpu_seconds: float = 0.0  # CPU time of the thread that wrote it
    cut: bool = False  # it ran on (past the longest reply, or round a loop) and the engine cut it


@dataclass(frozen=True)
class Cleared:
    context: ContextView
    proof: Proof


@dataclass(frozen=True)
class TeachStep:
    step: int
    steps: int  # the steps teaching takes
    changed: int  # weights that differ from the weights training left, now
    flat: np.ndarray  # the weights after this step, flat


@dataclass(frozen=True)
class Taught:
    """What teaching did, measured: the model Talk now uses is the taught one, in a fresh conversation."""

    statement: str
    job: str
    name: str
    steps: int
    seconds: float  # wall-clock time of the steps
    cpu_seconds: float  # CPU time of the model process over them, all threads
    flops: float  # the trainer's count: 3 x forward FLOPs per character read
    changed: int  # weights that teaching changed (against the model it started from)
    before: np.ndarray  # the weights before teaching, flat: what the change view compares with
    context: ContextView
    proof: Proof


@dataclass(frozen=True)
class TeachFailed:
    problem: Problem


@dataclass(frozen=True)
class Column:
    """One question asked in a fresh conversation of its own, for the side-by-side view."""

    kind: str  # "original", "memory" (the original, the note pasted) or "taught"
    reply: str
    context: ContextView
    fingerprint: str
    changed: int  # weights that differ from the weights training left
    flops: int = 0
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class Compared:
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class LoadFailed:
    problem: Problem


@dataclass(frozen=True)
class TalkEnded:
    problem: Problem | None = None  # None: it was asked to end


@dataclass(frozen=True)
class Saved:
    path: str


@dataclass(frozen=True)
class SaveFailed:
    problem: Problem


@dataclass(frozen=True)
class ModelGone:
    """Not sent by the model process: the window's side says so when the process has ended on its own."""

    activity: type | None  # Prepare, Train or Talk: what it was doing; None: nothing


Message = (Prepared | PrepareFailed | TrainingReady | Stepped | Paused | Sampled | TrainingEnded | TalkReady | Said
           | Wrote | Replied | Cleared | TeachStep | Taught | TeachFailed | Compared | LoadFailed | TalkEnded | Saved
           | SaveFailed | ModelGone)

# The message that ends each activity: after it, the model process waits for the next command.
LAST_WORDS = (Prepared, PrepareFailed, TrainingEnded, TalkEnded, ModelGone)
