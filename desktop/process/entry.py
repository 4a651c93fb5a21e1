"""How the model process starts: set up for training (malloc, niceness, OpenMP), then `ModelServer.serve`.

The window imports this module to name the process's entry point, so it imports no torch itself:
`desktop.process.server` (and torch with it) is imported only where the model runs. `thread_main`
runs the same server in a thread of the window's process: the benchmark measures the two
(`python -m desktop.bench --worker both`) and the tests use the thread for speed.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal


def limit_heap(threshold: int) -> None:
    """One malloc arena, and blocks of `threshold` bytes or more served by mmap, so that a training
    process does not keep every step's activations in its heap (glibc otherwise gives each thread an
    arena and raises its mmap threshold as big blocks are freed; see BENCHMARKS.md). M_MMAP_THRESHOLD
    is -3 and M_ARENA_MAX is -8 in malloc.h."""
    if threshold:
        try:
            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(-8, 1)
            libc.mallopt(-3, int(threshold))
        except (OSError, AttributeError):
            pass  # not glibc: its own policy stands


def _end_with_parent() -> None:
    """Linux: end this process when the window's process ends, even if it is killed or crashes."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the closed pipe ends it, once it next reads


class Duplex:
    """Commands in on one pipe, messages out on another: the connection the server reads and writes."""

    def __init__(self, commands, messages):
        self.poll, self.recv, self.send = commands.poll, commands.recv, messages.send


def process_main(boot: dict, commands, messages, lock) -> None:
    """The spawned model process: `boot` is {"nice", "threads", "mmap_threshold"} (see `Settings`)."""
    _end_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the window ends this process
    limit_heap(boot["mmap_threshold"])
    if boot["nice"]:
        os.nice(boot["nice"])  # before torch starts its threads, so they all inherit it
    # Sleeping, not spinning, OpenMP threads: a spinning pool stalls whenever anything else wants a
    # core (the window does, every frame).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from model.trainer import share_cores

    from .server import ModelServer

    threads = share_cores(boot["threads"])
    _warm_up()
    # What start-up made (torch's modules, the code) lives as long as the process: out of the collector's
    # sight, so that a full collection in the middle of a reply walks only what came later, not all of it.
    gc.freeze()
    ModelServer(Duplex(commands, messages), lock, threads).serve()
    messages.close()


def thread_main(commands, messages, lock) -> None:
    """The model server in a thread of the window's process (torch is imported there, then)."""
    from .server import ModelServer

    ModelServer(Duplex(commands, messages), lock).serve()
    messages.close()


def _warm_up() -> None:
    """Do the slow first-time work now, before the window asks for anything: a first optimiser step."""
    import torch

    from model.optim import AdamW

    p = torch.nn.Parameter(torch.zeros(1))
    p.grad = torch.ones(1)
    AdamW([([p], 0.01)], lr=1e-3).step()
