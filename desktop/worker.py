"""Where the model runs: a process (or a thread) that does everything torch does for the window.

The window never imports torch (about 220 MB in every process that does). Everything that needs it
runs in one model process, one activity at a time, each started by a message on the same pipe:
("prepare", Settings) reads the checkpoint and makes the live run's random weights; ("train", setup,
slot) runs `desktop.loop.TrainingLoop` until told to stop; ("talk", TalkSetup) runs
`desktop.talk_loop.TalkLoop` until told to stop; ("save", path, weights, config, training) writes a
checkpoint, whatever else runs. A training run's weights reach the window through shared memory
(`SnapshotSlot`), everything else as messages.

`ModelProcess` (the default) runs it in a `spawn`ed child that never imports Qt widgets, with its own
malloc, nice and OpenMP settings; `ModelThread` runs it in a thread of the window's process and is
kept so that the benchmark (`python -m desktop.bench --worker both`) can measure the two on any
machine. The process won here (figures in `desktop.bench`): a lower event delay and no stall when
training starts. The child is started with the window and lives as long as it (a new one is started
if it dies), so switching scenes never waits for torch to import.
Nothing here blocks the window: helper threads send commands and receive messages.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import traceback
from typing import Callable

from .loop import EOF_MARK, STOP_TIMEOUT_S, SnapshotSlot, TrainingLoop, _QueueConn


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


# --- the model's side -------------------------------------------------------------------------------

def _common(conn, cmd: tuple) -> None:
    """What the model process does whatever activity runs: save a checkpoint. Anything else (a late
    "pause" for a run that has ended) means nothing now."""
    if cmd[0] != "save":
        return
    from . import models

    try:
        conn.send(("saved", str(models.save(*cmd[1:]))))
    except Exception as e:  # a full disk, a folder that cannot be made: said, never raised
        conn.send(("save-failed", f"{type(e).__name__}: {e}"))


def serve(conn, attach: Callable[[tuple], SnapshotSlot] | None = None, threads: int = 1) -> None:
    """One activity at a time until the window goes (its end of the pipe closes); training with
    `threads` threads (see `model.trainer.share_cores`)."""
    try:
        _serve(conn, attach, threads)
    except (EOFError, BrokenPipeError, ConnectionError):
        pass  # the window has gone, perhaps without a word: nobody to answer


def _serve(conn, attach, threads: int) -> None:
    from .talk_loop import TalkLoop

    while True:
        msg = conn.recv()
        kind = msg[0]
        if kind == "train":
            setup, slot = msg[1], msg[2]
            slot = attach(slot) if attach is not None else slot
            try:
                TrainingLoop(setup, conn, slot, _common, threads).run()
            finally:
                if attach is not None:
                    slot.close()
        elif kind == "talk":
            TalkLoop(msg[1], conn, _common, threads).run()
        elif kind == "prepare":
            from . import models

            try:
                answer = ("prepared", models.prepare(msg[1]))
            except Exception:
                answer = ("prepare-failed", traceback.format_exc())
            conn.send(answer)
        else:
            _common(conn, msg)


class _Duplex:
    """Commands in on one pipe, messages out on another: what the loops need of a connection."""

    def __init__(self, commands, messages):
        self.poll, self.recv, self.send = commands.poll, commands.recv, messages.send

    def close(self) -> None:
        pass


def _end_with_parent() -> None:
    """Linux: end this process when the window's process ends, even if it is killed or crashes."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6").prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the closed pipe ends it, once it next reads


def _process_main(boot: dict, commands, messages, lock) -> None:
    _end_with_parent()
    _limit_heap(boot["mmap_threshold"])
    if boot["nice"]:
        os.nice(boot["nice"])  # before torch starts its threads, so they all inherit it
    # Spinning OpenMP threads stall badly whenever anything else wants a core (the window does, every
    # frame): measured here, a step of a small model took 830 ms spinning and 28 ms sleeping.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch

    from model.trainer import share_cores

    threads = share_cores(boot["threads"])
    _warm_up(torch)
    serve(_Duplex(commands, messages), lambda ref: SnapshotSlot.attach(ref, lock), threads)
    messages.close()


