"""The model process's life, from the window's side: what it does now, stopping it, starting the next.

`ModelHost` holds the model process (`desktop.worker`: a spawned process, or a thread) and the one
activity it runs: "prepare", "train" or "talk". An activity is started by a message and ends with its
own last word ("prepared", "stopped"/"failed", "talk-ended"/"talk-failed"); the `Exhibit` reads the
messages and tells the host when an activity has ended, so that what waits for it runs. The host
keeps no state of the story. No Qt here.
"""

from __future__ import annotations

import queue
import time
from typing import Callable

import numpy as np

from .loop import EOF_MARK, STOP_TIMEOUT_S, WorkerSetup
from .worker import MODELS


class Training:
    """A run of training as the window holds it: commands, the newest weights, whether it is ready."""

    def __init__(self, model, setup: WorkerSetup, size: int):
        self.model, self.kind, self.pid = model, model.kind, model.pid
        self.slot = model.new_slot(size)
        self.ready = False  # the trainer is built and has published its first weights
        self.done = False
        self._seen_version = 0
        model.send("train", setup, self.slot.ref if self.slot.ref is not None else self.slot)

    def send(self, *cmd) -> None:
        if not self.done:
            self.model.send(*cmd)

    def has_new_weights(self) -> bool:
        return not self.done and self.slot.version() not in (None, self._seen_version)

    def take_snapshot(self) -> tuple[int, np.ndarray] | None:
        got = None if self.done else self.slot.take(self._seen_version)
        if got is None:
            return None
        self._seen_version = got[0]
        return got[1], got[2]

    def end(self) -> None:
        self.done = True
        self.slot.close(unlink=True)


class ModelHost:
    def __init__(self, kind: str, boot: dict, notify: Callable[[], None] | None = None):
        self.kind, self.boot, self.notify = kind, boot, notify  # kind: "process" or "thread"
        self.model = None
        self.activity: str | None = None  # "prepare", "train" or "talk"; None while the model waits
        self.training: Training | None = None
        self.stopping = False  # a stop was asked of the activity; its last word is awaited
        self.keep_final = True  # whether a training run's final state is to be kept
        self.deaths: list[float] = []  # when model processes ended on their own (time.monotonic())
        self._after: list[Callable[[], None]] = []  # to run once the activity has ended

    @property
    def pid(self) -> int | None:
        return None if self.model is None else self.model.pid

    def recent_deaths(self, seconds: float = 600.0) -> int:
        return sum(1 for t in self.deaths if time.monotonic() - t < seconds)

    def _model(self):
        if self.model is None or not self.model.alive():
            if self.model is not None:
                self.model.close(1.0)
            self.model = MODELS[self.kind](self.boot, self.notify)
        return self.model

    def start(self, activity: str, *msg) -> None:
        assert self.activity is None, f"one activity at a time ({self.activity} runs)"
        self.activity, self.stopping, self.keep_final = activity, False, True
        self._model().send(*msg)

    def start_training(self, setup: WorkerSetup, size: int) -> Training:
        assert self.activity is None, f"one activity at a time ({self.activity} runs)"
        self.activity, self.stopping, self.keep_final = "train", False, True
        self.training = Training(self._model(), setup, size)
        return self.training

    def send(self, *msg) -> None:
        """A command for what runs now (or for the model itself, as "save" is)."""
        self._model().send(*msg)

    def poll(self) -> list[tuple]:
        """Every message that arrived, oldest first; never blocks. ("eof",): the model process ended."""
        out = []
        while self.model is not None:
            try:
                msg = self.model.inbox.get_nowait()
            except queue.Empty:
                break
            if msg is EOF_MARK:
                self.deaths.append(time.monotonic())
                self.model.close(1.0)
                self.model = None
                msg = ("eof",)
            elif msg[0] == "ready" and self.training is not None:
                self.training.ready = True
            out.append(msg)
        return out

    def after_stop(self, callback: Callable[[], None]) -> None:
        self._after.append(callback)

    def stop(self, keep: bool = True) -> bool:
        """Ask the activity to end (training: after its step in progress). True if nothing runs."""
        if self.activity is None:
            return True
        self.keep_final = keep if not self.stopping else (self.keep_final and keep)
        if not self.stopping and self.activity in ("train", "talk"):
            self.stopping = True
            self.model.send("stop")
        return False

    def ended(self) -> tuple[bool, list[Callable[[], None]]]:
        """The activity said its last word: (keep its final state?, the callbacks waiting for that)."""
        keep = self.keep_final or not self.stopping
        if self.training is not None:
            self.training.end()
        self.activity, self.training, self.stopping, self.keep_final = None, None, False, True
        callbacks, self._after = self._after, []
        return keep, callbacks

    def shutdown(self, timeout: float = STOP_TIMEOUT_S) -> list[tuple]:
        """End everything, waiting for a training run's final state; the messages that came meanwhile."""
        out: list[tuple] = []
        self._after = []
        if self.model is not None and self.activity == "train":
            if not self.stopping:
                self.model.send("stop")
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.model is not None:
                try:
                    msg = self.model.inbox.get(timeout=0.05)
                except queue.Empty:
                    continue
                if msg is EOF_MARK:
                    break
                out.append(msg)
                if msg[0] in ("stopped", "failed"):
                    break
        if self.training is not None:
            self.training.end()
        self.activity, self.training = None, None
        if self.model is not None:
            self.model.close()
            self.model = None
        return out
