"""The model process: trains, pauses, steps and stops on command, talks, and hands back a state to resume from."""

import subprocess
import sys
import textwrap
import time

import numpy as np

from desktop.host import ModelHost
from desktop.loop import WorkerSetup
from desktop.models import fresh_live
from desktop.state import Settings
from desktop.talk_loop import TalkSetup
from desktop.worker import boot_of
from model.gpt import GPTConfig
from model.trainer import TrainConfig
from model.training import new_model

from .conftest import TINY_MODEL, TINY_TRAIN


def _drain(host, until, timeout=60.0):
    got = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got.extend(host.poll())
        if until(got):
            return got
        time.sleep(0.01)
    raise AssertionError(f"timed out; got {[m[0] for m in got]}")


def _steps(msgs):
    return [m[1].step for m in msgs if m[0] == "progressed"]


def _setup(**kw):
    state = fresh_live(TINY_MODEL, TINY_TRAIN)
    size = sum(w.size for w in state.weights.values())
    return WorkerSetup(state, "who does the books?", sample_every=0.2, **kw), size


def _host(kind):
    return ModelHost(kind, boot_of(Settings()))


def _stop(host, last):
    host.stop()
    got = _drain(host, lambda g: any(m[0] == last for m in g))
    host.ended()
    return got


def test_the_window_makes_the_same_random_weights_as_the_model_package():
    state = fresh_live(TINY_MODEL, TINY_TRAIN)
    _, trainer, _ = new_model(GPTConfig(**TINY_MODEL), TrainConfig(**TINY_TRAIN))
    snap = trainer.snapshot()
    assert list(snap) == list(state.weights)
    assert all(np.array_equal(snap[k], state.weights[k]) for k in snap)


def test_paused_training_steps_once_then_resumes_where_it_stopped():
    host = _host("thread")
    try:
        setup, size = _setup(running=False)
        w = host.start_training(setup, size)
        got = _drain(host, lambda g: any(m[0] == "sampled" for m in g))  # step 0 answers right away
        assert _steps(got) == [] and w.ready
        w.send("step", 2)
        got = _drain(host, lambda g: len(_steps(g)) == 2)
        assert _steps(got) == [1, 2]
        step, flat = w.take_snapshot()
        assert step == 2 and flat.shape == (size,)
        time.sleep(0.3)
        assert _steps(host.poll()) == []  # paused: no more steps
        msgs = _stop(host, "stopped")
        state = next(m[-1] for m in msgs if m[0] == "stopped")
        assert state.counters["step"] == 2 and state.trainer_state is not None
        host.start_training(WorkerSetup(state, "who does the books?", running=True), size)
        got = _drain(host, lambda g: len(_steps(g)) >= 2)
        assert _steps(got)[:2] == [3, 4]
    finally:
        host.shutdown()


def test_with_a_running_average_the_window_is_shown_and_handed_the_average():
    host = _host("thread")
    try:
        state = fresh_live(TINY_MODEL, dict(TINY_TRAIN, average=0.5))
        size = sum(w.size for w in state.weights.values())
        w = host.start_training(WorkerSetup(state, "who does the books?"), size)
        w.send("step", 3)
        _drain(host, lambda g: len(_steps(g)) == 3)
        step, shown = w.take_snapshot()
        final = next(m[-1] for m in _stop(host, "stopped") if m[0] == "stopped")
        handed = np.concatenate([v.ravel() for v in final.weights.values()])  # what Talk would use
        own = np.concatenate([v.ravel() for v in final.trainer_state["weights"].values()])
        assert step == 3 and np.array_equal(shown, handed)
        assert not np.array_equal(shown, own)  # the average, not the weights the optimiser moves
    finally:
        host.shutdown()


