"""`python -m desktop.bench [--json]`: how the window does on this machine (prints figures, asserts nothing).

- first_window_s: from starting `python -m desktop` to its first painted window (median of 3 runs);
- rss_mb: resident memory while training: the window's process plus the model process's;
- heatmap_fps: paints of the heatmap per second while training at full speed;
- step_shown_ms_p50 / _p90: how long a finished step waits to be drawn (from its `Stepped` arriving
  to its frame shown); the frame clock shows a step at once when it is due within a period;
- event_delay_ms_p99 / _max: how late a 10 ms timer fires on the window's thread, while training
  and while a checkpoint is saved and loaded; also reported apart: the window alone before training
  (`_idle_`: this machine's other load) and the switch to Train with the run's start (`_switch_`);
- teach_s: "Teach it for real" from the window, from the action to the taught model's proof on screen
  (the fully trained model, taught "Mara does the books."), with the event delay meanwhile;
- train_ratio_vs_bare: training steps per second in the window against the same trainer with no
  window, in a spawned process set up as the model process is (threads, nice, malloc). They take
  turns (three of each, the window paused while the bare trainer runs): a machine's speed drifts by
  10 % within a minute, so each turn is compared with its neighbours (`turns_steps_per_s`: window,
  bare). The 10 ms timer ticks through both kinds of turn: its 100 wake-ups a second cost any trainer.

`--worker thread` or `both` measures the model in a thread of the window's process too. Figures
measured so far, and what was tried: BENCHMARKS.md. Qt is imported inside functions only: a spawned
child imports this module as its main module and must never load Qt widgets.
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

from model.cli import Parser


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
    from ..control.state import Settings
    from ..process.entry import limit_heap

    s = Settings()
    limit_heap(s.mmap_threshold)
    os.nice(s.nice)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from model.trainer import share_cores

    from ..process.models import build_trainer, fresh_live

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

    It runs through the bare trainer's turns too: 100 wake-ups a second of the window's process take
    something from any trainer on the machine, so both are measured with it."""

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

    from .. import i18n
    from ..control.exhibit import Exhibit
    from ..control.state import Settings
    from ..process.entry import limit_heap
    from ..window import MainWindow

    limit_heap(Settings.mmap_threshold)  # as `python -m desktop` does

    app = QApplication.instance() or QApplication([])
    i18n.install()
    exhibit = Exhibit(Settings(checkpoint=checkpoint, worker=worker, save_dir=save_dir))
    window = MainWindow(exhibit)
    window.resize(1440, 900)
    window.show()
    exhibit.start()
    _spin(app, 120, lambda: exhibit.started)
    return app, exhibit, window


