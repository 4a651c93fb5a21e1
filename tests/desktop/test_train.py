"""The Train scene: training moves the heatmap, counts, samples, and every way out ends the run."""

import os
import re
import signal

import numpy as np

from desktop.control.state import SPEEDS, Mode
from desktop.process.protocol import Talk

from .conftest import _window, enter_train, wait_steps


def test_training_a_few_steps_changes_the_heatmap_image(qtbot, window):
    e = window.exhibit
    said = []
    e.status.changed.connect(lambda: said.append(window.message.text()))
    t = enter_train(qtbot, e)
    assert any("Space runs and pauses, “.” takes one step, “[” and “]” set the speed" in x for x in said), said
    assert e.mode is Mode.TRAIN
    start = window.heatmap.values()
    assert start is not None and window.heatmap.step == 0
    e.run()
    wait_steps(qtbot, e, 3)
    qtbot.waitUntil(lambda: window.heatmap.step >= 3, timeout=10_000)
    now = window.heatmap.values()
    assert now.shape == start.shape
    assert not np.array_equal(np.nan_to_num(now), np.nan_to_num(start)), "training did not change the heatmap"
    c = t.live.counters
    assert c.step >= 3 and c.chars > 0 and c.flops > 0 and c.changed > 0
    assert [s for s, _ in t.live.losses[:3]] == [1, 2, 3]  # every step's loss, in order, from the frames
    qtbot.waitUntil(lambda: window.train_panel.values["step"].text() == f"{t.live.counters.step:,}", timeout=5_000)
    # What is shown (and counted) is the running average of the weights, and the scene says so.
    assert t.live.train_config["average"] == 0.995
    assert "average of the weights of its last 200 steps" in window.train_panel.question.text()


def test_the_heatmap_repaints_every_frame_while_training(qtbot, window):
    e = window.exhibit
    t = enter_train(qtbot, e)
    e.run()
    wait_steps(qtbot, e, 1)
    frames, paints = t.frames_shown, window.heatmap.paints
    qtbot.waitUntil(lambda: t.frames_shown - frames >= 10 and window.heatmap.paints > paints, timeout=10_000)


def test_pause_stops_the_steps_and_step_takes_exactly_one(qtbot, window):
    e = window.exhibit
    t = enter_train(qtbot, e)
    e.run()
    wait_steps(qtbot, e, 2)
    t.pause()
    qtbot.waitUntil(lambda: t.paused_at is not None, timeout=10_000)  # the run says where it stopped
    paused_at = t.paused_at
    qtbot.waitUntil(lambda: window.heatmap.step == paused_at, timeout=5_000)  # a step in progress lands
    qtbot.waitUntil(lambda: not t.ticking, timeout=5_000)  # a still picture is not repainted 32 times a second
    t.step_once()
    qtbot.waitUntil(lambda: window.heatmap.step == paused_at + 1, timeout=10_000)  # and the step is shown
    e.enter_talk()  # the run ends and hands over where it got to: no step was taken while paused
    qtbot.waitUntil(lambda: e.talk.conversation.is_open, timeout=30_000)
    assert t.live.start.counters.step == paused_at + 1 == e.talk.conversation.model.steps


def test_the_model_is_asked_the_story_question_as_it_learns(qtbot, window):
    e = window.exhibit
    t = enter_train(qtbot, e)
    qtbot.waitUntil(lambda: bool(t.live.samples), timeout=10_000)
    assert t.live.samples[0].step == 0
    e.run()
    qtbot.waitUntil(lambda: t.live.samples[-1].step > 0, timeout=30_000)
    assert t.question in window.train_panel.question.text()

    # The panel is redrawn at most four times a second (Settings.live_every_ms): what the visitor sees
    # follows the state within that, never at the same instant.
    def shown_step() -> int:
        found = re.match(r"step ([\d,]+):", window.train_panel.sample_labels[0].text())
        return int(found.group(1).replace(",", "")) if found else -1

    qtbot.waitUntil(lambda: shown_step() > 0, timeout=5_000)
    assert any(s.step == shown_step() for s in t.live.samples)


def test_slow_motion_paces_the_steps_and_the_panel_says_so(qtbot, window):
    e = window.exhibit
    t = enter_train(qtbot, e)
    for _ in range(len(SPEEDS)):
        t.slower()
    assert t.speed == 0 and "slow motion" in window.train_panel.speed.text()
    t.faster()
    assert t.speed == 1 and window.train_panel.speed.text() == "Speed: 1 steps a second"


def test_talk_and_back_ends_the_run_and_training_resumes(qtbot, window):
    e = window.exhibit
    t = enter_train(qtbot, e)
    e.run()
    wait_steps(qtbot, e, 2)
    e.enter_talk()
    c = e.talk.conversation
    qtbot.waitUntil(lambda: c.is_open and c.model.kind == "live", timeout=30_000)
    assert e.link.activity is Talk, "a run kept going in Talk"
    frozen = t.live.counters.step
    assert c.model.steps == frozen
    talk_image = window.heatmap.values()
    e.enter_train()
    qtbot.waitUntil(lambda: t.ready, timeout=60_000)
    assert t.running, "training resumes as it was left"
    wait_steps(qtbot, e, 2)
    qtbot.waitUntil(lambda: window.heatmap.step >= frozen + 2, timeout=10_000)
    assert not np.array_equal(np.nan_to_num(window.heatmap.values()), np.nan_to_num(talk_image))