def _warm_up(torch) -> None:
    """Do the slow first-time work now: the modules of training and talking, a first optimiser step."""
    import importlib

    for name in ("model.engine", "model.training", "model.checkpoint", "desktop.models", "desktop.talk_loop"):
        importlib.import_module(name)

    from model.optim import AdamW

    p = torch.nn.Parameter(torch.zeros(1))
    p.grad = torch.ones(1)
    AdamW([([p], 0.01)], lr=1e-3).step()


def boot_of(settings) -> dict:
    s = settings
    return {"nice": s.nice, "threads": s.threads, "mmap_threshold": s.mmap_threshold}


# --- the window's side ------------------------------------------------------------------------------

class _Inbox(queue.Queue):
    """Messages from the model, oldest first; `notify` is called after each arrives (from any thread)."""

    def __init__(self, notify: Callable[[], None] | None):
        super().__init__()
        self.notify = notify

    def put(self, item, block=True, timeout=None) -> None:
        super().put(item, block, timeout)
        if self.notify is not None:
            try:
                self.notify()
            except RuntimeError:
                pass  # the window's side is already gone


class ModelProcess:
    """The model in a spawned process. A pipe write blocks until the child reads (and a child importing
    torch, or in the middle of a step, reads late), so commands leave from a helper thread; messages
    come in on another."""

    kind = "process"

    def __init__(self, boot: dict, notify: Callable[[], None] | None = None):
        ctx = mp.get_context("spawn")
        self.lock = ctx.Lock()
        commands_in, self._commands = ctx.Pipe(duplex=False)
        self._messages, messages_out = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_process_main, args=(dict(boot), commands_in, messages_out, self.lock),
                                name="marginalia-model", daemon=True)
        self.proc.start()
        commands_in.close()  # the child's ends: closing ours makes its exit read as EOF here
        messages_out.close()
        self.inbox = _Inbox(notify)
        self._outbox: queue.Queue = queue.Queue()
        self.closed = False
        self._pump = threading.Thread(target=self._run_pump, name="marginalia-model-in", daemon=True)
        self._sender = threading.Thread(target=self._run_sender, name="marginalia-model-out", daemon=True)
        self._pump.start()
        self._sender.start()

    @property
    def pid(self) -> int | None:
        return None if self.closed else self.proc.pid

    def _run_pump(self) -> None:
        try:
            while True:
                self.inbox.put(self._messages.recv())
        except (EOFError, OSError):
            self.inbox.put(EOF_MARK)

    def _run_sender(self) -> None:
        while True:
            msg = self._outbox.get()
            if msg is None:
                break
            try:
                self._commands.send(msg)
            except (OSError, ValueError):
                break  # the child has gone; the pump says so
        self._commands.close()  # the child reads EOF and ends

    def send(self, *msg) -> None:
        if not self.closed:
            self._outbox.put(msg)

    def new_slot(self, size: int) -> SnapshotSlot:
        return SnapshotSlot.shared(size, self.lock)

    def alive(self) -> bool:
        return not self.closed and self.proc.is_alive()

    def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """End the child: its pipe closes, so it ends whatever it does; if it lingers, terminate, then kill."""
        if self.closed:
            return
        self.closed = True
        self._outbox.put(None)
        self._sender.join(1.0)
        self.proc.join(timeout)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(1.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(1.0)
        self._sender.join(1.0)
        self._pump.join(1.0)
        self._messages.close()
        self.proc.close()


class ModelThread:
    """The model in a thread of the window's process (torch is imported here, then)."""

    kind = "thread"
    pid = None

    def __init__(self, boot: dict, notify: Callable[[], None] | None = None):
        self.inbox = _Inbox(notify)
        self._to: queue.Queue = queue.Queue()
        self.closed = False
        self._thread = threading.Thread(target=self._run, name="marginalia-model", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        serve(_QueueConn(self._to, self.inbox))
        self.inbox.put(EOF_MARK)

    def send(self, *msg) -> None:
        if not self.closed:
            self._to.put(msg)

    def new_slot(self, size: int) -> SnapshotSlot:
        return SnapshotSlot.local(size)

    def alive(self) -> bool:
        return not self.closed and self._thread.is_alive()

    def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        if self.closed:
            return
        self.closed = True
        self._to.put(EOF_MARK)
        self._thread.join(timeout)


MODELS = {"process": ModelProcess, "thread": ModelThread}
