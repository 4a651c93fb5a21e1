"""A training run's frames: each step's weights and counters, written together where the window reads them.

The trainer writes every step into one block of shared memory under a lock (`FrameSlot.publish`:
the weights, the counters, and the step's loss into a ring); the window takes the newest whenever it
paints (`FrameSlot.take`), as one `Frame`, never waiting for the lock. A step's frame is a memcpy of
the model, far cheaper than sending it down the pipe, and a window that falls behind skips frames
instead of queueing them. The window makes the memory and removes it; the model process attaches to
it for one run. No Qt, no torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from multiprocessing.shared_memory import SharedMemory

import numpy as np

from .protocol import Counters

RING = 1024  # losses kept for a window that has not taken a frame for a while (about 30 s of steps)
_INTS = ("version", "step", "chars", "changed", "losses")  # "losses": how many were ever written
_FLOATS = ("flops", "seconds", "cpu_seconds")
_HEAD = 8 * (len(_INTS) + len(_FLOATS))
_WEIGHTS_AT = _HEAD + 16 * RING


@dataclass(frozen=True)
class Frame:
    """One step as the window shows it."""

    counters: Counters
    losses: np.ndarray  # (n, 2): step and loss of every step since the previous frame taken, oldest first
    weights: np.ndarray  # flat float32, a copy

    @property
    def step(self) -> int:
        return self.counters.step


_LINGERING: list[SharedMemory] = []  # memory let go while something still viewed it: closed once nothing does


class FrameSlot:
    """The newest frame of a training run, in shared memory; `lock` is shared by both sides."""

    def __init__(self, shm: SharedMemory, size: int, lock, owner: bool):
        self.size, self._shm, self._lock, self._owner = size, shm, lock, owner
        buf = shm.buf
        self._ints = np.frombuffer(buf, dtype=np.int64, count=len(_INTS))
        self._floats = np.frombuffer(buf, dtype=np.float64, count=len(_FLOATS), offset=8 * len(_INTS))
        self._ring = np.frombuffer(buf, dtype=np.float64, count=2 * RING, offset=_HEAD).reshape(RING, 2)
        self._weights = np.frombuffer(buf, dtype=np.float32, count=size, offset=_WEIGHTS_AT)
        self._seen_version = 0  # the reader's: the version and the count of losses it last took
        self._seen_losses = 0

    @classmethod
    def create(cls, size: int, lock) -> "FrameSlot":
        """The window's: new memory for a run of `size` weights."""
        return cls(SharedMemory(create=True, size=_WEIGHTS_AT + 4 * max(1, size)), size, lock, owner=True)

    @classmethod
    def attach(cls, ref: tuple[str, int], lock) -> "FrameSlot":
        """The model process's: the memory the window made (`ref`)."""
        return cls(SharedMemory(name=ref[0]), ref[1], lock, owner=False)

    @property
    def ref(self) -> tuple[str, int]:
        return self._shm.name, self.size

    def close(self) -> None:
        """Let go of the memory; the window, which made it, also removes it."""
        if self._shm is None:
            return
        self._ints = self._floats = self._ring = self._weights = None  # views first, or it cannot close
        shm, self._shm = self._shm, None
        _LINGERING.append(shm)
        for held in list(_LINGERING):
            try:
                held.close()
                _LINGERING.remove(held)
            except BufferError:  # a view still held somewhere (a kept traceback's frame): unmapped at a later close
                pass
        if self._owner:
            try:
                shm.unlink()
            except FileNotFoundError:
                pass

    # --- the trainer's side ---------------------------------------------------------------------
    def publish(self, counters: Counters, loss: float | None, params) -> None:
        """Write the frame of `counters.step`: `params` (tensors in parameter order, copied in one
        `torch.cat`, cheaper than one by one), its counters and its loss."""
        import torch  # only ever called where the model runs

        flat = [p.detach().reshape(-1) for p in params]
        with self._lock, torch.no_grad():
            torch.cat(flat, out=torch.from_numpy(self._weights))
            i = self._ints
            i[1], i[2], i[3] = counters.step, counters.chars, counters.changed
            self._floats[:] = (counters.flops, counters.seconds, counters.cpu_seconds)
            if loss is not None:
                self._ring[i[4] % RING] = (counters.step, loss)
                i[4] += 1
            i[0] += 1

    # --- the window's side ----------------------------------------------------------------------
    def has_new(self) -> bool:
        """Whether a frame newer than the last one taken is there: read without the lock, a hint only."""
        return self._ints is not None and int(self._ints[0]) != self._seen_version

    def take(self) -> Frame | None:
        """The newest frame if it is newer than the last one taken, else None. Never waits: if the
        trainer is writing (and perhaps descheduled halfway, under load), the next paint takes it."""
        if self._ints is None or not self._lock.acquire(False):
            return None
        try:
            version, total = int(self._ints[0]), int(self._ints[4])
            if version == self._seen_version:
                return None
            first = max(self._seen_losses, total - RING)
            losses = self._ring[np.arange(first, total) % RING].copy()
            i, f = self._ints, self._floats
            counters = Counters(int(i[1]), int(i[2]), float(f[0]), float(f[1]), float(f[2]), int(i[3]))
            frame = Frame(counters, losses, self._weights.copy())
        finally:
            self._lock.release()
        self._seen_version, self._seen_losses = version, total
        return frame
