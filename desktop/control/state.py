"""What the window's controllers hold, outside every widget and free of Qt: what a reset puts back.

`Settings` says how an exhibit is set up (tests shrink the model and speed things up here); `LiveRun`
is the model trained live from random weights as the window knows it between runs (where the next run
starts, the newest weights shown, its counters, loss curve and answers); `Memory` is the memory
feature's note. Scenes are `Mode` (Train or Talk) and, in Talk, the `Panel` below the heatmap.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np

from ..process.frames import Frame
from ..process.protocol import Counters, LiveState

# Training paces, in steps per second; None is as fast as the machine goes.
SPEEDS: tuple[float | None, ...] = (0.5, 1.0, 3.0, 10.0, None)
FULL_SPEED = len(SPEEDS) - 1
# A presenter's pace: each step's frame is shown (the frame clock ticks ten times a step) and a hall
# can follow the loss falling step by step; `]` or Speed goes faster.
SLOW_MOTION = SPEEDS.index(3.0)
FONT_SCALES = (0.6, 3.0)  # the window's text, smallest and largest, against its normal size
MAX_LOSS_POINTS = 20_000  # the loss curve is thinned past this, so drawing it stays cheap
SAMPLES_KEPT = 4  # answers to the story's question shown at once: babble, then words, then answers


@dataclass
class Settings:
    checkpoint: str | None = None  # the fully trained model; None: the shipped one
    model_config: dict | None = None  # the live run's model; None: the trained model's, or the defaults
    train_config: dict | None = None  # the live run's trainer; None: the trained model's, or the defaults
    worker: str = "process"  # where the model runs: "process" or "thread" (see desktop.process.entry)
    threads: int = 0  # the trainer's threads, each computing part of a batch; 0: one per core
    nice: int = 5  # added niceness of the model process
    mmap_threshold: int = 1024 * 1024  # the model process's malloc mmap threshold (see entry.limit_heap)
    sample_every: float = 5.0  # seconds between the live run's answers to the story's question
    frame_ms: int = 31  # frame clock while training: 32 frames a second, each costing the trainer CPU
    live_every_ms: int = 250  # while training, the counters, loss curve and answers are redrawn at most this often
    reveal_cps: float = 60.0  # characters per second a reply is shown at; 0: as fast as it is written
    save_dir: str | None = None  # where Save writes; None: nowhere (saving is off)
    data_dir: str | None = None  # where the lifetime counter of replies is kept; None: this session only
    # Seconds before a new model process, after 1, 2, 3… deaths in the last ten minutes; the last for ever
    # after (see desktop.control.link.restart_delay): a kiosk's exhibit never gives up.
    restart_delays: tuple[float, ...] = (0.0, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
    font_scale: float = 1.0  # the text's size at the start, and after a reset
    start_speed: int = FULL_SPEED  # the training pace (index into SPEEDS) at the start, and after a reset

    def boot(self) -> dict:
        """How the model process is set up (see desktop.process.entry.process_main)."""
        return {"nice": self.nice, "threads": self.threads, "mmap_threshold": self.mmap_threshold}


class Mode(enum.Enum):
    TRAIN = "train"
    TALK = "talk"


class Panel(enum.Enum):
    """What Talk shows below the heatmap."""

    CHAT = "chat"
    COST = "cost"  # what training cost against what the replies cost
    COMPARE = "compare"  # one question to the original, with the memory note, and taught


@dataclass
class Sample:
    step: int
    text: str


@dataclass
class LiveRun:
    """The model trained live from random weights, as the window knows it between runs."""

    start: LiveState  # where the next training run starts
    flat: np.ndarray  # the newest weights shown, flat
    counters: Counters = field(default_factory=Counters)
    losses: list[tuple[int, float]] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)

    @property
    def train_config(self) -> dict:
        return self.start.train_config

    def absorb(self, frame: Frame) -> None:
        """A frame's counters, weights and the losses of the steps since the previous frame."""
        self.counters, self.flat = frame.counters, frame.weights
        self.losses.extend((int(s), float(v)) for s, v in frame.losses)
        if len(self.losses) > MAX_LOSS_POINTS:  # a kiosk may train for days: keep every other point
            self.losses[:] = self.losses[::2]

    def add_sample(self, step: int, text: str) -> None:
        if self.samples and self.samples[-1].step == step:
            self.samples[-1] = Sample(step, text)
        else:
            self.samples.append(Sample(step, text))
        del self.samples[:-SAMPLES_KEPT]


@dataclass
class Memory:
    """A chatbot's "memory" feature: a note of the visitor's corrections, pasted into the next
    conversation's context (written by the rule of `model.memory`, which the visitor may also edit)."""

    on: bool = False
    note: str = ""
