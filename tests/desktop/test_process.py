"""The model process, spoken to in its own protocol (no window): it trains, pauses, steps and stops on
command, paces its steps, talks, reports failures by kind, and hands back a state to resume from."""

import multiprocessing as mp
import os
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

from desktop.process import entry
from desktop.process import frames as frames_mod
from desktop.process import protocol as p
from desktop.process.frames import FrameSlot
from desktop.process.models import fresh_live
from desktop.process.weights import flatten, specs_of
from model.gpt import GPTConfig
from model.trainer import TrainConfig
from model.training import new_model

from .conftest import TINY_MODEL, TINY_TRAIN

QUESTION = "who does the books?"


class Model:
    """The model server in a thread (or a spawned process), its pipes, and the frames of a run."""

    def __init__(self, kind: str = "thread"):
        ctx = mp.get_context("spawn")
        self.lock = ctx.Lock()
        commands_in, self.commands = ctx.Pipe(duplex=False)
        self.messages, messages_out = ctx.Pipe(duplex=False)
        if kind == "thread":
            self.runner = threading.Thread(target=entry.thread_main, args=(commands_in, messages_out, self.lock))
        else:
            boot = {"nice": 0, "threads": 1, "mmap_threshold": 0}
            self.runner = ctx.Process(target=entry.process_main, args=(boot, commands_in, messages_out, self.lock))
        self.runner.start()
        if kind == "process":
            commands_in.close()
            messages_out.close()
        self.frames: FrameSlot | None = None

    def send(self, cmd) -> None:
        self.commands.send(cmd)

    def train(self, start: p.LiveState, **kw) -> FrameSlot:
        size = sum(w.size for w in start.weights.values())
        self.frames = FrameSlot.create(size, self.lock)
        self.send(p.Train(start, QUESTION, self.frames.ref, sample_every=0.2, **kw))
        return self.frames

    def until(self, done, timeout: float = 60.0) -> list:
        """Every message until `done(messages so far)`; fails after `timeout` seconds."""
        got = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.messages.poll(0.05):
                got.append(self.messages.recv())
                if done(got):
                    return got
        raise AssertionError(f"timed out; got {[type(m).__name__ for m in got]}")

    def last(self, kind, timeout: float = 60.0):
        return next(m for m in self.until(lambda g: isinstance(g[-1], kind), timeout) if isinstance(m, kind))

    def close(self) -> None:
        self.commands.close()
        self.messages.close()
        self.runner.join(10)
        if self.frames is not None:
            self.frames.close()


def _steps(messages) -> list[int]:
    return [m.step for m in messages if isinstance(m, p.Stepped)]


@pytest.fixture
def model():
    m = Model()
    yield m
    m.close()


def test_the_window_makes_the_same_random_weights_as_the_model_package():
    state = fresh_live(TINY_MODEL, TINY_TRAIN)
    _, trainer, _ = new_model(GPTConfig(**TINY_MODEL), TrainConfig(**TINY_TRAIN))
    snap = trainer.snapshot()
    assert list(snap) == list(state.weights)
    assert all(np.array_equal(snap[k], state.weights[k]) for k in snap)


def test_paused_training_steps_when_asked_and_resumes_where_it_stopped(model):
    frames = model.train(fresh_live(TINY_MODEL, TINY_TRAIN))
    got = model.until(lambda g: any(isinstance(m, p.Sampled) for m in g))  # step 0 answers right away
    assert isinstance(got[0], p.TrainingReady) and _steps(got) == []
    model.send(p.Step(2))
    assert _steps(model.until(lambda g: len(_steps(g)) == 2)) == [1, 2]
    frame = frames.take()  # one frame: the newest weights with their counters and the losses since
    assert frame.step == 2 and frame.counters.chars > 0 and list(frame.losses[:, 0]) == [1, 2]
    assert frames.take() is None  # nothing newer
    model.send(p.Pause())
    assert model.last(p.Paused).step == 2
    model.send(p.Stop())
    ended = model.last(p.TrainingEnded)
    assert ended.problem is None and ended.final.counters.step == 2 and ended.final.trainer_state is not None
    frames.close()
    frames = model.train(ended.final, running=True)
    assert _steps(model.until(lambda g: len(_steps(g)) >= 2))[:2] == [3, 4]
    model.send(p.Stop())
    model.last(p.TrainingEnded)


def test_a_slow_pace_waits_between_steps():
    """The pace on a clock of the test's own: a step every 2 s at 0.5 steps a second, none before."""
    from desktop.process.training import TrainingRun

    now = [100.0]
    sent = []
    start = fresh_live(TINY_MODEL, TINY_TRAIN)
    frames = FrameSlot.create(sum(w.size for w in start.weights.values()), mp.get_context("spawn").Lock())
    cmd = p.Train(start, QUESTION, frames.ref, running=False, speed=0.5, sample_every=1e9)
    run = TrainingRun(cmd, frames, sent.append, clock=lambda: now[0])
    try:
        run.tick()  # paused: the story's question at step 0, no step
        assert _steps(sent) == [] and [m.step for m in sent if isinstance(m, p.Sampled)] == [0]
        run.run(p.Run())
        run.tick()
        assert _steps(sent) == [1] and run.wait_time() == pytest.approx(2.0)
        now[0] += 1.5
        run.tick()
        assert _steps(sent) == [1] and run.wait_time() == pytest.approx(0.5)
        now[0] += 0.5
        run.tick()
        assert _steps(sent) == [1, 2]
        run.set_speed(p.Speed(None))  # full speed: the next step is due at once
        assert run.wait_time() == 0.0
    finally:
        run.finish()
        frames.close()


