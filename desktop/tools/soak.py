"""`python -m desktop.soak --minutes N [--json]`: the real window, driven through a visitor's cycle for N minutes.

A kiosk runs for weeks; what it must not do is get slower or bigger as it goes. The soak opens the
exhibit's window (the model in its own process, as `python -m desktop` runs it) and plays the
visitor's cycle over and over (`CYCLE`): train a little, talk, correct, memory, teach, restore, a new
conversation, the kiosk's idle reset. After `--warmup` cycles it takes the figures of both processes
(resident memory, threads, open file descriptors) and times every reply from the ask to the reply
shown (the window shows replies as fast as they are written here: `reveal_cps=0`); at the end of the
last cycle it takes them again, at the same point of the cycle. It prints `cycles`, `replies`,
`reply_ms_first` and `reply_ms_last` (the median reply of the first and of the last cycle measured),
`replies_over_2x_first` (and `_machine_slowed`: of those, the ones whose same work took the model
over 1.5× its usual CPU time: `machine_slowed`; `_host_steal_ms`: for each of those, the time the
host gave other machines meanwhile, all cores, from /proc/stat; `host_steal_ms_all_replies`: the same
over every reply measured; `_probe_ratio`: for each of those, the CPU time of a fixed piece of
arithmetic run in the window's process right after it, against its median over all replies
(`probe_ms_median`): over 1, the processor itself ran slower then, whatever the exhibit did;
`probe_over_1_5x_all_replies`: how many of all replies had it over 1.5×, to compare), `reply_ms_max`
(the slowest; `_by_step`: the slowest of each step of the cycle; `_step`: the step it was asked in;
`_to_said`: of its time, until the model said it had read the message; `_cpu_window`,
`_cpu_model_process`: the CPU time both processes spent meanwhile, which tells work from waiting for
the machine), `reply_ms_p99`, `reply_cpu_ms_first`, `_last` and `_max`
(the model's own CPU time a reply, which waiting for a core does not inflate; a slower processor does),
`rss_mb_`, `threads_`, `fds_` at `_start` and `_end`, and the resident memory read at the end of every
cycle: `rss_mb_band` (lowest, highest) and `rss_mb_median_first_10`, `_last_10`.

`--conversation N` measures one conversation of N replies instead (`conversation_figures`): the
median reply at replies 1–20, 201–220 and the last 20 (by the clock, in the model's CPU time and in its
FLOPs), the bytes a reply brings from the model process, and the last 20 against the first 20 of a
fresh conversation asked in turn with them (`last_over_first_beside`). A step added to the cycle goes
through `add_step`. Figures so far: BENCHMARKS.md. Qt is imported inside functions only, as in
`desktop.tools.bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from model.cli import Parser

from .bench import _rss_mb, _spin

QUESTION = "who does the books?"
CORRECTION = "no, Mara does the books."
WAIT_S = 120.0  # the longest any step may take before the soak says it is stuck
# The model process's resident memory grows over the first cycles (its allocator settling: 428 MB after
# the first cycle, 458 after the eighth, 459 after the fourteenth, 2026-12-06) and the window's stays
# within a few MB: the figures start after that.
WARMUP_CYCLES = 8


class Stuck(RuntimeError):
    """A step of the cycle did not finish in WAIT_S: the figures would mean nothing."""


def process_figures(pids: list[int]) -> dict:
    """Resident memory (MB), threads and open file descriptors of `pids`, added up."""
    rss = threads = fds = 0.0
    for pid in pids:
        rss += _rss_mb(pid)
        threads += _count(f"/proc/{pid}/task")
        fds += _count(f"/proc/{pid}/fd")
    return {"rss_mb": round(rss, 1), "threads": int(threads), "fds": int(fds)}


def _process_cpu_ms(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return 1000 * (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def host_steal_ms(stat: str | None = None) -> float | None:
    """CPU time the hypervisor gave other machines while this one wanted it ("steal", the eighth number
    of /proc/stat's "cpu" line), in ms since boot, all cores; None where there is no such count."""
    try:
        if stat is None:
            stat = Path("/proc/stat").read_text()
        fields = stat.split("\n", 1)[0].split()
        return 1000 * int(fields[8]) / os.sysconf("SC_CLK_TCK") if fields[0] == "cpu" else None
    except (OSError, IndexError, ValueError):
        return None


PROBE_LOOPS = 30_000  # about 1–2 ms of Python on these machines


def processor_probe_ms(loops: int = PROBE_LOOPS) -> float:
    """The thread's CPU ms for a fixed piece of arithmetic: how fast the processor runs right now. Waiting
    for a core does not count in it; a processor slowed by the host (a busy neighbour) does."""
    t0 = time.thread_time()
    x = 0
    for i in range(loops):
        x += i * i
    return 1000 * (time.thread_time() - t0)


def _count(folder: str) -> int:
    try:
        return len(os.listdir(folder))
    except OSError:
        return 0


class Driver:
    """The window and its exhibit, and the reply times seen so far."""

    def __init__(self, app, exhibit, window):
        self.app, self.exhibit, self.window = app, exhibit, window
        self.times: list[float] = []  # ms from each ask to its reply shown, in order
        self.to_said: list[float] = []  # of which, ms until the model said it had read the message
        self.steps: list[str] = []  # the cycle's step each reply was asked in
        self.cpu_both: list[tuple[float, float]] = []  # CPU ms of each process, the window's and the model's,
        # from the ask to the reply shown: far less than the reply's time means they waited for the machine
        self.cpu_ms: list[float] = []  # the model's own CPU time for each reply, in order (as the Cost scene counts)
        self.flops: list[float] = []  # the model's forward FLOPs for each reply, in order: its work on any machine
        self.steal: list[float | None] = []  # ms the host took from this machine during each reply (see host_steal_ms)
        self.probe: list[float] = []  # processor_probe_ms right after each reply, in the window's process
        self.step = ""  # the cycle's step under way
        self._asked = self._said = 0.0
        self._steal_at_ask: float | None = None
        c = exhibit.talk.conversation
        c.started.connect(self._on_said)
        c.finished.connect(self._on_finished)
        c.costed.connect(self._on_costed)

    def _on_costed(self, flops: float, cpu: float) -> None:
        self.cpu_ms.append(1000 * cpu)
        self.flops.append(flops)

    def _on_said(self, _said) -> None:
        self._said = time.perf_counter()

    def _on_finished(self, _text: str, _cut: bool) -> None:
        if self._asked:
            now = time.perf_counter()
            self.times.append(1000 * (now - self._asked))
            self.to_said.append(1000 * ((self._said or now) - self._asked))
            self.steps.append(self.step)
            self.cpu_both.append(tuple(round(b - a, 1) for a, b in zip(self._cpu_at_ask, self._cpu())))
            steal = host_steal_ms()
            self.steal.append(None if steal is None or self._steal_at_ask is None else steal - self._steal_at_ask)
            self._asked = 0.0
            self.probe.append(processor_probe_ms())  # after the reply's time is taken: not part of it

    def _cpu(self) -> tuple[float, float]:
        """CPU ms so far of the window's process and of the model's (all their threads; the model's to 10 ms)."""
        return 1000 * time.process_time(), _process_cpu_ms(self.exhibit.link.pid)

    def wait(self, done: Callable[[], bool], what: str, seconds: float = WAIT_S) -> None:
        _spin(self.app, seconds, done)
        if not done():
            raise Stuck(f"stuck waiting for {what} (status: {self.exhibit.status})")

    @property
    def idle(self) -> bool:
        k = self.exhibit.talk
        return k.conversation.is_open and not k.busy

    def ask(self, text: str) -> None:
        self.wait(lambda: self.idle, "the conversation to be free")
        self._asked, self._said, self._cpu_at_ask = time.perf_counter(), 0.0, self._cpu()
        self._steal_at_ask = host_steal_ms()
        if not self.exhibit.talk.ask(text):
            raise Stuck(f"the window would not take {text!r}")
        self.wait(lambda: self.idle and not self._asked, "a reply")

    def pids(self) -> list[int]:
        return [os.getpid()] + ([self.exhibit.link.pid] if self.exhibit.link.pid else [])


# --- the visitor's cycle ------------------------------------------------------------------------------

def train_a_little(d: Driver) -> None:
    e, t = d.exhibit, d.exhibit.training
    e.enter_train()
    e.run()
    d.wait(lambda: t.ready, "training to start")
    target = t.live.counters.step + 20
    d.wait(lambda: t.live.counters.step >= target, "20 training steps")
    t.pause()


def talk(d: Driver) -> None:
    e, c = d.exhibit, d.exhibit.talk.conversation
    before = c.model
    e.load_trained()
    d.wait(lambda: d.idle and c.model is not before and c.model.kind == "trained", "the trained model")
    d.ask(QUESTION)


def correct(d: Driver) -> None:
    d.ask(CORRECTION)
    d.ask(QUESTION)


def memory(d: Driver) -> None:
    k = d.exhibit.talk
    k.set_memory(True)
    d.ask(CORRECTION)  # written into the note
    k.new_conversation()
    d.wait(lambda: d.idle, "the next morning")
    d.ask(QUESTION)
    k.set_memory(False)
    k.clear_note()


def teach(d: Driver) -> None:
    k, c = d.exhibit.talk, d.exhibit.talk.conversation
    d.ask(CORRECTION)
    k.teach()
    d.wait(lambda: d.idle and bool(c.model.taught), "teaching")
    d.ask(QUESTION)


def restore(d: Driver) -> None:
    k, c = d.exhibit.talk, d.exhibit.talk.conversation
    k.restore()
    d.wait(lambda: d.idle and not c.model.taught, "the original model")
    d.ask(QUESTION)


def new_conversation(d: Driver) -> None:
    d.exhibit.talk.new_conversation()
    d.wait(lambda: d.idle, "the new conversation")
    d.ask(QUESTION)


def idle_reset(d: Driver) -> None:
    """The kiosk's reset after a visitor walks away (`Exhibit.reset`, as `KioskController.start_over`
    calls it): a fresh live run, memory off, the shipped model read afresh."""
    e, c = d.exhibit, d.exhibit.talk.conversation
    before = c.model
    e.reset()
    d.wait(lambda: d.idle and c.model is not before and c.model.kind == "trained" and not c.model.taught,
           "the reset")
    d.ask(QUESTION)


CYCLE: list[tuple[str, Callable[[Driver], None]]] = [
    ("train", train_a_little), ("talk", talk), ("correct", correct), ("memory", memory), ("teach", teach),
    ("restore", restore), ("new_conversation", new_conversation), ("idle_reset", idle_reset),
]


def add_step(name: str, step: Callable[[Driver], None]) -> None:
    """One more step at the end of every cycle. A step drives `d.exhibit` or `d.window` and waits with
    `d.wait`; it ends in Talk or Train, idle."""
    CYCLE.append((name, step))


# --- the figures ---------------------------------------------------------------------------------------

def _open(tmp: str, checkpoint: str | None):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from PySide6.QtWidgets import QApplication

    from .. import i18n
    from ..control.exhibit import Exhibit
    from ..control.state import Settings
    from ..process.entry import limit_heap
    from ..window import MainWindow

    limit_heap(Settings.mmap_threshold)  # as `python -m desktop` does
    app = QApplication.instance() or QApplication([])
    i18n.install()
    settings = Settings(checkpoint=checkpoint, reveal_cps=0, save_dir=str(Path(tmp) / "saved"),
                        data_dir=str(Path(tmp) / "data"))
    exhibit = Exhibit(settings)
    window = MainWindow(exhibit)
    window.resize(1440, 900)
    window.show()
    exhibit.start()
    d = Driver(app, exhibit, window)
    d.wait(lambda: exhibit.started and d.idle, "the exhibit to start")
    return d


def _close(d: Driver) -> None:
    d.window.close()
    d.exhibit.shutdown()


def soak(minutes: float, warmup: int = WARMUP_CYCLES, checkpoint: str | None = None) -> dict:
    """Cycles for `minutes` after `warmup` cycles; figures at the end of the warm-up and of the last cycle."""
    with tempfile.TemporaryDirectory() as tmp:
        d = _open(tmp, checkpoint)
        try:
            for _ in range(warmup):
                _cycle(d)
            start, first, first_cpu = process_figures(d.pids()), len(d.times), len(d.cpu_ms)
            t0, cycles, per_cycle, rss = time.monotonic(), 0, [], []
            while cycles == 0 or time.monotonic() - t0 < 60 * minutes:
                n = len(d.times)
                _cycle(d)
                cycles += 1
                per_cycle.append(d.times[n:])
                rss.append(process_figures(d.pids())["rss_mb"])  # one reading swings by ±5 MB: the band shows it
            _spin(d.app, 1.0)  # the last reply's counter written, its paint done
            end = process_figures(d.pids())
        finally:
            _close(d)
    measured = d.times[first:]
    out = {"minutes": round((time.monotonic() - t0) / 60, 1), "cycles": cycles, "replies": len(measured),
           "reply_ms_first": round(statistics.median(per_cycle[0]), 1),
           "reply_ms_last": round(statistics.median(per_cycle[-1]), 1),
           "reply_ms_max": round(max(measured), 1), "reply_ms_p50": round(statistics.median(measured), 1)}
    over_2x = [t > 2 * out["reply_ms_first"] for t in measured]
    out["replies_over_2x_first"] = sum(over_2x)
    by_step: dict[str, float] = {}
    for t, step in zip(measured, d.steps[first:]):
        by_step[step] = round(max(t, by_step.get(step, 0.0)), 1)
    out["reply_ms_max_by_step"] = by_step
    slowest = first + measured.index(max(measured))  # where the slowest reply's time went
    out.update(reply_ms_max_step=d.steps[slowest], reply_ms_max_to_said=round(d.to_said[slowest], 1),
               reply_ms_max_cpu_window=d.cpu_both[slowest][0], reply_ms_max_cpu_model_process=d.cpu_both[slowest][1],
               reply_ms_p99=round(statistics.quantiles(measured, n=100)[-1] if len(measured) > 1 else measured[0], 1))
    cpu = d.cpu_ms[first_cpu:]  # waiting for a core slows the replies' clock, not their CPU time
    slowed = machine_slowed(measured, cpu, len(per_cycle[0]), out["reply_ms_first"])
    if slowed is not None:
        out["replies_over_2x_first_machine_slowed"] = slowed
    steal = d.steal[first:]
    if None not in steal:  # the host's own count of time it gave to other machines, to the 10 ms
        out["replies_over_2x_first_host_steal_ms"] = [round(s) for slow, s in zip(over_2x, steal) if slow]
        out["host_steal_ms_all_replies"] = round(sum(steal))
    probe = d.probe[first:]
    usual = statistics.median(probe)  # the fixed work's CPU ms at the processor's usual speed
    out["probe_ms_median"] = round(usual, 2)
    out["replies_over_2x_first_probe_ratio"] = [round(p / usual, 2) for slow, p in zip(over_2x, probe) if slow]
    out["probe_over_1_5x_all_replies"] = sum(p > 1.5 * usual for p in probe)
    out.update(reply_cpu_ms_first=round(statistics.median(cpu[:len(per_cycle[0])]), 1),
               reply_cpu_ms_last=round(statistics.median(cpu[-len(per_cycle[-1]):]), 1),
               reply_cpu_ms_max=round(max(cpu), 1))
    for k in ("rss_mb", "threads", "fds"):
        out[f"{k}_start"], out[f"{k}_end"] = start[k], end[k]
    out.update(rss_mb_band=[min(rss), max(rss)], rss_mb_median_first_10=round(statistics.median(rss[:10]), 1),
               rss_mb_median_last_10=round(statistics.median(rss[-10:]), 1))
    return out


def machine_slowed(times: list[float], own_cpu: list[float], per_cycle: int, first_ms: float) -> int | None:
    """Of the replies over 2× `first_ms`, those whose own CPU time in the model (`own_cpu`) was over 1.5×
    the median of the same reply in every cycle: the cycle asks the same questions each time and the
    replies are greedy, so it was the same work run slower by the processor (a shared host: see
    BENCHMARKS.md), not the exhibit doing more. None when the replies cannot be paired (a cycle of
    another length, a reply not costed)."""
    if per_cycle < 1 or len(own_cpu) != len(times) or len(times) % per_cycle:
        return None
    usual = [statistics.median(own_cpu[k::per_cycle]) for k in range(per_cycle)]
    return sum(t > 2 * first_ms and c > 1.5 * usual[i % per_cycle]
               for i, (t, c) in enumerate(zip(times, own_cpu)))


def _cycle(d: Driver) -> None:
    for name, step in CYCLE:
        d.step = name
        step(d)


def conversation_figures(replies: int, checkpoint: str | None = None) -> dict:
    """One conversation of `replies` replies (question and correction taking turns) in the window:
    the median reply at 1–20, 201–220 and the last 20 (from the ask to the reply shown, the model's own
    CPU time and its FLOPs), and the bytes the window read per reply.

    The last 20 replies take turns with the first 20 of a fresh conversation in a second window
    (`_beside`): on a shared machine the same work runs up to 1.5× slower for seconds at a time, so
    replies 1–20 measured a minute before replies 381–400 differ by when they ran; asked one after the
    other, both sides meet the same machine."""
    with tempfile.TemporaryDirectory() as tmp:
        d = _open(str(Path(tmp) / "long"), checkpoint)
        fresh = None
        try:
            bytes_in = []
            for i in range(replies):
                if i == max(0, replies - 20):
                    fresh = _open(str(Path(tmp) / "fresh"), checkpoint)
                before = _bytes_read(d)
                d.ask(QUESTION if i % 2 == 0 else CORRECTION)
                bytes_in.append(_bytes_read(d) - before)
                if fresh is not None:
                    fresh.ask(QUESTION if len(fresh.times) % 2 == 0 else CORRECTION)
        finally:
            if fresh is not None:
                _close(fresh)
            _close(d)
    out: dict = {"replies": replies, "load_average": [round(x, 2) for x in os.getloadavg()]}
    for a in (0, 200, replies - 20):
        if 0 <= a < replies:
            out[f"reply_ms_{a + 1}_{min(a + 20, replies)}"] = round(statistics.median(d.times[a:a + 20]), 1)
            out[f"kib_per_reply_{a + 1}_{min(a + 20, replies)}"] = round(statistics.median(bytes_in[a:a + 20]) / 1024, 1)
            if len(d.cpu_ms) == replies:  # the model's own CPU time, which waiting for a core does not inflate
                out[f"reply_cpu_ms_{a + 1}_{min(a + 20, replies)}"] = round(statistics.median(d.cpu_ms[a:a + 20]), 1)
                # and its work in FLOPs, which no machine changes: a reread of the whole window shows here
                mflop = statistics.median(d.flops[a:a + 20]) / 1e6
                out[f"reply_mflop_{a + 1}_{min(a + 20, replies)}"] = round(mflop, 1)
    if fresh is not None and fresh.times:
        last = d.times[max(0, replies - 20):]
        out[f"reply_ms_1_{len(fresh.times)}_beside"] = round(statistics.median(fresh.times), 1)
        out["last_over_first_beside"] = round(statistics.median(last) / statistics.median(fresh.times), 2)
    return out


def _bytes_read(d: Driver) -> int:
    """Bytes the window has read from the model process so far (0 where the link does not count them)."""
    return getattr(d.exhibit.link, "bytes_read", 0)


def main(argv: list[str] | None = None) -> int:
    p = Parser(prog="python -m desktop.soak", description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=30.0, help="how long to cycle after the warm-up (default 30)")
    p.add_argument("--warmup", type=int, default=WARMUP_CYCLES,
                   help=f"cycles before the figures start (default {WARMUP_CYCLES})")
    p.add_argument("--conversation", type=int, metavar="N", help="instead: one conversation of N replies")
    p.add_argument("--checkpoint", help="the trained model (default: the shipped one)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    if a.minutes <= 0 or a.warmup < 0 or (a.conversation is not None and a.conversation < 1):
        p.error("--minutes must be above 0, --warmup and --conversation at least 0 and 1")
    out = (conversation_figures(a.conversation, a.checkpoint) if a.conversation
           else soak(a.minutes, a.warmup, a.checkpoint))
    print(json.dumps(out) if a.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
