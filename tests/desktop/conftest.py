"""Fixtures for the window's tests: a tiny trained checkpoint, an exhibit on it, the exhibit's locale
(English, digits grouped), and a guard that fails any test leaving a QThread running, a Python thread
alive or a model process behind."""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThread

from desktop.control.state import Mode, Settings

TINY_MODEL = dict(block_size=160, n_layer=2, n_head=2, n_embd=32)
TINY_TRAIN = dict(seed=1, batch_size=4)


def _worker_children() -> list[int]:
    """Spawned children of this process still running (the resource tracker aside)."""
    me, out = os.getpid(), []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = (d / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == me and b"spawn_main" in cmd:
            out.append(int(d.name))
    return out


def pytest_collection_modifyitems(items):
    # The offscreen platform cannot resize a window to fit its contents and says so as a warning each
    # time a layout's size hints change; no real screen does. Every other Qt warning still fails a test.
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))


@pytest.fixture(autouse=True)
def english(qapp):
    """The exhibit's own start-up: its translator, in English (the source language), and its locale."""
    from PySide6.QtCore import QLocale

    from desktop import i18n

    i18n.install(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield


@pytest.fixture(autouse=True)
def nothing_left_running(monkeypatch):
    """Fail the test if it leaves a QThread running, a thread alive or a worker process behind."""
    started: list[QThread] = []
    original = QThread.start

    def start(self, *a, **kw):
        started.append(self)
        return original(self, *a, **kw)

    monkeypatch.setattr(QThread, "start", start)
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        threads = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        qthreads = [t for t in started if t.isRunning()]
        children = mp.active_children() + _worker_children()
        if not (threads or qthreads or children):
            return
        time.sleep(0.05)
    pytest.fail(f"left running: threads {threads}, QThreads {qthreads}, processes {children}")


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory) -> Path:
    """A tiny model trained for a few steps, saved as a real checkpoint."""
    from model import checkpoint
    from model.gpt import GPTConfig
    from model.trainer import TrainConfig
    from model.training import new_model

    model, trainer, tok = new_model(GPTConfig(**TINY_MODEL), TrainConfig(**TINY_TRAIN))
    records = list(trainer.run(3))
    path = tmp_path_factory.mktemp("ckpt") / "tiny.safetensors"
    meta = {"training": {"steps": records[-1].step, "seconds": records[-1].seconds, "chars": records[-1].chars,
                         "flops": records[-1].flops, "train_config": TINY_TRAIN}}
    checkpoint.save(path, checkpoint.Checkpoint(model, tok, meta))
    return path


@pytest.fixture
def settings(tiny_checkpoint, tmp_path) -> Settings:
    return Settings(checkpoint=str(tiny_checkpoint), model_config=dict(TINY_MODEL), train_config=dict(TINY_TRAIN),
                    worker="thread", sample_every=0.2, frame_ms=10, reveal_cps=0, save_dir=str(tmp_path / "saved"),
                    data_dir=str(tmp_path / "data"))


def _started(qtbot, exhibit):
    with qtbot.waitSignal(exhibit.ready, timeout=60_000):
        exhibit.start()
    return exhibit


def _window(qtbot, settings):
    from desktop.control.exhibit import Exhibit
    from desktop.window import MainWindow

    e = Exhibit(settings)
    w = MainWindow(e)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    _started(qtbot, e)
    return w


@pytest.fixture
def exhibit(qtbot, settings):
    from desktop.control.exhibit import Exhibit

    e = Exhibit(settings)
    yield _started(qtbot, e)
    e.shutdown()


@pytest.fixture
def window(qtbot, settings):
    w = _window(qtbot, settings)
    yield w
    w.close()


def wait_steps(qtbot, exhibit, n: int, timeout: int = 60_000) -> None:
    live = exhibit.training.live
    target = live.counters.step + n
    qtbot.waitUntil(lambda: exhibit.training.live.counters.step >= target, timeout=timeout)


def wait_idle(qtbot, exhibit, timeout: int = 30_000) -> None:
    talk = exhibit.talk
    qtbot.waitUntil(lambda: talk.conversation.is_open and not talk.busy, timeout=timeout)


def enter_train(qtbot, exhibit):
    exhibit.enter_train()
    qtbot.waitUntil(lambda: exhibit.training.ready, timeout=60_000)
    return exhibit.training


@pytest.fixture
def shipped_window(qtbot, settings):
    """The window on the shipped model (the tiny one cannot answer), with a tiny live run."""
    w = _window(qtbot, dataclasses.replace(settings, checkpoint=None))
    e = w.exhibit
    qtbot.waitUntil(lambda: e.talk.conversation.is_open, timeout=30_000)
    assert e.mode is Mode.TALK and e.talk.conversation.model.kind == "trained"
    yield w
    w.close()


def commonest(picture) -> "QColor":
    """The commonest colour of a picture (a QPixmap or QImage): what a widget is drawn on."""
    import numpy as np
    from PySide6.QtGui import QColor, QImage

    image = picture.toImage() if hasattr(picture, "toImage") else picture
    image = image.convertToFormat(QImage.Format.Format_RGB32)  # 4 bytes a pixel: rows need no padding
    words = np.frombuffer(image.constBits(), np.uint32)
    values, counts = np.unique(words, return_counts=True)
    return QColor.fromRgb(int(values[counts.argmax()]))
