"""`python -m desktop.bench [--json]`: how the window does on this machine (prints figures, asserts nothing).

- first_window_s: from starting `python -m desktop` to its first painted window (median of 3 runs);
- rss_mb: resident memory while training: the window's process plus the worker's;
- heatmap_fps: paints of the heatmap per second while training at full speed;
- event_delay_ms_p99 / _max: how late a 10 ms timer fires on the window's thread, while training
  and while a checkpoint is saved and loaded; also reported apart: the window alone before training
  (`_idle_`: this machine's other load) and the switch to Train with the worker's start (`_switch_`);
- teach_s: "Teach it for real" from the window, from the action to the taught model's proof on screen
  (the fully trained model, taught "Mara does the books."), with the event delay meanwhile;
- train_ratio_vs_bare: training steps per second in the window against the same trainer with no
  window, in a spawned process set up as the worker is (threads, nice, malloc). They take turns (three
  of each, the window paused while the bare trainer runs): this machine's speed drifts by 10 % within
  a minute, so each turn is compared with its neighbours (`turns_steps_per_s`: window, bare). The
  10 ms timer ticks through both kinds of turn: its 100 wake-ups a second cost any trainer.

`--worker thread` or `both` measures the thread worker too. Measured here (2 cores, with another
project's training running at a higher priority, load average about 2), 15 s of training:

              p99 / max training   save+load   switch to Train, max   resident (window + worker)
    process   7.2 / 95 ms          4.9 ms      25 ms                  361 + 339 = 700 MB
    thread    13.3 / 103 ms        11.8 ms     264 ms                 733 MB

so training runs in a spawned process (the default); the single ~100 ms outlier came with both and
is not explained yet. Since then the window never imports torch: one model process trains and talks.
On an idle machine, with the trainer's threads each computing half of every batch, a step shown as
soon as it ends (the counters never in the same frame), the loss curve drawn in at most 400 points
and the heatmap handed to Qt in its own pixel format, nine runs of 30 s and one of 10 s of training
in turns, 8 conversations a step: first window 0.95..1.34 s; 482..493 MB; 32.2..32.3 frames/s;
event delay p99 4.6..6.1 ms, max 8.0..18.5 ms; training in the window 0.869, 0.886, 0.893, 0.898,
0.912, 0.916, 0.941, 0.952 and 0.968 of the trainer alone over 30 s (median 0.912), 0.888 over 10 s
(11.0..12.3 steps/s against 12.2..12.9). The window uses 0.115..0.12 of a core while it trains,
the probe's share included, and costs the trainer more than half of that: each step waits for the
slower of its two threads, and the window delays one of them.
Since then (the model an average of the trainer's weights, a paused clock drawing nothing), 30 s each:
fifteen runs at 12.5..13.5 steps/s gave 0.893..0.989 (median 0.933; one below 0.9); six runs on a
faster machine (2026-11-29, 25..26 steps/s alone, so most frames bring a step) gave 0.901, 0.907,
0.913, 0.913, 0.915 and 0.938, with 0.106..0.113 of a core for the window, event delay p99
3.3..3.8 ms and max 6.2..9.4 ms, first window 0.43..0.46 s and 526..607 MB.
Where the window's time went then (py-spy, its thread, 30 s): 60 % in Qt's paints (two fifths of that in Qt's
own code, a fifth in pyqtgraph's ImageItem.paint drawing a new step into the item's cache), a quarter
showing the steps as they end (colouring them, the counters), the rest the clock and Qt's dispatch.

Where the window's time goes (its thread, 15 s of training): 32 frames a second, 1.1 ms each in the
clock's handler and 1.3 ms in the view's paint; each new step coloured in 1.4 ms; the counters and
loss curve 4 times a second. A frame with no new step costs 1.6..1.9 ms when frames come 30 ms apart,
against 0.4 ms back to back: code and data go cold between frames, whatever runs beside it. Without
the repaints of frames that bring no new step (12 instead of 32 a second), the ratio was 0.946 and
0.965 (0.094 of a core). Counting paints with an event filter and asking the scene (not the viewport)
to update cost 0.2 ms of each frame; both are gone.

Tried and left out: each trainer thread kept to a core of its own (in a synthetic test, 11.44
steps/s against 10.99 beside a process that burns 2 ms of every 16; in the window, 11.40 and 11.42
against 11.76 and 12.28 unpinned); four parts of a batch taken by whichever thread is free (the
trainer alone 12 % slower: each part's forward and backward passes cost about 5 ms whatever their
size). Earlier:
with a step shown only at the frame clock's next tick, 0.862..0.918 over four runs; with torch's own
two threads sharing every operation, 0.83..0.93 at 9..10 steps/s in the window (a process that only
burns CPU in bursts took 10 % of that trainer's speed with 0.08 of a core, 23 % with 0.15); the
trainer at the window's priority and the window's thread niced by 3: 0.84 and 0.85, with the event
delay up to 12 / 33 ms.

Qt is imported inside functions only: a spawned child imports this module as its main module and
must never load Qt widgets.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _rss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def first_window_s(runs: int = 3, checkpoint: str | None = None) -> float:
    times = []
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    cmd = [sys.executable, "-m", "desktop", "--exit-after-first-paint"]
    if checkpoint:
        cmd += ["--checkpoint", checkpoint]
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        t = time.perf_counter() - t0
        if "first-paint" not in out.stdout:
            raise RuntimeError(f"the window did not paint: {out.stderr[-2000:]}")
        times.append(t)
    return round(statistics.median(times), 3)


def _bare_main(model_config: dict, train_config: dict, conn) -> None:
    """A spawned process: the trainer alone, set up as the worker is (threads, nice, malloc). Idle
    until asked; ("measure", seconds) trains that long and answers (steps, seconds); ("stop",) ends."""
    from .state import Settings
    from .loop import build_trainer
    from .worker import _limit_heap

    s = Settings()
    _limit_heap(s.mmap_threshold)
    os.nice(s.nice)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from model.trainer import share_cores

    from .models import fresh_live

    _, trainer, _ = build_trainer(fresh_live(model_config, train_config), share_cores(s.threads))
    it = trainer.run()
    for _ in range(3):
        next(it)
    conn.send("ready")
    while (cmd := conn.recv())[0] == "measure":
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < cmd[1]:
            next(it)
            n += 1
        conn.send((n, time.perf_counter() - t0))
    trainer.stop()
    it.close()


class BareTrainer:
    """The bare trainer in its own process, measured in turns with the window (`measure`)."""

    def __init__(self, model_config: dict, train_config: dict):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_bare_main, args=(model_config, train_config, child))
        self.proc.start()
        child.close()
        self.conn.recv()

    def measure(self, seconds: float) -> tuple[int, float]:
        """Train `seconds`; meanwhile the window's event loop runs (its timers tick, as they do while
        the window trains), blocked until the answer comes, not polling."""
        from PySide6.QtCore import QEventLoop, QSocketNotifier, QTimer

        self.conn.send(("measure", seconds))
        loop = QEventLoop()
        answer = QSocketNotifier(self.conn.fileno(), QSocketNotifier.Type.Read)
        answer.activated.connect(loop.quit)
        QTimer.singleShot(int(1000 * (seconds + 60)), loop.quit)
        if not self.conn.poll():
            loop.exec()
        answer.setEnabled(False)
        return self.conn.recv()

    def close(self) -> None:
        self.conn.send(("stop",))
        self.proc.join()


class _Lateness:
    """A 10 ms timer on the window's thread; how late each tick comes.

    It runs through the bare trainer's turns too: 100 wake-ups a second of the window's process
    take something from any trainer on the machine, so both are measured with it. (When the window's
    thread waited, blocked, for the bare trainer's answer, the ratio was 0.853 and 0.862 in two runs
    of 20 s; with the probe ticking only once a second, 0.92 and 0.98.)"""

    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.samples: list[float] = []
        self._last = None
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._on_tick)
        self.timer.start(10)

    def _on_tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.samples.append(max(0.0, (now - self._last) * 1000 - 10.0))
        self._last = now

    def take(self) -> list[float]:
        out, self.samples = self.samples, []
        return out


def _spin(app, seconds: float, until=None) -> None:
    """Run the window's event loop for `seconds` or until `until()`, as `app.exec()` would: blocked
    in the event loop between events, not polling it (a polling loop would itself cost CPU)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if until is not None and until():
        return
    loop = QEventLoop()
    deadline, check = QTimer(), QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(int(seconds * 1000))
    if until is not None:
        check.timeout.connect(lambda: until() and loop.quit())
        check.start(20)
    loop.exec()
    deadline.stop()
    check.stop()


