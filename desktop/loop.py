"""The training loop: the live run's real trainer, stepped as the window asks, in a thread or a process.

`TrainingLoop` runs `model.trainer.Trainer` step by step and talks to the window through a connection
(commands in, messages out) and a `SnapshotSlot` (the newest weights). It knows nothing of Qt and
nothing of where it runs: `desktop.worker` runs it in a spawned process or a thread.

Commands: ("run",), ("pause",), ("step", n), ("speed", steps_per_s or None), ("sample",), ("stop",),
and what every activity of the model process understands (handed to `other`: see `desktop.worker`).
Messages: ("ready", weights, widgets imported?), ("progressed", a StepRecord's fields, CPU seconds),
("sampled", step, text), ("stopped", state), ("failed", why, state or None). A `state` is a
`WorkerState`, all numpy, so it crosses threads and processes as a copy and starts the next worker
where this one ended.

Weights cross as copies: after every step the loop writes them into the slot under a lock (a memcpy
of the model, well under a millisecond) and the window copies out the newest whenever it paints.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
import traceback
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

_NOTHING = object()
STOP_TIMEOUT_S = 10.0
SAMPLE_TOKENS = 48  # enough for an answer ("the books are done by Tomas." is 28); babble stops there


@dataclass
class WorkerState:
    """Everything a worker needs to start where the last one ended (numpy only)."""

    model_config: dict
    train_config: dict
    weights: dict[str, np.ndarray]
    trainer_state: dict | None = None  # `Trainer.training_state()`: the optimiser's, and more
    counters: dict = field(default_factory=dict)  # step, chars, flops, seconds, cpu_seconds


@dataclass
class WorkerSetup:
    state: WorkerState
    question: str  # the story's question, asked every `sample_every` seconds
    running: bool = False
    speed: float | None = None  # steps per second; None: full speed
    sample_every: float = 4.0


# --- crossing threads and processes ---------------------------------------------------------------

class SnapshotSlot:
    """The newest weights as one flat float32 vector: written after each step, read at the window's pace.

    Between processes it lives in shared memory that the window creates (`shared`) and removes, and
    the model process attaches to (`attach`) for one run of training; in a thread, in plain memory.
    """

    def __init__(self, size: int, lock, shm=None):
        self.size, self._lock, self._shm = size, lock, shm
        buf = shm.buf if shm is not None else bytearray(16 + 4 * size)
        self._m = np.frombuffer(buf, dtype=np.int64, count=2)  # version, step
        self._arr = np.frombuffer(buf, dtype=np.float32, count=size, offset=16)

    @classmethod
    def local(cls, size: int) -> "SnapshotSlot":
        return cls(size, threading.Lock())

    @classmethod
    def shared(cls, size: int, lock) -> "SnapshotSlot":
        from multiprocessing.shared_memory import SharedMemory

        return cls(size, lock, SharedMemory(create=True, size=16 + 4 * max(1, size)))

    @classmethod
    def attach(cls, ref: tuple[str, int], lock) -> "SnapshotSlot":
        from multiprocessing.shared_memory import SharedMemory

        return cls(ref[1], lock, SharedMemory(name=ref[0]))

    @property
    def ref(self) -> tuple[str, int] | None:
        """What the model process needs to attach: (name, size); None in plain memory."""
        return None if self._shm is None else (self._shm.name, self.size)

    def close(self, unlink: bool = False) -> None:
        """Let go of the memory (the window, which made it, also removes it)."""
        if self._shm is None:
            return
        self._m = self._arr = None  # views first: shared memory with views on it cannot close
        shm, self._shm = self._shm, None
        shm.close()
        if unlink:
            try:
                shm.unlink()
            except FileNotFoundError:
                pass

    def publish(self, step: int, params) -> None:
        """Copy `params` (tensors, in parameter order) in as the weights of `step`."""
        import torch

        flat = [p.detach().reshape(-1) for p in params]
        with self._lock, torch.no_grad():
            # One copy of them all (cat), not one per tensor: 0.3 ms a step against 0.7 ms, measured
            # on the worker's thread, while the trainer's other threads wait for it.
            torch.cat(flat, out=torch.from_numpy(self._arr))
            self._m[0] += 1
            self._m[1] = step

    def version(self) -> int | None:
        """How many times weights were published (None once closed): read without the lock, a hint only."""
        return None if self._m is None else int(self._m[0])

    def take(self, seen_version: int) -> tuple[int, int, np.ndarray] | None:
        """(version, step, a copy of the weights) if newer than `seen_version`, else None. Never waits:
        if the worker is writing (and perhaps descheduled halfway, under load), the next frame takes it."""
        if self._arr is None or not self._lock.acquire(False):
            return None
        try:
            version = int(self._m[0])
            if version == seen_version:
                return None
            return version, int(self._m[1]), self._arr.copy()
        finally:
            self._lock.release()


EOF_MARK = ("eof",)  # put on a thread's queue, it reads as a closed pipe


class _QueueConn:
    """The part of `multiprocessing.Connection` the loop uses, over two queues (thread worker)."""

    def __init__(self, inbox: queue.Queue, outbox: queue.Queue):
        self._in, self._out, self._peek = inbox, outbox, _NOTHING

    def send(self, msg) -> None:
        self._out.put(msg)

    def poll(self, timeout: float | None = 0.0) -> bool:
        if self._peek is not _NOTHING:
            return True
        try:
            self._peek = self._in.get(timeout=timeout) if timeout is None or timeout > 0 else self._in.get_nowait()
        except queue.Empty:
            return False
        return True

    def recv(self):
        self.poll(None)
        msg, self._peek = self._peek, _NOTHING
        if msg is EOF_MARK:
            self._peek = msg  # closed for good
            raise EOFError
        return msg

    def close(self) -> None:
        pass


def numpy_tree(x):
    import torch

    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy().copy()
    if isinstance(x, dict):
        return {k: numpy_tree(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(numpy_tree(v) for v in x)
    return x


def torch_tree(x):
    import torch

    if isinstance(x, np.ndarray):
        return torch.from_numpy(x.copy())
    if isinstance(x, dict):
        return {k: torch_tree(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(torch_tree(v) for v in x)
    return x


# --- the loop ---------------------------------------------------------------------------------------

def build_trainer(state: WorkerState, threads: int = 1):
    """A model and trainer (of `threads` threads) with the weights, optimiser state and counters of `state`."""
    from model.gpt import GPTConfig
    from model.trainer import TrainConfig
    from model.training import new_model

    step = int(state.counters.get("step", 0))
    tcfg = TrainConfig(**state.train_config)
    # After a resume, draw fresh batches rather than replaying the first ones: the trainer keeps
    # no state of its batch generator that could be carried across.
    tcfg = dataclasses.replace(tcfg, seed=tcfg.seed + step)
    model, trainer, tok = new_model(GPTConfig(**state.model_config), tcfg, threads=threads)
    trainer.load_training_state(state.weights, torch_tree(state.trainer_state) if state.trainer_state else None)
    c = state.counters
    trainer.resume(step, int(c.get("chars", 0)), float(c.get("flops", 0.0)), float(c.get("seconds", 0.0)))
    return model, trainer, tok


class TrainingLoop:
    """Steps the trainer as the window asks, publishes weights, samples answers, hands back its state."""

    def __init__(self, setup: WorkerSetup, conn, slot: SnapshotSlot, other=None, threads: int = 1):
        self.setup, self.conn, self.slot, self.other = setup, conn, slot, other
        self.threads = threads
        self.running, self.speed = setup.running, setup.speed
        self.steps_wanted = 0
        self.stopping = False
        self.next_due = 0.0
        self.next_sample = 0.0
        self.sampled_step = -1
        self.trainer = None
        self._records = None
        self._cpu0 = time.process_time()
        self._cpu_base = float(setup.state.counters.get("cpu_seconds", 0.0))

    def run(self) -> None:
        try:
            model, self.trainer, self.tok = build_trainer(self.setup.state, self.threads)
            import sys

            widgets = "PySide6.QtWidgets" in sys.modules  # must stay False in a spawned worker
            self.conn.send(("ready", sum(p.numel() for p in model.parameters()), widgets))
            self.slot.publish(self.trainer.step, self.trainer.shown_parameters())
            while not self.stopping:
                self._commands(self._wait_time())
                if self.stopping:
                    break
                if self.steps_wanted > 0 or (self.running and time.perf_counter() >= self.next_due):
                    self._one_step()
                self._maybe_sample()
            self._finish(("stopped",))
        except (EOFError, BrokenPipeError, OSError):
            pass  # the window is gone: nobody to hand the state to
        except BaseException:
            self._finish(("failed", traceback.format_exc()))

    def _wait_time(self) -> float | None:
        if self.steps_wanted > 0 or self._sample_due():
            return 0.0
        if not self.running:
            return None
        return max(0.0, self.next_due - time.perf_counter())

    def _commands(self, timeout: float | None) -> None:
        while self.conn.poll(timeout):
            timeout = 0.0
            cmd = self.conn.recv()
            kind = cmd[0]
            if kind == "run":
                self.running, self.next_due = True, time.perf_counter()
            elif kind == "pause":
                self.running = False
            elif kind == "step":
                self.steps_wanted += int(cmd[1])
            elif kind == "speed":
                self.speed = cmd[1]
            elif kind == "sample":
                self.sampled_step = -1
                self.next_sample = 0.0
            elif kind == "stop":
                self.stopping = True
                return
            elif self.other is not None:
                self.other(self.conn, cmd)

    def _one_step(self) -> None:
        if self._records is None:
            self._records = self.trainer.run()
        t0 = time.perf_counter()
        rec = next(self._records)
        self.slot.publish(rec.step, self.trainer.shown_parameters())
        # As a plain namespace: unpickling the trainer's own class would import torch into the window.
        self.conn.send(("progressed", SimpleNamespace(**dataclasses.asdict(rec)), self._cpu_seconds()))
        self.steps_wanted = max(0, self.steps_wanted - 1)
        self.next_due = t0 + (1.0 / self.speed if self.speed else 0.0)

    def _sample_due(self) -> bool:
        if self.trainer is None or self.sampled_step == self.trainer.step:
            return False
        return not self.running or time.perf_counter() >= self.next_sample

    def _maybe_sample(self) -> None:
        if not self._sample_due() or self.steps_wanted > 0:
            return
        from model.engine import Engine

        step = self.trainer.step
        engine = Engine(self.trainer.evaluated_model(), self.tok)  # the weights the heatmap shows
        engine.new_conversation()  # a fresh Engine's caches are only made here (see the report to model/)
        text = engine.reply_text(self.setup.question, max_tokens=SAMPLE_TOKENS, attention=False)
        self.trainer.model.train()
        self.sampled_step = step
        self.next_sample = time.perf_counter() + self.setup.sample_every
        self.conn.send(("sampled", step, text))

    def _cpu_seconds(self) -> float:
        return self._cpu_base + time.process_time() - self._cpu0

    def state(self) -> WorkerState:
        t = self.trainer
        counters = {"step": t.step, "chars": t.chars, "flops": t.flops, "seconds": t.seconds,
                    "cpu_seconds": self._cpu_seconds()}
        return WorkerState(self.setup.state.model_config, self.setup.state.train_config, t.shown_snapshot(),
                           numpy_tree(t.training_state()), counters)

    def _finish(self, msg: tuple) -> None:
        if self._records is not None:
            self.trainer.stop()
            self._records.close()
        state = self.state() if self.trainer is not None else None
        try:
            self.conn.send((*msg, state))
        except (EOFError, BrokenPipeError, OSError):
            pass