def test_the_model_process_trains_then_talks_without_qt_and_ends_cleanly():
    host = _host("process")
    try:
        setup, size = _setup(running=True)
        w = host.start_training(setup, size)
        got = _drain(host, lambda g: len(_steps(g)) >= 2)
        ready = next(m for m in got if m[0] == "ready")
        assert ready[1] == size and ready[2] is False, "the model process imported Qt widgets"
        before = np.concatenate([v.ravel() for v in setup.state.weights.values()])
        step, flat = w.take_snapshot()  # through shared memory
        assert step >= 1 and not np.array_equal(flat, before)
        state = next(m[-1] for m in _stop(host, "stopped") if m[0] == "stopped")
        pid = host.pid

        host.start("talk", "talk", TalkSetup([state]))  # the same process talks to what it trained
        ready = next(m[1] for m in _drain(host, lambda g: any(m[0] == "talking" for m in g)) if m[0] == "talking")
        assert ready.talk.kind == "live" and ready.proof.changed == 0 and host.pid == pid
        assert np.array_equal(ready.proof.flat, np.concatenate([v.ravel() for v in state.weights.values()]))
        host.send("ask", "who does the books?", 19)
        got = _drain(host, lambda g: any(m[0] == "replied" for m in g))
        said = next(m for m in got if m[0] == "said")
        reply = next(m[1] for m in got if m[0] == "replied")
        assert said[1].read == "who does the books?" and said[2].used > 0
        assert "".join(m[1] for m in got if m[0] == "wrote") == reply.text
        assert reply.proof.fingerprint == ready.proof.fingerprint and reply.proof.replies == 1
        assert reply.context.used > said[2].used
        _stop(host, "talk-ended")
    finally:
        host.shutdown()
    assert host.model is None
    import os
    assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read().lower()


def test_a_failure_in_training_is_reported_not_raised():
    host = _host("thread")
    try:
        setup, size = _setup(running=True)
        setup.state.weights["wte.weight"][:] = np.inf  # a non-finite loss at the first step
        host.start_training(setup, size)
        got = _drain(host, lambda g: any(m[0] == "failed" for m in g))
    finally:
        host.shutdown()
    why = next(m[1] for m in got if m[0] == "failed")
    assert "NonFiniteLoss" in why or "non-finite" in why or "nan" in why.lower()


def test_a_checkpoint_that_will_not_load_is_said_and_the_next_source_used(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a checkpoint")
    host = _host("thread")
    try:
        host.start("talk", "talk", TalkSetup([str(bad), fresh_live(TINY_MODEL, TINY_TRAIN)]))
        ready = next(m[1] for m in _drain(host, lambda g: any(m[0] == "talking" for m in g)) if m[0] == "talking")
        assert ready.talk.kind == "live" and "bad.safetensors" in ready.error
        host.send("load", str(bad))
        got = _drain(host, lambda g: any(m[0] == "load-failed" for m in g))
        assert "bad.safetensors" in next(m[1] for m in got if m[0] == "load-failed")
        _stop(host, "talk-ended")
    finally:
        host.shutdown()


def test_the_window_never_imports_torch(tiny_checkpoint, tmp_path):
    """Everything torch does runs in the model process: the window's own stays small."""
    script = textwrap.dedent(f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        from desktop.exhibit import Exhibit
        from desktop.state import Settings
        from desktop.window import MainWindow

        app = QApplication([])
        e = Exhibit(Settings(checkpoint={str(tiny_checkpoint)!r}, model_config={TINY_MODEL!r},
                             train_config={TINY_TRAIN!r}, reveal_cps=0, save_dir={str(tmp_path)!r}))
        w = MainWindow(e)
        w.show()
        e.start()
        def until(cond, seconds=60):
            import time
            t = time.monotonic() + seconds
            while not cond() and time.monotonic() < t:
                app.processEvents()
                time.sleep(0.005)
            assert cond()
        until(lambda: e.session is not None)
        e.ask("who does the books?")
        until(lambda: e.session.proof.replies == 1)
        e.enter_train()
        e.run()
        until(lambda: e.counters().step >= 1)
        e.save()
        until(lambda: e.last_saved is not None)
        e.enter_talk()
        until(lambda: e.session is not None and e.session.talk.kind == "live")
        w.close()
        e.shutdown()
        print("torch" in sys.modules, "PySide6.QtWidgets" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split()[-2:] == ["False", "True"], out.stdout
