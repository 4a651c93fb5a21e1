"""The Train scene: training moves the heatmap, counts, samples, and every way out ends the worker."""

import re

import numpy as np

from desktop.state import SPEEDS, Mode

from .conftest import wait_steps


def _shown_window(qtbot, settings):
    """An exhibit on `settings` (changed by the test first) in a shown window, started."""
    from desktop.exhibit import Exhibit
    from desktop.window import MainWindow

    e = Exhibit(settings)
    w = MainWindow(e)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(e.ready, timeout=60_000):
        e.start()
    return e, w


def _enter_train(qtbot, window):
    e = window.exhibit
    e.enter_train()
    qtbot.waitUntil(lambda: e.worker_ready, timeout=60_000)
    return e


def test_training_a_few_steps_changes_the_heatmap_image(qtbot, window):
    e = _enter_train(qtbot, window)
    assert e.state.mode is Mode.TRAIN
    start = window.heatmap.values()
    assert start is not None and window.heatmap.step == 0
    e.run()
    wait_steps(qtbot, e, 3)
    qtbot.waitUntil(lambda: window.heatmap.step >= 3, timeout=10_000)
    now = window.heatmap.values()
    assert now.shape == start.shape
    assert not np.array_equal(np.nan_to_num(now), np.nan_to_num(start)), "training did not change the heatmap"
    c = e.counters()
    assert c.step >= 3 and c.chars > 0 and c.flops > 0 and c.changed > 0
    assert len(e.state.live.losses) >= 3
    assert window.train_panel.values["step"].text().replace(",", "").isdigit()
    # What is shown (and counted) is the running average of the weights, and the scene says so.
    assert e.state.live.train_config["average"] == 0.995
    assert "average of the weights of its last 200 steps" in window.train_panel.question.text()


def test_the_heatmap_repaints_every_frame_while_training(qtbot, window):
    e = _enter_train(qtbot, window)
    e.run()
    wait_steps(qtbot, e, 1)
    frames, paints = e.frames, window.heatmap.paints
    qtbot.wait(500)
    assert e.frames - frames >= 10  # a 10 ms clock in the tests: dozens of frames in half a second
    assert window.heatmap.paints > paints