def _pct(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    s = sorted(samples)
    return round(s[min(len(s) - 1, int(q * len(s)))], 2)


def _open(worker: str, checkpoint: str | None, save_dir: str):
    """The real window, on this process's event loop, with its models loaded."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from PySide6.QtWidgets import QApplication

    from .exhibit import Exhibit
    from .state import Settings
    from .window import MainWindow
    from .worker import _limit_heap

    _limit_heap(Settings.mmap_threshold)  # as `python -m desktop` does

    app = QApplication.instance() or QApplication([])
    exhibit = Exhibit(Settings(checkpoint=checkpoint, worker=worker, save_dir=save_dir))
    window = MainWindow(exhibit)
    window.resize(1440, 900)
    window.show()
    exhibit.start()
    _spin(app, 120, lambda: exhibit._started)
    return app, exhibit, window


def window_figures(worker: str, seconds: float, checkpoint: str | None, save_dir: str, rounds: int = 3) -> dict:
    """Train in the real window for `seconds`, in `rounds` turns with the bare trainer (the same
    length each: this machine's speed drifts by 10 % within a minute, so each is compared with its
    neighbours, not with a run a minute away); then save and load."""
    from .state import Mode

    app, exhibit, window = _open(worker, checkpoint, save_dir)
    live = exhibit.state.live
    bare = BareTrainer(live.model_config, live.train_config)
    late = _Lateness()
    _spin(app, 0.5)
    late.take()
    _spin(app, 3.0)  # the window alone: what this machine's other load does to the timer
    idle = late.take()
    exhibit.enter_train()
    exhibit.run()
    _spin(app, 60, lambda: exhibit.worker_ready)
    _spin(app, 1.0)  # the first steps
    switch = late.take()  # the scene switch and the worker's start
    arrivals: list[tuple[float, int]] = []  # (when, step) as the window receives the steps
    exhibit.progressed.connect(lambda records: arrivals.append((time.perf_counter(), records[-1].step)))
    turn = seconds / rounds
    window_steps = window_s = bare_steps = bare_s = paints = frames = cpu = span = 0.0
    training: list[float] = []
    turns: list[list[float]] = []  # per round: steps per second in the window, then bare
    for r in range(rounds):
        if r:
            exhibit.run()
            _spin(app, 0.5)  # the first step after a pause
        arrivals.clear()
        paints0, frames0, t0, cpu0 = window.heatmap.paints, exhibit.frames, time.perf_counter(), time.process_time()
        late.take()
        _spin(app, turn)
        span += time.perf_counter() - t0
        training += late.take()
        paints, frames = paints + window.heatmap.paints - paints0, frames + exhibit.frames - frames0
        cpu += time.process_time() - cpu0
        if len(arrivals) > 1:  # steps per second between the first and the last step seen in the turn
            window_steps += arrivals[-1][1] - arrivals[0][1]
            window_s += arrivals[-1][0] - arrivals[0][0]
            turns.append([round((arrivals[-1][1] - arrivals[0][1]) / (arrivals[-1][0] - arrivals[0][0]), 2)])
        exhibit.pause()
        _spin(app, 1.0)  # the step in progress lands; the window goes still
        n, t = bare.measure(turn)
        bare_steps, bare_s = bare_steps + n, bare_s + t
        if turns:
            turns[-1].append(round(n / t, 2))
        late.take()  # the window at rest: not a figure of its own
    out = {"worker": worker, "heatmap_fps": round(paints / span, 1), "frame_clock_fps": round(frames / span, 1),
           "window_steps_per_s": round(window_steps / max(window_s, 1e-9), 3), "window_cpu_cores": round(cpu / span, 3),
           "bare_steps_per_s": round(bare_steps / bare_s, 3), "turns_steps_per_s": turns,
           "rss_window_mb": round(_rss_mb()), "rss_worker_mb": round(_rss_mb(exhibit.worker_pid or 0))}
    exhibit.save()
    _spin(app, 30, lambda: exhibit.last_saved is not None)
    exhibit.load(exhibit.last_saved)
    _spin(app, 30, lambda: exhibit.state.mode is Mode.TALK and exhibit.session is not None)
    _spin(app, 0.3)
    io = late.take()
    teach = _teach(app, exhibit)
    teaching = late.take()
    late.timer.stop()
    bare.close()  # waits for the process to end, which blocks the window's thread (0.9 s, measured here)
    window.close()
    exhibit.shutdown()
    out["train_ratio_vs_bare"] = round(out["window_steps_per_s"] / out["bare_steps_per_s"], 3)
    out["rss_mb"] = out["rss_window_mb"] + out["rss_worker_mb"]
    out |= teach
    delays = {"": training + io + teaching, "training_": training, "save_load_": io, "teach_": teaching,
              "idle_": idle, "switch_": switch}
    for name, samples in delays.items():
        out[f"event_delay_{name}ms_p99"] = _pct(samples, 0.99)
        out[f"event_delay_{name}ms_max"] = _pct(samples, 1.0)
    return out


def _teach(app, exhibit) -> dict:
    """Teach it for real from the window, on the fully trained model: from the action to the taught
    model's proof on screen (the event delay meanwhile is `event_delay_teach_`)."""
    session = lambda: exhibit.session  # noqa: E731 - a load makes a new one
    before = session()
    exhibit.load_trained()
    _spin(app, 30, lambda: session() is not before and not session().busy)
    exhibit.ask("no, Mara does the books.")
    _spin(app, 30, lambda: not session().busy)
    t0 = time.perf_counter()
    exhibit.teach()
    _spin(app, 60, lambda: not session().busy and bool(session().talk.taught))
    seconds = time.perf_counter() - t0
    exhibit.ask("who does the books?")  # in the fresh conversation: from the weights alone
    _spin(app, 30, lambda: not session().busy)
    return {"teach_s": round(seconds, 2), "teach_changed": session().proof.changed,
            "teach_answer": session().last_reply}


def run(worker: str, seconds: float, checkpoint: str | None) -> dict:
    out: dict = {"load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    out["first_window_s"] = first_window_s(checkpoint=checkpoint)
    kinds = ("process", "thread") if worker == "both" else (worker,)
    with tempfile.TemporaryDirectory() as tmp:
        figures = {kind: window_figures(kind, seconds, checkpoint, tmp) for kind in kinds}
    out |= figures[kinds[0]]
    if len(kinds) > 1:
        out["by_worker"] = figures
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m desktop.bench", description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true")
    p.add_argument("--worker", choices=("process", "thread", "both"), default="process")
    p.add_argument("--seconds", type=float, default=10.0, help="training time measured (default 10)")
    p.add_argument("--checkpoint", help="the trained model to load (default: the shipped one)")
    a = p.parse_args(argv)
    out = run(a.worker, a.seconds, a.checkpoint)
    print(json.dumps(out) if a.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
