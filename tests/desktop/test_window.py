"""The window as a keyboard, a clicker or a kiosk drives it: shortcuts, the weight cursor, the font scale,
the fall-back when no trained model is there, and the story played by itself."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.control.state import SPEEDS, Mode


def test_every_action_has_its_own_shortcut(window):
    seen = {}
    for name, action in window.actions_by_name.items():
        keys = [k.toString() for k in action.shortcuts()]
        assert keys, f"{name} has no shortcut"
        for k in keys:
            assert k not in seen, f"{name} and {seen[k]} share {k}"
            seen[k] = name
        assert action.toolTip()


def test_the_story_can_be_driven_from_the_keyboard(qtbot, window):
    e, t, c = window.exhibit, window.exhibit.training, window.exhibit.talk.conversation
    qtbot.waitUntil(lambda: c.is_open)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert e.mode is Mode.TRAIN
    qtbot.waitUntil(lambda: t.ready, timeout=60_000)
    window.heatmap.setFocus()
    qtbot.keyClick(window.heatmap, Qt.Key.Key_Period)  # one step
    qtbot.waitUntil(lambda: t.live.counters.step == 1, timeout=30_000)
    qtbot.keyClick(window.heatmap, Qt.Key.Key_Space)
    assert t.running and window.actions_by_name["run"].text() == "Pause"
    qtbot.keyClick(window.heatmap, Qt.Key.Key_Space)
    assert not t.running
    qtbot.keyClick(window.heatmap, Qt.Key.Key_BracketLeft)
    assert t.speed == len(SPEEDS) - 2
    qtbot.keyClick(window.heatmap, Qt.Key.Key_BracketRight)
    assert t.speed == len(SPEEDS) - 1
    qtbot.keyClick(window.heatmap, Qt.Key.Key_D)
    assert t.show_change and window.heatmap.show_change
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.is_open and c.model.kind == "live", timeout=30_000)
    assert QApplication.focusWidget() is window.talk_panel.input
    qtbot.keyClicks(window.talk_panel.input, "who does the books? ")  # the space is typed, not a pause
    assert window.talk_panel.input.text().endswith("? ") and not t.running
    qtbot.keyClick(window.talk_panel.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: c.proof.replies == 1, timeout=30_000)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert c.view.used == 0
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert e.talk.memory.on
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.cost_panel
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.talk_panel


def test_the_keyboard_cursor_reads_a_weight(qtbot, window):
    window.exhibit.enter_train()
    qtbot.waitUntil(lambda: window.heatmap.mosaic is not None)
    window.actions_by_name["focus_heatmap"].trigger()
    qtbot.waitUntil(lambda: window.heatmap.hasFocus())
    assert window.heatmap.cursor.position is not None
    first = window.heatmap.readout.text()
    qtbot.keyClick(window.heatmap, Qt.Key.Key_Right)
    second = window.heatmap.readout.text()
    assert second != first and ("column" in second or "entry" in second)
    qtbot.keyClick(window.heatmap, Qt.Key.Key_PageDown)
    third = window.heatmap.readout.text()
    tile, row, col, i = window.heatmap.mosaic.locate(*window.heatmap.cursor.position)
    assert tile.name in third and f"{float(window.heatmap.flat[i]):+.4f}" in third


def test_the_font_scale_makes_everything_bigger(qtbot, window):
    before = QApplication.font().pointSizeF()
    for _ in range(3):
        window.actions_by_name["bigger"].trigger()
    assert QApplication.font().pointSizeF() > before * 1.3
    assert window.talk_panel.input.font().pointSizeF() > before * 1.3
    window.actions_by_name["normal_size"].trigger()
    assert QApplication.font().pointSizeF() == pytest.approx(before)


def test_a_new_status_message_does_not_move_the_heatmap_and_a_long_one_is_shown_whole(qtbot, window):
    from desktop.i18n import status

    def settled():
        qtbot.wait(50)  # the layout request the new text posts
        return window.heatmap.geometry()

    say = window.exhibit.status.say
    say(status("Ready."))
    before = settled()
    for text in ("Memory off: the next conversation starts empty. The note is kept until you clear it.",
                 "Taught “Mara does the books.” in 4.5 s: 50 training steps changed 294,733 weights, and the "
                 "fingerprint. A new conversation, with no note.", "Ready."):
        say(status(text))
        assert settled() == before, text
    m = window.message
    say(status("A message far longer than two lines at this width, as a translation may make one. " * 8))
    settled()
    assert m.height() >= m.heightForWidth(m.width()) > 2 * m.fontMetrics().lineSpacing()  # taller, never cut
    say(status("Ready."))
    assert settled() == before


def test_without_a_trained_model_it_says_so_and_starts_training_from_random(qtbot, settings, tmp_path):
    from desktop.control.exhibit import Exhibit

    settings.checkpoint = str(tmp_path / "missing.safetensors")
    e = Exhibit(settings)
    with qtbot.waitSignal(e.ready, timeout=60_000):
        e.start()
    try:
        assert e.mode is Mode.TRAIN and not e.trained_available
        assert "No trained model (there is no file at" in str(e.status) and "missing.safetensors" in str(e.status)
        e.load_trained()
        assert e.mode is Mode.TRAIN and "no fully trained model" in str(e.status)
    finally:
        e.shutdown()


def test_a_damaged_trained_model_is_reported_not_crashed_on(qtbot, settings, tmp_path):
    from desktop.control.exhibit import Exhibit

    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all")
    settings.checkpoint = str(bad)
    e = Exhibit(settings)
    with qtbot.waitSignal(e.ready, timeout=60_000):
        e.start()
    try:
        assert e.mode is Mode.TRAIN and f"{bad} is not a model this exhibit can read" in str(e.status)
    finally:
        e.shutdown()


def test_the_screenshot_story_saves_every_moment(qtbot, window, tmp_path):
    from desktop.tools.screenshots import StoryScreenshots

    driver = StoryScreenshots(window, window.exhibit, str(tmp_path / "shots"), train_seconds=1.0)
    driver.start()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=120_000)
    names = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert len(names) == 17 and names[0].startswith("01-") and names[-1].startswith("17-cost")
    assert all((tmp_path / "shots" / n).stat().st_size > 10_000 for n in names)


@pytest.mark.parametrize("command", [[sys.executable, "-m", "desktop"], [str(Path(sys.executable).parent / "marginalia")]])
def test_the_command_line_and_the_marginalia_script_answer_help(command):
    out = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert all(option in out.stdout for option in ("--screenshots", "--checkpoint", "--full-screen", "--font-scale",
                                                  "--save-dir", "--data-dir", "--train-seconds", "--worker"))