def window_figures(worker: str, seconds: float, checkpoint: str | None, save_dir: str, rounds: int = 3) -> dict:
    """Train in the real window for `seconds`, in `rounds` turns with the bare trainer (the same
    length each: a machine's speed drifts by 10 % within a minute, so each is compared with its
    neighbours, not with a run a minute away); then save and load."""
    from ..control.state import Mode
    from ..process.protocol import Stepped

    app, exhibit, window = _open(worker, checkpoint, save_dir)
    training = exhibit.training
    live = training.live
    bare = BareTrainer(live.start.model_config, live.train_config)
    late = _Lateness()
    _spin(app, 0.5)
    late.take()
    _spin(app, 3.0)  # the window alone: what this machine's other load does to the timer
    idle = late.take()
    exhibit.enter_train()
    exhibit.run()
    _spin(app, 60, lambda: training.ready)
    _spin(app, 1.0)  # the first steps
    switch = late.take()  # the scene switch and the run's start
    arrivals: dict[int, float] = {}  # step: when the window heard that it ended
    waits: list[float] = []  # how long a step waited to be drawn, in ms
    route = exhibit.routes[Stepped]
    exhibit.routes[Stepped] = lambda m: (arrivals.setdefault(m.step, time.perf_counter()), route(m))
    training.weights_shown.connect(lambda _specs, step, _flat: step in arrivals and waits.append(
        1000 * (time.perf_counter() - arrivals[step])))
    turn = seconds / rounds
    window_steps = window_s = bare_steps = bare_s = paints = frames = cpu = span = 0.0
    during: list[float] = []
    turns: list[list[float]] = []  # per round: steps per second in the window, then bare
    for r in range(rounds):
        if r:
            exhibit.run()
            _spin(app, 0.5)  # the first step after a pause
        arrivals.clear()
        paints0, frames0 = window.heatmap.paints, training.frames_shown
        t0, cpu0 = time.perf_counter(), time.process_time()
        late.take()
        _spin(app, turn)
        span += time.perf_counter() - t0
        during += late.take()
        paints, frames = paints + window.heatmap.paints - paints0, frames + training.frames_shown - frames0
        cpu += time.process_time() - cpu0
        seen = sorted(arrivals.items())
        if len(seen) > 1:  # steps per second between the first and the last step heard in the turn
            steps, span_s = seen[-1][0] - seen[0][0], seen[-1][1] - seen[0][1]
            window_steps, window_s = window_steps + steps, window_s + span_s
            turns.append([round(steps / span_s, 2)])
        exhibit.training.pause()
        _spin(app, 1.0)  # the step in progress lands; the window goes still
        n, t = bare.measure(turn)
        bare_steps, bare_s = bare_steps + n, bare_s + t
        if turns:
            turns[-1].append(round(n / t, 2))
        late.take()  # the window at rest: not a figure of its own
    out = {"worker": worker, "heatmap_fps": round(paints / span, 1), "frame_clock_fps": round(frames / span, 1),
           "window_steps_per_s": round(window_steps / max(window_s, 1e-9), 3),
           "window_cpu_cores": round(cpu / span, 3), "bare_steps_per_s": round(bare_steps / bare_s, 3),
           "turns_steps_per_s": turns, "step_shown_ms_p50": _pct(waits, 0.5), "step_shown_ms_p90": _pct(waits, 0.9),
           "rss_window_mb": round(_rss_mb()), "rss_worker_mb": round(_rss_mb(exhibit.link.pid or 0))}
    exhibit.save()
    _spin(app, 30, lambda: exhibit.last_saved is not None)
    exhibit.load(exhibit.last_saved)
    _spin(app, 30, lambda: exhibit.mode is Mode.TALK and exhibit.talk.conversation.is_open)
    _spin(app, 0.3)
    io = late.take()
    teach = _teach(app, exhibit)
    teaching = late.take()
    late.timer.stop()
    bare.close()  # waits for the process to end, which blocks the window's thread (about a second)
    window.close()
    exhibit.shutdown()
    out["train_ratio_vs_bare"] = round(out["window_steps_per_s"] / out["bare_steps_per_s"], 3)
    out["rss_mb"] = out["rss_window_mb"] + out["rss_worker_mb"]
    out |= teach
    delays = {"": during + io + teaching, "training_": during, "save_load_": io, "teach_": teaching,
              "idle_": idle, "switch_": switch}
    for name, samples in delays.items():
        out[f"event_delay_{name}ms_p99"] = _pct(samples, 0.99)
        out[f"event_delay_{name}ms_max"] = _pct(samples, 1.0)
    return out


def _teach(app, exhibit) -> dict:
    """Teach it for real from the window, on the fully trained model: from the action to the taught
    model's proof on screen (the event delay meanwhile is `event_delay_teach_`)."""
    talk = exhibit.talk
    c = talk.conversation
    before = c.model
    exhibit.load_trained()
    _spin(app, 30, lambda: c.model is not before and c.is_open and not talk.busy)
    talk.ask("no, Mara does the books.")
    _spin(app, 30, lambda: not talk.busy)
    t0 = time.perf_counter()
    talk.teach()
    _spin(app, 60, lambda: not talk.busy and bool(c.model.taught))
    seconds = time.perf_counter() - t0
    talk.ask("who does the books?")  # in the fresh conversation: from the weights alone
    _spin(app, 30, lambda: not talk.busy)
    return {"teach_s": round(seconds, 2), "teach_changed": c.proof.changed, "teach_answer": c.last_reply}


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
    p = Parser(prog="python -m desktop.bench", description=__doc__.splitlines()[0])
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
