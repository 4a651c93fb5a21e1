"""The training worker's life, from the window's side: start, stop, join, and a spare made ahead of need.

`WorkerHost` holds at most one worker, the workers that said their last word but have not exited yet
(joined later, never waited for on the window's thread), and for the process worker one spare
process started while nothing trains, so that the next switch to Train starts at once. It keeps no
state of the story: the `Exhibit` decides what a worker's final state means. No Qt here.
"""

from __future__ import annotations

import time
from typing import Callable

from .loop import STOP_TIMEOUT_S, WorkerSetup
from .worker import WORKERS, Spawned, TrainingWorker, boot_of


class WorkerHost:
    def __init__(self, kind: str):
        self.kind = kind  # "process" or "thread"
        self.worker: TrainingWorker | None = None
        self.stopping = False  # a stop was asked of the worker; its final message is awaited
        self.keep_final = True  # whether its final state is to be kept
        self._after: list[Callable[[], None]] = []  # to run once the worker has said its last word
        self._retiring: list[TrainingWorker] = []
        self._spare: Spawned | None = None

    @property
    def busy(self) -> bool:
        """Whether anything needs the frame clock: a worker, or one still exiting."""
        return self.worker is not None or bool(self._retiring)

    def start(self, setup: WorkerSetup, size: int) -> TrainingWorker:
        assert self.worker is None, "one worker at a time"
        spare, self._spare = self._spare, None
        self.worker = WORKERS[self.kind](setup, size, spare)
        return self.worker

    def after_stop(self, callback: Callable[[], None]) -> None:
        self._after.append(callback)

    def stop(self, keep: bool) -> bool:
        """Ask the worker to stop after its step in progress. True if it has ended already: one still
        starting (it has done nothing the window does not know) is ended at once."""
        self.keep_final = keep if not self.stopping else (self.keep_final and keep)
        if self.stopping or self.worker is None:
            return False
        self.stopping = True
        if not self.worker.ready:
            self.worker.close()
            return True
        self.worker.send("stop")
        return False

    def ended(self) -> tuple[bool, list[Callable[[], None]]]:
        """The worker said its last word: (keep its final state?, the callbacks waiting for that)."""
        keep = self.keep_final or not self.stopping
        if self.worker is not None:
            self._retiring.append(self.worker)  # it exits on its own; reap() joins it
        self.worker, self.stopping, self.keep_final = None, False, True
        callbacks, self._after = self._after, []
        return keep, callbacks

    def reap(self) -> bool:
        """Join the workers that have exited, ending any that lingers; True if one went."""
        gone = False
        for w in list(self._retiring):
            if not w.alive() or time.monotonic() - w.ended_at > STOP_TIMEOUT_S:
                w.close()
                self._retiring.remove(w)
                gone = True
        return gone

    def prepare_spare(self, size: int, settings) -> None:
        """Start the next training process now, while nothing trains (process workers only)."""
        if self.kind == "process" and self._spare is None and not self.busy:
            self._spare = Spawned(size, boot_of(settings))

    def shutdown(self) -> list[tuple]:
        """End everything, waiting for the worker's final state; the messages it sent meanwhile."""
        for w in self._retiring:
            w.close()
        self._retiring = []
        if self._spare is not None:
            self._spare.close()
            self._spare = None
        self._after = []
        w, self.worker = self.worker, None
        return [] if w is None else w.stop_now()
