"""The training worker: runs, pauses, steps and stops on command, and hands back a state to resume from."""

import time

import numpy as np

from desktop.models import fresh_live
from desktop.worker import ProcessWorker, ThreadWorker, WorkerSetup
from model.gpt import GPTConfig
from model.trainer import TrainConfig
from model.training import new_model

from .conftest import TINY_MODEL, TINY_TRAIN


def _drain(worker, until, timeout=60.0):
    got = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got.extend(worker.poll())
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


def test_the_window_makes_the_same_random_weights_as_the_model_package():
    state = fresh_live(TINY_MODEL, TINY_TRAIN)
    _, trainer, _ = new_model(GPTConfig(**TINY_MODEL), TrainConfig(**TINY_TRAIN))
    snap = trainer.snapshot()
    assert list(snap) == list(state.weights)
    assert all(np.array_equal(snap[k], state.weights[k]) for k in snap)


def test_paused_worker_steps_once_then_resumes_where_it_stopped():
    setup, size = _setup(running=False)
    w = ThreadWorker(setup, size)
    try:
        got = _drain(w, lambda g: any(m[0] == "sampled" for m in g))  # step 0 answers right away
        assert _steps(got) == []
        w.send("step", 2)
        got = _drain(w, lambda g: len(_steps(g)) == 2)
        assert _steps(got) == [1, 2]
        step, flat = w.take_snapshot()
        assert step == 2 and flat.shape == (size,)
        time.sleep(0.3)
        assert _steps(w.poll()) == []  # paused: no more steps
    finally:
        msgs = w.stop_now()
    state = next(m[-1] for m in msgs if m[0] == "stopped")
    assert state.counters["step"] == 2 and state.optimizer is not None
    setup2 = WorkerSetup(state, "who does the books?", running=True)
    w2 = ThreadWorker(setup2, size)
    try:
        got = _drain(w2, lambda g: len(_steps(g)) >= 2)
        assert _steps(got)[:2] == [3, 4]
    finally:
        w2.stop_now()


def test_process_worker_trains_without_qt_widgets_and_ends_cleanly():
    setup, size = _setup(running=True)
    w = ProcessWorker(setup, size)
    try:
        got = _drain(w, lambda g: len(_steps(g)) >= 2)
        ready = next(m for m in got if m[0] == "ready")
        assert ready[1] == size and ready[2] is False, "the spawned worker imported Qt widgets"
        before = fresh_live(TINY_MODEL, TINY_TRAIN).weights
        step, flat = w.take_snapshot()
        assert step >= 1 and not np.array_equal(flat, np.concatenate([v.ravel() for v in before.values()]))
    finally:
        msgs = w.stop_now()
    assert any(m[0] == "stopped" for m in msgs)
    assert not w.alive()


def test_a_failure_in_the_worker_is_reported_not_raised():
    setup, size = _setup(running=True)
    setup.state.weights["wte.weight"][:] = np.inf  # a non-finite loss at the first step
    w = ThreadWorker(setup, size)
    try:
        got = _drain(w, lambda g: any(m[0] == "failed" for m in g))
    finally:
        w.close()
    why = next(m[1] for m in got if m[0] == "failed")
    assert "NonFiniteLoss" in why or "non-finite" in why or "nan" in why.lower()