def test_with_a_running_average_the_window_is_shown_and_handed_the_average(model):
    frames = model.train(fresh_live(TINY_MODEL, dict(TINY_TRAIN, average=0.5)))
    model.send(p.Step(3))
    model.until(lambda g: len(_steps(g)) == 3)
    shown = frames.take().weights
    model.send(p.Stop())
    final = model.last(p.TrainingEnded).final
    handed = np.concatenate([v.ravel() for v in final.weights.values()])  # what Talk would use
    own = np.concatenate([v.ravel() for v in final.trainer_state["weights"].values()])
    assert np.array_equal(shown, handed)
    assert not np.array_equal(shown, own)  # the average, not the weights the optimiser moves


def test_a_failure_in_training_is_reported_by_kind_with_the_last_good_state(model):
    start = fresh_live(TINY_MODEL, TINY_TRAIN)
    start.weights["wte.weight"][:] = np.inf  # a non-finite loss at the first step
    model.train(start, running=True)
    ended = model.last(p.TrainingEnded)
    assert ended.problem.kind is p.ProblemKind.NON_FINITE and "step 1" in ended.problem.detail
    assert ended.final is not None and ended.final.counters.step == 0


def test_a_checkpoint_that_will_not_load_is_said_and_the_next_source_used(model, tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a checkpoint")
    model.send(p.Talk((str(bad), fresh_live(TINY_MODEL, TINY_TRAIN))))
    ready = model.last(p.TalkReady)
    assert ready.talk.kind == "live" and ready.problem.kind is p.ProblemKind.CHECKPOINT_UNREADABLE
    assert ready.problem.subject == str(bad)
    model.send(p.Load(str(bad)))
    assert model.last(p.LoadFailed).problem.subject == str(bad)
    model.send(p.Teach("Nobody does the books?"))
    assert model.last(p.TeachFailed).problem.kind is p.ProblemKind.NOT_A_CORRECTION
    model.send(p.Stop())
    assert model.last(p.TalkEnded).problem is None


def test_the_model_process_trains_then_talks_without_qt_and_ends_cleanly():
    model = Model("process")
    try:
        start = fresh_live(TINY_MODEL, TINY_TRAIN)
        frames = model.train(start, running=True)
        got = model.until(lambda g: len(_steps(g)) >= 2)
        ready = next(m for m in got if isinstance(m, p.TrainingReady))
        assert ready.weights == frames.size and ready.widgets_imported is False
        frame = frames.take()  # through shared memory
        assert frame.step >= 1 and not np.array_equal(frame.weights, flatten(start.weights, specs_of(
            start.weights.items())))
        model.send(p.Stop())
        final = model.last(p.TrainingEnded).final
        model.send(p.Talk((final,)))  # the same process talks to what it trained
        ready = model.last(p.TalkReady)
        assert ready.talk.kind == "live" and ready.proof.changed == 0
        assert np.array_equal(ready.proof.flat, np.concatenate([v.ravel() for v in final.weights.values()]))
        model.send(p.Ask(QUESTION, len(QUESTION)))
        got = model.until(lambda g: isinstance(g[-1], p.Replied))
        said, reply = got[0], got[-1]
        assert isinstance(said, p.Said) and said.read == QUESTION and said.context.used > 0
        assert "".join(m.text for m in got if isinstance(m, p.Wrote)) == reply.text
        assert reply.proof.fingerprint == ready.proof.fingerprint and reply.proof.replies == 1
        assert reply.context.used > said.context.used
        model.send(p.Stop())
        model.last(p.TalkEnded)
    finally:
        model.close()
    assert model.runner.exitcode == 0


def test_the_window_never_imports_torch(tiny_checkpoint, tmp_path):
    """Everything torch does runs in the model process: the window's own stays small."""
    script = textwrap.dedent(f"""
        import os, sys, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        from desktop.control.exhibit import Exhibit
        from desktop.control.state import Settings
        from desktop.window import MainWindow

        def main():
            app = QApplication([])
            e = Exhibit(Settings(checkpoint={str(tiny_checkpoint)!r}, model_config={TINY_MODEL!r},
                                 train_config={TINY_TRAIN!r}, reveal_cps=0, save_dir={str(tmp_path)!r}))
            w = MainWindow(e)
            w.show()
            e.start()
            def until(cond, seconds=60):
                t = time.monotonic() + seconds
                while not cond() and time.monotonic() < t:
                    app.processEvents()
                    time.sleep(0.005)
                assert cond()
            c = e.talk.conversation
            until(lambda: c.is_open)
            e.talk.ask("who does the books?")
            until(lambda: c.proof.replies == 1)
            e.enter_train()
            e.run()
            until(lambda: e.training.live.counters.step >= 1)
            e.save()
            until(lambda: e.last_saved is not None)
            e.enter_talk()
            until(lambda: c.is_open and c.model.kind == "live")
            w.close()
            print("torch" in sys.modules, "PySide6.QtWidgets" in sys.modules)

        if __name__ == "__main__":
            main()
    """)
    path = tmp_path / "window_only.py"
    path.write_text(script)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split()[-2:] == ["False", "True"], out.stdout


def test_a_view_of_the_frames_still_held_somewhere_does_not_stop_a_run_from_ending():
    # A traceback kept by a log, or a sampling profiler, can hold a frame whose locals view the shared
    # memory: the run must still end (its memory removed), not raise and leave the window waiting.
    frames = FrameSlot.create(1000, mp.get_context("spawn").Lock())
    held = frames._weights[:10]
    name = frames.ref[0]
    frames.close()
    assert not os.path.exists(f"/dev/shm/{name}") and held.size == 10
    del held
    FrameSlot.create(10, mp.get_context("spawn").Lock()).close()  # the next run's end unmaps the last one's
    assert not frames_mod._LINGERING
