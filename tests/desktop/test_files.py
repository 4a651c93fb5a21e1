"""The classroom's files: Open (Ctrl+O) refuses a damaged or foreign file with one message naming it and
keeps the model on screen; every export writes a valid file of what is on screen (the heatmap at one
pixel per weight, the loss curve one row per step, the conversation with its context). The file
dialogs are replaced (they are outside the project); everything else is the real window and model."""

import csv
import shutil

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QLabel

from desktop.control.state import Mode
from desktop.readable import contrast

from .conftest import commonest, enter_train, wait_idle, wait_steps


@pytest.fixture
def dialog(monkeypatch):
    """The file dialogs answer with `dialog.path`; each call is counted."""

    class Answer:
        path = ""
        calls = 0

    def answer(*_args, **_kw):
        Answer.calls += 1
        return str(Answer.path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return Answer


def press(window, key, mods=Qt.KeyboardModifier.ControlModifier):
    QTest.keyClick(window, key, mods)


def test_a_damaged_or_foreign_file_is_named_and_the_current_model_stays(qtbot, window, dialog, tiny_checkpoint,
                                                                        tmp_path):
    e, c = window.exhibit, window.exhibit.talk.conversation
    wait_idle(qtbot, e)
    before, opened = c.proof.fingerprint, []
    c.opened.connect(opened.append)
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(tiny_checkpoint.read_bytes()[:-1000])
    foreign = tmp_path / "holiday.safetensors"
    foreign.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    for bad in (damaged, foreign):
        dialog.path = bad
        press(window, Qt.Key.Key_O)
        qtbot.waitUntil(lambda: bad.name in window.message.text(), timeout=30_000)
        wait_idle(qtbot, e)
        assert window.message.text().count("\n") == 0 and "Could not load" in window.message.text()
        assert e.mode is Mode.TALK and c.is_open and c.proof.fingerprint == before and not opened
        assert not window.busy.text()
    assert e.talk.ask("who does the books?")  # and it still talks
    wait_idle(qtbot, e)

    good = tmp_path / "copy.safetensors"
    shutil.copy(tiny_checkpoint, good)
    dialog.path = good
    press(window, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
    assert opened[0].path == str(good)


def test_the_heatmap_exports_one_pixel_per_weight_and_the_view_as_on_screen(qtbot, window, dialog, tmp_path):
    wait_idle(qtbot, window.exhibit)
    dialog.path = tmp_path / "weights.png"
    press(window, Qt.Key.Key_E)
    native, view = QImage(str(tmp_path / "weights.png")), QImage(str(tmp_path / "weights-view.png"))
    m = window.heatmap.mosaic
    assert (native.width(), native.height()) == (m.width, m.height)
    shown = window.heatmap.rendered()
    for x, y in ((0, 0), (m.width // 2, m.height // 3), (m.width - 1, m.height - 1)):
        c = native.pixelColor(x, y)
        assert (c.red(), c.green(), c.blue()) == tuple(shown[y, x, :3])  # the colours on screen, row 0 on top
    assert (view.width(), view.height()) == (window.heatmap.width(), window.heatmap.height())
    assert str(tmp_path / "weights.png") in window.message.text()


def test_the_loss_curve_exports_one_row_per_step_and_its_picture(qtbot, window, dialog, tmp_path):
    e = window.exhibit
    dialog.path = tmp_path / "loss.csv"
    press(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Nothing to export" in window.message.text() and not (tmp_path / "loss.csv").exists()
    t = enter_train(qtbot, e)
    e.run()
    wait_steps(qtbot, e, 12)
    e.training.pause()
    qtbot.waitUntil(lambda: not e.training.running, timeout=30_000)
    press(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with open(tmp_path / "loss.csv", newline="") as f:
        rows = list(csv.reader(f))
    steps = t.live.counters.step
    assert rows[0] == ["step", "loss"] and len(rows) - 1 == steps >= 12
    assert [int(r[0]) for r in rows[1:]] == list(range(1, steps + 1)) and all(float(r[1]) > 0 for r in rows[1:])
    picture = QImage(str(tmp_path / "loss.png"))
    assert picture.width() > 100 and picture.height() > 50


def test_the_conversation_exports_as_text_with_its_context(qtbot, window, dialog, tmp_path):
    e = window.exhibit
    wait_idle(qtbot, e)
    assert e.talk.ask("who does the books?")
    wait_idle(qtbot, e)
    dialog.path = tmp_path / "chat.txt"
    press(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    text = (tmp_path / "chat.txt").read_text(encoding="utf-8")
    c = e.talk.conversation
    assert "who does the books?" in text.split("--- context")[0]  # the conversation as shown
    assert "".join(t.text for t in c.view.tokens) in text and c.proof.fingerprint in text


def test_the_training_replay_is_a_gif_with_the_frames_it_says_within_its_budget(qtbot, window, dialog, tmp_path):
    e, r = window.exhibit, window.recorder
    dialog.path = tmp_path / "replay.gif"
    press(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Nothing to export" in window.message.text() and not (tmp_path / "replay.gif").exists()
    enter_train(qtbot, e)
    r.budget = 6 * r.mosaic.width * r.mosaic.height  # six frames' worth at most
    e.run()
    wait_steps(qtbot, e, 40)
    e.training.pause()
    qtbot.waitUntil(lambda: not e.training.running, timeout=30_000)
    assert 3 <= len(r.frames) <= 6 and r.size <= r.budget and r.spacing > 1  # thinned, evenly
    steps = [s for s, _ in r.frames]
    assert steps == sorted(steps) and all(s % r.spacing == 0 for s in steps[1:])
    press(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    said = window.message.text()
    assert f"a replay of {len(r.frames)} frames, steps {steps[0]} to {steps[-1]}" in said

    reader = QImageReader(str(tmp_path / "replay.gif"))
    assert reader.imageCount() == len(r.frames)
    m, shown = window.heatmap.mosaic, window.heatmap.rendered()
    frames = [reader.read() for _ in range(len(r.frames))]
    assert all((f.width(), f.height()) == (m.width, m.height) for f in frames)
    assert len({bytes(f.constBits()) for f in frames}) == len(frames)  # the weights move from frame to frame
    ys, xs = np.nonzero(np.isnan(window.heatmap.values()))  # between the matrices: their colour as on screen
    gap = frames[-1].pixelColor(int(xs[0]), int(ys[0]))
    assert (gap.red(), gap.green(), gap.blue()) == tuple(shown[ys[0], xs[0], :3])


def test_the_replay_export_shows_its_progress_and_a_cancelled_one_leaves_the_file_as_it_was(qtbot, window, dialog,
                                                                                              tmp_path):
    e, r, files = window.exhibit, window.recorder, window.files
    enter_train(qtbot, e)
    e.run()
    wait_steps(qtbot, e, 6)
    e.training.pause()
    qtbot.waitUntil(lambda: not e.training.running, timeout=30_000)
    n, seen, out = len(r.frames), [], tmp_path / "exports"
    out.mkdir()
    files.progressed.connect(lambda done, of: seen.append((done, of, files.progress.maximum())))
    looks = []  # its text's colour against the colour it is drawn on

    def look(*_) -> None:
        files.progress.show()  # as it is from PROGRESS_AFTER_MS on
        label = files.progress.findChild(QLabel)
        looks.append(contrast(label.palette().color(label.foregroundRole()),
                              commonest(files.progress.grab(label.geometry()))))

    files.progressed.connect(look)
    dialog.path = out / "replay.gif"
    press(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert n >= 3 and seen == [(i, n, n) for i in range(1, n + 1)]  # every frame, up to all of them
    assert min(looks) >= 7, looks  # light on dark, as the window (the system's light grey would leave it unreadable)
    before = (out / "replay.gif").read_bytes()

    e.run()  # more frames, then the same file again: cancelled after two frames
    wait_steps(qtbot, e, 3)
    e.training.pause()
    qtbot.waitUntil(lambda: not e.training.running, timeout=30_000)
    seen.clear()
    files.progressed.connect(lambda done, _of: done == 2 and files.progress.cancel())  # its Cancel button's slot
    window.activateWindow()  # back from the dialog, as a window manager would make it
    qtbot.waitUntil(window.isActiveWindow)
    press(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [done for done, *_ in seen] == [1, 2] and "cancelled" in window.message.text()
    assert (out / "replay.gif").read_bytes() == before  # the file as it was, no half-written one
    assert sorted(p.name for p in out.iterdir()) == ["replay.gif"]
    assert files.progress is None
