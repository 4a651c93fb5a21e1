"""The training worker as the window holds it: the loop of `desktop.loop` in a process or a thread.

`ProcessWorker` (the default) runs the loop in a `spawn`ed child that never imports Qt widgets;
`ThreadWorker` runs it in a thread of the window's process and is kept so that the benchmark
(`python -m desktop.bench --worker both`) can measure the two on any machine. The process won here
(figures in `desktop.bench`): a lower event delay, no stall when training starts, and its own
malloc, nice and OpenMP settings without touching the window's. `Spawned` starts a child ahead of
need (torch imported, its lazy imports done), so that switching to Train starts training at once
instead of after seconds of imports.
Nothing here blocks the window: a helper thread sends the setup and receives messages.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time

import numpy as np

from .loop import STOP_TIMEOUT_S, SnapshotSlot, TrainingLoop, WorkerSetup, _QueueConn


def _limit_heap(threshold: int) -> None:
    """One malloc arena, and blocks of `threshold` bytes or more served by mmap, so that a training
    worker does not keep every step's activations in its heap.

    glibc otherwise gives each thread (batch maker, torch's pool) its own arena and raises its mmap
    threshold as big blocks are freed. Measured here on the trainer alone (2 threads, 25 steps):
    default 406 MB at 157 ms/step; one arena and 1 MiB 364 MB at 158 ms/step; one arena and 512 KiB
    270 MB but 275 ms/step (every activation a fresh, zero-filled mapping), so 1 MiB.
    M_MMAP_THRESHOLD is -3 and M_ARENA_MAX is -8 in malloc.h.
    """
    if threshold:
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(-8, 1)
            libc.mallopt(-3, int(threshold))
        except (OSError, AttributeError):
            pass  # not glibc: its own policy stands


class _Duplex:
    """Commands in on one pipe, messages out on another: what the loop needs of a connection."""

    def __init__(self, commands, messages):
        self.poll, self.recv, self.send = commands.poll, commands.recv, messages.send

    def close(self) -> None:
        pass


def _process_main(boot: dict, setup_in, commands, messages, slot: SnapshotSlot) -> None:
    _limit_heap(boot["mmap_threshold"])
    if boot["nice"]:
        os.nice(boot["nice"])  # before torch starts its threads, so they all inherit it
    # Spinning OpenMP threads stall badly whenever anything else wants a core (the window does, every
    # frame): measured here, a step of a small model took 830 ms spinning and 28 ms sleeping.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch

    if boot["threads"]:
        torch.set_num_threads(boot["threads"])
    _warm_up(torch)
    try:
        setup = setup_in.recv()
    except (EOFError, OSError):
        return  # the window went away before it said what to train
    setup_in.close()
    TrainingLoop(setup, _Duplex(commands, messages), slot).run()
    messages.close()


def _warm_up(torch) -> None:
    """Do the slow first-time work now, while waiting: the trainer's modules and a first optimiser step."""
    import importlib

    for name in ("model.engine", "model.training"):
        importlib.import_module(name)

    from model.optim import AdamW

    p = torch.nn.Parameter(torch.zeros(1))
    p.grad = torch.ones(1)
    AdamW([([p], 0.01)], lr=1e-3).step()


class Spawned:
    """A training process started ahead of need: torch imported, warmed up, waiting for its setup."""

    def __init__(self, size: int, boot: dict):
        ctx = mp.get_context("spawn")
        self.size, self.boot = size, dict(boot)
        self.slot = SnapshotSlot(size, ctx)
        setup_in, self.setup_out = ctx.Pipe(duplex=False)
        commands_in, self.commands = ctx.Pipe(duplex=False)
        self.messages, messages_out = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_process_main, args=(self.boot, setup_in, commands_in, messages_out, self.slot),
                                name="marginalia-training", daemon=True)
        self.proc.start()
        for end in (setup_in, commands_in, messages_out):
            end.close()  # the child's ends: closing ours makes its exit read as EOF here
        self.closed = False

    def fits(self, size: int, boot: dict) -> bool:
        return not self.closed and self.size == size and self.boot == boot and self.proc.is_alive()

    def close(self) -> None:
        """End the child: terminate if it has not exited, then kill; close the pipes."""
        if self.closed:
            return
        self.closed = True
        self.proc.join(0.0)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(1.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(1.0)
        for conn in (self.setup_out, self.commands, self.messages):
            conn.close()
        self.proc.close()


def boot_of(setup_or_settings) -> dict:
    s = setup_or_settings
    return {"nice": s.nice, "threads": s.threads, "mmap_threshold": s.mmap_threshold}


# --- the window's side ------------------------------------------------------------------------------

class TrainingWorker:
    """What the window holds: send commands, poll messages and the newest weights, stop, close."""

    kind = "?"

    def __init__(self, setup: WorkerSetup, size: int):
        self.setup = setup
        self.size = size
        self.done = False  # the loop said "stopped" or "failed"
        self.ended_at = 0.0  # when it did (time.monotonic())
        self.ready = False
        self._seen_version = 0
        self._inbox: queue.Queue = queue.Queue()  # messages from the loop, oldest first

    def send(self, *cmd) -> None:
        if not self.done:
            self._send(cmd)

    def poll(self) -> list[tuple]:
        """Every message that arrived, oldest first; never blocks."""
        out = []
        while not self.done:
            try:
                msg = self._inbox.get_nowait()
            except queue.Empty:
                break
            if msg[0] == "eof":
                msg = ("failed", "the training worker ended without a word", None)
            self.ready = self.ready or msg[0] == "ready"
            if msg[0] in ("stopped", "failed"):
                self.done, self.ended_at = True, time.monotonic()
            out.append(msg)
        return out

    def take_snapshot(self) -> tuple[int, np.ndarray] | None:
        got = self.slot.take(self._seen_version)
        if got is None:
            return None
        self._seen_version = got[0]
        return got[1], got[2]

    def stop_now(self, timeout: float = STOP_TIMEOUT_S) -> list[tuple]:
        """Stop and wait (closing the window): the messages up to and including "stopped"."""
        out = []
        self.send("stop")
        deadline = time.monotonic() + timeout
        while not self.done and time.monotonic() < deadline and self.alive():
            out.extend(self.poll())
            if not self.done:
                time.sleep(0.005)
        out.extend(self.poll())
        self.close()
        return out


class ProcessWorker(TrainingWorker):
    """The loop in a spawned process (a `Spawned` one if it fits). Nothing here blocks the window: the
    setup goes out and messages come in on a helper thread (a pipe write blocks until the child reads,
    and a child still importing torch takes seconds to start reading)."""

    kind = "process"

    def __init__(self, setup: WorkerSetup, size: int, spare: Spawned | None = None):
        super().__init__(setup, size)
        boot = boot_of(setup)
        if spare is not None and not spare.fits(size, boot):
            spare.close()
            spare = None
        self._child = spare or Spawned(size, boot)
        self.slot = self._child.slot
        self._pump = threading.Thread(target=self._run_pump, name="marginalia-worker-pipe", daemon=True)
        self._pump.start()

    @property
    def pid(self) -> int | None:
        return None if self._child.closed else self._child.proc.pid

    def _run_pump(self) -> None:
        c = self._child
        try:
            c.setup_out.send(self.setup)
            while True:
                self._inbox.put(c.messages.recv())
        except (EOFError, OSError):
            self._inbox.put(("eof",))

    def _send(self, cmd: tuple) -> None:
        try:
            self._child.commands.send(cmd)
        except OSError:
            pass  # it has gone; poll() will say so

    def alive(self) -> bool:
        return not self._child.closed and self._child.proc.is_alive()

    def close(self, timeout: float = 2.0) -> None:
        """End the child: it has normally exited already; if not, terminate, then kill."""
        if self._child.closed:
            return
        if self.done:
            self._child.proc.join(timeout)
        c = self._child
        c.proc.join(0.0)
        if c.proc.is_alive():
            c.proc.terminate()
        c.proc.join(1.0)
        c.commands.close()
        self._pump.join(timeout)  # the child has gone: its recv() has seen EOF
        c.close()


class ThreadWorker(TrainingWorker):
    kind = "thread"

    def __init__(self, setup: WorkerSetup, size: int, spare: Spawned | None = None):
        if spare is not None:
            spare.close()
        super().__init__(setup, size)
        self.slot = SnapshotSlot(size)
        self._to_loop: queue.Queue = queue.Queue()
        loop = TrainingLoop(setup, _QueueConn(self._to_loop, self._inbox), self.slot)
        self._thread = threading.Thread(target=loop.run, name="marginalia-training", daemon=True)
        self._thread.start()

    def _send(self, cmd: tuple) -> None:
        self._to_loop.put(cmd)

    def alive(self) -> bool:
        return self._thread.is_alive()

    def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        if self._thread.is_alive() and not self.done:
            self._to_loop.put(("stop",))
        self._thread.join(timeout)


WORKERS = {"process": ProcessWorker, "thread": ThreadWorker}