def test_restart_goes_back_to_the_same_random_weights(qtbot, window):
    e = window.exhibit
    t = enter_train(qtbot, e)
    first = window.heatmap.values()
    e.run()
    wait_steps(qtbot, e, 2)
    window.actions_by_name["restart"].trigger()
    qtbot.waitUntil(lambda: t.live.counters.step == 0 and t.ready and window.heatmap.step == 0, timeout=60_000)
    assert not t.running and not t.live.losses
    assert np.array_equal(np.nan_to_num(window.heatmap.values()), np.nan_to_num(first))
    t.step_once()  # the new run starts from step 0, not from where the old one stopped
    qtbot.waitUntil(lambda: window.heatmap.step == 1, timeout=30_000)


def test_the_change_view_shows_what_the_last_step_moved(qtbot, window):
    t = enter_train(qtbot, window.exhibit)
    t.toggle_change()
    assert window.heatmap.show_change and window.actions_by_name["change"].isChecked()
    t.step_once()
    qtbot.waitUntil(lambda: window.heatmap.step == 1, timeout=30_000)
    moved = np.nan_to_num(window.heatmap.values())
    assert moved.max() > 0 and moved.min() >= 0


def test_the_model_process_trains_the_window_and_closing_ends_it(qtbot, settings):
    settings.worker = "process"
    w = _window(qtbot, settings)
    e = w.exhibit
    e.run()
    qtbot.waitUntil(lambda: e.link.pid is not None and e.training.live.counters.step >= 2, timeout=90_000)
    pid = e.link.pid
    w.close()  # closing the window ends the model process, every time
    assert e.link.pid is None and e.link.activity is None
    assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read().lower()


def test_a_model_process_that_dies_while_training_is_replaced_and_training_goes_on(qtbot, settings):
    """Nobody has to press anything: a new model process carries on from the step shown, and Talk and
    Train still take turns with it afterwards."""
    from desktop.control.exhibit import Exhibit

    settings.worker = "process"
    e = Exhibit(settings)
    with qtbot.waitSignal(e.ready, timeout=60_000):
        e.start()
    t = e.training
    try:
        e.run()
        qtbot.waitUntil(lambda: e.link.pid is not None and t.live.counters.step >= 2, timeout=90_000)
        pid = e.link.pid
        os.kill(pid, signal.SIGKILL)
        qtbot.waitUntil(lambda: e.link.pid not in (None, pid) and t.ready, timeout=30_000)
        assert t.running and "ended" in str(e.status) and "stopped" not in str(e.status)
        at = t.live.counters.step
        assert at >= 2  # from the step shown, not from the start
        qtbot.waitUntil(lambda: t.live.counters.step > at, timeout=90_000)
        e.enter_talk()
        qtbot.waitUntil(lambda: e.talk.conversation.is_open and e.talk.conversation.model.kind == "live",
                        timeout=30_000)
        at = t.live.counters.step
        e.run()  # back to Train, from the weights it last showed
        qtbot.waitUntil(lambda: t.live.counters.step > at, timeout=90_000)
    finally:
        e.shutdown()


def test_a_long_runs_loss_curve_is_drawn_as_means_of_its_steps_and_stays_current(qtbot):
    from desktop.scenes.train import CURVE_POINTS, TrainPanel

    panel = TrainPanel([])
    qtbot.addWidget(panel)
    live = type("Live", (), {})()
    rng = np.random.default_rng(0)
    live.losses = [(s, float(v)) for s, v in zip(range(1, 10_001), rng.random(10_000))]
    panel._show_curve(live)

    def means(losses, k):  # of each run of k steps, from the first
        return [np.mean([v for _, v in losses[i:i + k]]) for i in range(0, len(losses), k)]

    x, y = panel.curve.getData()
    assert len(x) == CURVE_POINTS and x[-1] == 10_000 and np.allclose(y, means(live.losses, 25))
    live.losses.extend([(10_001, 7.0), (10_002, 9.0)])  # new steps are drawn at once
    panel._show_curve(live)
    x, y = panel.curve.getData()
    assert len(x) <= CURVE_POINTS and x[-1] == 10_002 and np.allclose(y, means(live.losses, 26))
    live.losses[:] = live.losses[::2]  # thinned, as a days-long run is
    panel._show_curve(live)
    assert panel.curve.getData()[0][-1] == 10_001
    live.losses = [(1, 2.0), (2, 1.0)]  # a new run
    panel._show_curve(live)
    assert list(panel.curve.getData()[1]) == [2.0, 1.0]