def test_a_finished_step_is_shown_at_once_yet_frames_keep_the_clocks_pace(qtbot, settings, monkeypatch):
    import time

    from desktop.loop import SnapshotSlot

    published: dict[int, float] = {}
    publish = SnapshotSlot.publish

    def timed_publish(self, step, params):
        publish(self, step, params)
        published[step] = time.perf_counter()

    monkeypatch.setattr(SnapshotSlot, "publish", timed_publish)
    settings.frame_ms = 250  # a slow clock
    e, w = _shown_window(qtbot, settings)
    try:
        shown: list[tuple[int, float]] = []
        e.weights_shown.connect(lambda specs, step, flat: shown.append((step, time.perf_counter())))
        e.set_speed(SPEEDS.index(3.0))  # a step every 333 ms
        e.run()
        wait_steps(qtbot, e, 2)
        shown.clear()
        frames, t0 = e.frames, time.perf_counter()
        qtbot.wait(3000)
        rate = (e.frames - frames) / (time.perf_counter() - t0)
        late = sorted(t - published[step] for step, t in shown if step in published)
        assert len(late) >= 5
        # At the clock's ticks only, a step would wait 125 ms for its frame on average.
        assert late[len(late) // 2] < 0.05, f"steps waited {late} s to be shown"
        assert rate <= 1000 / settings.frame_ms + 0.5, f"{rate:.1f} frames a second on a 250 ms clock"
    finally:
        w.close()
        e.shutdown()


def test_pause_stops_the_steps_and_step_takes_exactly_one(qtbot, window):
    e = _enter_train(qtbot, window)
    e.run()
    wait_steps(qtbot, e, 2)
    e.pause()
    qtbot.waitUntil(lambda: not e.state.running)
    qtbot.wait(300)  # a step in progress still lands
    paused_at, paints = e.counters().step, window.heatmap.paints
    qtbot.wait(300)
    assert e.counters().step == paused_at
    assert window.heatmap.paints == paints  # a still picture is not repainted 40 times a second
    e.step_once()
    qtbot.waitUntil(lambda: e.counters().step == paused_at + 1, timeout=10_000)
    qtbot.waitUntil(lambda: window.heatmap.step == paused_at + 1, timeout=2_000)  # and the step is shown
    qtbot.wait(300)
    assert e.counters().step == paused_at + 1


def test_the_model_is_asked_the_story_question_as_it_learns(qtbot, window):
    e = _enter_train(qtbot, window)
    qtbot.waitUntil(lambda: bool(e.state.live.samples), timeout=10_000)
    assert e.state.live.samples[0].step == 0
    e.run()
    qtbot.waitUntil(lambda: e.state.live.samples[-1].step > 0, timeout=30_000)
    assert e.question in window.train_panel.question.text()
    # The panel is redrawn at most four times a second (Settings.live_every_ms): what the visitor sees
    # follows the state within that, never at the same instant.
    def shown_step() -> int:
        found = re.match(r"step ([\d,]+):", window.train_panel.sample_labels[0].text())
        return int(found.group(1).replace(",", "")) if found else -1

    qtbot.waitUntil(lambda: shown_step() > 0, timeout=5_000)
    assert any(s.step == shown_step() for s in e.state.live.samples)


def test_speed_goes_from_slow_motion_to_full_and_paces_the_steps(qtbot, window):
    e = _enter_train(qtbot, window)
    for _ in range(len(SPEEDS)):
        e.slower()
    assert e.state.speed == 0 and "slow motion" in window.train_panel.speed.text()
    e.run()
    wait_steps(qtbot, e, 1)
    at = e.counters().step
    qtbot.wait(1000)
    assert e.counters().step - at <= 1  # one step every 2 s
    e.faster()
    assert e.state.speed == 1


def test_talk_and_back_ends_the_worker_and_training_resumes(qtbot, window):
    e = _enter_train(qtbot, window)
    e.run()
    wait_steps(qtbot, e, 2)
    e.enter_talk()
    qtbot.waitUntil(lambda: e.session is not None and e.session.talk.kind == "live", timeout=30_000)
    assert e.worker_kind is None, "a worker kept running in Talk"
    frozen = e.counters().step
    assert e.session.talk.steps == frozen
    talk_image = window.heatmap.values()
    e.enter_train()
    qtbot.waitUntil(lambda: e.worker_ready, timeout=60_000)
    assert e.state.running, "training resumes as it was left"
    wait_steps(qtbot, e, 2)
    qtbot.waitUntil(lambda: window.heatmap.step >= frozen + 2, timeout=10_000)
    assert not np.array_equal(np.nan_to_num(window.heatmap.values()), np.nan_to_num(talk_image))


def test_restart_goes_back_to_the_same_random_weights(qtbot, window):
    e = _enter_train(qtbot, window)
    first = window.heatmap.values()
    e.run()
    wait_steps(qtbot, e, 2)
    e.restart()
    qtbot.waitUntil(lambda: e.counters().step == 0 and e.worker_ready and window.heatmap.step == 0, timeout=60_000)
    assert not e.state.running and not e.state.live.losses
    assert np.array_equal(np.nan_to_num(window.heatmap.values()), np.nan_to_num(first))


def test_the_change_view_shows_what_the_last_step_moved(qtbot, window):
    e = _enter_train(qtbot, window)
    e.toggle_change()
    assert window.heatmap.show_change and window.actions_by_name["change"].isChecked()
    e.step_once()
    qtbot.waitUntil(lambda: window.heatmap.step == 1, timeout=30_000)
    moved = np.nan_to_num(window.heatmap.values())
    assert moved.max() > 0 and moved.min() >= 0


def test_the_process_worker_trains_the_window_and_closing_ends_it(qtbot, settings):
    settings.worker = "process"
    e, w = _shown_window(qtbot, settings)
    e.run()
    qtbot.waitUntil(lambda: e.worker_kind == "process" and e.counters().step >= 2, timeout=90_000)
    pid = e.worker_pid
    w.close()  # closing the window ends the worker, every time
    assert e.worker_kind is None
    import os
    assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read().lower()


def test_a_worker_that_dies_is_reported_and_training_can_start_again(qtbot, settings):
    import os
    import signal

    from desktop.exhibit import Exhibit

    settings.worker = "process"
    e = Exhibit(settings)
    with qtbot.waitSignal(e.ready, timeout=60_000):
        e.start()
    try:
        e.run()
        qtbot.waitUntil(lambda: e.worker_kind == "process" and e.counters().step >= 2, timeout=90_000)
        os.kill(e.worker_pid, signal.SIGKILL)
        qtbot.waitUntil(lambda: e.worker_kind is None, timeout=30_000)
        assert not e.state.running and "Training stopped" in e.state.message
        at = e.counters().step
        e.enter_talk()
        qtbot.waitUntil(lambda: e.session is not None and e.session.talk.kind == "live", timeout=30_000)
        e.run()  # back to Train, from the weights it last showed
        qtbot.waitUntil(lambda: e.counters().step > at, timeout=90_000)
    finally:
        e.shutdown()


def test_a_long_runs_loss_curve_is_drawn_as_means_of_its_steps_and_stays_current(qtbot):
    from desktop.train_panel import CURVE_POINTS, TrainPanel

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
